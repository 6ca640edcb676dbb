//===- AlignmentToSCF.cpp - sdp.alignment as loops ------------------------===//
//
// Along a row every cell waits for its left neighbour, so a row-by-row loop
// is one long dependency chain. Float grids are therefore swept in strips of
// one vector of rows (16 f32, 8 f64), skewed: at step t lane k computes cell
// (first + k, t - k). Its three neighbours are then lane k-1 of the step
// before (above), lane k-1 two steps before (upper left) and lane k of the
// step before (left), all in registers; lane 0 takes the row above the strip
// from a row buffer, which the strip's bottom row overwrites behind the
// sweep. The weights of a step are gathered (one per row, each row read left
// to right, so they stay in cache). Other element types (i1 under
// #sdp.bool) go row by row, one row of D carried in a buffer.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToSCF.h"

#include "../Utils/Emitter.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;
/// Bits of the vectors of the wavefront (one AVX-512 register).
constexpr int64_t kVectorBits = 512;

struct AlignmentLowering {
  AlignmentOp op;
  PatternRewriter &rewriter;
  Location loc;
  Emitter e;
  SemiringAttrInterface semiring;
  Type element;
  Value diagonal, down, right, rows, cols;
  /// The grid's last row and column (N and M).
  Value N, M;

  AlignmentLowering(AlignmentOp op, PatternRewriter &rewriter)
      : op(op), rewriter(rewriter), loc(op.getLoc()), e{rewriter, loc},
        semiring(cast<SemiringAttrInterface>(op.getSemiring())),
        element(getElementTypeOrSelf(op.getDiagonal().getType())) {}

  Value times(Value x, Value y) {
    return semiring.buildMul(rewriter, loc, x, y);
  }

  void lower() {
    diagonal = e.buffer(op.getDiagonal());
    down = e.buffer(op.getDown());
    right = e.buffer(op.getRight());
    rows = e.buffer(op.getRows());
    cols = e.buffer(op.getCols());
    Value B = e.dim(diagonal, 0);
    // A grid without cells (a zero-size dimension) has no path: 0̄.
    Value rowsOfGrid = e.dim(diagonal, 1), colsOfGrid = e.dim(diagonal, 2);
    Value noCell =
        e.ori(e.cmpi(arith::CmpIPredicate::eq, rowsOfGrid, e.index(0)),
              e.cmpi(arith::CmpIPredicate::eq, colsOfGrid, e.index(0)));
    N = e.maxsi(e.sub(rowsOfGrid, e.index(1)), e.index(0));
    M = e.maxsi(e.sub(colsOfGrid, e.index(1)), e.index(0));
    auto scoreType = cast<RankedTensorType>(op.getScore().getType());
    Value scores = e.alloc(scoreType, scoreType.isDynamicDim(0) ? ValueRange{B}
                                                                : ValueRange{});
    auto ifNoCell = scf::IfOp::create(rewriter, loc, noCell,
                                      /*withElseRegion=*/true);
    rewriter.setInsertionPointToStart(ifNoCell.thenBlock());
    Value zero = semiring.buildZero(rewriter, loc, element);
    e.loop(B, [&](Value b) { e.store(zero, scores, {b}); });
    rewriter.setInsertionPointToStart(ifNoCell.elseBlock());
    if (isa<FloatType>(element))
      lowerByStrips(B, scores);
    else
      lowerByRows(B, scores);
    rewriter.setInsertionPointAfter(ifNoCell);
    rewriter.replaceOp(op, e.tensorOf(scores, scoreType));
  }

private:
  Value allocBuffer(Type type, Value size) {
    return memref::AllocOp::create(rewriter, loc, MemRefType::get({kDyn}, type),
                                   ValueRange{size});
  }

  /// The grid of pair b flattened: cell (i, j) at b * plane + i * (M+1) + j.
  Value flat(Value grid) {
    return memref::CollapseShapeOp::create(
        rewriter, loc, grid, SmallVector<ReassociationIndices>{{0, 1, 2}});
  }

