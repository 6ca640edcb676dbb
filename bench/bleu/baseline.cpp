//===- baseline.cpp - hand-written per-sentence BLEU ----------------------===//
//
// What a C++ programmer writes for a fast reward: per sentence and order, an
// unordered_map of candidate n-gram counts, the max count over references,
// clipping, then NLTK's formula with method1 smoothing.
//
//===----------------------------------------------------------------------===//

#include "baseline.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

namespace {

int lengthOf(const int32_t *tokens, int L) {
  for (int i = 0; i < L; ++i)
    if (tokens[i] == 0)
      return i;
  return L;
}

uint64_t pack(const int32_t *tokens, int n) {
  uint64_t key = 0;
  for (int k = 0; k < n; ++k)
    key = key << 16 | static_cast<uint16_t>(tokens[k]);
  return key;
}

} // namespace

void baselineSentenceBleu(const int32_t *candidates, const int32_t *references,
                          int B, int R, int Lc, int Lr, double *scores) {
  std::unordered_map<uint64_t, int> counts, refCounts, maxRef;
  for (int b = 0; b < B; ++b) {
    const int32_t *cand = candidates + static_cast<size_t>(b) * Lc;
    int hyp = lengthOf(cand, Lc);
    int refLen = -1, bestDiff = -1;
    for (int r = 0; r < R; ++r) {
      int len =
          lengthOf(references + (static_cast<size_t>(b) * R + r) * Lr, Lr);
      int diff = std::abs(hyp - len);
      if (bestDiff < 0 || diff < bestDiff ||
          (diff == bestDiff && len < refLen)) {
        bestDiff = diff;
        refLen = len;
      }
    }
    double logSum = 0;
    bool zeroUnigrams = false;
    for (int n = 1; n <= 4; ++n) {
      counts.clear();
      maxRef.clear();
      for (int i = 0; i + n <= hyp; ++i)
        ++counts[pack(cand + i, n)];
      for (int r = 0; r < R; ++r) {
        const int32_t *ref = references + (static_cast<size_t>(b) * R + r) * Lr;
        int len = lengthOf(ref, Lr);
        refCounts.clear();
        for (int i = 0; i + n <= len; ++i)
          ++refCounts[pack(ref + i, n)];
        for (auto &[key, c] : refCounts) {
          int &m = maxRef[key];
          m = std::max(m, c);
        }
      }
      long matches = 0, total = 0;
      for (auto &[key, c] : counts) {
        auto it = maxRef.find(key);
        matches += std::min(c, it == maxRef.end() ? 0 : it->second);
        total += c;
      }
      double den = std::max(1L, total);
      double p = matches ? matches / den : 0.1 / den;
      if (n == 1 && matches == 0)
        zeroUnigrams = true;
      logSum += 0.25 * std::log(p);
    }
    double bp = hyp > refLen ? 1
                : hyp == 0   ? 0
                             : std::exp(1 - double(refLen) / hyp);
    scores[b] = zeroUnigrams ? 0 : bp * std::exp(logSum);
  }
}
