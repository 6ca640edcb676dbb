//===- BleuFormula.cpp - BLEU's float64 scoring formula as IR -------------===//

#include "BleuFormula.h"

#include <cfloat>
#include <cmath>

using namespace mlir;
using namespace mlir::sdp;

using CmpF = arith::CmpFPredicate;
using CmpI = arith::CmpIPredicate;

/// The statistics one score is computed from, all f64 except where noted.
struct BleuFormula::Stats {
  SmallVector<Value> matches; // per order (N, plus the order-5 row if any)
  SmallVector<Value> totals;  // NLTK: max(1, ·) per sentence; sacre: raw
  Value hypLength, refLength;
  // The last sentence's, for NLTK's method5 (order 5) and method6.
  Value lastMatches5, lastTotals5, lastHypLength;
};

class BleuFormula::Scorer {
public:
  Scorer(Emitter &e, const BleuFormula &f) : e(e), f(f), weights(f.weights) {}

  Value score(const Stats &s) { return f.nltk() ? nltk(s) : sacrebleu(s); }

private:
  size_t orders() const { return weights.size(); }
  Value eq0(Value x) { return e.cmpf(CmpF::OEQ, x, e.f64(0)); }

  SmallVector<Value> precisions(const Stats &s) {
    SmallVector<Value> p;
    for (size_t i = 0; i < orders(); ++i)
      p.push_back(e.div(s.matches[i], s.totals[i]));
    return p;
  }

  /// NLTK's SmoothingFunction().method4 on the precisions.
  SmallVector<Value> method4(const Stats &s, SmallVector<Value> p) {
    Value pow2 = e.f64(2); // 2 ** incvnt
    Value logLen = e.log(s.hypLength);
    for (size_t i = 0; i < orders(); ++i) {
      Value apply =
          e.andi(eq0(s.matches[i]), e.cmpf(CmpF::OGT, s.hypLength, e.f64(1)));
      Value numerator = e.div(e.f64(1), e.div(e.mul(pow2, e.f64(5)), logLen));
      p[i] = e.select(apply, e.div(numerator, s.totals[i]), p[i]);
      pow2 = e.select(apply, e.mul(pow2, e.f64(2)), pow2);
    }
    return p;
  }

  /// NLTK's method5: each precision averaged with its neighbours; the one
  /// after the last is the last sentence's 5-gram precision.
  SmallVector<Value> method5(const Stats &s, ArrayRef<Value> p) {
    Value p5 = e.div(s.lastMatches5, s.lastTotals5);
    SmallVector<Value> out;
    Value previous = e.add(p[0], e.f64(1));
    for (size_t i = 0; i < orders(); ++i) {
      Value next = i + 1 < orders() ? p[i + 1] : p5;
      previous = e.div(e.add(e.add(previous, p[i]), next), e.f64(3));
      out.push_back(previous);
    }
    return out;
  }

  /// Returns {smoothed precisions, "NLTK would raise" flag}.
  std::pair<SmallVector<Value>, Value> smooth(const Stats &s) {
    SmallVector<Value> p = precisions(s);
    Value invalid = e.boolean(false);
    switch (f.smoothing) {
    case BleuSmoothing::method0:
      for (size_t i = 0; i < orders(); ++i)
        p[i] = e.select(eq0(s.matches[i]), e.f64(DBL_MIN), p[i]);
      break;
    case BleuSmoothing::method1:
      for (size_t i = 0; i < orders(); ++i)
        p[i] =
            e.select(eq0(s.matches[i]), e.div(e.f64(0.1), s.totals[i]), p[i]);
      break;
    case BleuSmoothing::method2:
      for (size_t i = 1; i < orders(); ++i)
        p[i] =
            e.div(e.add(s.matches[i], e.f64(1)), e.add(s.totals[i], e.f64(1)));
      break;
    case BleuSmoothing::method3: {
      Value pow2 = e.f64(2);
      for (size_t i = 0; i < orders(); ++i) {
        Value zero = eq0(s.matches[i]);
        p[i] = e.select(zero, e.div(e.f64(1), e.mul(pow2, s.totals[i])), p[i]);
        pow2 = e.select(zero, e.mul(pow2, e.f64(2)), pow2);
      }
      break;
    }
    case BleuSmoothing::method4:
      p = method4(s, p);
      break;
    case BleuSmoothing::method5:
      p = method5(s, p);
      break;
    case BleuSmoothing::method6: {
      invalid = eq0(s.matches[2]); // NLTK: assert p_n[2]
      for (size_t i = 2; i < orders(); ++i) {
        Value pi0 = e.select(eq0(p[i - 2]), e.f64(0),
                             e.div(e.mul(p[i - 1], p[i - 1]), p[i - 2]));
        Value l = e.sub(s.lastHypLength, e.f64(static_cast<double>(i)));
        l = e.select(e.cmpf(CmpF::OGT, l, e.f64(0)), l, e.f64(0));
        p[i] = e.div(e.add(s.matches[i], e.mul(e.f64(5), pi0)),
                     e.add(l, e.f64(5)));
      }
      break;
    }
    case BleuSmoothing::method7:
      p = method5(s, method4(s, p));
      break;
    default:
      break;
    }
    return {p, invalid};
  }

