//===- machine_limits.h - what the machine allows a linear chain -*- C++
//-*-===//
//
// The two floors every linear-chain figure is read against: streaming the
// potentials once from memory (full potentials are bound by it), and the
// arithmetic of the factored step (a real B x C by C x C product per step).
//
//===----------------------------------------------------------------------===//

#ifndef SDP_BENCH_LINEAR_CHAIN_MACHINE_LIMITS_H
#define SDP_BENCH_LINEAR_CHAIN_MACHINE_LIMITS_H

#include <cstddef>

/// Reads `n` floats once (STREAM-style, several independent sums) and
/// returns their sum, so that the read cannot be optimised away.
float readOnce(const float *data, size_t n);

/// y[B, C] = x[B, C] · p[C, C] (real arithmetic): the work of one factored
/// step for the whole batch, as a register-blocked -O3 -march=native loop.
void batchTimesMatrix(const float *x, const float *p, float *y, int B, int C);

#endif // SDP_BENCH_LINEAR_CHAIN_MACHINE_LIMITS_H
