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

//===----------------------------------------------------------------------===//
// Forward-backward: log Z and its gradients, the obvious way.
//===----------------------------------------------------------------------===//

namespace {

/// Per sequence: alpha and beta in log space (kept for all positions), then
/// the marginals exp(alpha + beta - log Z) for emissions, start and end, and
/// the edge marginals exp(alpha + trans + em + beta - log Z) for transitions.
template <typename TransitionsAt, typename EdgeGradientAt>
void forwardBackward(const float *emissions, TransitionsAt transitionsAt,
                     const float *start, const float *end,
                     const int32_t *lengths, const float *dLogZ, int B, int T,
                     int C, float *dEmissions, EdgeGradientAt edgeGradientAt,
                     float *dStart, float *dEnd) {
  std::vector<float> alpha(static_cast<size_t>(T) * C),
      beta(static_cast<size_t>(T) * C), terms(C);
  std::fill(dStart, dStart + C, 0.f);
  std::fill(dEnd, dEnd + C, 0.f);
  for (int b = 0; b < B; ++b) {
    const float *em = emissions + static_cast<size_t>(b) * T * C;
    float *dEm = dEmissions + static_cast<size_t>(b) * T * C;
    int n = std::clamp(lengths[b], 1, T);
    for (int c = 0; c < C; ++c)
      alpha[c] = start[c] + em[c];
    for (int t = 1; t < n; ++t) {
      const float *trans = transitionsAt(b, t);
      for (int c = 0; c < C; ++c) {
        for (int k = 0; k < C; ++k)
          terms[k] = alpha[(t - 1) * C + k] + trans[k * C + c];
        alpha[t * C + c] = logSumExp(terms.data(), C) + em[t * C + c];
      }
    }
    for (int c = 0; c < C; ++c)
      beta[(n - 1) * C + c] = end[c];
    for (int t = n - 2; t >= 0; --t) {
      const float *trans = transitionsAt(b, t + 1);
      for (int k = 0; k < C; ++k) {
        for (int c = 0; c < C; ++c)
          terms[c] =
              trans[k * C + c] + em[(t + 1) * C + c] + beta[(t + 1) * C + c];
        beta[t * C + k] = logSumExp(terms.data(), C);
      }
    }
    for (int c = 0; c < C; ++c)
      terms[c] = alpha[(n - 1) * C + c] + end[c];
    float logZ = logSumExp(terms.data(), C), d = dLogZ[b];
    std::fill(dEm, dEm + static_cast<size_t>(T) * C, 0.f);
    for (int t = 0; t < n; ++t)
      for (int c = 0; c < C; ++c)
        dEm[t * C + c] =
            d * std::exp(alpha[t * C + c] + beta[t * C + c] - logZ);
    for (int c = 0; c < C; ++c) {
      dStart[c] += dEm[c];
      dEnd[c] += d * std::exp(alpha[(n - 1) * C + c] + end[c] - logZ);
    }
    for (int t = 1; t < n; ++t) {
      const float *trans = transitionsAt(b, t);
      float *dTrans = edgeGradientAt(b, t);
      for (int k = 0; k < C; ++k)
        for (int c = 0; c < C; ++c)
          dTrans[k * C + c] +=
              d * std::exp(alpha[(t - 1) * C + k] + trans[k * C + c] +
                           em[t * C + c] + beta[t * C + c] - logZ);
    }
  }
}

} // namespace

void baselineLogPartitionVjp(const float *emissions, const float *transitions,
                             const float *start, const float *end,
                             const int32_t *lengths, const float *dLogZ, int B,
                             int T, int C, float *dEmissions,
                             float *dTransitions, float *dStart, float *dEnd) {
  std::fill(dTransitions, dTransitions + static_cast<size_t>(C) * C, 0.f);
  forwardBackward(
      emissions, [&](int, int) { return transitions; }, start, end, lengths,
      dLogZ, B, T, C, dEmissions, [&](int, int) { return dTransitions; },
      dStart, dEnd);
}

void baselineLogPartitionFullVjp(const float *emissions, const float *edges,
                                 const float *start, const float *end,
                                 const int32_t *lengths, const float *dLogZ,
                                 int B, int T, int C, float *dEmissions,
                                 float *dEdges, float *dStart, float *dEnd) {
  size_t edgeSize = static_cast<size_t>(C) * C;
  std::fill(dEdges, dEdges + static_cast<size_t>(B) * (T - 1) * edgeSize, 0.f);
  auto at = [&](auto *base) {
    return [=](int b, int t) {
      return base + (static_cast<size_t>(b) * (T - 1) + (t - 1)) * edgeSize;
    };
  };
  forwardBackward(emissions, at(edges), start, end, lengths, dLogZ, B, T, C,
                  dEmissions, at(dEdges), dStart, dEnd);
}
