//===- BleuFormula.cpp - BLEU's float64 scoring formula as IR -------------===//

#include "BleuFormula.h"

#include <cfloat>
#include <cmath>

using namespace mlir;
using namespace mlir::sdp;

using CmpF = arith::CmpFPredicate;
using CmpI = arith::CmpIPredicate;

/// The statistics one score is computed from, all f64.
struct BleuFormula::Stats {
  OrderStatistic matches; // order i's clipped matches
  OrderStatistic totals;  // NLTK: max(1, ·) per sentence; sacre: raw
  Value hypLength, refLength;
  // The last sentence's, for NLTK's method5 (order 5) and method6.
  Value lastMatches5, lastTotals5, lastHypLength;
};

/// One scf.for over the orders carrying what the references carry from
/// order to order (method3/4's power of two, method5's previous average,
/// method6's last two precisions, sacreBLEU's stop flags) and the weighted
/// log sum.
class BleuFormula::Scorer {
public:
  Scorer(Emitter &e, const BleuFormula &f) : e(e), f(f), weights(f.weights) {}

  Value score(const Stats &s) { return f.nltk() ? nltk(s) : sacrebleu(s); }

private:
  int64_t orders() const { return weights.size(); }
  Value eq0(Value x) { return e.cmpf(CmpF::OEQ, x, e.f64(0)); }
  Value asF64(Value index) { return e.toF64(e.toI64(index)); }
  Value isFalse(Value flag) { return e.cmpi(CmpI::eq, flag, e.boolean(false)); }

  /// Order i's weight: one select per change of weight along the orders
  /// (none for uniform weights).
  Value weightOf(Value i) {
    auto bits = [](double w) { return llvm::bit_cast<uint64_t>(w); };
    Value w = e.f64(weights.back());
    for (int64_t k = orders() - 2; k >= 0; --k)
      if (bits(weights[k]) != bits(weights[k + 1]))
        w = e.select(e.cmpi(CmpI::ule, i, e.index(k)), e.f64(weights[k]), w);
    return w;
  }

  /// Order i's precision after the smoothings that go order by order
  /// (methods 0 to 4, and method4 within method7), and the power of two
  /// (`2 ** incvnt`) that methods 3 and 4 carry to the next order.
  std::pair<Value, Value> smoothed(const Stats &s, Value i, Value pow2,
                                   Value logLen) {
    Value m = s.matches(i), t = s.totals(i);
    Value p = e.div(m, t);
    switch (f.smoothing) {
    case BleuSmoothing::method0:
      p = e.select(eq0(m), e.f64(DBL_MIN), p);
      break;
    case BleuSmoothing::method1:
      p = e.select(eq0(m), e.div(e.f64(0.1), t), p);
      break;
    case BleuSmoothing::method2:
      p = e.select(e.cmpi(CmpI::eq, i, e.index(0)), p,
                   e.div(e.add(m, e.f64(1)), e.add(t, e.f64(1))));
      break;
    case BleuSmoothing::method3: {
      Value zero = eq0(m);
      p = e.select(zero, e.div(e.f64(1), e.mul(pow2, t)), p);
      pow2 = e.select(zero, e.mul(pow2, e.f64(2)), pow2);
      break;
    }
    case BleuSmoothing::method4:
    case BleuSmoothing::method7: {
      Value apply = e.andi(eq0(m), e.cmpf(CmpF::OGT, s.hypLength, e.f64(1)));
      Value numerator = e.div(e.f64(1), e.div(e.mul(pow2, e.f64(5)), logLen));
      p = e.select(apply, e.div(numerator, t), p);
      pow2 = e.select(apply, e.mul(pow2, e.f64(2)), pow2);
      break;
    }
    default:
      break;
    }
    return {p, pow2};
  }

