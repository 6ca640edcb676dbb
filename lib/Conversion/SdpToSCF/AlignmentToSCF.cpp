//===- AlignmentToSCF.cpp - sdp.alignment as loops ------------------------===//
//
// Cell (i, j) needs only cells of the anti-diagonals i + j - 1 and i + j - 2,
// so under #sdp.log each pair is swept one anti-diagonal at a time, a
// vector of cells of the diagonal per step (a wavefront): the weights of
// those cells are gathered (stride M), the neighbours' values are contiguous
// in the previous two diagonals, kept indexed by the row. Along a row
// every cell would wait for its left neighbour; along a diagonal the cells
// are independent, and their exps and logs run on whole vectors. Under the
// other semirings ⊕ is cheap and the gathers would dominate: row by row, one
// row of D carried in a buffer.
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
    // The diagonals' weights are gathered (stride M): worth it when ⊕ is
    // costly (exp and log), not for min/max.
    if (isa<FloatType>(element) && semiring.admitsExpShiftedReduction())
      lowerByDiagonals(B, scores);
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

  void lowerByDiagonals(Value B, Value scores) {
    int64_t width =
        std::max<int64_t>(1, kVectorBits / element.getIntOrFloatBitWidth());
    auto vectorType = VectorType::get({width}, element);
    auto indexVectorType = VectorType::get({width}, rewriter.getIndexType());
    auto maskType = VectorType::get({width}, rewriter.getI1Type());
    Value diagonalFlat = flat(diagonal), downFlat = flat(down),
          rightFlat = flat(right);
    Value rowLength = e.add(M, e.index(1));
    Value plane = e.mul(e.add(N, e.index(1)), rowLength);
    // Three diagonals, each holding row i at i + 1 (slot 0 stands for row -1,
    // which no selected lane reads): the rows i-1 and i of a vector of
    // cells are contiguous loads.
    Value slots = e.add(N, e.index(2));
    Value diagonals = allocBuffer(element, e.mul(e.index(3), slots));
    // Lanes that are not cells read these initialized values, never garbage.
    Value zero = semiring.buildZero(rewriter, loc, element);
    e.loop(e.mul(e.index(3), slots),
           [&](Value k) { e.store(zero, diagonals, {k}); });
    Value zeros = semiring.buildZero(rewriter, loc, vectorType);
    SmallVector<int64_t> iota(width);
    for (int64_t lane = 0; lane < width; ++lane)
      iota[lane] = lane;
    Value lanes = arith::ConstantOp::create(
        rewriter, loc, indexVectorType,
        rewriter.getIndexVectorAttr(ArrayRef<int64_t>(iota)));
    auto splat = [&](Value index) {
      return vector::BroadcastOp::create(rewriter, loc, indexVectorType, index)
          .getResult();
    };
    Value zeroLanes = splat(e.index(0));
    auto offsetOf = [&](Value d) {
      return e.mul(arith::RemUIOp::create(rewriter, loc, d, e.index(3)), slots);
    };

    e.loop(B, [&](Value b) {
      Value n = e.clampedLength(e.load(rows, {b}), N);
      Value m = e.clampedLength(e.load(cols, {b}), M);
      e.store(semiring.buildOne(rewriter, loc, element), diagonals,
              {e.index(1)});
      Value last = e.add(n, m);
      Value pairBase = e.mul(b, plane);
      e.forLoop(
          e.index(1), e.add(last, e.index(1)), e.index(1), {},
          [&](Value d, ValueRange) {
            // Rows of the cells of diagonal d: max(0, d-m) .. min(n, d).
            Value low = e.maxsi(e.sub(d, m), e.index(0));
            Value end =
                e.add(arith::MinSIOp::create(rewriter, loc, n, d), e.index(1));
            Value here = offsetOf(d);
            Value previous = offsetOf(e.add(d, e.index(2)));
            Value beforePrevious = offsetOf(e.add(d, e.index(1)));
            // Cell (i, d - i) of the pair at pairBase + d + i * M.
            Value weightBase = splat(e.add(pairBase, d));
            Value stepLanes = splat(M);
            e.forLoop(
                low, end, e.index(width), {}, [&](Value first, ValueRange) {
                  Value mask = vector::CreateMaskOp::create(
                      rewriter, loc, maskType, ValueRange{e.sub(end, first)});
                  Value i = e.add(splat(first), lanes);
                  Value j = e.sub(splat(d), i);
                  Value hasUp = e.cmpi(arith::CmpIPredicate::sgt, i, zeroLanes);
                  Value hasLeft =
                      e.cmpi(arith::CmpIPredicate::sgt, j, zeroLanes);
                  Value at = e.add(weightBase, e.mul(i, stepLanes));
                  auto weights = [&](Value grid) {
                    return vector::GatherOp::create(rewriter, loc, vectorType,
                                                    grid,
                                                    ValueRange{e.index(0)}, at,
                                                    mask, zeros, IntegerAttr())
                        .getResult();
                  };
                  auto neighbours = [&](Value offset) {
                    return vector::MaskedLoadOp::create(
                               rewriter, loc, vectorType, diagonals,
                               ValueRange{e.add(offset, first)}, mask, zeros)
                        .getResult();
                  };
                  // Rows i-1 are at slots i, rows i at i + 1.
                  Value upperLeft = neighbours(beforePrevious);
                  Value up = neighbours(previous);
                  Value left = neighbours(e.add(previous, e.index(1)));
                  Value terms[] = {
                      e.select(e.andi(hasUp, hasLeft),
                               times(upperLeft, weights(diagonalFlat)), zeros),
                      e.select(hasUp, times(up, weights(downFlat)), zeros),
                      e.select(hasLeft, times(left, weights(rightFlat)),
                               zeros)};
                  vector::MaskedStoreOp::create(
                      rewriter, loc, diagonals,
                      ValueRange{e.add(e.add(here, first), e.index(1))}, mask,
                      semiring.buildSum(rewriter, loc, terms));
                  return SmallVector<Value>();
                });
            return SmallVector<Value>();
          });
      e.store(e.load(diagonals, {e.add(e.add(offsetOf(last), n), e.index(1))}),
              scores, {b});
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
      // Row 0: only steps to the right.
      Value first =
          e.forLoop(e.index(1), e.add(m, e.index(1)), e.index(1),
                    ValueRange{semiring.buildOne(rewriter, loc, element)},
                    [&](Value j, ValueRange left) {
                      e.store(left[0], row, {e.sub(j, e.index(1))});
                      return SmallVector<Value>{
                          times(left[0], e.load(right, {b, e.index(0), j}))};
                    })[0];
      e.store(first, row, {m});
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
