//===- FoldAddIntoReductions.cpp - start sum reductions from their addend -===//
//
// A + (zero-started sum reduction R) becomes R started from A.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_FOLDADDINTOREDUCTIONSPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// The single op of `op`'s body before its yield, when the body is exactly
/// one `arith.addf` whose result is yielded.
arith::AddFOp getSingleAddBody(linalg::GenericOp op) {
  Block *body = op.getBody();
  if (body->getOperations().size() != 2)
    return nullptr;
  auto add = dyn_cast<arith::AddFOp>(body->front());
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (!add || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != add.getResult())
    return nullptr;
  return add;
}

/// True when `op` is a zero-started sum: one result, its init a
/// `linalg.fill` of +0.0, and its body's yield `out + x` (either order)
/// with `out` read nowhere else.
bool isZeroStartedSum(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || op->getNumResults() != 1)
    return false;
  auto fill = op.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>();
  if (!fill || !matchPattern(fill.value(), m_PosZeroFloat()))
    return false;
  BlockArgument out = op.getMatchingBlockArgument(op.getDpsInitOperand(0));
  if (!out.hasOneUse())
    return false;
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  auto sum = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  return sum && sum->getBlock() == op.getBody() &&
         (sum.getLhs() == out || sum.getRhs() == out) &&
         *out.user_begin() == sum;
}

struct FoldAddIntoReduction : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp add,
                                PatternRewriter &rewriter) const override {
    if (add.getNumDpsInputs() != 2 || add.getNumDpsInits() != 1 ||
        add.getNumParallelLoops() != add.getNumLoops() ||
        !llvm::all_of(add.getIndexingMapsArray(),
                      [](AffineMap map) { return map.isIdentity(); }))
      return rewriter.notifyMatchFailure(add, "not an element-wise op");
    arith::AddFOp body = getSingleAddBody(add);
    if (!body)
      return rewriter.notifyMatchFailure(add, "body is not one addf");
    Block *block = add.getBody();
    if (!llvm::is_contained(block->getArguments().take_front(2),
                            body.getLhs()) ||
        !llvm::is_contained(block->getArguments().take_front(2),
                            body.getRhs()) ||
        body.getLhs() == body.getRhs())
      return rewriter.notifyMatchFailure(add, "does not add its inputs");

    for (unsigned i = 0; i < 2; ++i) {
      Value reduced = add.getDpsInputOperand(i)->get();
      Value addend = add.getDpsInputOperand(1 - i)->get();
      auto reduction = reduced.getDefiningOp<linalg::GenericOp>();
      // Same block: moving a reduction into a loop body (where the add
      // may be) would run it once per iteration.
      if (!reduction || !reduced.hasOneUse() ||
          reduction->getBlock() != add->getBlock() ||
          reduced.getType() != addend.getType() ||
          addend.getType() != add->getResult(0).getType() ||
          !isZeroStartedSum(reduction))
        continue;
      // The reduction, started from the addend, where the add was: both
      // its inputs and the addend are defined by then.
      rewriter.setInsertionPoint(add);
      SmallVector<Value> inputs(reduction.getDpsInputs());
      auto folded = linalg::GenericOp::create(
          rewriter, reduction.getLoc(), reduced.getType(), inputs,
          ValueRange{addend}, reduction.getIndexingMapsArray(),
          reduction.getIteratorTypesArray());
      rewriter.cloneRegionBefore(reduction.getRegion(), folded.getRegion(),
                                 folded.getRegion().end());
      rewriter.replaceOp(add, folded->getResults());
      rewriter.eraseOp(reduction);
      return success();
    }
    return rewriter.notifyMatchFailure(add, "no zero-started sum to fold");
  }
};

struct FoldAddIntoReductionsPass
    : mlir::sdp::impl::FoldAddIntoReductionsPassBase<
          FoldAddIntoReductionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    sdp::populateFoldAddIntoReductionsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void sdp::populateFoldAddIntoReductionsPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldAddIntoReduction>(patterns.getContext());
}
