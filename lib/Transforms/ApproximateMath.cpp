//===- ApproximateMath.cpp - polynomial exp/log ---------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "sdp/Transforms/Passes.h"

#include <cmath>

namespace mlir::sdp {
#define GEN_PASS_DEF_APPROXIMATEMATHPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {
/// floor(x) in arith alone, on scalars or vectors: truncate through i64 and
/// step down when that rounded up, keeping the sign of -0.0. Floats of
/// magnitude 2^mantissa or more (and inf, NaN) are already integral and pass
/// through.
struct FloorViaIntegers : OpRewritePattern<math::FloorOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(math::FloorOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    auto element = dyn_cast<FloatType>(getElementTypeOrSelf(type));
    if (!element || (!element.isF32() && !element.isF64()))
      return failure();
    Location loc = op.getLoc();
    Value x = op.getOperand();
    // Scalars or splat vectors of the operand's shape.
    auto like = [&](Type scalar) -> Type {
      if (auto vector = dyn_cast<VectorType>(type))
        return vector.clone(scalar);
      return scalar;
    };
    auto constant = [&](Type scalar, TypedAttr value) -> Value {
      Type t = like(scalar);
      if (auto vector = dyn_cast<VectorType>(t))
        return arith::ConstantOp::create(rewriter, loc,
                                         DenseElementsAttr::get(vector, value));
      return arith::ConstantOp::create(rewriter, loc, value);
    };
    auto real = [&](double v) {
      return constant(element, rewriter.getFloatAttr(element, v));
    };
    unsigned width = element.getWidth();
    Type bits = rewriter.getIntegerType(width);
    Value truncated = arith::SIToFPOp::create(
        rewriter, loc, type,
        arith::FPToSIOp::create(rewriter, loc, like(rewriter.getI64Type()), x));
    Value roundedUp = arith::CmpFOp::create(
        rewriter, loc, arith::CmpFPredicate::OGT, truncated, x);
    Value floor = arith::SelectOp::create(
        rewriter, loc, roundedUp,
        arith::SubFOp::create(rewriter, loc, truncated, real(1.0)), truncated);
    // The integer round trip loses the sign of -0.0 (and of nothing else:
    // the floor of a negative number is negative).
    Value sign = arith::AndIOp::create(
        rewriter, loc, arith::BitcastOp::create(rewriter, loc, like(bits), x),
        constant(bits,
                 rewriter.getIntegerAttr(bits, APInt::getSignMask(width))));
    floor = arith::BitcastOp::create(
        rewriter, loc, type,
        arith::OrIOp::create(
            rewriter, loc,
            arith::BitcastOp::create(rewriter, loc, like(bits), floor), sign));
    double integral = std::ldexp(1.0, element.getFPMantissaWidth() - 1);
    Value small = arith::AndIOp::create(
        rewriter, loc,
        arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OLT, x,
                              real(integral)),
        arith::CmpFOp::create(rewriter, loc, arith::CmpFPredicate::OGT, x,
                              real(-integral)));
    rewriter.replaceOpWithNewOp<arith::SelectOp>(op, small, floor, x);
    return success();
  }
};

struct ApproximateMathPass
    : mlir::sdp::impl::ApproximateMathPassBase<ApproximateMathPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    if (expandRounding)
      patterns.add<FloorViaIntegers>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
