//===- GatherToLinalg.cpp - sdp.gather to linalg.generic ------------------===//
//
// One parallel linalg.generic over the result's letters reads the indices
// as an input and the source with tensor.extract at the clamped position.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToLinalg.h"

#include "../Utils/Emitter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/ContractionSpec.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

struct GatherToGeneric : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op,
                                PatternRewriter &rewriter) const override {
    ContractionSpec spec = op.getGatherSpec();
    StringRef sourceLetters = spec.getInput(0);
    StringRef indexLetters = spec.getInput(1);
    StringRef resultLetters = spec.getOutput();
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    unsigned gathered = op.getGatheredDim();

    // Result sizes: from the source where it has the letter, else from the
    // indices.
    RankedTensorType resultType = op.getResult().getType();
    SmallVector<Value> dynamicSizes;
    for (auto [dim, c] : llvm::enumerate(resultLetters)) {
      if (!resultType.isDynamicDim(dim))
        continue;
      size_t inSource = sourceLetters.find(c);
      dynamicSizes.push_back(
          inSource != StringRef::npos
              ? tensor::DimOp::create(rewriter, loc, op.getSource(), inSource)
              : tensor::DimOp::create(rewriter, loc, op.getIndices(),
                                      indexLetters.find(c)));
    }
    Value init =
        tensor::EmptyOp::create(rewriter, loc, resultType.getShape(),
                                resultType.getElementType(), dynamicSizes);
    Value gatheredSize =
        tensor::DimOp::create(rewriter, loc, op.getSource(), gathered);

    SmallVector<AffineExpr> indexExprs;
    for (char c : indexLetters)
      indexExprs.push_back(getAffineDimExpr(resultLetters.find(c), ctx));
    SmallVector<AffineMap> maps{
        AffineMap::get(resultLetters.size(), 0, indexExprs, ctx),
        rewriter.getMultiDimIdentityMap(resultLetters.size())};
    SmallVector<utils::IteratorType> iterators(resultLetters.size(),
                                               utils::IteratorType::parallel);
    Value source = op.getSource();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{op.getIndices()},
        ValueRange{init}, maps, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> coords;
          for (auto [dim, c] : llvm::enumerate(sourceLetters))
            coords.push_back(
                dim == gathered
                    ? Emitter{b, l}.clampedIndex(args[0], gatheredSize)
                    : linalg::IndexOp::create(b, l, resultLetters.find(c))
                          .getResult());
          Value element = tensor::ExtractOp::create(b, l, source, coords);
          linalg::YieldOp::create(b, l, element);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void mlir::sdp::populateGatherToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<GatherToGeneric>(patterns.getContext());
}
