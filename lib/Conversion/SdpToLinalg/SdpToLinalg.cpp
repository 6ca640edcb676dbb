//===- SdpToLinalg.cpp - sdp.contract to linalg.generic -------------------===//

#include "sdp/Conversion/SdpToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Dialect/SdpOps.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTSDPTOLINALGPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;

namespace {

/// Builds the empty result tensor, reading each dynamic size from an input
/// dimension that carries the same letter.
static Value buildEmptyResult(OpBuilder &b, Location loc, ContractOp op,
                              const ContractionSpec &spec) {
  auto resultType = cast<RankedTensorType>(op.getType());
  SmallVector<Value> dynamicSizes;
  for (auto [dim, letter] : llvm::enumerate(spec.getOutput())) {
    if (!resultType.isDynamicDim(dim))
      continue;
    for (auto [i, input] : llvm::enumerate(op.getInputs())) {
      size_t pos = spec.getInput(i).find(letter);
      if (pos == llvm::StringRef::npos)
        continue;
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, input, pos));
      break;
    }
  }
  return tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                 resultType.getElementType(), dynamicSizes);
}

struct ContractToGeneric : OpRewritePattern<ContractOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ContractOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    ContractionSpec spec = op.getContractionSpec();
    SemiringAttrInterface semiring = op.getSemiring();
    Type elementType = getElementTypeOrSelf(op.getType());
    bool reduces = spec.getNumReduced() > 0;

    // A pure product needs no accumulator: every result element is written.
    Value init = buildEmptyResult(rewriter, loc, op, spec);
    if (reduces) {
      Value zero = semiring.buildZero(rewriter, loc, elementType);
      init = linalg::FillOp::create(rewriter, loc, zero, init).getResult(0);
    }

    SmallVector<AffineMap> maps;
    for (unsigned i = 0, e = spec.getNumInputs(); i < e; ++i)
      maps.push_back(spec.getInputMap(i, ctx));
    maps.push_back(spec.getOutputMap(ctx));
    SmallVector<utils::IteratorType> iterators;
    for (char letter : spec.getLoopLetters())
      iterators.push_back(spec.isReduced(letter)
                              ? utils::IteratorType::reduction
                              : utils::IteratorType::parallel);

    auto generic = linalg::GenericOp::create(
        rewriter, loc, op.getType(), op.getInputs(), init, maps, iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          ValueRange factors = args.drop_back();
          Value product = factors.front();
          for (Value factor : factors.drop_front())
            product = semiring.buildMul(b, bodyLoc, product, factor);
          Value result =
              reduces ? semiring.buildAdd(b, bodyLoc, args.back(), product)
                      : product;
          linalg::YieldOp::create(b, bodyLoc, result);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct ConvertSdpToLinalgPass
    : mlir::sdp::impl::ConvertSdpToLinalgPassBase<ConvertSdpToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateSdpToLinalgConversionPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::sdp::populateSdpToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ContractToGeneric>(patterns.getContext());
}