  /// NLTK: the smoothed precision of each order folded into the weighted
  /// log sum. Returns the sum.
  Value nltkLogSum(const Stats &s, Value reweigh) {
    Value hyp = s.hypLength;
    Value logLen = (f.smoothing == BleuSmoothing::method4 ||
                    f.smoothing == BleuSmoothing::method7)
                       ? e.log(hyp)
                       : Value();
    bool averaged = f.smoothing == BleuSmoothing::method5 ||
                    f.smoothing == BleuSmoothing::method7;
    bool interpolated = f.smoothing == BleuSmoothing::method6;
    auto addTerm = [&](Value sum, Value i, Value p) {
      Value positive = e.cmpf(CmpF::OGT, p, e.f64(0));
      Value w = e.select(reweigh, e.div(e.f64(1), hyp), weightOf(i));
      Value used = e.andi(
          positive, e.ori(isFalse(reweigh), e.cmpf(CmpF::OLT, asF64(i), hyp)));
      Value term = e.mul(w, e.log(e.select(positive, p, e.f64(1))));
      return e.add(sum, e.select(used, term, e.f64(0)));
    };
    Value zero = e.f64(0);
    if (averaged) {
      // method5: each precision averaged with the previous average and the
      // next precision (after the last order, the last sentence's 5-gram
      // one), so the loop carries the next order's precision.
      Value p5 = e.div(s.lastMatches5, s.lastTotals5);
      auto [first, pow2] = smoothed(s, e.index(0), e.f64(2), logLen);
      Value last = e.index(orders() - 1);
      return e.forLoop(e.index(0), e.index(orders()), e.index(1),
                       {zero, e.add(first, e.f64(1)), first, pow2},
                       [&](Value i, ValueRange acc) {
                         Value sum = acc[0], previous = acc[1], p = acc[2];
                         Value isLast = e.cmpi(CmpI::eq, i, last);
                         auto [next, nextPow2] = smoothed(
                             s, e.select(isLast, last, e.add(i, e.index(1))),
                             acc[3], logLen);
                         next = e.select(isLast, p5, next);
                         Value average =
                             e.div(e.add(e.add(previous, p), next), e.f64(3));
                         return SmallVector<Value>{addTerm(sum, i, average),
                                                   average, next, nextPow2};
                       })[0];
    }
    SmallVector<Value> inits = {zero, e.f64(2)};
    if (interpolated)
      inits.append({zero, zero}); // the last two precisions
    return e.forLoop(
        e.index(0), e.index(orders()), e.index(1), inits,
        [&](Value i, ValueRange acc) {
          auto [p, pow2] = smoothed(s, i, acc[1], logLen);
          SmallVector<Value> next = {Value(), pow2};
          if (interpolated) {
            // method6 from the third order on: interpolated with the
            // previous two (already interpolated) precisions.
            Value p1 = acc[2], p2 = acc[3];
            Value pi0 = e.select(eq0(p2), e.f64(0), e.div(e.mul(p1, p1), p2));
            Value l = e.sub(s.lastHypLength, asF64(i));
            l = e.select(e.cmpf(CmpF::OGT, l, e.f64(0)), l, e.f64(0));
            Value q = e.div(e.add(s.matches(i), e.mul(e.f64(5), pi0)),
                            e.add(l, e.f64(5)));
            p = e.select(e.cmpi(CmpI::uge, i, e.index(2)), q, p);
            next.append({p, p1});
          }
          next[0] = addTerm(acc[0], i, p);
          return next;
        })[0];
  }

  Value nltk(const Stats &s) {
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
    Value sum = nltkLogSum(s, reweigh);
    // NLTK's method6 asserts p_n[2] (without a third order it raises too).
    Value invalid = e.boolean(false);
    if (f.smoothing == BleuSmoothing::method6)
      invalid = orders() > 2 ? eq0(s.matches(e.index(2))) : e.boolean(true);
    // NLTK returns 0 without unigram matches before it smooths (so before
    // method6 can raise).
    Value score = e.select(invalid, e.f64(std::nan("")), e.mul(bp, e.exp(sum)));
    return e.select(eq0(s.matches(e.index(0))), e.f64(0), score);
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
    // The effective order is the number of orders before the first with no
    // n-grams, or all of them when that is the first; the log sum covers
    // the orders below it.
    Value stopsAtFirst = eq0(s.totals(e.index(0)));
    Value no = e.boolean(false);
    SmallVector<Value> loop = e.forLoop(
        e.index(0), e.index(orders()), e.index(1),
        {e.f64(0), e.f64(1), no, e.f64(static_cast<double>(orders())), no},
        [&](Value i, ValueRange acc) {
          Value sum = acc[0], mteval = acc[1], stopped = acc[2],
                effOrder = acc[3], anyCorrect = acc[4];
          Value c = s.matches(i), t = s.totals(i);
          anyCorrect = e.ori(anyCorrect, e.cmpf(CmpF::ONE, c, e.f64(0)));
          if (method == BleuSmoothing::add_k) {
            Value later = e.cmpi(CmpI::ugt, i, e.index(0));
            c = e.select(later, e.add(c, e.f64(value)), c);
            t = e.select(later, e.add(t, e.f64(value)), t);
          }
          stopped = e.ori(stopped, eq0(t));
          if (effective)
            effOrder = e.select(stopped, effOrder, asF64(e.add(i, e.index(1))));
          Value zero = eq0(c);
          Value smoothedValue = e.f64(0);
          if (method == BleuSmoothing::exp) {
            Value bump = e.andi(zero, isFalse(stopped));
            mteval = e.select(bump, e.mul(mteval, e.f64(2)), mteval);
            smoothedValue = e.div(e.f64(100), e.mul(mteval, t));
          } else if (method == BleuSmoothing::floor) {
            smoothedValue = e.div(e.f64(100 * value), t);
          }
          Value p =
              e.select(zero, smoothedValue, e.div(e.mul(e.f64(100), c), t));
          Value prec = e.select(stopped, e.f64(0), p);
          Value myLog = e.select(eq0(prec), e.f64(-9999999999.0),
                                 e.log(e.select(eq0(prec), e.f64(1), prec)));
          Value inside = e.boolean(true);
          if (effective)
            inside = e.ori(isFalse(stopped), stopsAtFirst);
          sum = e.add(sum, e.select(inside, myLog, e.f64(0)));
          return SmallVector<Value>{sum, mteval, stopped, effOrder, anyCorrect};
        });
    Value score = e.mul(bp, e.exp(e.div(loop[0], loop[3])));
    return e.select(loop[4], score, e.f64(0));
  }

