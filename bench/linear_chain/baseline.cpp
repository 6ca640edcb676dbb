//===- baseline.cpp - hand-written linear-chain CRF forward loops ---------===//
//
// The baseline sdp is measured against: the forward algorithm as a careful
// C++ programmer writes it (log-sum-exp with a max shift, libm expf/logf),
// compiled with -O3 -march=native.
//
//===----------------------------------------------------------------------===//

#include "baseline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace {

float logSumExp(const float *values, int n) {
  float m = -std::numeric_limits<float>::infinity();
  for (int i = 0; i < n; ++i)
    m = std::max(m, values[i]);
  if (m == -std::numeric_limits<float>::infinity())
    return m;
  float s = 0;
  for (int i = 0; i < n; ++i)
    s += std::exp(values[i] - m);
  return m + std::log(s);
}

/// transitionsAt(b, t) points at the [C, C] matrix used to enter position t.
template <typename TransitionsAt>
void forward(const float *emissions, TransitionsAt transitionsAt,
             const float *start, const float *end, const int32_t *lengths,
             int B, int T, int C, float *logZ) {
  std::vector<float> alpha(C), next(C), terms(C);
  for (int b = 0; b < B; ++b) {
    const float *em = emissions + static_cast<size_t>(b) * T * C;
    int n = std::clamp(lengths[b], 1, T);
    for (int c = 0; c < C; ++c)
      alpha[c] = start[c] + em[c];
    for (int t = 1; t < n; ++t) {
      const float *trans = transitionsAt(b, t);
      for (int c = 0; c < C; ++c) {
        for (int k = 0; k < C; ++k)
          terms[k] = alpha[k] + trans[k * C + c];
        next[c] = logSumExp(terms.data(), C) + em[t * C + c];
      }
      alpha.swap(next);
    }
    for (int c = 0; c < C; ++c)
      terms[c] = alpha[c] + end[c];
    logZ[b] = logSumExp(terms.data(), C);
  }
}

} // namespace

void baselineLogPartition(const float *emissions, const float *transitions,
                          const float *start, const float *end,
                          const int32_t *lengths, int B, int T, int C,
                          float *logZ) {
  forward(
      emissions, [&](int, int) { return transitions; }, start, end, lengths, B,
      T, C, logZ);
}

void baselineLogPartitionFull(const float *emissions, const float *edges,
                              const float *start, const float *end,
                              const int32_t *lengths, int B, int T, int C,
                              float *logZ) {
  forward(
      emissions,
      [&](int b, int t) {
        return edges + ((static_cast<size_t>(b) * (T - 1) + (t - 1)) * C * C);
      },
      start, end, lengths, B, T, C, logZ);
}