  /// row[j] = D[0, j] for j <= m: row 0 has only steps to the right.
  void storeFirstRow(Value row, Value b, Value m) {
    Value one = semiring.buildOne(rewriter, loc, element);
    e.store(one, row, {e.index(0)});
    e.forLoop(e.index(1), e.add(m, e.index(1)), e.index(1), ValueRange{one},
              [&](Value j, ValueRange left) {
                Value cell = times(left[0], e.load(right, {b, e.index(0), j}));
                e.store(cell, row, {j});
                return SmallVector<Value>{cell};
              });
  }

  void lowerByStrips(Value B, Value scores) {
    int64_t width =
        std::max<int64_t>(1, kVectorBits / element.getIntOrFloatBitWidth());
    auto vectorType = VectorType::get({width}, element);
    auto indexVectorType = VectorType::get({width}, rewriter.getIndexType());
    Value diagonalFlat = flat(diagonal), downFlat = flat(down),
          rightFlat = flat(right);
    Value rowLength = e.add(M, e.index(1));
    Value plane = e.mul(e.add(N, e.index(1)), rowLength);
    // The last row of the strips done so far (row 0 at first).
    Value row = allocBuffer(element, rowLength);
    Value zeros = semiring.buildZero(rewriter, loc, vectorType);
    SmallVector<int64_t> iota(width);
    for (int64_t lane = 0; lane < width; ++lane)
      iota[lane] = lane;
    Value lanes = arith::ConstantOp::create(
        rewriter, loc, indexVectorType,
        rewriter.getIndexVectorAttr(ArrayRef<int64_t>(iota)));
    auto splat = [&](Value value) {
      return vector::BroadcastOp::create(
                 rewriter, loc, VectorType::get({width}, value.getType()),
                 value)
          .getResult();
    };
    // Lane k of step t holds cell (first + k, t - k): the value of lane k-1
    // one step before is the cell above; lane 0's comes from `row`.
    SmallVector<int64_t> shiftMask = {width};
    for (int64_t lane = 0; lane + 1 < width; ++lane)
      shiftMask.push_back(lane);
    auto shiftIn = [&](Value vector, Value scalar) {
      return vector::ShuffleOp::create(rewriter, loc, vector, splat(scalar),
                                       shiftMask)
          .getResult();
    };
    // Lane k of step t reads the weights of row first + k at column t - k:
    // flat index rowStart(first) + t + k * M.
    Value laneOffsets = e.mul(lanes, splat(M));

    e.loop(B, [&](Value b) {
      Value n = e.clampedLength(e.load(rows, {b}), N);
      Value m = e.clampedLength(e.load(cols, {b}), M);
      Value pairBase = e.mul(b, plane);
      storeFirstRow(row, b, m);
      // Strips of `width` rows: first = 1, 1 + width, ...
      e.forLoop(
          e.index(1), e.add(n, e.index(1)), e.index(width), {},
          [&](Value first, ValueRange) {
            Value height =
                arith::MinSIOp::create(rewriter, loc, e.index(width),
                                       e.sub(e.add(n, e.index(1)), first));
            Value bottom = e.sub(height, e.index(1));
            Value rowStart = e.add(pairBase, e.mul(first, rowLength));
            Value heightLanes = splat(height);
            Value zero = semiring.buildZero(rewriter, loc, element);
            // Steps t = 0 .. m + height - 1; carried: the cells of steps t-1
            // and t-2 and row[t-1] as it was before this strip.
            e.forLoop(
                e.index(0), e.add(m, height), e.index(1),
                ValueRange{zeros, zeros, zero},
                [&](Value t, ValueRange carried) {
                  Value previous = carried[0], beforePrevious = carried[1];
                  // row[t] before this strip overwrites it (lane 0's up).
                  Value tInRow = e.cmpi(arith::CmpIPredicate::ule, t, m);
                  Value above = e.load(row, {e.select(tInRow, t, e.index(0))});
                  Value j = e.sub(splat(t), lanes);
                  Value isCell =
                      e.andi(e.andi(e.cmpi(arith::CmpIPredicate::ult, lanes,
                                           heightLanes),
                                    e.cmpi(arith::CmpIPredicate::sge, j,
                                           splat(e.index(0)))),
                             e.cmpi(arith::CmpIPredicate::sle, j, splat(m)));
                  Value hasLeft =
                      e.cmpi(arith::CmpIPredicate::sgt, j, splat(e.index(0)));
                  Value at = e.add(splat(e.add(rowStart, t)), laneOffsets);
                  auto weights = [&](Value grid) {
                    return vector::GatherOp::create(
                               rewriter, loc, vectorType, grid,
                               ValueRange{e.index(0)}, at, isCell, zeros,
                               IntegerAttr())
                        .getResult();
                  };
                  Value up = shiftIn(previous, above);
                  Value upperLeft = shiftIn(beforePrevious, carried[2]);
                  Value terms[] = {
                      e.select(hasLeft, times(upperLeft, weights(diagonalFlat)),
                               zeros),
                      times(up, weights(downFlat)),
                      e.select(hasLeft, times(previous, weights(rightFlat)),
                               zeros)};
                  Value cells = semiring.buildSum(rewriter, loc, terms);
                  // The strip's bottom row replaces `row` behind the sweep.
                  Value jBottom = e.sub(t, bottom);
                  Value written = e.andi(
                      e.cmpi(arith::CmpIPredicate::sge, jBottom, e.index(0)),
                      e.cmpi(arith::CmpIPredicate::sle, jBottom, m));
                  e.when(written, [&] {
                    e.store(vector::ExtractOp::create(
                                rewriter, loc, cells,
                                ArrayRef<OpFoldResult>{bottom}),
                            row, {jBottom});
                  });
                  return SmallVector<Value>{cells, previous, above};
                });
            return SmallVector<Value>();
          });
      e.store(e.load(row, {m}), scores, {b});
    });
  }

