//===- BleuFormula.h - BLEU's float64 scoring formula as IR -----*- C++ -*-===//
//
// The scoring step of sdp.bleu_score (and of sdp.bleu, which ends with it)
// over its statistics buffers: host loops (NgramToSCF) and GPU kernels
// (SdpToGPU) emit the same arithmetic from here.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_CONVERSION_UTILS_BLEUFORMULA_H
#define SDP_LIB_CONVERSION_UTILS_BLEUFORMULA_H

#include "Emitter.h"
#include "sdp/Dialect/NgramOps.h"

#include <functional>
#include <optional>

namespace mlir::sdp {

/// The statistics of sdp.bleu_score as buffers (host or device memrefs):
/// matches and totals [rows, B] i64, hypLengths [B] i32, refLengths [B, R]
/// i32.
struct BleuStatistics {
  Value matches, totals, hypLengths, refLengths;
};

/// NLTK 3.8 and sacreBLEU 2.x scores, emitted per sentence (or once over
/// summed statistics) as one scf.for over the orders: the code does not grow
/// with max_n. Every data-dependent branch of the reference implementations
/// is an arith.select, and each order's arithmetic is the references' in
/// their order, so the scores are bit-exact.
class BleuFormula {
public:
  /// The formula of `op`, an sdp.bleu or sdp.bleu_score (same attributes).
  template <typename OpT>
  explicit BleuFormula(OpT op)
      : compat(op.getCompat()), smoothing(op.getSmoothing()),
        corpus(op.getCorpus()), autoReweigh(op.getAutoReweigh()) {
    for (Attribute w : op.getWeights())
      weights.push_back(cast<FloatAttr>(w).getValueAsDouble());
    if (op.getSmoothValue())
      smoothValue = op.getSmoothValue()->convertToDouble();
  }

  bool isCorpus() const { return corpus; }

  /// The f64 score of sentence `b`.
  Value sentenceScore(Emitter &e, const BleuStatistics &stats, Value b) const;

  /// A corpus score sums numCorpusTerms() i64 terms over its sentences:
  /// term i < N is order i's matches, term N + i order i's totals (NLTK: at
  /// least 1 per sentence), then the hypothesis length and the closest
  /// reference length.
  int64_t numCorpusTerms() const { return 2 * weights.size() + 2; }
  /// Sums each term over the sentences from, from + step, ... (all of them
  /// from 0 by 1; a thread's share from its id by the thread count) and
  /// hands each sum to `add(term index, i64 sum)`. Loops over the orders.
  void sumCorpusTerms(Emitter &e, const BleuStatistics &stats, Value from,
                      Value step, function_ref<void(Value, Value)> add) const;
  /// The f64 corpus score from `sums` (a [numCorpusTerms()] i64 buffer of
  /// the terms summed over the `B` sentences; 0 when there are none).
  Value corpusScore(Emitter &e, const BleuStatistics &stats, Value sums,
                    Value B) const;

private:
  struct Stats;
  class Scorer;
  bool nltk() const { return compat == BleuCompat::nltk; }
  /// NLTK's method5 (and method7) also read the 5-gram row of the last
  /// sentence.
  bool readsOrder5() const {
    return smoothing == BleuSmoothing::method5 ||
           smoothing == BleuSmoothing::method7;
  }
  /// Order i's statistic (matches or totals) as f64 (i an index).
  using OrderStatistic = std::function<Value(Value)>;
  /// The score from the per-order statistics and the lengths (i64), with
  /// sentence `last` the one NLTK's method5 and method6 read alone.
  Value scoreOf(Emitter &e, const BleuStatistics &stats,
                const OrderStatistic &matches, const OrderStatistic &totals,
                Value hypLength, Value refLength, Value last) const;
  void readLastSentence(Emitter &e, const BleuStatistics &stats, Value b,
                        Stats &s) const;
  /// The closest reference length (i64) of sentence b.
  Value closestReference(Emitter &e, const BleuStatistics &stats, Value b,
                         Value hypLength) const;

  SmallVector<double> weights;
  BleuCompat compat;
  BleuSmoothing smoothing;
  bool corpus, autoReweigh;
  std::optional<double> smoothValue;
};

} // namespace mlir::sdp

#endif // SDP_LIB_CONVERSION_UTILS_BLEUFORMULA_H
