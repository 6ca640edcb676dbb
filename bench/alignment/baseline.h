//===- baseline.h - hand-written alignment recurrences ----------*- C++ -*-===//

#ifndef SDP_BENCH_ALIGNMENT_BASELINE_H
#define SDP_BENCH_ALIGNMENT_BASELINE_H

#include <cstdint>

/// The semirings of examples/alignment.mlir.
enum class AlignmentSemiring { Min, Max, Log };

/// D[n, m] of sdp.alignment for each pair: weights [B, N+1, M+1] (row-major),
/// lengths clamped to [0, N] and [0, M]; one row of D carried, as a C++
/// programmer would write it.
void baselineAlignment(AlignmentSemiring semiring, const float *diagonal,
                       const float *down, const float *right,
                       const int32_t *rows, const int32_t *cols, int B, int N,
                       int M, float *out);

#endif // SDP_BENCH_ALIGNMENT_BASELINE_H
