//===- machine_limits.cpp - what the machine allows a linear chain -------===//

#include "machine_limits.h"

float readOnce(const float *data, size_t n) {
  // Eight independent sums: the adds' latency does not limit the read.
  float sums[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; ++j)
      sums[j] += data[i + j];
  for (; i < n; ++i)
    sums[0] += data[i];
  float total = 0;
  for (float s : sums)
    total += s;
  return total;
}

/// Columns [c0, c0 + Width) of one row of y = x·p, in Width fixed-size
/// accumulators that the compiler keeps in vector registers across k.
template <int Width>
static void rowBlock(const float *xb, const float *p, float *yb, int C,
                     int c0) {
  float acc[Width] = {};
  for (int k = 0; k < C; ++k) {
    const float *pk = p + size_t(k) * C + c0;
    for (int j = 0; j < Width; ++j)
      acc[j] += xb[k] * pk[j];
  }
  for (int j = 0; j < Width; ++j)
    yb[c0 + j] = acc[j];
}

void batchTimesMatrix(const float *x, const float *p, float *y, int B, int C) {
  // A GEMM's inner kernel: 64 columns at a time (eight AVX2 registers of
  // independent accumulators), then narrower blocks for the rest.
  for (int b = 0; b < B; ++b) {
    const float *xb = x + size_t(b) * C;
    float *yb = y + size_t(b) * C;
    int c0 = 0;
    for (; c0 + 64 <= C; c0 += 64)
      rowBlock<64>(xb, p, yb, C, c0);
    for (; c0 + 16 <= C; c0 += 16)
      rowBlock<16>(xb, p, yb, C, c0);
    for (; c0 + 8 <= C; c0 += 8)
      rowBlock<8>(xb, p, yb, C, c0);
    for (; c0 < C; ++c0)
      rowBlock<1>(xb, p, yb, C, c0);
  }
}
