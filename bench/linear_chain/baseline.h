//===- baseline.h - hand-written linear-chain CRF forward loops -*- C++ -*-===//

#ifndef SDP_BENCH_LINEAR_CHAIN_BASELINE_H
#define SDP_BENCH_LINEAR_CHAIN_BASELINE_H

#include <cstdint>

/// log Z of factored potentials (transitions [C, C]).
void baselineLogPartition(const float *emissions, const float *transitions,
                          const float *start, const float *end,
                          const int32_t *lengths, int B, int T, int C,
                          float *logZ);

/// log Z of full edge potentials (edges [B, T-1, C, C]).
void baselineLogPartitionFull(const float *emissions, const float *edges,
                              const float *start, const float *end,
                              const int32_t *lengths, int B, int T, int C,
                              float *logZ);

#endif // SDP_BENCH_LINEAR_CHAIN_BASELINE_H
