//===- DecomposeAlignment.cpp - sdp.alignment into the core ---------------===//
//
// Row by row: with R_i the row D[i, 0..M] of the alignment recurrence,
//
//   R_0      = 1̄ at j = 0, then the horizontal pass
//   V_i[j]   = (R_{i-1}[j-1] ⊗ diagonal[i, j]) ⊕ (R_{i-1}[j] ⊗ down[i, j])
//   R_i[j]   = V_i[j] ⊕ (R_i[j-1] ⊗ right[i, j])      (a scan along j)
//   (rows past rows[b] keep R_{rows[b]}), result = R_N[cols[b]]
//
// The vertical step is one contraction over a stacked pair of terms, the
// horizontal one a scan along the row whose carried row is written one
// column per step (destination style, so its adjoint needs no tape of it).
//
// The forward pipeline keeps its wavefront lowering (AlignmentToSCF);
// this decomposition is what adjoints differentiate.
//
//===----------------------------------------------------------------------===//

#include "CoreBuilders.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

class AlignmentBuilder {
public:
  AlignmentBuilder(PatternRewriter &rewriter, AlignmentOp op)
      : b(rewriter), loc(op.getLoc()), semiring(op.getSemiring()) {
    elementType = getElementTypeOrSelf(op.getDiagonal().getType());
    diagonal = dynamicCast(op.getDiagonal());
    down = dynamicCast(op.getDown());
    right = dynamicCast(op.getRight());
    rows = dynamicCast(op.getRows());
    cols = dynamicCast(op.getCols());
    batch = tensor::DimOp::create(b, loc, diagonal, 0);
    height = tensor::DimOp::create(b, loc, diagonal, 1); // N + 1
    width = tensor::DimOp::create(b, loc, diagonal, 2);  // M + 1
  }

  Value build() {
    // Row 0: only horizontal steps from D[0, 0] = 1̄.
    Value start = fill(semiring.buildZero(b, loc, elementType), {batch, width});
    start = insertColumn(
        column(fill(semiring.buildOne(b, loc, elementType), {batch})), start,
        zero());
    Value first = horizontal(start, rowOf(right, zero()));

    // Rows 1..N.
    Value restRows = sub(height, one());
    auto later = [&](Value weights) {
      return slice(weights, {zero(), one(), zero()}, {batch, restRows, width},
                   type({kDyn, kDyn, kDyn}));
    };
    ScanOp scan =
        createScan({first}, {later(diagonal), later(down), later(right)});
    Block &body = scan.getBody().front();
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&body);
      Value t = body.getArgument(0), prev = body.getArgument(1);
      Value row =
          horizontal(vertical(prev, body.getArgument(2), body.getArgument(3)),
                     body.getArgument(4));
      // Row i = t + 1 exists only while i <= rows[b].
      Value i32 = arith::IndexCastOp::create(
          b, loc, b.getI32Type(), arith::AddIOp::create(b, loc, t, index(1)));
      Value next = elementwise(
          {row, prev, rows}, {"bj", "bj", "b"},
          [&](OpBuilder &nb, Location l, ValueRange args) {
            Value inside = arith::CmpIOp::create(
                nb, l, arith::CmpIPredicate::sle, i32, args[2]);
            return arith::SelectOp::create(nb, l, inside, args[0], args[1])
                .getResult();
          });
      YieldOp::create(b, loc, ValueRange{next});
    }

    // D[n, m]: ⊕ of the last row against the indicator of column m.
    Value last = sub(width, one());
    Value pick = elementwise(
        {scan.getResult(0), cols}, {"bj", "b"},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value j = arith::IndexCastOp::create(
              nb, l, nb.getI32Type(), linalg::IndexOp::create(nb, l, 1));
          Value zero32 = arith::ConstantIntOp::create(nb, l, 0, 32);
          Value last32 =
              arith::IndexCastOp::create(nb, l, nb.getI32Type(), last);
          Value m = arith::MinSIOp::create(
              nb, l, arith::MaxSIOp::create(nb, l, args[1], zero32), last32);
          Value here =
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, j, m);
          return arith::SelectOp::create(nb, l, here,
                                         semiring.buildOne(nb, l, elementType),
                                         semiring.buildZero(nb, l, elementType))
              .getResult();
        });
    return contract("bj,bj->b", {scan.getResult(0), pick}, type({kDyn}));
  }

