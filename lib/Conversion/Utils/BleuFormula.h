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

#include <optional>

namespace mlir::sdp {

/// The statistics of sdp.bleu_score as buffers (host or device memrefs):
/// matches and totals [rows, B] i64, hypLengths [B] i32, refLengths [B, R]
/// i32.
struct BleuStatistics {
  Value matches, totals, hypLengths, refLengths;
};

/// NLTK 3.8 and sacreBLEU 2.x scores, emitted straight-line per sentence (or
/// once over summed statistics): the orders are unrolled, and every
/// data-dependent branch of the reference implementations is an
/// arith.select.
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

  /// The i64 terms a corpus score sums over its sentences, for sentence `b`:
  /// the matches of each order, the totals of each order (NLTK: at least 1),
  /// the hypothesis length and the closest reference length.
  SmallVector<Value> corpusTerms(Emitter &e, const BleuStatistics &stats,
                                 Value b) const;
  int64_t numCorpusTerms() const { return 2 * weights.size() + 2; }
  /// The corpusTerms summed over the sentences from, from + step, ... (all
  /// of them from 0 by 1; a thread's share from its id by the thread count).
  SmallVector<Value> sumCorpusTerms(Emitter &e, const BleuStatistics &stats,
                                    Value from, Value step) const;
  /// The f64 corpus score from the corpusTerms summed over the `B`
  /// sentences (0 when there are none).
  Value corpusScore(Emitter &e, const BleuStatistics &stats,
                    ArrayRef<Value> sums, Value B) const;

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
  /// The score of `terms` (as corpusTerms lays them out), with sentence
  /// `last` the one NLTK's method5 and method6 read alone.
  Value scoreOf(Emitter &e, const BleuStatistics &stats, ArrayRef<Value> terms,
                Value last) const;
  void readLastSentence(Emitter &e, const BleuStatistics &stats, Value b,
                        Stats &s) const;

  SmallVector<double> weights;
  BleuCompat compat;
  BleuSmoothing smoothing;
  bool corpus, autoReweigh;
  std::optional<double> smoothValue;
};

} // namespace mlir::sdp

#endif // SDP_LIB_CONVERSION_UTILS_BLEUFORMULA_H
