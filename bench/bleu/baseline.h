//===- baseline.h - hand-written per-sentence BLEU --------------*- C++ -*-===//

#ifndef SDP_BENCH_BLEU_BASELINE_H
#define SDP_BENCH_BLEU_BASELINE_H

#include <cstdint>

/// NLTK-style sentence BLEU (uniform 4-gram weights, method1 smoothing) with
/// std::unordered_map n-gram counts; n-grams are packed into 64-bit keys, so
/// token ids must be below 2^16. Tokens are int32, padded with 0.
void baselineSentenceBleu(const int32_t *candidates, const int32_t *references,
                          int B, int R, int Lc, int Lr, double *scores);

#endif // SDP_BENCH_BLEU_BASELINE_H
