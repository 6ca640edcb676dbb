//===- DecomposeLinearChain.cpp - sdp.linear_chain into the core ----------===//
//
// alpha_0 = start ⊗ emissions[:, 0]
// alpha_t = ⊕_k alpha_{t-1}[b,k] ⊗ trans(b,t,k,c) ⊗ emissions[b,t,c]
//           (kept as alpha_{t-1} once t reaches lengths[b])
// score   = ⊕_c alpha_{T-1}[b,c] ⊗ end[c]
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include "CoreBuilders.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Transforms/Passes.h"
#include <functional>

namespace mlir::sdp {
#define GEN_PASS_DEF_DECOMPOSENAMEDOPSPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

/// Builds the decomposition of one linear_chain op. All intermediate tensors
/// have dynamic shapes so that scan carries and yields agree by construction.
class LinearChainBuilder {
public:
  LinearChainBuilder(PatternRewriter &rewriter, LinearChainOp op,
                     int64_t batchMinorLabels)
      : b(rewriter), loc(op.getLoc()), op(op), semiring(op.getSemiring()),
        batchMinorLabels(batchMinorLabels) {
    elementType = getElementTypeOrSelf(op.getEmissions().getType());
    emissions = castDynamic(op.getEmissions());
    transitions = castDynamic(op.getTransitions());
    start = castDynamic(op.getStart());
    end = castDynamic(op.getEnd());
    lengths = castDynamic(op.getLengths());
    c0 = arith::ConstantIndexOp::create(b, loc, 0);
    c1 = arith::ConstantIndexOp::create(b, loc, 1);
    batch = tensor::DimOp::create(b, loc, emissions, 0);
    steps = tensor::DimOp::create(b, loc, emissions, 1);
    labels = tensor::DimOp::create(b, loc, emissions, 2);
  }

  SmallVector<Value> build() {
    Value first = extractSlice(emissions, {zero(), zero(), zero()},
                               {batch, one(), labels},
                               /*droppedDim=*/1);
    Value alpha0 = contract("c,bc->bc", {start, first}, type({kDyn, kDyn}));
    Value restLen = arith::SubIOp::create(b, loc, steps, c1);
    Value rest = extractSlice(emissions, {zero(), one(), zero()},
                              {batch, restLen, labels}, std::nullopt);

    bool exploitReal = semiring.admitsExpShiftedReduction() &&
                       !op.hasFullPotentials() && !op.getPath();
    if (op.getPath()) {
      SmallVector<Value> results = buildViterbi(alpha0, rest);
      results[0] = flagNaN(results[0]);
      return results;
    }
    Value score = exploitReal ? buildGuardedRealScore(alpha0, rest)
                              : scoreOf(buildForward(alpha0, rest));
    return {semiring.isSelective() ? flagNaN(score) : score};
  }

private:
  /// A selective ⊕ is IEEE maxNum/minNum: it drops NaN terms, and a NaN
  /// score would yield a plausible best path and a finite score. The score
  /// of a sequence with a NaN among the scores it reads (emissions and
  /// edges inside its length, transitions, start, end) is NaN instead: one
  /// pass over the inputs, next to the C-fold work of the recursion.
  Value flagNaN(Value score) {
    StructureBuilder shared(b, loc, semiring, elementType);
    // Position `dim` + `shift` < lengths[b] (args[1]).
    auto insideLength = [](unsigned dim, int64_t shift) {
      return [=](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value t = arith::IndexCastOp::create(
            nb, l, nb.getI32Type(),
            arith::AddIOp::create(
                nb, l, linalg::IndexOp::create(nb, l, dim),
                arith::ConstantIndexOp::create(nb, l, shift)));
        return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, t,
                                     args[1]);
      };
    };
    SmallVector<Value> flags{shared.nanFlags(emissions, "btc->b", {lengths},
                                             {"b"}, insideLength(1, 0))};
    if (op.hasFullPotentials())
      flags.push_back(shared.nanFlags(transitions, "btkc->b", {lengths}, {"b"},
                                      insideLength(1, 1)));
    flags.push_back(shared.nanFlags(start, "c->"));
    flags.push_back(shared.nanFlags(end, "c->"));
    if (!op.hasFullPotentials())
      flags.push_back(shared.nanFlags(transitions, "kc->"));
    return shared.flagNaN(score, flags);
  }

  //===--------------------------------------------------------------------===//
  // Forward recursions
  //===--------------------------------------------------------------------===//

  /// The sequences a step sees: emissions, then edges for full potentials.
  SmallVector<Value> stepSequences(Value rest) {
    SmallVector<Value> sequences{rest};
    if (op.hasFullPotentials())
      sequences.push_back(transitions);
    return sequences;
  }

