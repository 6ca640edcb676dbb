//===- SdpVectorToLLVM.cpp - sdp's vector helpers as LLVM intrinsics ------===//
//
// The helpers are pure ops on builtin vectors until here, so bufferization
// and its deallocation analysis see no call of unknown effects; the
// intrinsic calls made here take the same vector types, which the LLVM
// dialect accepts as they are.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpVectorToLLVM.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "sdp/Dialect/NgramOps.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTSDPVECTORTOLLVMPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;

namespace {

/// sdp.vector_compress → llvm.experimental.vector.compress with a poison
/// pass-through (the op leaves the lanes past the kept ones unspecified).
struct LowerVectorCompress : OpRewritePattern<VectorCompressOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(VectorCompressOp op,
                                PatternRewriter &rewriter) const override {
    Type type = op.getType();
    Value poison = LLVM::PoisonOp::create(rewriter, op.getLoc(), type);
    rewriter.replaceOpWithNewOp<LLVM::CallIntrinsicOp>(
        op, type, rewriter.getStringAttr("llvm.experimental.vector.compress"),
        ValueRange{op.getValues(), op.getMask(), poison});
    return success();
  }
};

struct ConvertSdpVectorToLLVMPass
    : mlir::sdp::impl::ConvertSdpVectorToLLVMPassBase<
          ConvertSdpVectorToLLVMPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateSdpVectorToLLVMPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void mlir::sdp::populateSdpVectorToLLVMPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerVectorCompress>(patterns.getContext());
}
