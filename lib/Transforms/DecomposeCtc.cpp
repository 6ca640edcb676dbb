//===- DecomposeCtc.cpp - sdp.ctc into the core ---------------------------===//
//
// Over the extended target l' = blank y_1 blank y_2 ... y_S blank (2S + 1
// states):
//
//   emit[b, t, s] = log_probs[b, t, l'[b, s]]             (sdp.gather)
//   alpha_0[s]    = emit[:, 0, s] for s < 2, else 0̄
//   alpha_t[s]    = (alpha_(t-1)[s] ⊕ alpha_(t-1)[s-1]
//                    ⊕ skip[s] ⊗ alpha_(t-1)[s-2]) ⊗ emit[:, t, s]
//                   (kept once t reaches input_lengths[b])
//   score         = ⊕_s alpha_(n-1)[s] ⊗ final[s]         (s = 2m or 2m - 1)
//
// skip[s] is 1̄ where l'[s] is a symbol that differs from l'[s-2], else 0̄.
// The step is one three-term contraction over [alpha, alpha >> 1,
// alpha >> 2]. Under #sdp.log the result is negated (a loss).
//
//===----------------------------------------------------------------------===//

#include "CoreBuilders.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

class CtcBuilder : public StructureBuilder {
public:
  CtcBuilder(PatternRewriter &rewriter, CtcOp op)
      : StructureBuilder(rewriter, op.getLoc(), op.getSemiring(),
                         getElementTypeOrSelf(op.getLogProbs().getType())),
        op(op) {
    logProbs = castToDynamicShape(b, loc, op.getLogProbs());
    targets = castToDynamicShape(b, loc, op.getTargets());
    batch = dim(logProbs, 0);
    frames = dim(logProbs, 1);
    vocabulary = dim(logProbs, 2);
    targetSize = dim(targets, 1);
    states = arith::AddIOp::create(
        b, loc, arith::MulIOp::create(b, loc, targetSize, index(2)), index(1));
    inputLengths = clampLengths(op.getInputLengths(), i32(1), toI32(frames));
    targetLengths =
        clampLengths(op.getTargetLengths(), i32(0), toI32(targetSize));
  }

  SmallVector<Value> build() {
    Type i32Type = b.getI32Type();
    Value extended = extendedTarget();
    Value emit =
        GatherOp::create(b, loc, dynamicType(3), b.getStringAttr("btv,bs->bts"),
                         logProbs, extended);
    Value shape = fill(i32(0), {batch, states});
    Value firstTwo =
        indicator(shape, [&](OpBuilder &nb, Location l, Value s) -> Value {
          return arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::ult, s,
              arith::ConstantIndexOp::create(nb, l, 2));
        });
    Value emit0 =
        slice(emit, {attr(0), attr(0), attr(0)}, {batch, attr(1), states}, {1});
    Value alpha0 = contract("bs,bs->bs", {emit0, firstTwo}, 2);
    Value rest = slice(
        emit, {attr(0), attr(1), attr(0)},
        {batch, arith::SubIOp::create(b, loc, frames, index(1)).getResult(),
         states});
    Value skip = skipWeights(extended);
    Value weights;
    if (op.getAlignment()) {
      Value ones = fill(oneElement(b, loc), {batch, states});
      weights = stack({ones, ones, skip}, {batch, states});
    }