  /// One step's ⊕_k prev ⊗ trans ⊗ emit, optionally with the argmax k.
  SmallVector<Value> stepContraction(Value prev, Value emit, Value edge,
                                     bool withWitness) {
    Type witness = withWitness ? type({kDyn, kDyn}, b.getI32Type()) : Type();
    if (edge)
      return contractAll("bk,bkc,bc->bc", {prev, edge, emit},
                         type({kDyn, kDyn}), witness);
    return contractAll("bk,kc,bc->bc", {prev, transitions, emit},
                       type({kDyn, kDyn}), witness);
  }

  Value buildForward(Value alpha0, Value rest) {
    SmallVector<Value> sequences = stepSequences(rest);
    auto scan = createScan({alpha0}, sequences, /*reverse=*/false);
    Block &body = scan.getBody().front();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&body);
    Value t = body.getArgument(0), prev = body.getArgument(1);
    Value emit = body.getArgument(2);
    Value edge = op.hasFullPotentials() ? body.getArgument(3) : Value();
    Value next = stepContraction(prev, emit, edge, false).front();
    YieldOp::create(b, loc, ValueRange{keepFinished(t, next, prev)});
    return scan.getResult(0);
  }

  /// ⊕_c alpha[b, c] ⊗ end[c]: the score of a log-space forward state.
  Value scoreOf(Value alpha) {
    return contract("bc,c->b", {alpha, end}, type({kDyn}));
  }

  /// The cheapest real-arithmetic form that is exact for these scores, else
  /// the log-space one. Three tiers, chosen at run time:
  ///  1. the scaled real form (buildScaledRealScore) while the spread of the
  ///     finite transitions plus the widest spread of one sequence's
  ///     emissions stays inside the normal range (75 nats in f32, 600 in
  ///     f64);
  ///  2. the exp-shifted real form (buildRealForward): per step it
  ///     multiplies exp(alpha - row max) by exp(transitions - column max);
  ///     the term that dominates column c is at least exp(-2 r_c) of both
  ///     maxima, with r_c the spread of column c's finite transitions, so
  ///     while 2 r_c stays well inside the normal range (r_c <= 40 in f32,
  ///     300 in f64) no term that matters underflows;
  ///  3. the log-space contraction, exact for any finite scores (wider
  ///     columns: a rare, run-time property).
  Value buildGuardedRealScore(Value alpha0, Value rest) {
    MLIRContext *ctx = b.getContext();
    auto floatType = cast<FloatType>(elementType);
    auto maxSemiring = MaxSemiringAttr::get(ctx);
    auto minSemiring = MinSemiringAttr::get(ctx);
    Value colMax =
        noGradientContract("kc->c", {transitions}, type({kDyn}), maxSemiring);
    Value finiteOrInf = elementwise(
        {transitions}, {"kc"}, type({kDyn, kDyn}),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value negInf =
              constantFloat(nb, l,
                            APFloat::getInf(floatType.getFloatSemantics(),
                                            /*Negative=*/true));
          Value posInf = constantFloat(
              nb, l, APFloat::getInf(floatType.getFloatSemantics()));
          Value isNegInf = arith::CmpFOp::create(
              nb, l, arith::CmpFPredicate::OEQ, args[0], negInf);
          return arith::SelectOp::create(nb, l, isNegInf, posInf, args[0])
              .getResult();
        });
    Value colMin =
        noGradientContract("kc->c", {finiteOrInf}, type({kDyn}), minSemiring);
    Value spread = difference(colMax, colMin);
    Value widest =
        scalarOf(noGradientContract("c->", {spread}, type({}), maxSemiring));
    bool wide = floatType.getWidth() >= 64;
    Value columnsExact = atMostConstant(widest, wide ? 300.0 : 40.0);

    // The shifts of the scaled form: their derivatives cancel (see
    // expShifted), so they are sdp.no_gradient.
    Value transMax =
        scalarOf(noGradientContract("c->", {colMax}, type({}), maxSemiring));
    Value transMin =
        scalarOf(noGradientContract("c->", {colMin}, type({}), minSemiring));
    // Per sequence, so that a sequence's score does not depend on the
    // others in its batch (nor on how a call splits the batch).
    // One row of T·C scores per sequence: a row reduction vectorises along
    // it, where "btc->b" would reduce two loops. All of `emissions`, not
    // just `rest`, so that the rows stay contiguous (no copy).
    Value rows = tensor::CollapseShapeOp::create(
        b, loc, type({kDyn, kDyn}), emissions,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}});
    Value emitMax =
        noGradientContract("bx->b", {rows}, type({kDyn}), maxSemiring);
    Value emitMin =
        noGradientContract("bx->b", {rows}, type({kDyn}), minSemiring);
    Value emitSpread = difference(emitMax, emitMin);
    Value widestEmissions = scalarOf(
        noGradientContract("b->", {emitSpread}, type({}), maxSemiring));
    Value totalSpread = arith::AddFOp::create(
        b, loc, arith::SubFOp::create(b, loc, transMax, transMin),
        widestEmissions);
    Value scaledExact = atMostConstant(totalSpread, wide ? 600.0 : 75.0);
    Value transShift = finiteScalar(transMax);
    Value emitShift = finiteShift(emitMax);

    RankedTensorType scoreType = type({kDyn});
    auto outer = scf::IfOp::create(b, loc, TypeRange{scoreType}, scaledExact,
                                   /*addThenBlock=*/true,
                                   /*addElseBlock=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(outer.thenBlock());
    scf::YieldOp::create(b, loc, inLayout([&](bool labelMajor) {
                           return buildScaledRealScore(alpha0, rest, emitShift,
                                                       transShift, labelMajor);
                         }));
    b.setInsertionPointToStart(outer.elseBlock());
    auto inner = scf::IfOp::create(b, loc, TypeRange{scoreType}, columnsExact,
                                   /*addThenBlock=*/true,
                                   /*addElseBlock=*/true);
    scf::YieldOp::create(b, loc, inner.getResult(0));
    b.setInsertionPointToStart(inner.thenBlock());
    scf::YieldOp::create(
        b, loc, inLayout([&](bool labelMajor) {
          return scoreOf(labelMajor ? buildBatchMinorRealForward(alpha0, rest)
                                    : buildRealForward(alpha0, rest));
        }));
    b.setInsertionPointToStart(inner.elseBlock());
    scf::YieldOp::create(b, loc, scoreOf(buildForward(alpha0, rest)));
    return outer.getResult(0);
  }

  /// A reduction marked sdp.no_gradient, so that an adjoint neither records
  /// its witnesses nor routes cotangents through it: a guard's (its result
  /// is only compared) or a shift's (its derivative cancels).
  Value noGradientContract(StringRef spec, ValueRange inputs,
                           RankedTensorType resultType,
                           SemiringAttrInterface sr) {
    Value result = contract(spec, inputs, resultType, sr);
    SdpDialect::NoGradientAttrHelper(b.getContext())
        .setAttr(result.getDefiningOp(), b.getUnitAttr());
    return result;
  }

  /// exp(args[0] - args[1]): the body of every exp-shifted tensor here.
  static Value expOfDifference(OpBuilder &nb, Location l, ValueRange args) {
    Value d = arith::SubFOp::create(nb, l, args[0], args[1]);
    return math::ExpOp::create(nb, l, d).getResult();
  }

  /// x - y for rank-1 x and y.
  Value difference(Value x, Value y) {
    return elementwise(
        {x, y}, {"i", "i"}, type({kDyn}),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          return arith::SubFOp::create(nb, l, args[0], args[1]).getResult();
        });
  }

  Value scalarOf(Value rank0) {
    return tensor::ExtractOp::create(b, loc, rank0, ValueRange{});
  }

  /// `x <= bound` (false for NaN).
  Value atMostConstant(Value x, double bound) {
    return arith::CmpFOp::create(
        b, loc, arith::CmpFPredicate::OLE, x,
        arith::ConstantOp::create(b, loc, elementType,
                                  b.getFloatAttr(elementType, bound)));
  }

  /// The scalar `x`, or 0 where it is infinite (see finiteShift).
  Value finiteScalar(Value x) {
    Value magnitude = math::AbsFOp::create(b, loc, x);
    Value inf = constantFloat(
        b, loc,
        APFloat::getInf(cast<FloatType>(elementType).getFloatSemantics()));
    Value infinite = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                           magnitude, inf);
    return arith::SelectOp::create(b, loc, infinite,
                                   constantDouble(b, loc, 0.0), x);
  }

  Value constantDouble(OpBuilder &nb, Location l, double value) {
    return arith::ConstantOp::create(nb, l, elementType,
                                     nb.getFloatAttr(elementType, value));
  }

  Value constantFloat(OpBuilder &nb, Location l, const APFloat &value) {
    return arith::ConstantOp::create(nb, l, elementType,
                                     nb.getFloatAttr(elementType, value));
  }

  /// Log semiring, factored potentials: each step is a real matrix product of
  /// exp(alpha - max alpha) with P = exp(transitions - column max).
  Value buildRealForward(Value alpha0, Value rest) {
    // The shift is the max over the dimension that is summed out: per column
    // for the transitions, per row (sequence) for alpha.
    auto [colShift, probs] = expShifted(transitions, "kc->c", "kc", "c");
    return buildRealScan(alpha0, rest, colShift, probs, /*labelMajor=*/false);
  }

  /// The scan of the real-arithmetic form over `sequence` (the emissions
  /// after position 0), from `init`. The state is [B, C], or [C, B] with
  /// `labelMajor` (and `sequence` then [C, T-1, B]).
  Value buildRealScan(Value init, Value sequence, Value colShift, Value probs,
                      bool labelMajor) {
    StringRef state = labelMajor ? "cb" : "bc";
    StringRef prevState = labelMajor ? "kb" : "bk";
    auto scan = createScan({init}, {sequence}, /*reverse=*/false);
    Block &body = scan.getBody().front();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&body);
    Value t = body.getArgument(0), prev = body.getArgument(1);
    Value emit = body.getArgument(2);
    auto [rowShift, scaled] =
        expShifted(prev, labelMajor ? "kb->b" : "bk->b", prevState, "b");
    Value sums =
        contract(labelMajor ? "kb,kc->cb" : "bk,kc->bc", {scaled, probs},
                 type({kDyn, kDyn}), RealSemiringAttr::get(b.getContext()));
    auto active = activeFlag(t);
    Value next =
        elementwise({sums, rowShift, colShift, emit, prev, lengths},
                    {state, "b", "c", state, state, "b"}, type({kDyn, kDyn}),
                    [&](OpBuilder &nb, Location l, ValueRange args) {
                      Value v = math::LogOp::create(nb, l, args[0]);
                      v = arith::AddFOp::create(nb, l, v, args[1]);
                      v = arith::AddFOp::create(nb, l, v, args[2]);
                      v = arith::AddFOp::create(nb, l, v, args[3]);
                      return arith::SelectOp::create(
                                 nb, l, active(nb, l, args[5]), v, args[4])
                          .getResult();
                    });
    YieldOp::create(b, loc, ValueRange{next});
    return scan.getResult(0);
  }

  /// `build(labelMajor)`, a [B] score, in the layout that fills vectors:
  /// with `batchMinorLabels` = N > 0, a run-time choice of the label-major
  /// form for fewer than N labels (where vectors of N lanes along the labels
  /// would be mostly empty) and either at least N sequences, or at least N/2
  /// sequences of at most N/2 labels (measured: a partial vector across the
  /// batch pays for masked loads and stores in every op of a step, which
  /// only the smallest tag sets make up for); else the batch-major one.
  Value inLayout(llvm::function_ref<Value(bool labelMajor)> build) {
    if (batchMinorLabels <= 0)
      return build(false);
    auto atLeast = [&](Value size, int64_t bound) -> Value {
      return arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::uge, size,
          arith::ConstantIndexOp::create(b, loc, bound));
    };
    auto atMost = [&](Value size, int64_t bound) -> Value {
      return arith::CmpIOp::create(
          b, loc, arith::CmpIPredicate::ule, size,
          arith::ConstantIndexOp::create(b, loc, bound));
    };
    int64_t half = (batchMinorLabels + 1) / 2;
    Value fewLabels = atMost(labels, batchMinorLabels - 1);
    Value fullBatch = atLeast(batch, batchMinorLabels);
    Value halfBatch = atLeast(batch, half);
    Value veryFewLabels = atMost(labels, half);
    Value smallEnough = arith::AndIOp::create(b, loc, veryFewLabels, halfBatch);
    Value wideEnough = arith::OrIOp::create(b, loc, fullBatch, smallEnough);
    Value batchMinor = arith::AndIOp::create(b, loc, fewLabels, wideEnough);
    auto ifOp = scf::IfOp::create(b, loc, TypeRange{type({kDyn})}, batchMinor,
                                  /*addThenBlock=*/true,
                                  /*addElseBlock=*/true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    scf::YieldOp::create(b, loc, build(true));
    b.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(b, loc, build(false));
    return ifOp.getResult(0);
  }

  /// Log semiring, factored potentials, with the state in real arithmetic:
  /// alpha[b, c] = scale[b] + log state[b, c], the state renormalised every
  /// step so that its row maximum is 1. A step is one real matrix product
  /// with P = exp(transitions - max transition), a product with
  /// exp(emissions - the sequence's max emission) and a division by the
  /// row maximum; the
  /// only logarithm is one per sequence (of the row maximum), where the
  /// exp-shifted form (buildRealScan) takes an exp and a log per element.
  /// The score is scale + log Σ_c state[b, c] exp(end[c]).
  ///
  /// Exactness: after renormalisation the best state is 1, so the sum
  /// Σ_k state[k] P[k, c] of a label c that the best one reaches is at least
  /// exp(-transition spread), and times exp(emission - max emission) at
  /// least exp(-total spread); the caller admits this form only while that
  /// stays inside the normal range, so no term that matters underflows
  /// (terms dropped are as small as those the exp-shifted form drops).
  ///
  /// The exp of the emissions is taken in one pass before the scan (the
  /// adjoint reads it back instead of recomputing it per step). Label-major
  /// (see inLayout), the state is [C, B] and that pass also transposes the
  /// emissions, [B, T-1, C] to [C, T-1, B].
  Value buildScaledRealScore(Value alpha0, Value rest, Value emitShift,
                             Value transShift, bool labelMajor) {
    MLIRContext *ctx = b.getContext();
    auto real = RealSemiringAttr::get(ctx);
    StringRef state = labelMajor ? "cb" : "bc";
    Value probs =
        elementwise({transitions}, {"kc"}, type({kDyn, kDyn}),
                    [&](OpBuilder &nb, Location l, ValueRange args) {
                      return expOfDifference(nb, l, {args[0], transShift});
                    });
    Value init = labelMajor
                     ? contract("bc->cb", {alpha0}, type({kDyn, kDyn}), real)
                     : alpha0;
    auto [scale0, state0] =
        expShifted(init, labelMajor ? "cb->b" : "bc->b", state, "b");
    Value sequence =
        labelMajor ? expByLabel(rest, emitShift)
                   : elementwise({rest, emitShift}, {"btc", "b"},
                                 type({kDyn, kDyn, kDyn}), expOfDifference);

    // What a step takes out of its state besides the row maximum.
    Value stepShift = elementwise(
        {emitShift}, {"b"}, type({kDyn}),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          return arith::AddFOp::create(nb, l, args[0], transShift).getResult();
        });
    auto scan = createScan({state0, scale0}, {sequence}, /*reverse=*/false);
    {
      Block &body = scan.getBody().front();
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&body);
      Value t = body.getArgument(0), prev = body.getArgument(1);
      Value scale = body.getArgument(2), emit = body.getArgument(3);
      Value sums = contract(labelMajor ? "kb,kc->cb" : "bk,kc->bc",
                            {prev, probs}, type({kDyn, kDyn}), real);
      Value weighted = elementwise(
          {sums, emit}, {state, state}, type({kDyn, kDyn}),
          [&](OpBuilder &nb, Location l, ValueRange args) {
            return arith::MulFOp::create(nb, l, args[0], args[1]).getResult();
          });
      // Renormalising leaves scale + log state unchanged, whatever the
      // divisor: no gradient through it (as for expShifted's shift).
      Value rowMax =
          noGradientContract(labelMajor ? "cb->b" : "bc->b", {weighted},
                             type({kDyn}), MaxSemiringAttr::get(ctx));
      // A row of zeros (no path reaches any label) stays zero, scale -inf.
      Value inverse = elementwise(
          {rowMax}, {"b"}, type({kDyn}),
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value one = constantDouble(nb, l, 1.0);
            Value positive =
                arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, args[0],
                                      constantDouble(nb, l, 0.0));
            Value inv = arith::DivFOp::create(nb, l, one, args[0]);
            return arith::SelectOp::create(nb, l, positive, inv, one)
                .getResult();
          });
      auto active = activeFlag(t);
      Value next = elementwise(
          {weighted, inverse, prev, lengths}, {state, "b", state, "b"},
          type({kDyn, kDyn}), [&](OpBuilder &nb, Location l, ValueRange args) {
            Value v = arith::MulFOp::create(nb, l, args[0], args[1]);
            return arith::SelectOp::create(nb, l, active(nb, l, args[3]), v,
                                           args[2])
                .getResult();
          });
      Value nextScale = elementwise(
          {scale, rowMax, stepShift, lengths}, {"b", "b", "b", "b"},
          type({kDyn}), [&](OpBuilder &nb, Location l, ValueRange args) {
            Value v = math::LogOp::create(nb, l, args[1]);
            v = arith::AddFOp::create(nb, l, v, args[2]);
            v = arith::AddFOp::create(nb, l, args[0], v);
            return arith::SelectOp::create(nb, l, active(nb, l, args[3]), v,
                                           args[0])
                .getResult();
          });
      YieldOp::create(b, loc, ValueRange{next, nextScale});
    }
    Value last = scan.getResult(0), lastScale = scan.getResult(1);

    // scale + end max + log Σ_c state[b, c] exp(end[c] - end max).
    Value endMax = scalarOf(
        noGradientContract("c->", {end}, type({}), MaxSemiringAttr::get(ctx)));
    Value endShift = finiteScalar(endMax);
    Value endProbs =
        elementwise({end}, {"c"}, type({kDyn}),
                    [&](OpBuilder &nb, Location l, ValueRange args) {
                      return expOfDifference(nb, l, {args[0], endShift});
                    });
    // Batch-major in both layouts, so that the sum runs in the same order
    // and a sequence's score does not depend on the layout its batch took.
    if (labelMajor)
      last = contract("cb->bc", {last}, type({kDyn, kDyn}), real);
    Value total = contract("bc,c->b", {last, endProbs}, type({kDyn}), real);
    return elementwise(
        {total, lastScale}, {"b", "b"}, type({kDyn}),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value v = math::LogOp::create(nb, l, args[0]);
          v = arith::AddFOp::create(nb, l, v, args[1]);
          return arith::AddFOp::create(nb, l, v, endShift).getResult();
        });
  }

  /// exp(x[b, t, c] - shift[b]) as a [C, T, B] tensor: the transposition
  /// and the exp in one pass.
  Value expByLabel(Value x, Value shift) {
    Value sizes[] = {tensor::DimOp::create(b, loc, x, 2),
                     tensor::DimOp::create(b, loc, x, 1),
                     tensor::DimOp::create(b, loc, x, 0)};
    RankedTensorType resultType = type({kDyn, kDyn, kDyn});
    Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                         elementType, sizes);
    MLIRContext *ctx = b.getContext();
    AffineExpr c, t, bb;
    bindDims(ctx, c, t, bb);
    SmallVector<AffineMap> maps{AffineMap::get(3, 0, {bb, t, c}, ctx),
                                AffineMap::get(3, 0, {bb}, ctx),
                                b.getMultiDimIdentityMap(3)};
    SmallVector<utils::IteratorType> parallel(3, utils::IteratorType::parallel);
    return linalg::GenericOp::create(
               b, loc, resultType, ValueRange{x, shift}, init, maps, parallel,
               [&](OpBuilder &nb, Location l, ValueRange args) {
                 linalg::YieldOp::create(nb, l, expOfDifference(nb, l, args));
               })
        .getResult(0);
  }

  /// buildRealForward with the carried state kept label-major, [C, B], so
  /// that vectors run across the batch: the row maximum becomes a lane-wise
  /// max of C vectors (no horizontal reduction), the product broadcasts one
  /// P[k, c] per vector of B sequences, and a small tag set (C = 9) fills
  /// whole vectors instead of 9 lanes of 16. The emissions are transposed
  /// once, [B, T-1, C] to [C, T-1, B], so each step reads its slice with
  /// unit stride; the final state is transposed back.
  Value buildBatchMinorRealForward(Value alpha0, Value rest) {
    MLIRContext *ctx = b.getContext();
    auto real = RealSemiringAttr::get(ctx);
    auto [colShift, probs] = expShifted(transitions, "kc->c", "kc", "c");
    Value restByLabel =
        contract("btc->ctb", {rest}, type({kDyn, kDyn, kDyn}), real);
    Value alpha0ByLabel =
        contract("bc->cb", {alpha0}, type({kDyn, kDyn}), real);

    Value alpha = buildRealScan(alpha0ByLabel, restByLabel, colShift, probs,
                                /*labelMajor=*/true);
    return contract("cb->bc", {alpha}, type({kDyn, kDyn}), real);
  }

  //===--------------------------------------------------------------------===//
  // Viterbi: backpointers, then a reverse scan following them
  //===--------------------------------------------------------------------===//

  SmallVector<Value> buildViterbi(Value alpha0, Value rest) {
    Type i32 = b.getI32Type();
    Value backpointers =
        tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{kDyn, kDyn, kDyn},
                                i32, ValueRange{batch, steps, labels});
    SmallVector<Value> sequences = stepSequences(rest);
    auto forward =
        createScan({alpha0, backpointers}, sequences, /*reverse=*/false);
    {
      Block &body = forward.getBody().front();
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&body);
      Value t = body.getArgument(0), prev = body.getArgument(1);
      Value bps = body.getArgument(2), emit = body.getArgument(3);
      Value edge = op.hasFullPotentials() ? body.getArgument(4) : Value();
      SmallVector<Value> step = stepContraction(prev, emit, edge, true);
      Value next = keepFinished(t, step[0], prev);
      // A finished sequence points each label at itself, so backtracking
      // passes through unchanged until its last real position.
      auto active = activeFlag(t);
      Value bp = elementwise(
          {step[1], lengths}, {"bc", "b"}, type({kDyn, kDyn}, i32),
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value self = arith::IndexCastOp::create(
                nb, l, nb.getI32Type(), linalg::IndexOp::create(nb, l, 1));
            return arith::SelectOp::create(nb, l, active(nb, l, args[1]),
                                           args[0], self)
                .getResult();
          });
      Value position = arith::AddIOp::create(b, loc, t, c1);
      bps = tensor::InsertSliceOp::create(
          b, loc, bp, bps, ArrayRef<OpFoldResult>{zero(), position, zero()},
          ArrayRef<OpFoldResult>{batch, one(), labels},
          ArrayRef<OpFoldResult>{one(), one(), one()});
      YieldOp::create(b, loc, ValueRange{next, bps});
    }
    Value alpha = forward.getResult(0);
    SmallVector<Value> best =
        contractAll("bc,c->b", {alpha, end}, type({kDyn}), type({kDyn}, i32));

    // Walk back from the last position: record the label, then follow its
    // backpointer. Positions at or beyond a sequence's length record -1.
    Value minusOne = arith::ConstantIntOp::create(b, loc, i32, -1);
    Value path =
        linalg::FillOp::create(
            b, loc, minusOne,
            tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{kDyn, kDyn}, i32,
                                    ValueRange{batch, steps})
                .getResult())
            .getResult(0);
    Value restLen = arith::SubIOp::create(b, loc, steps, c1);
    Value laterBps = extractSlice(forward.getResult(1), {zero(), one(), zero()},
                                  {batch, restLen, labels}, std::nullopt);
    auto backward = createScan({best[1], path}, {laterBps}, /*reverse=*/true);
    {
      Block &body = backward.getBody().front();
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&body);
      Value t = body.getArgument(0), label = body.getArgument(1);
      Value labels = body.getArgument(2), bp = body.getArgument(3);
      Value position = arith::AddIOp::create(b, loc, t, c1);
      Value position32 = arith::IndexCastOp::create(b, loc, i32, position);
      Value column = elementwise(
          {label, lengths}, {"b", "b"}, type({kDyn}, i32),
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value inside = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::slt, position32, args[1]);
            return arith::SelectOp::create(nb, l, inside, args[0], minusOne)
                .getResult();
          });
      labels = insertColumn(column, labels, position);
      Value previous = elementwise(
          {label}, {"b"}, type({kDyn}, i32),
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value row = linalg::IndexOp::create(nb, l, 0);
            Value col =
                arith::IndexCastOp::create(nb, l, nb.getIndexType(), args[0]);
            return tensor::ExtractOp::create(nb, l, bp, ValueRange{row, col})
                .getResult();
          });
      YieldOp::create(b, loc, ValueRange{previous, labels});
    }
    // Position 0 is inside every sequence (lengths are at least 1).
    Value fullPath =
        insertColumn(backward.getResult(0), backward.getResult(1), c0);
    return {best[0], castTo(fullPath, op.getPath().getType())};
  }

  //===--------------------------------------------------------------------===//
  // Helpers
  //===--------------------------------------------------------------------===//

  /// Returns a builder of `t + 1 < lengths[b]`: step t of the scan computes
  /// position t + 1, which exists only inside the sequence.
  std::function<Value(OpBuilder &, Location, Value)> activeFlag(Value t) {
    Value position = arith::IndexCastOp::create(
        b, loc, b.getI32Type(), arith::AddIOp::create(b, loc, t, c1));
    return [position](OpBuilder &nb, Location l, Value length) -> Value {
      return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, position,
                                   length);
    };
  }

  Value keepFinished(Value t, Value next, Value prev) {
    auto active = activeFlag(t);
    return elementwise(
        {next, prev, lengths}, {"bc", "bc", "b"}, type({kDyn, kDyn}),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          return arith::SelectOp::create(nb, l, active(nb, l, args[2]), args[0],
                                         args[1])
              .getResult();
        });
  }

  /// Returns {shift, exp(x - shift)} for a rank-2 `x`, with shift the
  /// finite max of x reduced by `maxSpec` (marked sdp.no_gradient);
  /// `xLetters`/`shiftLetters` index x and the shift.
  std::pair<Value, Value> expShifted(Value x, StringRef maxSpec,
                                     StringRef xLetters,
                                     StringRef shiftLetters) {
    Value max = contract(maxSpec, {x}, type({kDyn}),
                         MaxSemiringAttr::get(b.getContext()));
    // log Σ exp(x - shift)·w + shift does not depend on the shift: its
    // derivative cancels exactly, so the adjoint treats it as a constant
    // (no witness to record, no cotangent to route back through the max).
    SdpDialect::NoGradientAttrHelper(b.getContext())
        .setAttr(max.getDefiningOp(), b.getUnitAttr());
    Value shift = finiteShift(max);
    Value scaled = elementwise({x, shift}, {xLetters, shiftLetters},
                               type({kDyn, kDyn}), expOfDifference);
    return {shift, scaled};
  }

  /// x, or 0 where x is infinite, so that exp(v - shift) never sees
  /// inf - inf: a +inf shift (a +inf term, or one that overflowed) then
  /// gives exp(+inf) = +inf and the sum stays +inf instead of NaN.
  Value finiteShift(Value x) {
    auto floatType = cast<FloatType>(elementType);
    return elementwise(
        {x}, {"i"}, type({kDyn}),
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value negInf = arith::ConstantOp::create(
              nb, l, elementType,
              nb.getFloatAttr(elementType,
                              APFloat::getInf(floatType.getFloatSemantics(),
                                              /*Negative=*/true)));
          Value zero = arith::ConstantOp::create(
              nb, l, elementType, nb.getFloatAttr(elementType, 0.0));
          Value isNegInf = arith::CmpFOp::create(
              nb, l, arith::CmpFPredicate::OEQ, args[0], negInf);
          Value isPosInf =
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, args[0],
                                    arith::NegFOp::create(nb, l, negInf));
          Value infinite = arith::OrIOp::create(nb, l, isNegInf, isPosInf);
          return arith::SelectOp::create(nb, l, infinite, zero, args[0])
              .getResult();
        });
  }

  Value elementwise(
      ValueRange inputs, ArrayRef<StringRef> letters,
      RankedTensorType resultType,
      llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    return buildElementwise(b, loc, inputs, letters, resultType, body);
  }

  SmallVector<Value> contractAll(StringRef spec, ValueRange inputs,
                                 RankedTensorType resultType, Type witness,
                                 SemiringAttrInterface sr = {}) {
    SmallVector<Type> types{resultType};
    if (witness)
      types.push_back(witness);
    auto contraction =
        ContractOp::create(b, loc, types, inputs,
                           {b.getNamedAttr("spec", b.getStringAttr(spec)),
                            b.getNamedAttr("semiring", sr ? sr : semiring)});
    return SmallVector<Value>(contraction->getResults());
  }

  Value contract(StringRef spec, ValueRange inputs, RankedTensorType resultType,
                 SemiringAttrInterface sr = {}) {
    return contractAll(spec, inputs, resultType, Type(), sr).front();
  }

  ScanOp createScan(ValueRange inits, ValueRange sequences, bool reverse) {
    return ScanOp::create(b, loc, inits, sequences, /*along=*/1, reverse);
  }

  /// Extracts a slice; `droppedDim` (of size 1) is removed from the result.
  Value extractSlice(Value source, ArrayRef<OpFoldResult> offsets,
                     ArrayRef<OpFoldResult> sizes,
                     std::optional<unsigned> droppedDim) {
    SmallVector<int64_t> shape(sizes.size(), kDyn);
    if (droppedDim)
      shape.erase(shape.begin() + *droppedDim);
    SmallVector<OpFoldResult> strides(sizes.size(), one());
    return tensor::ExtractSliceOp::create(
        b, loc, type(shape, getElementTypeOrSelf(source.getType())), source,
        offsets, sizes, strides);
  }

  /// Writes the [B] `column` into position `position` of `matrix` [B, T].
  Value insertColumn(Value column, Value matrix, Value position) {
    return tensor::InsertSliceOp::create(
        b, loc, column, matrix, ArrayRef<OpFoldResult>{zero(), position},
        ArrayRef<OpFoldResult>{batch, one()},
        ArrayRef<OpFoldResult>{one(), one()});
  }

  Value castDynamic(Value value) { return castToDynamicShape(b, loc, value); }
  Value castTo(Value value, Type target) {
    return sdp::castTo(b, loc, value, target);
  }

  OpFoldResult one() { return b.getIndexAttr(1); }
  OpFoldResult zero() { return b.getIndexAttr(0); }

  RankedTensorType type(ArrayRef<int64_t> shape, Type element = {}) {
    return RankedTensorType::get(shape, element ? element : elementType);
  }

  PatternRewriter &b;
  Location loc;
  LinearChainOp op;
  SemiringAttrInterface semiring;
  int64_t batchMinorLabels;
  Type elementType;
  Value emissions, transitions, start, end, lengths;
  Value c0, c1, batch, steps, labels;
};