  Emitter &e;
  const BleuFormula &f;
  ArrayRef<double> weights;
};

Value BleuFormula::closestReference(Emitter &e, const BleuStatistics &stats,
                                    Value b, Value hypLength) const {
  // Ties go to the shorter reference.
  Value refs = stats.refLengths;
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

void BleuFormula::sumCorpusTerms(Emitter &e, const BleuStatistics &stats,
                                 Value from, Value step,
                                 function_ref<void(Value, Value)> add) const {
  Value B = e.dim(stats.hypLengths, 0);
  Value N = e.index(weights.size());
  e.loop(N, [&](Value i) {
    SmallVector<Value> sums = e.forLoop(
        from, B, step, {e.i64(0), e.i64(0)}, [&](Value b, ValueRange acc) {
          Value total = e.load(stats.totals, {i, b});
          // NLTK divides by max(1, count) per sentence.
          if (nltk())
            total = e.maxsi(total, e.i64(1));
          return SmallVector<Value>{
              e.add(acc[0], e.load(stats.matches, {i, b})),
              e.add(acc[1], total)};
        });
    add(i, sums[0]);
    add(e.add(N, i), sums[1]);
  });
  SmallVector<Value> lengths = e.forLoop(
      from, B, step, {e.i64(0), e.i64(0)}, [&](Value b, ValueRange acc) {
        Value hyp = e.toI64(e.load(stats.hypLengths, {b}));
        return SmallVector<Value>{
            e.add(acc[0], hyp),
            e.add(acc[1], closestReference(e, stats, b, hyp))};
      });
  add(e.index(2 * weights.size()), lengths[0]);
  add(e.index(2 * weights.size() + 1), lengths[1]);
}

Value BleuFormula::scoreOf(Emitter &e, const BleuStatistics &stats,
                           const OrderStatistic &matches,
                           const OrderStatistic &totals, Value hypLength,
                           Value refLength, Value last) const {
  Stats s{matches, totals, e.toF64(hypLength), e.toF64(refLength), Value(),
          Value(), Value()};
  readLastSentence(e, stats, last, s);
  return Scorer(e, *this).score(s);
}

Value BleuFormula::sentenceScore(Emitter &e, const BleuStatistics &stats,
                                 Value b) const {
  Value hyp = e.toI64(e.load(stats.hypLengths, {b}));
  auto matches = [&, b](Value i) {
    return e.toF64(e.load(stats.matches, {i, b}));
  };
  auto totals = [&, b](Value i) {
    Value total = e.load(stats.totals, {i, b});
    // NLTK divides by max(1, count).
    return e.toF64(nltk() ? e.maxsi(total, e.i64(1)) : total);
  };
  return scoreOf(e, stats, matches, totals, hyp,
                 closestReference(e, stats, b, hyp), b);
}

Value BleuFormula::corpusScore(Emitter &e, const BleuStatistics &stats,
                               Value sums, Value B) const {
  // An empty corpus scores 0 (and has no last sentence to read).
  Value empty = e.cmpi(CmpI::eq, B, e.index(0));
  auto ifEmpty = scf::IfOp::create(e.b, e.loc, TypeRange{e.b.getF64Type()},
                                   empty, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(e.b);
  e.b.setInsertionPointToStart(ifEmpty.thenBlock());
  scf::YieldOp::create(e.b, e.loc, e.f64(0));
  e.b.setInsertionPointToStart(ifEmpty.elseBlock());
  int64_t N = weights.size();
  auto term = [&](Value t) { return e.load(sums, {t}); };
  auto matches = [&](Value i) { return e.toF64(term(i)); };
  auto totals = [&](Value i) { return e.toF64(term(e.add(i, e.index(N)))); };
  scf::YieldOp::create(e.b, e.loc,
                       scoreOf(e, stats, matches, totals, term(e.index(2 * N)),
                               term(e.index(2 * N + 1)), e.sub(B, e.index(1))));
  return ifEmpty.getResult(0);
}