    bool withAlignment = static_cast<bool>(op.getAlignment());
    SmallVector<Value> inits{alpha0};
    if (withAlignment)
      inits.push_back(fill(i32(0), {batch, frames, states}));
    auto scanOp = cast<ScanOp>(scan(inits, {rest}, /*along=*/1));
    {
      OpBuilder::InsertionGuard guard(b);
      Block &body = scanOp.getBody().front();
      b.setInsertionPointToStart(&body);
      Value position =
          arith::AddIOp::create(b, loc, body.getArgument(0), index(1));
      Value prev = body.getArgument(1);
      Value emitT = body.getArguments().back();
      Value once = shiftRight(prev);
      Value twice = shiftRight(once);
      Value position32 = toI32(position);
      auto active = [&](OpBuilder &nb, Location l, Value n) -> Value {
        return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt,
                                     position32, n);
      };
      SmallVector<Value> next;
      Value kept;
      if (withAlignment) {
        // The witness says which predecessor the best path came from.
        Value sources = stack({prev, once, twice}, {batch, states});
        next =
            contractWithWitness("pbs,pbs,bs->bs", {sources, weights, emitT}, 2);
        kept = keepActive(next[0], prev, active);
      } else {
        // One element-wise pass: (prev ⊕ once ⊕ skip ⊗ twice) ⊗ emit,
        // kept as prev past the input length.
        auto sr = cast<SemiringAttrInterface>(semiring);
        kept = elementwise(
            {prev, once, twice, skip, emitT, inputLengths},
            {"bs", "bs", "bs", "bs", "bs", "b"}, elementType,
            [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
              Value skipped = sr.buildMul(nb, l, args[2], args[3]);
              Value sum = sr.buildSum(nb, l, {args[0], args[1], skipped});
              Value v = sr.buildMul(nb, l, sum, args[4]);
              return arith::SelectOp::create(nb, l, active(nb, l, args[5]), v,
                                             args[0]);
            });
      }
      SmallVector<Value> yielded{kept};
      if (withAlignment)
        yielded.push_back(insert(next[1], body.getArgument(2),
                                 {attr(0), position, attr(0)},
                                 {batch, attr(1), states}));
      YieldOp::create(b, loc, yielded);
    }

    Value finals = indicatorAtEnd(shape);
    if (withAlignment) {
      SmallVector<Value> best =
          contractWithWitness("bs,bs->b", {scanOp.getResult(0), finals}, 1);
      // Max drops NaN operands: a sequence whose frames (inside its
      // input length) give a NaN to a symbol of its target scores NaN.
      Value readsNaN = nanFlags(
          emit, "bts->b", {inputLengths}, {"b"},
          [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
            Value t = arith::IndexCastOp::create(
                nb, l, nb.getI32Type(), linalg::IndexOp::create(nb, l, 1));
            return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, t,
                                         args[1]);
          });
      Value score = flagInvalid(flagNaN(best[0], {readsNaN}));
      Value alignment =
          backtrack(best[1], scanOp.getResult(1), extended, i32Type);
      return {score, castTo(b, loc, alignment, op.getAlignment().getType())};
    }
    Value likelihood = contract("bs,bs->b", {scanOp.getResult(0), finals}, 1);
    if (!isa<LogSemiringAttr>(semiring))
      return {flagInvalid(likelihood)};
    bool zeroInfinity = op.getZeroInfinity();
    Value loss = elementwise(
        {likelihood}, {"b"}, elementType,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value negated = arith::NegFOp::create(nb, l, args[0]);
          if (!zeroInfinity)
            return negated;
          Value inf = arith::ConstantOp::create(
              nb, l, elementType,
              nb.getFloatAttr(
                  elementType,
                  APFloat::getInf(
                      cast<FloatType>(elementType).getFloatSemantics())));
          Value isInf = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ,
                                              negated, inf);
          Value zero = arith::ConstantOp::create(
              nb, l, elementType, nb.getFloatAttr(elementType, 0.0));
          return arith::SelectOp::create(nb, l, isInf, zero, negated);
        });
    return {flagInvalid(loss)};
  }