  Value nltk(const Stats &s) {
    auto [p, invalid] = smooth(s);
    Value hyp = s.hypLength, ref = s.refLength;
    Value bp = e.select(
        e.cmpf(CmpF::OGT, hyp, ref), e.f64(1),
        e.select(eq0(hyp), e.f64(0), e.exp(e.sub(e.f64(1), e.div(ref, hyp)))));
    // auto_reweigh: uniform 4-gram weights become 1/hyp_len for the first
    // hyp_len orders when the hypotheses are shorter than 4.
    bool uniform4 = orders() == 4 &&
                    llvm::all_of(weights, [](double w) { return w == 0.25; });
    Value reweigh = e.boolean(false);
    if (f.autoReweigh && uniform4)
      reweigh = e.cmpf(CmpF::OLT, hyp, e.f64(4));
    Value sum = e.f64(0);
    for (size_t i = 0; i < orders(); ++i) {
      Value positive = e.cmpf(CmpF::OGT, p[i], e.f64(0));
      Value w = e.select(reweigh, e.div(e.f64(1), hyp), e.f64(weights[i]));
      Value used =
          e.andi(positive,
                 e.ori(e.cmpi(CmpI::eq, reweigh, e.boolean(false)),
                       e.cmpf(CmpF::OLT, e.f64(static_cast<double>(i)), hyp)));
      Value term = e.mul(w, e.log(e.select(positive, p[i], e.f64(1))));
      sum = e.add(sum, e.select(used, term, e.f64(0)));
    }
    // NLTK returns 0 without unigram matches before it smooths (so before
    // method6 can raise).
    Value score = e.select(invalid, e.f64(std::nan("")), e.mul(bp, e.exp(sum)));
    return e.select(eq0(s.matches[0]), e.f64(0), score);
  }

  Value sacrebleu(const Stats &s) {
    BleuSmoothing method = f.smoothing;
    double value =
        f.smoothValue.value_or(method == BleuSmoothing::add_k ? 1.0 : 0.1);
    bool effective = !f.corpus;
    Value sys = s.hypLength, ref = s.refLength;
    Value bp =
        e.select(e.cmpf(CmpF::OLT, sys, ref),
                 e.select(e.cmpf(CmpF::OGT, sys, e.f64(0)),
                          e.exp(e.sub(e.f64(1), e.div(ref, sys))), e.f64(0)),
                 e.f64(1));
    Value anyCorrect = e.boolean(false);
    for (size_t i = 0; i < orders(); ++i)
      anyCorrect = e.ori(anyCorrect, e.cmpf(CmpF::ONE, s.matches[i], e.f64(0)));

    Value mteval = e.f64(1), stopped = e.boolean(false);
    Value effOrder = e.f64(static_cast<double>(orders()));
    SmallVector<Value> prec;
    for (size_t i = 0; i < orders(); ++i) {
      Value c = s.matches[i], t = s.totals[i];
      if (method == BleuSmoothing::add_k && i > 0) {
        c = e.add(c, e.f64(value));
        t = e.add(t, e.f64(value));
      }
      stopped = e.ori(stopped, eq0(t));
      if (effective)
        effOrder =
            e.select(stopped, effOrder, e.f64(static_cast<double>(i + 1)));
      Value zero = eq0(c);
      Value smoothed = e.f64(0);
      if (method == BleuSmoothing::exp) {
        Value bump = e.andi(zero, e.cmpi(CmpI::eq, stopped, e.boolean(false)));
        mteval = e.select(bump, e.mul(mteval, e.f64(2)), mteval);
        smoothed = e.div(e.f64(100), e.mul(mteval, t));
      } else if (method == BleuSmoothing::floor) {
        smoothed = e.div(e.f64(100 * value), t);
      }
      Value p = e.select(zero, smoothed, e.div(e.mul(e.f64(100), c), t));
      prec.push_back(e.select(stopped, e.f64(0), p));
    }
    Value sum = e.f64(0);
    for (size_t i = 0; i < orders(); ++i) {
      Value myLog = e.select(eq0(prec[i]), e.f64(-9999999999.0),
                             e.log(e.select(eq0(prec[i]), e.f64(1), prec[i])));
      Value inside = e.cmpf(CmpF::OLT, e.f64(static_cast<double>(i)), effOrder);
      sum = e.add(sum, e.select(inside, myLog, e.f64(0)));
    }
    Value score = e.mul(bp, e.exp(e.div(sum, effOrder)));
    return e.select(anyCorrect, score, e.f64(0));
  }

  Emitter &e;
  const BleuFormula &f;
  ArrayRef<double> weights;
};

