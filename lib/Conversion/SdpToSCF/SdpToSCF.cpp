//===- SdpToSCF.cpp - sdp.scan to scf.for ---------------------------------===//
//
// sdp.alignment, sdp.scatter, sdp.max_arborescence and the dense linear
// algebra (sdp.logdet, sdp.inverse) have their own files.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToSCF.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Dialect/SdpOps.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTSDPTOSCFPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;

namespace {

/// Extracts position `step` of axis `along` of `sequence`, dropping the axis.
static Value extractStep(OpBuilder &b, Location loc, Value sequence,
                         int64_t along, Value step) {
  auto type = cast<RankedTensorType>(sequence.getType());
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, sequence);
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  offsets[along] = step;
  sizes[along] = b.getIndexAttr(1);
  return tensor::ExtractSliceOp::create(b, loc,
                                        ScanOp::getSliceType(type, along),
                                        sequence, offsets, sizes, strides);
}

struct ScanToFor : OpRewritePattern<ScanOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ScanOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t along = op.getAlong();
    Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value one = arith::ConstantIndexOp::create(rewriter, loc, 1);
    Value numSteps =
        tensor::DimOp::create(rewriter, loc, op.getSequences().front(), along);
    Value lastStep;
    if (op.getReverse())
      lastStep = arith::SubIOp::create(rewriter, loc, numSteps, one);

    auto loop = scf::ForOp::create(
        rewriter, loc, zero, numSteps, one, op.getInits(),
        [&](OpBuilder &b, Location bodyLoc, Value iv, ValueRange carried) {
          Value step = iv;
          if (op.getReverse())
            step = arith::SubIOp::create(b, bodyLoc, lastStep, iv);
          IRMapping mapping;
          mapping.map(op.getStepIndex(), step);
          mapping.map(op.getCarriedArgs(), carried);
          for (auto [sequence, sliceArg] :
               llvm::zip_equal(op.getSequences(), op.getSliceArgs()))
            mapping.map(sliceArg,
                        extractStep(b, bodyLoc, sequence, along, step));
          Block &body = op.getBody().front();
          for (Operation &bodyOp : body.without_terminator())
            b.clone(bodyOp, mapping);
          SmallVector<Value> next;
          for (Value value : op.getYield().getValues())
            next.push_back(mapping.lookupOrDefault(value));
          scf::YieldOp::create(b, bodyLoc, next);
        });
    rewriter.replaceOp(op, loop.getResults());
    return success();
  }
};

struct ConvertSdpToSCFPass
    : mlir::sdp::impl::ConvertSdpToSCFPassBase<ConvertSdpToSCFPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateSdpToSCFConversionPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::sdp::populateSdpToSCFConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ScanToFor>(patterns.getContext());
  populateAlignmentToSCFPatterns(patterns);
  populateScatterToSCFPatterns(patterns);
  populateArborescenceToSCFPatterns(patterns);
  populateLinearAlgebraToSCFPatterns(patterns);
}
