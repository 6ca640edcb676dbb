//===- ExpandStridedCopies.cpp - strided memref.copy to linalg.copy -------===//

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_EXPANDSTRIDEDCOPIESPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// True when `type` (a ranked memref) is known to be one contiguous block.
bool isContiguous(Type type) {
  auto memref = dyn_cast<MemRefType>(type);
  return memref && memref.getLayout().isIdentity();
}

struct StridedCopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    Type source = op.getSource().getType(), target = op.getTarget().getType();
    if (!isa<MemRefType>(source) || !isa<MemRefType>(target))
      return rewriter.notifyMatchFailure(op, "unranked memrefs");
    if (isContiguous(source) && isContiguous(target))
      return rewriter.notifyMatchFailure(op, "one memcpy does it");
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct ExpandStridedCopiesPass
    : mlir::sdp::impl::ExpandStridedCopiesPassBase<ExpandStridedCopiesPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<StridedCopyToLinalg>(&getContext());
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