namespace {

/// The reference length closest to `hypLength` (i64) among sentence b's;
/// ties go to the shorter.
Value closestReference(Emitter &e, Value refs, Value b, Value hypLength) {
  Value R = e.dim(refs, 1);
  auto loop = scf::ForOp::create(
      e.b, e.loc, e.index(0), R, e.index(1), ValueRange{e.i64(-1), e.i64(-1)},
      [&](OpBuilder &nb, Location l, Value r, ValueRange best) {
        Emitter be{nb, l};
        Value len = be.toI64(be.load(refs, {b, r}));
        Value d = be.sub(hypLength, len);
        Value diff = be.select(be.cmpi(CmpI::slt, d, be.i64(0)),
                               be.sub(be.i64(0), d), d);
        Value take = be.ori(be.ori(be.cmpi(CmpI::slt, best[0], be.i64(0)),
                                   be.cmpi(CmpI::slt, diff, best[0])),
                            be.andi(be.cmpi(CmpI::eq, diff, best[0]),
                                    be.cmpi(CmpI::slt, len, best[1])));
        scf::YieldOp::create(nb, l,
                             ValueRange{be.select(take, diff, best[0]),
                                        be.select(take, len, best[1])});
      });
  // No reference at all counts as length 0.
  return e.maxsi(loop.getResult(1), e.i64(0));
}

} // namespace

void BleuFormula::readLastSentence(Emitter &e, const BleuStatistics &stats,
                                   Value b, Stats &s) const {
  s.lastHypLength = e.toF64(e.toI64(e.load(stats.hypLengths, {b})));
  if (!readsOrder5())
    return;
  Value row5 = e.index(weights.size());
  Value totals5 = e.load(stats.totals, {row5, b});
  s.lastMatches5 = e.toF64(e.load(stats.matches, {row5, b}));
  s.lastTotals5 = e.toF64(nltk() ? e.maxsi(totals5, e.i64(1)) : totals5);
}

SmallVector<Value> BleuFormula::corpusTerms(Emitter &e,
                                            const BleuStatistics &stats,
                                            Value b) const {
  size_t N = weights.size();
  SmallVector<Value> terms;
  for (size_t i = 0; i < N; ++i)
    terms.push_back(e.load(stats.matches, {e.index(i), b}));
  for (size_t i = 0; i < N; ++i) {
    Value total = e.load(stats.totals, {e.index(i), b});
    // NLTK divides by max(1, count) per sentence.
    terms.push_back(nltk() ? e.maxsi(total, e.i64(1)) : total);
  }
  Value hyp = e.toI64(e.load(stats.hypLengths, {b}));
  terms.push_back(hyp);
  terms.push_back(closestReference(e, stats.refLengths, b, hyp));
  return terms;
}

SmallVector<Value> BleuFormula::sumCorpusTerms(Emitter &e,
                                               const BleuStatistics &stats,
                                               Value from, Value step) const {
  Value B = e.dim(stats.hypLengths, 0);
  return e.forLoop(from, B, step,
                   SmallVector<Value>(numCorpusTerms(), e.i64(0)),
                   [&](Value b, ValueRange acc) {
                     SmallVector<Value> next = corpusTerms(e, stats, b);
                     for (auto [sum, term] : llvm::zip(acc, next))
                       term = e.add(sum, term);
                     return next;
                   });
}

Value BleuFormula::scoreOf(Emitter &e, const BleuStatistics &stats,
                           ArrayRef<Value> terms, Value last) const {
  size_t N = weights.size();
  Stats s;
  for (size_t i = 0; i < N; ++i) {
    s.matches.push_back(e.toF64(terms[i]));
    s.totals.push_back(e.toF64(terms[N + i]));
  }
  s.hypLength = e.toF64(terms[2 * N]);
  s.refLength = e.toF64(terms[2 * N + 1]);
  readLastSentence(e, stats, last, s);
  return Scorer(e, *this).score(s);
}

Value BleuFormula::sentenceScore(Emitter &e, const BleuStatistics &stats,
                                 Value b) const {
  return scoreOf(e, stats, corpusTerms(e, stats, b), b);
}

Value BleuFormula::corpusScore(Emitter &e, const BleuStatistics &stats,
                               ArrayRef<Value> sums, Value B) const {
  // An empty corpus scores 0 (and has no last sentence to read).
  Value empty = e.cmpi(CmpI::eq, B, e.index(0));
  auto ifEmpty = scf::IfOp::create(e.b, e.loc, TypeRange{e.b.getF64Type()},
                                   empty, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(e.b);
  e.b.setInsertionPointToStart(ifEmpty.thenBlock());
  scf::YieldOp::create(e.b, e.loc, e.f64(0));
  e.b.setInsertionPointToStart(ifEmpty.elseBlock());
  scf::YieldOp::create(e.b, e.loc,
                       scoreOf(e, stats, sums, e.sub(B, e.index(1))));
  return ifEmpty.getResult(0);
}