  /// One row of D carried in a buffer of M+1 entries: row i reads row i-1
  /// where it is about to overwrite it, the left and upper-left cells travel
  /// as loop-carried scalars.
  void lowerByRows(Value B, Value scores) {
    Value row = allocBuffer(element, e.add(M, e.index(1)));
    e.loop(B, [&](Value b) {
      Value n = e.clampedLength(e.load(rows, {b}), N);
      Value m = e.clampedLength(e.load(cols, {b}), M);
      storeFirstRow(row, b, m);
      e.forLoop(
          e.index(1), e.add(n, e.index(1)), e.index(1), {},
          [&](Value i, ValueRange) {
            Value upperLeft = e.load(row, {e.index(0)});
            Value start = times(upperLeft, e.load(down, {b, i, e.index(0)}));
            e.store(start, row, {e.index(0)});
            e.forLoop(e.index(1), e.add(m, e.index(1)), e.index(1),
                      ValueRange{upperLeft, start},
                      [&](Value j, ValueRange carried) {
                        Value up = e.load(row, {j});
                        Value cell = semiring.buildSum(
                            rewriter, loc,
                            {times(carried[0], e.load(diagonal, {b, i, j})),
                             times(up, e.load(down, {b, i, j})),
                             times(carried[1], e.load(right, {b, i, j}))});
                        e.store(cell, row, {j});
                        return SmallVector<Value>{up, cell};
                      });
            return SmallVector<Value>();
          });
      e.store(e.load(row, {m}), scores, {b});
    });
  }
};

struct AlignmentToLoops : OpRewritePattern<AlignmentOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AlignmentOp op,
                                PatternRewriter &rewriter) const override {
    AlignmentLowering(op, rewriter).lower();
    return success();
  }
};

} // namespace

void mlir::sdp::populateAlignmentToSCFPatterns(RewritePatternSet &patterns) {
  patterns.add<AlignmentToLoops>(patterns.getContext());
}