private:
  /// V[j] = (prev[j-1] ⊗ diagonal[j]) ⊕ (prev[j] ⊗ down[j]), V[0] from down.
  Value vertical(Value prev, Value diagonalRow, Value downRow) {
    Value shifted =
        fill(semiring.buildZero(b, loc, elementType), {batch, width});
    Value last = sub(width, one());
    Value head =
        slice(prev, {zero(), zero()}, {batch, last}, type({kDyn, kDyn}));
    shifted = tensor::InsertSliceOp::create(
        b, loc, head, shifted, ArrayRef<OpFoldResult>{zero(), one()},
        ArrayRef<OpFoldResult>{batch, last},
        ArrayRef<OpFoldResult>{one(), one()});
    Value sources = stack({shifted, prev});
    Value weights = stack({diagonalRow, downRow});
    return contract("bkj,bkj->bj", {sources, weights}, type({kDyn, kDyn}));
  }

  /// R[j] = V[j] ⊕ (R[j-1] ⊗ right[j]): a scan along the row.
  Value horizontal(Value vertical, Value rightRow) {
    Value last = sub(width, one());
    auto tail = [&](Value row) {
      return slice(row, {zero(), one()}, {batch, last}, type({kDyn, kDyn}));
    };
    Value first =
        slice(vertical, {zero(), zero()}, {batch, one()}, type({kDyn}));
    ScanOp scan =
        createScan({first, vertical}, {tail(vertical), tail(rightRow)});
    Block &body = scan.getBody().front();
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(&body);
    Value t = body.getArgument(0), current = body.getArgument(1);
    Value row = body.getArgument(2), v = body.getArgument(3);
    Value weight = body.getArgument(4);
    // [current ⊗ right, v ⊗ 1̄] reduced by ⊕.
    Value ones = fill(semiring.buildOne(b, loc, elementType), {batch});
    Value next = contract(
        "bk,bk->b", {stackColumns({current, ones}), stackColumns({weight, v})},
        type({kDyn}));
    Value position = arith::AddIOp::create(b, loc, t, index(1));
    row = insertColumn(column(next), row, position);
    YieldOp::create(b, loc, ValueRange{next, row});
    return scan.getResult(1);
  }

  //===--------------------------------------------------------------------===//
  // Helpers
  //===--------------------------------------------------------------------===//

  /// [B, M+1] tensors → [B, k, M+1].
  Value stack(ArrayRef<Value> rows) {
    Value out = tensor::EmptyOp::create(
        b, loc, ArrayRef<OpFoldResult>{batch, index(rows.size()), width},
        elementType);
    out = castTo(out, type({kDyn, kDyn, kDyn}));
    for (auto [k, row] : llvm::enumerate(rows))
      out = tensor::InsertSliceOp::create(
          b, loc, row, out,
          ArrayRef<OpFoldResult>{zero(), b.getIndexAttr(k), zero()},
          ArrayRef<OpFoldResult>{batch, one(), width},
          ArrayRef<OpFoldResult>{one(), one(), one()});
    return out;
  }

  /// [B] tensors → [B, k].
  Value stackColumns(ArrayRef<Value> columns) {
    Value out = tensor::EmptyOp::create(
        b, loc, ArrayRef<OpFoldResult>{batch, index(columns.size())},
        elementType);
    out = castTo(out, type({kDyn, kDyn}));
    for (auto [k, c] : llvm::enumerate(columns))
      out = insertColumn(c, out, b.getIndexAttr(k));
    return out;
  }

  /// A [B] tensor as is (the rank-reducing column helpers take [B]).
  Value column(Value v) { return castTo(v, type({kDyn})); }

  Value insertColumn(Value c, Value matrix, OpFoldResult position) {
    return tensor::InsertSliceOp::create(
        b, loc, c, matrix, ArrayRef<OpFoldResult>{zero(), position},
        ArrayRef<OpFoldResult>{batch, one()},
        ArrayRef<OpFoldResult>{one(), one()});
  }

  /// weights[:, i, :] as [B, M+1].
  Value rowOf(Value weights, OpFoldResult i) {
    return slice(weights, {zero(), i, zero()}, {batch, one(), width},
                 type({kDyn, kDyn}));
  }

  Value slice(Value source, ArrayRef<OpFoldResult> offsets,
              ArrayRef<OpFoldResult> sizes, RankedTensorType resultType) {
    SmallVector<OpFoldResult> strides(sizes.size(), one());
    return tensor::ExtractSliceOp::create(b, loc, resultType, source, offsets,
                                          sizes, strides);
  }

  Value fill(Value value, ArrayRef<OpFoldResult> sizes) {
    Value empty = tensor::EmptyOp::create(b, loc, sizes, value.getType());
    SmallVector<int64_t> shape(sizes.size(), kDyn);
    return castTo(linalg::FillOp::create(b, loc, value, empty).getResult(0),
                  RankedTensorType::get(shape, value.getType()));
  }

  /// A parallel linalg.generic whose result takes the first input's letters.
  Value elementwise(
      ValueRange inputs, ArrayRef<StringRef> letters,
      llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    return buildElementwise(
        b, loc, inputs, letters,
        type(SmallVector<int64_t>(letters.front().size(), kDyn)), body);
  }

  Value contract(StringRef spec, ValueRange inputs,
                 RankedTensorType resultType) {
    return ContractOp::create(b, loc, TypeRange{resultType}, inputs,
                              {b.getNamedAttr("spec", b.getStringAttr(spec)),
                               b.getNamedAttr("semiring", semiring)})
        .getResult();
  }

  ScanOp createScan(ValueRange inits, ValueRange sequences) {
    return ScanOp::create(b, loc, inits, sequences, /*along=*/1);
  }

  Value dynamicCast(Value value) { return castToDynamicShape(b, loc, value); }
  Value castTo(Value value, Type target) {
    return sdp::castTo(b, loc, value, target);
  }
  Value sub(Value x, OpFoldResult y) {
    return arith::SubIOp::create(b, loc, x,
                                 getValueOrCreateConstantIndexOp(b, loc, y));
  }
  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  OpFoldResult zero() { return b.getIndexAttr(0); }
  OpFoldResult one() { return b.getIndexAttr(1); }
  RankedTensorType type(ArrayRef<int64_t> shape) {
    return RankedTensorType::get(shape, elementType);
  }

  PatternRewriter &b;
  Location loc;
  SemiringAttrInterface semiring;
  Type elementType;
  Value diagonal, down, right, rows, cols, batch, height, width;
};

struct DecomposeAlignment : OpRewritePattern<AlignmentOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AlignmentOp op,
                                PatternRewriter &rewriter) const override {
    Value score = AlignmentBuilder(rewriter, op).build();
    if (score.getType() != op.getScore().getType())
      score = tensor::CastOp::create(rewriter, op.getLoc(),
                                     op.getScore().getType(), score);
    rewriter.replaceOp(op, score);
    return success();
  }
};

} // namespace

void mlir::sdp::populateDecomposeAlignmentPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeAlignment>(patterns.getContext());
}
