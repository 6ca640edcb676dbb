//===- baseline.cpp - hand-written alignment recurrences ------------------===//

#include "baseline.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace {

struct MinPlus {
  static float zero() { return std::numeric_limits<float>::infinity(); }
  static float add(float a, float b) { return std::min(a, b); }
};
struct MaxPlus {
  static float zero() { return -std::numeric_limits<float>::infinity(); }
  static float add(float a, float b) { return std::max(a, b); }
};
struct LogSum {
  static float zero() { return -std::numeric_limits<float>::infinity(); }
  static float add(float a, float b) {
    float hi = std::max(a, b), lo = std::min(a, b);
    if (hi == -std::numeric_limits<float>::infinity())
      return hi;
    return hi + std::log1p(std::exp(lo - hi));
  }
};

template <typename S>
void run(const float *diagonal, const float *down, const float *right,
         const int32_t *rows, const int32_t *cols, int B, int N, int M,
         float *out) {
  std::vector<float> row(M + 1);
  const long plane = long(N + 1) * (M + 1);
  for (int b = 0; b < B; ++b) {
    int n = std::clamp(rows[b], 0, N), m = std::clamp(cols[b], 0, M);
    const float *dg = diagonal + b * plane, *dn = down + b * plane,
                *rt = right + b * plane;
    row[0] = 0.f;
    for (int j = 1; j <= m; ++j)
      row[j] = row[j - 1] + rt[j];
    for (int i = 1; i <= n; ++i) {
      const long at = long(i) * (M + 1);
      float upperLeft = row[0];
      row[0] = upperLeft + dn[at];
      float left = row[0];
      for (int j = 1; j <= m; ++j) {
        float up = row[j];
        float cell = S::add(S::add(upperLeft + dg[at + j], up + dn[at + j]),
                            left + rt[at + j]);
        row[j] = cell;
        upperLeft = up;
        left = cell;
      }
    }
    out[b] = row[m];
  }
}

} // namespace

void baselineAlignment(AlignmentSemiring semiring, const float *diagonal,
                       const float *down, const float *right,
                       const int32_t *rows, const int32_t *cols, int B, int N,
                       int M, float *out) {
  switch (semiring) {
  case AlignmentSemiring::Min:
    return run<MinPlus>(diagonal, down, right, rows, cols, B, N, M, out);
  case AlignmentSemiring::Max:
    return run<MaxPlus>(diagonal, down, right, rows, cols, B, N, M, out);
  case AlignmentSemiring::Log:
    return run<LogSum>(diagonal, down, right, rows, cols, B, N, M, out);
  }
}
