//===- NgramToSCF.cpp - n-gram ops and BLEU scoring to loops --------------===//

#include "sdp/Conversion/NgramToSCF.h"

#include "Emitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Dialect/NgramOps.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTNGRAMTOSCFPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;

namespace {

using ngram::Emitter;
constexpr int64_t kDyn = ShapedType::kDynamic;

//===----------------------------------------------------------------------===//
// sequence_lengths: first pad position, as a min-reduction
//===----------------------------------------------------------------------===//

struct LowerSequenceLengths : OpRewritePattern<SequenceLengthsOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SequenceLengthsOp op,
                                PatternRewriter &rewriter) const override {
    Emitter e{rewriter, op.getLoc()};
    auto tokensType = cast<RankedTensorType>(op.getTokens().getType());
    auto resultType = cast<RankedTensorType>(op.getLengths().getType());
    int64_t rank = tokensType.getRank();
    Value length = e.toI32(e.dim(op.getTokens(), rank - 1));
    SmallVector<Value> sizes;
    for (int64_t d = 0; d + 1 < rank; ++d)
      if (resultType.isDynamicDim(d))
        sizes.push_back(e.dim(op.getTokens(), d));
    Value init =
        linalg::FillOp::create(rewriter, op.getLoc(), length,
                               tensor::EmptyOp::create(
                                   rewriter, op.getLoc(), resultType.getShape(),
                                   rewriter.getI32Type(), sizes)
                                   .getResult())
            .getResult(0);
    MLIRContext *ctx = op.getContext();
    AffineMap in = AffineMap::getMultiDimIdentityMap(rank, ctx);
    AffineMap out = in.dropResult(rank - 1);
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    iterators.back() = utils::IteratorType::reduction;
    Type tokenType = tokensType.getElementType();
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), resultType, op.getTokens(), init,
        SmallVector<AffineMap>{in, out}, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value pad = arith::ConstantOp::create(
              nb, l, IntegerAttr::get(tokenType, op.getPadId()));
          Value isPad = be.cmpi(arith::CmpIPredicate::eq, args[0], pad);
          Value pos = be.toI32(linalg::IndexOp::create(nb, l, rank - 1));
          // The output feeds only the combiner, so this vectorizes as a
          // min-reduction.
          Value candidate = be.select(isPad, pos, length);
          linalg::YieldOp::create(nb, l, be.minsi(args[1], candidate));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ngram_extract: windows[..., i, k] = tokens[..., i + k] (0 past the end)
//===----------------------------------------------------------------------===//

struct LowerNgramExtract : OpRewritePattern<NgramExtractOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NgramExtractOp op,
                                PatternRewriter &rewriter) const override {
    // Windows only read by dictionaries that fuse them are not built.
    if (!op->use_empty() &&
        llvm::all_of(op->getUsers(), ngram::windowsFuseIntoDictionary))
      return failure();
    Emitter e{rewriter, op.getLoc()};
    auto type = cast<RankedTensorType>(op.getWindows().getType());
    int64_t rank = type.getRank();
    Value tokens = op.getTokens();
    SmallVector<Value> sizes;
    for (int64_t d = 0; d + 1 < rank; ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(e.dim(tokens, d));
    Value init = tensor::EmptyOp::create(rewriter, op.getLoc(), type.getShape(),
                                         type.getElementType(), sizes);
    Value length = e.dim(tokens, rank - 2);
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), type, ValueRange{}, init,
        SmallVector<AffineMap>{
            AffineMap::getMultiDimIdentityMap(rank, op.getContext())},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange) {
          Emitter be{nb, l};
          SmallVector<Value> indices;
          for (int64_t d = 0; d + 2 < rank; ++d)
            indices.push_back(linalg::IndexOp::create(nb, l, d));
          Value pos = be.add(linalg::IndexOp::create(nb, l, rank - 2),
                             linalg::IndexOp::create(nb, l, rank - 1));
          Value inside = be.cmpi(arith::CmpIPredicate::ult, pos, length);
          Value last = be.sub(length, be.index(1));
          indices.push_back(be.select(inside, pos, last));
          Value token = tensor::ExtractOp::create(nb, l, tokens, indices);
          Value zero = arith::ConstantOp::create(
              nb, l, IntegerAttr::get(type.getElementType(), 0));
          linalg::YieldOp::create(nb, l, be.select(inside, token, zero));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

namespace {
struct ConvertNgramToSCFPass
    : mlir::sdp::impl::ConvertNgramToSCFPassBase<ConvertNgramToSCFPass> {
  using ConvertNgramToSCFPassBase::ConvertNgramToSCFPassBase;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateNgramToSCFConversionPatterns(patterns, vectorSize);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::sdp::populateNgramToSCFConversionPatterns(
    RewritePatternSet &patterns, int64_t vectorSize) {
  patterns.add<LowerSequenceLengths, LowerNgramExtract>(patterns.getContext());
  ngram::populateDictionaryLoweringPatterns(patterns, vectorSize);
  ngram::populateCountingLoweringPatterns(patterns, vectorSize);
  ngram::populateBleuScoreLoweringPatterns(patterns);
}
