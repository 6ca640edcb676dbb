//===- FuseMultiplyAdd.cpp - contractible multiply + add into math.fma ----===//
//
// x + a·b, where the multiplication carries the `contract` fast-math flag,
// becomes fma(a, b, x).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_FUSEMULTIPLYADDPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// The multiplication behind `value` when it permits contraction and has no
/// other use (a product read twice would be computed twice).
arith::MulFOp contractibleProduct(Value value) {
  auto mul = value.getDefiningOp<arith::MulFOp>();
  if (!mul || !mul->hasOneUse() ||
      !bitEnumContainsAll(mul.getFastmath(), arith::FastMathFlags::contract))
    return nullptr;
  return mul;
}

struct FuseMultiplyAdd : OpRewritePattern<arith::AddFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    for (auto [product, addend] : {std::pair(add.getRhs(), add.getLhs()),
                                   std::pair(add.getLhs(), add.getRhs())}) {
      // Vectorised reductions reshape the product (unit dimensions) and
      // zero its masked-off lanes before adding it: fuse in the product's
      // shape, keep the addend in masked-off lanes, reshape the sum.
      auto reshape = product.getDefiningOp<vector::ShapeCastOp>();
      if (reshape && reshape->hasOneUse())
        product = reshape.getSource();
      else
        reshape = nullptr;
      auto masked = product.getDefiningOp<arith::SelectOp>();
      if (masked && masked->hasOneUse() &&
          matchPattern(masked.getFalseValue(), m_AnyZeroFloat()))
        product = masked.getTrueValue();
      else
        masked = nullptr;
      arith::MulFOp mul = contractibleProduct(product);
      if (!mul)
        continue;
      Location loc = add.getLoc();
      if (addend.getType() != mul.getType())
        addend =
            vector::ShapeCastOp::create(rewriter, loc, mul.getType(), addend);
      Value fused = math::FmaOp::create(
          rewriter, loc, mul.getLhs(), mul.getRhs(), addend, mul.getFastmath());
      if (masked)
        fused = arith::SelectOp::create(rewriter, loc, masked.getCondition(),
                                        fused, addend);
      if (fused.getType() != add.getType())
        fused =
            vector::ShapeCastOp::create(rewriter, loc, add.getType(), fused);
      rewriter.replaceOp(add, fused);
      if (reshape)
        rewriter.eraseOp(reshape);
      if (masked)
        rewriter.eraseOp(masked);
      rewriter.eraseOp(mul);
      return success();
    }
    return rewriter.notifyMatchFailure(add, "no contractible product");
  }
};

struct FuseMultiplyAddPass
    : mlir::sdp::impl::FuseMultiplyAddPassBase<FuseMultiplyAddPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    sdp::populateFuseMultiplyAddPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void sdp::populateFuseMultiplyAddPatterns(RewritePatternSet &patterns) {
  patterns.add<FuseMultiplyAdd>(patterns.getContext());
}
