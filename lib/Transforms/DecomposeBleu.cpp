//===- DecomposeBleu.cpp - sdp.bleu into the n-gram primitives ------------===//
//
// lengths → per order: windows → dictionary → counts → clipped matches →
// bleu_score over the stacked [orders, B] statistics.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/NgramOps.h"
#include "sdp/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

struct DecomposeBleu : OpRewritePattern<BleuOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BleuOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type token = getElementTypeOrSelf(op.getCandidates().getType());
    Type i32 = rewriter.getI32Type(), i64 = rewriter.getI64Type();
    auto dyn = [&](ArrayRef<int64_t> shape, Type element) {
      return RankedTensorType::get(shape, element);
    };
    auto cast = [&](Value v, Type t) -> Value {
      return v.getType() == t ? v : tensor::CastOp::create(rewriter, loc, t, v);
    };

    Value cand = cast(op.getCandidates(), dyn({kDyn, kDyn}, token));
    Value refs = op.getReferences();
    if (isRank2(refs)) // one reference per candidate: [B, 1, Lr]
      refs = tensor::ExpandShapeOp::create(
          rewriter, loc, dyn({kDyn, 1, kDyn}, token),
          cast(refs, dyn({kDyn, kDyn}, token)),
          SmallVector<ReassociationIndices>{{0, 1}, {2}},
          SmallVector<OpFoldResult>{
              tensor::DimOp::create(rewriter, loc, op.getReferences(), 0)
                  .getResult(),
              rewriter.getIndexAttr(1),
              tensor::DimOp::create(rewriter, loc, op.getReferences(), 1)
                  .getResult()});
    refs = cast(refs, dyn({kDyn, kDyn, kDyn}, token));

    IntegerAttr pad = rewriter.getI64IntegerAttr(op.getPadId());
    Value candLen =
        SequenceLengthsOp::create(rewriter, loc, dyn({kDyn}, i32), cand, pad);
    Value refLen = SequenceLengthsOp::create(rewriter, loc,
                                             dyn({kDyn, kDyn}, i32), refs, pad);

    SmallVector<int64_t> orders = op.getOrders();

    SmallVector<Value> matchRows, totalRows;
    // Consecutive orders chain: an n-gram's key is the pair of ids of its
    // (n-1)-gram prefix and suffix (the extra 5-gram row of method5 chains
    // only when it follows order 4).
    Value prevCand, prevRef;
    int64_t prevOrder = 0;
    for (int64_t n : orders) {
      bool chained = prevCand && n == prevOrder + 1;
      Value cw = NgramExtractOp::create(
          rewriter, loc, dyn({kDyn, kDyn, n}, token), cand, candLen);
      Value rw = NgramExtractOp::create(
          rewriter, loc, dyn({kDyn, kDyn, kDyn, n}, token), refs, refLen);
      auto dict = NgramDictOp::create(
          rewriter, loc, dyn({kDyn, kDyn}, i32), dyn({kDyn, kDyn, kDyn}, i32),
          dyn({kDyn}, i32), cw, candLen, rw, refLen,
          chained ? prevCand : Value(), chained ? prevRef : Value());
      prevCand = dict.getCandidateIds();
      prevRef = dict.getReferenceIds();
      prevOrder = n;
      Value cc =
          NgramCountOp::create(rewriter, loc, dyn({kDyn, kDyn}, i32),
                               dict.getCandidateIds(), dict.getNumUnique());
      Value rc =
          NgramCountOp::create(rewriter, loc, dyn({kDyn, kDyn, kDyn}, i32),
                               dict.getReferenceIds(), dict.getNumUnique());
      auto clip = NgramClipOp::create(
          rewriter, loc, TypeRange{dyn({kDyn}, i64), dyn({kDyn}, i64)},
          ValueRange{cc, rc});
      matchRows.push_back(clip.getMatches());
      totalRows.push_back(clip.getTotals());
    }

    Value batch = tensor::DimOp::create(rewriter, loc, cand, 0);
    auto stack = [&](ArrayRef<Value> rows) {
      int64_t count = rows.size();
      Value stacked =
          tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{count, kDyn},
                                  i64, ValueRange{batch});
      for (auto [i, row] : llvm::enumerate(rows))
        stacked = tensor::InsertSliceOp::create(
            rewriter, loc, row, stacked,
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(i),
                                   rewriter.getIndexAttr(0)},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1), batch},
            ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                                   rewriter.getIndexAttr(1)});
      return stacked;
    };
    Value matches = stack(matchRows), totals = stack(totalRows);
    Value scores = BleuScoreOp::create(
        rewriter, loc, op.getScores().getType(), matches, totals, candLen,
        refLen, op.getWeightsAttr(), op.getSmoothingAttr(), op.getCompatAttr(),
        op.getCorpusAttr(), op.getAutoReweighAttr(), op.getSmoothValueAttr());
    rewriter.replaceOp(op, scores);
    return success();
  }

private:
  static bool isRank2(Value refs) {
    return cast<RankedTensorType>(refs.getType()).getRank() == 2;
  }
};

} // namespace

void mlir::sdp::populateDecomposeBleuPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeBleu>(patterns.getContext());
}
