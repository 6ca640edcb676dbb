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

/// The first pad of each row (or the row's length): per row, a vector of
/// running minima over `width` lanes at a time (a pad lane contributes its
/// position, any other the length), reduced once at the end of the row.
/// Nothing is carried through memory between vectors.
struct LowerSequenceLengths : OpRewritePattern<SequenceLengthsOp> {
  LowerSequenceLengths(MLIRContext *context, int64_t width)
      : OpRewritePattern(context), width(width) {}

  LogicalResult matchAndRewrite(SequenceLengthsOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    auto tokensType = cast<RankedTensorType>(op.getTokens().getType());
    auto resultType = cast<RankedTensorType>(op.getLengths().getType());
    int64_t rank = tokensType.getRank();
    Value tokens = e.rowsBuffer(op.getTokens());
    Value L = e.dim(tokens, rank - 1);
    SmallVector<Value> sizes;
    for (int64_t d = 0; d + 1 < rank; ++d)
      if (resultType.isDynamicDim(d))
        sizes.push_back(e.dim(tokens, d));
    Value lengths = e.alloc(resultType, sizes);

    auto tokenLanesType = VectorType::get({width}, tokensType.getElementType());
    Value pad = arith::ConstantOp::create(
        rewriter, loc, tokenLanesType,
        DenseElementsAttr::get(
            tokenLanesType, rewriter.getIntegerAttr(tokensType.getElementType(),
                                                    op.getPadId())));
    Value full = ngram::broadcastI32(e, width, L);
    SmallVector<Value> rows;
    for (int64_t d = 0; d + 1 < rank; ++d)
      rows.push_back(e.dim(tokens, d));
    e.loopNest(rows, [&](ArrayRef<Value> row) {
      Value firstPad = e.forLoop(
          e.index(0), L, e.index(width), full,
          [&](Value start, ValueRange acc) {
            Value inRange = ngram::laneMask(e, width, start, L);
            SmallVector<Value> at(row);
            at.push_back(start);
            Value t = ngram::loadLanes(e, tokens, at, inRange, 0);
            Value isPad =
                e.andi(inRange, e.cmpi(arith::CmpIPredicate::eq, t, pad));
            Value candidate =
                e.select(isPad, ngram::lanePositions(e, width, start), full);
            return SmallVector<Value>{e.minsi(acc[0], candidate)};
          })[0];
      e.store(vector::ReductionOp::create(
                  rewriter, loc, vector::CombiningKind::MINSI, firstPad),
              lengths, row);
    });
    rewriter.replaceOp(op, e.tensorOf(lengths, resultType));
    return success();
  }

private:
  int64_t width;
};

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
    if (vectorSize < 1) {
      getOperation()->emitError()
          << "convert-ngram-to-scf: vector-size must be at least 1, got "
          << static_cast<int64_t>(vectorSize);
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateNgramToSCFConversionPatterns(patterns, vectorSize);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::sdp::populateNgramToSCFConversionPatterns(
    RewritePatternSet &patterns, int64_t vectorSize) {
  patterns.add<LowerNgramExtract>(patterns.getContext());
  patterns.add<LowerSequenceLengths>(patterns.getContext(), vectorSize);
  ngram::populateDictionaryLoweringPatterns(patterns, vectorSize);
  ngram::populateCountingLoweringPatterns(patterns, vectorSize);
  ngram::populateBleuScoreLoweringPatterns(patterns);
}