struct DecomposeLinearChain : OpRewritePattern<LinearChainOp> {
  DecomposeLinearChain(MLIRContext *ctx, int64_t batchMinorLabels)
      : OpRewritePattern(ctx), batchMinorLabels(batchMinorLabels) {}
  LogicalResult matchAndRewrite(LinearChainOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> results =
        LinearChainBuilder(rewriter, op, batchMinorLabels).build();
    results[0] =
        results[0].getType() == op.getScore().getType()
            ? results[0]
            : tensor::CastOp::create(rewriter, op.getLoc(),
                                     op.getScore().getType(), results[0]);
    rewriter.replaceOp(op, results);
    return success();
  }
  int64_t batchMinorLabels;
};

struct DecomposeNamedOpsPass
    : mlir::sdp::impl::DecomposeNamedOpsPassBase<DecomposeNamedOpsPass> {
  using DecomposeNamedOpsPassBase::DecomposeNamedOpsPassBase;
  void runOnOperation() override {
    if (batchMinorLabels < 0) {
      getOperation()->emitError("batch-minor-labels must be at least 0, got ")
          << static_cast<int64_t>(batchMinorLabels);
      return signalPassFailure();
    }
    if (bleuBatchTile < 0) {
      getOperation()->emitError("bleu-batch-tile must be at least 0, got ")
          << static_cast<int64_t>(bleuBatchTile);
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateDecomposeNamedOpsPatterns(patterns, bleuBatchTile,
                                      batchMinorLabels);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::sdp::populateDecomposeNamedOpsPatterns(RewritePatternSet &patterns,
                                                  int64_t bleuBatchTile,
                                                  int64_t batchMinorLabels) {
  patterns.add<DecomposeLinearChain>(patterns.getContext(), batchMinorLabels);
  populateDecomposeSemiMarkovPatterns(patterns);
  populateDecomposeCtcPatterns(patterns);
  populateDecomposeTreesPatterns(patterns);
  populateDecomposeBleuPatterns(patterns, bleuBatchTile);
}
