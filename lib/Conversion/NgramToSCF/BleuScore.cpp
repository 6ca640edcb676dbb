//===- BleuScore.cpp - sdp.bleu_score as float64 scalar code --------------===//
//
// NLTK 3.8 and sacreBLEU 2.x formulas, emitted straight-line per sentence
// (or once over summed statistics): the orders are unrolled, and every data-
// dependent branch of the reference implementations is an arith.select.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/NgramOps.h"

#include <cfloat>

using namespace mlir;
using namespace mlir::sdp;
using mlir::sdp::ngram::Emitter;

namespace {

using CmpF = arith::CmpFPredicate;
using CmpI = arith::CmpIPredicate;

/// The statistics one score is computed from, all f64 except where noted.
struct Stats {
  SmallVector<Value> matches; // per order (N, plus the order-5 row if any)
  SmallVector<Value> totals;  // NLTK: max(1, ·) per sentence; sacre: raw
  Value hypLength, refLength;
  // The last sentence's, for NLTK's method5 (order 5) and method6.
  Value lastMatches5, lastTotals5, lastHypLength;
};

class ScoreEmitter {
public:
  ScoreEmitter(Emitter &e, BleuScoreOp op) : e(e), op(op) {
    for (Attribute w : op.getWeights())
      weights.push_back(cast<FloatAttr>(w).getValueAsDouble());
  }

  Value score(const Stats &s) {
    return op.getCompat() == BleuCompat::nltk ? nltk(s) : sacrebleu(s);
  }

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
    switch (op.getSmoothing()) {
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
    if (op.getAutoReweigh() && uniform4)
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
    BleuSmoothing method = op.getSmoothing();
    double value = op.getSmoothValue()
                       ? op.getSmoothValue()->convertToDouble()
                       : (method == BleuSmoothing::add_k ? 1.0 : 0.1);
    bool effective = !op.getCorpus();
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
  BleuScoreOp op;
  SmallVector<double> weights;
};

struct LowerBleuScore : OpRewritePattern<BleuScoreOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BleuScoreOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    bool nltk = op.getCompat() == BleuCompat::nltk;
    bool withOrder5 = op.getSmoothing() == BleuSmoothing::method5 ||
                      op.getSmoothing() == BleuSmoothing::method7;
    int64_t N = op.getWeights().size();
    Value matches = e.rowsBuffer(op.getMatches());
    Value totals = e.rowsBuffer(op.getTotals());
    Value hyp = e.rowsBuffer(op.getHypLengths());
    Value refs = e.rowsBuffer(op.getRefLengths());
    Value B = e.dim(hyp, 0), R = e.dim(refs, 1);
    auto resultType = cast<RankedTensorType>(op.getScores().getType());
    Value scores = e.alloc(
        resultType, resultType.isDynamicDim(0) ? ValueRange{B} : ValueRange{});
    ScoreEmitter scorer(e, op);

    // Per-sentence statistics of sentence b, as i64 (totals raw).
    auto sentence = [&](Value b) {
      SmallVector<Value> m, t;
      for (int64_t i = 0; i < N + (withOrder5 ? 1 : 0); ++i) {
        m.push_back(e.load(matches, {e.index(i), b}));
        t.push_back(e.load(totals, {e.index(i), b}));
      }
      Value h = e.toI64(e.load(hyp, {b}));
      return std::make_tuple(m, t, h, closestReference(e, refs, R, b, h));
    };
    // NLTK divides by max(1, count) per sentence.
    auto denominator = [&](Value t) { return nltk ? e.maxsi(t, e.i64(1)) : t; };
    auto lastSentence = [&](Stats &s, Value b) {
      s.lastHypLength = e.toF64(e.toI64(e.load(hyp, {b})));
      if (withOrder5) {
        s.lastMatches5 = e.toF64(e.load(matches, {e.index(N), b}));
        s.lastTotals5 = e.toF64(denominator(e.load(totals, {e.index(N), b})));
      }
    };

    if (!op.getCorpus()) {
      e.loop(B, [&](Value b) {
        auto [m, t, h, r] = sentence(b);
        Stats s;
        for (int64_t i = 0; i < N; ++i) {
          s.matches.push_back(e.toF64(m[i]));
          s.totals.push_back(e.toF64(denominator(t[i])));
        }
        s.hypLength = e.toF64(h);
        s.refLength = e.toF64(r);
        lastSentence(s, b);
        e.store(scorer.score(s), scores, {b});
      });
    } else {
      // Sum the statistics over the corpus, then score once.
      SmallVector<Value> inits(2 * N + 2, e.i64(0));
      SmallVector<Value> sums = e.forLoop(
          e.index(0), B, e.index(1), inits, [&](Value b, ValueRange acc) {
            auto [m, t, h, r] = sentence(b);
            SmallVector<Value> next;
            for (int64_t i = 0; i < N; ++i)
              next.push_back(e.add(acc[i], m[i]));
            for (int64_t i = 0; i < N; ++i)
              next.push_back(e.add(acc[N + i], denominator(t[i])));
            next.push_back(e.add(acc[2 * N], h));
            next.push_back(e.add(acc[2 * N + 1], r));
            return next;
          });
      Value empty = e.cmpi(CmpI::eq, B, e.index(0));
      auto ifEmpty = scf::IfOp::create(rewriter, loc,
                                       TypeRange{rewriter.getF64Type()}, empty,
                                       /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard g(rewriter);
        rewriter.setInsertionPointToStart(ifEmpty.thenBlock());
        scf::YieldOp::create(rewriter, loc, e.f64(0));
        rewriter.setInsertionPointToStart(ifEmpty.elseBlock());
        Stats s;
        for (int64_t i = 0; i < N; ++i) {
          s.matches.push_back(e.toF64(sums[i]));
          s.totals.push_back(e.toF64(sums[N + i]));
        }
        s.hypLength = e.toF64(sums[2 * N]);
        s.refLength = e.toF64(sums[2 * N + 1]);
        lastSentence(s, e.sub(B, e.index(1)));
        scf::YieldOp::create(rewriter, loc, scorer.score(s));
      }
      e.store(ifEmpty.getResult(0), scores, {e.index(0)});
    }
    rewriter.replaceOp(op, e.tensorOf(scores, resultType));
    return success();
  }

private:
  /// The reference length closest to `hypLength`; ties go to the shorter.
  static Value closestReference(Emitter &e, Value refs, Value R, Value b,
                                Value hypLength) {
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
};

} // namespace

void mlir::sdp::ngram::populateBleuScoreLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerBleuScore>(patterns.getContext());
}
