//===- TreeVectorReductions.cpp - float min/max reductions by halving -----===//
//
// LLVM expands a float max/min reduction without `nnan` on x86 into a chain
// of scalar steps, one per lane, each waiting on the previous. Reducing by
// halves instead takes log2(lanes) vector steps of the same operation.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_TREEVECTORREDUCTIONSPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// `x` combined with `y` lane-wise under `kind` (a float min or max).
Value combine(OpBuilder &b, Location loc, vector::CombiningKind kind, Value x,
              Value y) {
  using Kind = vector::CombiningKind;
  switch (kind) {
  case Kind::MAXNUMF:
    return arith::MaxNumFOp::create(b, loc, x, y);
  case Kind::MINNUMF:
    return arith::MinNumFOp::create(b, loc, x, y);
  case Kind::MAXIMUMF:
    return arith::MaximumFOp::create(b, loc, x, y);
  case Kind::MINIMUMF:
    return arith::MinimumFOp::create(b, loc, x, y);
  default:
    llvm_unreachable("not a float min/max");
  }
}

struct ReduceByHalves : OpRewritePattern<vector::ReductionOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::ReductionOp op,
                                PatternRewriter &rewriter) const override {
    using Kind = vector::CombiningKind;
    Kind kind = op.getKind();
    if (kind != Kind::MAXNUMF && kind != Kind::MINNUMF &&
        kind != Kind::MAXIMUMF && kind != Kind::MINIMUMF)
      return rewriter.notifyMatchFailure(op, "not a float min/max");
    VectorType type = op.getSourceVectorType();
    int64_t lanes = type.getRank() == 1 ? type.getDimSize(0) : 0;
    if (type.isScalable() || lanes < 2 || !llvm::isPowerOf2_64(lanes))
      return rewriter.notifyMatchFailure(op, "not a power-of-two 1-D vector");
    Location loc = op.getLoc();
    Value v = op.getVector();
    for (int64_t half = lanes / 2; half >= 1; half /= 2) {
      auto slice = [&](int64_t offset) {
        return vector::ExtractStridedSliceOp::create(
            rewriter, loc, v, ArrayRef<int64_t>{offset},
            ArrayRef<int64_t>{half}, ArrayRef<int64_t>{1});
      };
      Value low = slice(0);
      Value high = slice(half);
      v = combine(rewriter, loc, kind, low, high);
    }
    Value result =
        vector::ExtractOp::create(rewriter, loc, v, ArrayRef<int64_t>{0});
    if (Value acc = op.getAcc())
      result = combine(rewriter, loc, kind, result, acc);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct TreeVectorReductionsPass
    : mlir::sdp::impl::TreeVectorReductionsPassBase<TreeVectorReductionsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ReduceByHalves>(&getContext());
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
