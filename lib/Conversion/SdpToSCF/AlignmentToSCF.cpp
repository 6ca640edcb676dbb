//===- AlignmentToSCF.cpp - sdp.alignment as row-by-row loops -------------===//
//
// Per pair of sequences, the rows of D in order, one row carried in a buffer
// of M+1 entries: row i reads row i-1 where it is about to overwrite it, and
// the cell to its left and its upper-left neighbour travel as loop-carried
// scalars.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToSCF.h"

#include "../Utils/Emitter.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

struct AlignmentToLoops : OpRewritePattern<AlignmentOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AlignmentOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    auto semiring = cast<SemiringAttrInterface>(op.getSemiring());
    Type element = getElementTypeOrSelf(op.getDiagonal().getType());
    Value diagonal = e.buffer(op.getDiagonal());
    Value down = e.buffer(op.getDown());
    Value right = e.buffer(op.getRight());
    Value rows = e.buffer(op.getRows()), cols = e.buffer(op.getCols());
    Value B = e.dim(diagonal, 0);
    // The grid's last row and column (N and M); a grid without cells (a
    // zero-size dimension) has no path: every score is 0̄.
    Value rowsOfGrid = e.dim(diagonal, 1), colsOfGrid = e.dim(diagonal, 2);
    Value noCell =
        e.ori(e.cmpi(arith::CmpIPredicate::eq, rowsOfGrid, e.index(0)),
              e.cmpi(arith::CmpIPredicate::eq, colsOfGrid, e.index(0)));
    Value N = e.maxsi(e.sub(rowsOfGrid, e.index(1)), e.index(0));
    Value M = e.maxsi(e.sub(colsOfGrid, e.index(1)), e.index(0));
    auto scoreType = cast<RankedTensorType>(op.getScore().getType());
    Value scores = e.alloc(scoreType, scoreType.isDynamicDim(0) ? ValueRange{B}
                                                                : ValueRange{});
    Value row = memref::AllocOp::create(
        rewriter, loc, MemRefType::get({ShapedType::kDynamic}, element),
        ValueRange{e.maxsi(e.add(M, e.index(1)), e.index(1))});
    auto times = [&](Value x, Value y) {
      return semiring.buildMul(rewriter, loc, x, y);
    };
    auto ifNoCell = scf::IfOp::create(rewriter, loc, noCell,
                                      /*withElseRegion=*/true);
    rewriter.setInsertionPointToStart(ifNoCell.thenBlock());
    Value zero = semiring.buildZero(rewriter, loc, element);
    e.loop(B, [&](Value b) { e.store(zero, scores, {b}); });
    rewriter.setInsertionPointToStart(ifNoCell.elseBlock());
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
    rewriter.setInsertionPointAfter(ifNoCell);
    rewriter.replaceOp(op, e.tensorOf(scores, scoreType));
    return success();
  }
};

} // namespace

void mlir::sdp::populateAlignmentToSCFPatterns(RewritePatternSet &patterns) {
  patterns.add<AlignmentToLoops>(patterns.getContext());
}
