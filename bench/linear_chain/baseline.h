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

/// Forward-backward: the cotangents of emissions, transitions, start and end
/// of Σ_b dLogZ[b] · log Z_b (factored potentials).
void baselineLogPartitionVjp(const float *emissions, const float *transitions,
                             const float *start, const float *end,
                             const int32_t *lengths, const float *dLogZ, int B,
                             int T, int C, float *dEmissions,
                             float *dTransitions, float *dStart, float *dEnd);

/// The same for full edge potentials (edges and dEdges [B, T-1, C, C]).
void baselineLogPartitionFullVjp(const float *emissions, const float *edges,
                                 const float *start, const float *end,
                                 const int32_t *lengths, const float *dLogZ,
                                 int B, int T, int C, float *dEmissions,
                                 float *dEdges, float *dStart, float *dEnd);

#endif // SDP_BENCH_LINEAR_CHAIN_BASELINE_H