private:
  /// `next` where the frame is inside the input, else `prev`.
  Value
  keepActive(Value next, Value prev,
             llvm::function_ref<Value(OpBuilder &, Location, Value)> active) {
    return elementwise(
        {next, prev, inputLengths}, {"bs", "bs", "b"}, elementType,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return arith::SelectOp::create(nb, l, active(nb, l, args[2]), args[0],
                                         args[1]);
        });
  }

  /// l'[b, s]: blank at even s, targets[b, (s - 1) / 2] at odd s.
  Value extendedTarget() {
    Value blank = i32(op.getBlank());
    Value shape = fill(i32(0), {batch, states});
    return elementwise(
        {shape}, {"bs"}, b.getI32Type(),
        [&](OpBuilder &nb, Location l, ValueRange) -> Value {
          Value bIdx = linalg::IndexOp::create(nb, l, 0);
          Value s = linalg::IndexOp::create(nb, l, 1);
          Value one = arith::ConstantIndexOp::create(nb, l, 1);
          Value two = arith::ConstantIndexOp::create(nb, l, 2);
          Value odd =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq,
                                    arith::RemUIOp::create(nb, l, s, two), one);
          // Even s reads position 0 (in bounds when S > 0) and discards it.
          Value j = arith::DivUIOp::create(nb, l, s, two);
          Value inRange = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::ult, j, targetSize);
          Value safeJ = arith::SelectOp::create(
              nb, l, inRange, j, arith::ConstantIndexOp::create(nb, l, 0));
          Value symbol = arith::SelectOp::create(
              nb, l, inRange,
              tensor::ExtractOp::create(nb, l, targets,
                                        ValueRange{bIdx, safeJ}),
              blank);
          return arith::SelectOp::create(nb, l, odd, symbol, blank);
        });
  }

  /// 1̄ where `predicate(s)` holds, else 0̄, shaped like `shape` [B, 2S+1].
  Value
  indicator(Value shape,
            llvm::function_ref<Value(OpBuilder &, Location, Value)> predicate) {
    return elementwise({shape}, {"bs"}, elementType,
                       [&](OpBuilder &nb, Location l, ValueRange) -> Value {
                         Value s = linalg::IndexOp::create(nb, l, 1);
                         return arith::SelectOp::create(
                             nb, l, predicate(nb, l, s), oneElement(nb, l),
                             zeroElement(nb, l));
                       });
  }

  /// 1̄ at the two states that end the target (2m and 2m - 1), else 0̄.
  Value indicatorAtEnd(Value shape) {
    return elementwise(
        {shape, targetLengths}, {"bs", "b"}, elementType,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value s = arith::IndexCastOp::create(
              nb, l, nb.getI32Type(), linalg::IndexOp::create(nb, l, 1));
          Value two = arith::ConstantIntOp::create(nb, l, nb.getI32Type(), 2);
          Value one = arith::ConstantIntOp::create(nb, l, nb.getI32Type(), 1);
          Value last = arith::MulIOp::create(nb, l, args[1], two);
          Value isLast =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, s, last);
          Value isSymbol =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, s,
                                    arith::SubIOp::create(nb, l, last, one));
          return arith::SelectOp::create(
              nb, l, arith::OrIOp::create(nb, l, isLast, isSymbol),
              oneElement(nb, l), zeroElement(nb, l));
        });
  }

  /// skip[b, s]: 1̄ where l'[s] is a symbol different from l'[s - 2].
  Value skipWeights(Value extended) {
    Value blank = i32(op.getBlank());
    return elementwise(
        {extended}, {"bs"}, elementType,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value bIdx = linalg::IndexOp::create(nb, l, 0);
          Value s = linalg::IndexOp::create(nb, l, 1);
          Value two = arith::ConstantIndexOp::create(nb, l, 2);
          Value hasTwoBefore =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::uge, s, two);
          Value before = arith::SelectOp::create(
              nb, l, hasTwoBefore, arith::SubIOp::create(nb, l, s, two), s);
          Value earlier = tensor::ExtractOp::create(nb, l, extended,
                                                    ValueRange{bIdx, before});
          Value differs = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ne,
                                                args[0], earlier);
          Value isSymbol = arith::CmpIOp::create(
              nb, l, arith::CmpIPredicate::ne, args[0], blank);
          Value allowed = arith::AndIOp::create(
              nb, l, hasTwoBefore,
              arith::AndIOp::create(nb, l, differs, isSymbol));
          return arith::SelectOp::create(nb, l, allowed, oneElement(nb, l),
                                         zeroElement(nb, l));
        });
  }

  /// alpha shifted one state to the right, 0̄ entering at state 0.
  /// Built as the moved part written into a fresh tensor, then the one
  /// new column: a fill of the whole tensor first would cost a pass (and,
  /// shared by two shifts after CSE, a copy) per step.
  Value shiftRight(Value alpha) {
    Value kept = arith::SubIOp::create(b, loc, states, index(1));
    Value head = slice(alpha, {attr(0), attr(0)}, {batch, kept});
    Value empty =
        castTo(b, loc,
               tensor::EmptyOp::create(
                   b, loc, ArrayRef<OpFoldResult>{batch, states}, elementType),
               dynamicType(2));
    Value moved = insert(head, empty, {attr(0), attr(1)}, {batch, kept});
    return insert(fillTile(zeroElement(b, loc), {batch, attr(1)}), moved,
                  {attr(0), attr(0)}, {batch, attr(1)});
  }

  /// NaN for the sequences whose first m targets hold the blank or a
  /// symbol outside [0, V); `score` as is elsewhere.
  Value flagInvalid(Value score) {
    Value blank = i32(op.getBlank());
    Value vocabulary32 = toI32(vocabulary);
    // 1̄-valued flags reduced under max: any invalid target.
    auto maxSemiring = MaxSemiringAttr::get(b.getContext());
    Value flags = elementwise(
        {targets, targetLengths}, {"bs", "b"}, elementType,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value j = arith::IndexCastOp::create(
              nb, l, nb.getI32Type(), linalg::IndexOp::create(nb, l, 1));
          Value counts = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt,
                                               j, args[1]);
          Value zero = arith::ConstantIntOp::create(nb, l, nb.getI32Type(), 0);
          Value bad = arith::OrIOp::create(
              nb, l,
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, args[0],
                                    blank),
              arith::OrIOp::create(
                  nb, l,
                  arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt,
                                        args[0], zero),
                  arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge,
                                        args[0], vocabulary32)));
          Value flag = arith::AndIOp::create(nb, l, counts, bad);
          return arith::SelectOp::create(
              nb, l, flag,
              arith::ConstantOp::create(nb, l, elementType,
                                        nb.getFloatAttr(elementType, 1.0)),
              arith::ConstantOp::create(nb, l, elementType,
                                        nb.getFloatAttr(elementType, 0.0)));
        });
    // A max over an empty S is -inf: still "no invalid target".
    Value anyInvalid = contract("bs->b", {flags}, 1, maxSemiring);
    return elementwise(
        {score, anyInvalid}, {"b", "b"}, elementType,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value half = arith::ConstantOp::create(
              nb, l, elementType, nb.getFloatAttr(elementType, 0.5));
          Value invalid = arith::CmpFOp::create(
              nb, l, arith::CmpFPredicate::OGT, args[1], half);
          Value nan = arith::ConstantOp::create(
              nb, l, elementType,
              nb.getFloatAttr(
                  elementType,
                  APFloat::getNaN(
                      cast<FloatType>(elementType).getFloatSemantics())));
          return arith::SelectOp::create(nb, l, invalid, nan, args[0]);
        });
  }

  /// The best labeling, from the end state chosen at the last frame back
  /// through the recorded steps (0: stay, 1: from s - 1, 2: from s - 2).
  Value backtrack(Value endState, Value steps, Value extended, Type i32Type) {
    Value alignment = fill(i32(-1), {batch, frames});
    auto scanOp = cast<ScanOp>(
        scan({endState, alignment}, {steps}, /*along=*/1, /*reverse=*/true));
    OpBuilder::InsertionGuard guard(b);
    Block &body = scanOp.getBody().front();
    b.setInsertionPointToStart(&body);
    Value q = body.getArgument(0), state = body.getArgument(1);
    Value stepsHere = body.getArgument(3); // [B, 2S+1] at frame q
    Value q32 = toI32(q);
    auto inside = [&](OpBuilder &nb, Location l, Value n) -> Value {
      return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, q32, n);
    };
    Value minusOne = i32(-1);
    Value symbols = elementwise(
        {state, inputLengths}, {"b", "b"}, i32Type,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value bIdx = linalg::IndexOp::create(nb, l, 0);
          Value s =
              arith::IndexCastOp::create(nb, l, nb.getIndexType(), args[0]);
          Value symbol =
              tensor::ExtractOp::create(nb, l, extended, ValueRange{bIdx, s});
          return arith::SelectOp::create(nb, l, inside(nb, l, args[1]), symbol,
                                         minusOne);
        });
    Value previous = elementwise(
        {state, inputLengths}, {"b", "b"}, i32Type,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value bIdx = linalg::IndexOp::create(nb, l, 0);
          Value s =
              arith::IndexCastOp::create(nb, l, nb.getIndexType(), args[0]);
          Value back =
              tensor::ExtractOp::create(nb, l, stepsHere, ValueRange{bIdx, s});
          Value moved = arith::SubIOp::create(nb, l, args[0], back);
          return arith::SelectOp::create(nb, l, inside(nb, l, args[1]), moved,
                                         args[0]);
        });
    Value written =
        insert(symbols, body.getArgument(2), {attr(0), q}, {batch, attr(1)});
    YieldOp::create(b, loc, ValueRange{previous, written});
    return scanOp.getResult(1);
  }

  CtcOp op;
  Value logProbs, targets, inputLengths, targetLengths;
  Value batch, frames, vocabulary, targetSize, states;
};

struct DecomposeCtc : OpRewritePattern<CtcOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CtcOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> results = CtcBuilder(rewriter, op).build();
    results[0] =
        castTo(rewriter, op.getLoc(), results[0], op.getScore().getType());
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void mlir::sdp::populateDecomposeCtcPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeCtc>(patterns.getContext());
}
