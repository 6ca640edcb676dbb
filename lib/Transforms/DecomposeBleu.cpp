//===- DecomposeBleu.cpp - sdp.bleu into the n-gram primitives ------------===//
//
// lengths → per order: windows → dictionary → counts → clipped matches →
// bleu_score over the stacked [orders, B] statistics.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/NgramOps.h"
#include "sdp/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

RankedTensorType dyn(ArrayRef<int64_t> shape, Type element) {
  return RankedTensorType::get(shape, element);
}

struct DecomposeBleu : OpRewritePattern<BleuOp> {
  DecomposeBleu(MLIRContext *context, int64_t batchTile)
      : OpRewritePattern(context), batchTile(batchTile) {}

  LogicalResult matchAndRewrite(BleuOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Type token = getElementTypeOrSelf(op.getCandidates().getType());
    Type i32 = rewriter.getI32Type(), i64 = rewriter.getI64Type();
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

    Value batch = tensor::DimOp::create(rewriter, loc, cand, 0);
    int64_t numOrders = op.getOrders().size();
    Value matches = tensor::EmptyOp::create(rewriter, loc,
                                            ArrayRef<int64_t>{numOrders, kDyn},
                                            i64, ValueRange{batch});
    Value totals = matches;
    if (batchTile <= 0) {
      std::tie(matches, totals) = statistics(rewriter, loc, op, cand, candLen,
                                             refs, refLen, matches, totals,
                                             /*at=*/zeroIndex(rewriter, loc));
    } else {
      // The examples are independent until bleu_score: all orders run on
      // one tile of examples before the next, so the ids one order writes
      // are still in cache when the next order and the clipping read them.
      Value tile = arith::ConstantIndexOp::create(rewriter, loc, batchTile);
      auto loop = scf::ForOp::create(
          rewriter, loc, zeroIndex(rewriter, loc), batch, tile,
          ValueRange{matches, totals},
          [&](OpBuilder &b, Location l, Value first, ValueRange acc) {
            Value size = arith::MinUIOp::create(
                b, l, tile, arith::SubIOp::create(b, l, batch, first));
            auto rows = [&](Value full) -> Value {
              auto shaped = llvm::cast<RankedTensorType>(full.getType());
              int64_t rank = shaped.getRank();
              SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
              SmallVector<OpFoldResult> sizes, strides(rank, b.getIndexAttr(1));
              offsets[0] = first;
              sizes.push_back(size);
              for (int64_t d = 1; d < rank; ++d)
                sizes.push_back(
                    tensor::DimOp::create(b, l, full, d).getResult());
              return tensor::ExtractSliceOp::create(b, l, shaped, full, offsets,
                                                    sizes, strides);
            };
            auto [m, t] =
                statistics(b, l, op, rows(cand), rows(candLen), rows(refs),
                           rows(refLen), acc[0], acc[1], first);
            scf::YieldOp::create(b, l, ValueRange{m, t});
          });
      matches = loop.getResult(0);
      totals = loop.getResult(1);
    }
    Value scores = BleuScoreOp::create(
        rewriter, loc, op.getScores().getType(), matches, totals, candLen,
        refLen, op.getWeightsAttr(), op.getSmoothingAttr(), op.getCompatAttr(),
        op.getCorpusAttr(), op.getAutoReweighAttr(), op.getSmoothValueAttr());
    rewriter.replaceOp(op, scores);
    return success();
  }

private:
  static Value zeroIndex(OpBuilder &b, Location loc) {
    return arith::ConstantIndexOp::create(b, loc, 0);
  }

  /// Per order: dictionary → counts → clipped matches of the examples in
  /// `cand`/`refs`, inserted as columns [at, at + B) of rows 0..orders-1 of
  /// `matches` and `totals` ([orders, batch] i64). The first order of each
  /// run of consecutive orders numbers its windows' tokens; the others
  /// chain (an n-gram's key is the pair of ids of its (n-1)-gram prefix and
  /// suffix) in one scf.for over the orders, so the code does not grow
  /// with max_n (the extra 5-gram row of method5 chains only when it
  /// follows order 4).
  static std::pair<Value, Value>
  statistics(OpBuilder &b, Location loc, BleuOp op, Value cand, Value candLen,
             Value refs, Value refLen, Value matches, Value totals, Value at) {
    Type token = getElementTypeOrSelf(cand.getType());
    Type i32 = b.getI32Type(), i64 = b.getI64Type();
    Value size = tensor::DimOp::create(b, loc, cand, 0);
    // Clipped matches and totals of one order's ids, inserted as `row`.
    auto addOrder = [&](OpBuilder &nb, Location l, Value candIds, Value refIds,
                        Value numUnique, OpFoldResult row, Value &m, Value &t) {
      Value cc = NgramCountOp::create(nb, l, dyn({kDyn, kDyn}, i32), candIds,
                                      numUnique);
      Value rc = NgramCountOp::create(nb, l, dyn({kDyn, kDyn, kDyn}, i32),
                                      refIds, numUnique);
      auto clip = NgramClipOp::create(
          nb, l, TypeRange{dyn({kDyn}, i64), dyn({kDyn}, i64)},
          ValueRange{cc, rc});
      auto insertRow = [&](Value values, Value into) -> Value {
        return tensor::InsertSliceOp::create(
            nb, l, values, into, ArrayRef<OpFoldResult>{row, at},
            ArrayRef<OpFoldResult>{nb.getIndexAttr(1), size},
            ArrayRef<OpFoldResult>{nb.getIndexAttr(1), nb.getIndexAttr(1)});
      };
      m = insertRow(clip.getMatches(), m);
      t = insertRow(clip.getTotals(), t);
    };
    SmallVector<int64_t> orders = op.getOrders();
    for (size_t first = 0; first < orders.size();) {
      size_t end = first + 1;
      while (end < orders.size() && orders[end] == orders[end - 1] + 1)
        ++end;
      int64_t n = orders[first];
      Value cw = NgramExtractOp::create(b, loc, dyn({kDyn, kDyn, n}, token),
                                        cand, candLen);
      Value rw = NgramExtractOp::create(
          b, loc, dyn({kDyn, kDyn, kDyn, n}, token), refs, refLen);
      auto dict = NgramDictOp::create(
          b, loc, dyn({kDyn, kDyn}, i32), dyn({kDyn, kDyn, kDyn}, i32),
          dyn({kDyn}, i32), cw, candLen, rw, refLen, Value(), Value());
      addOrder(b, loc, dict.getCandidateIds(), dict.getReferenceIds(),
               dict.getNumUnique(), b.getIndexAttr(first), matches, totals);
      if (end > first + 1) {
        Value lower = arith::ConstantIndexOp::create(b, loc, first + 1);
        Value upper = arith::ConstantIndexOp::create(b, loc, end);
        Value step = arith::ConstantIndexOp::create(b, loc, 1);
        // Row k holds order orders[first] + (k - first).
        Value rowToOrder =
            arith::ConstantIndexOp::create(b, loc, n - int64_t(first));
        auto loop = scf::ForOp::create(
            b, loc, lower, upper, step,
            ValueRange{dict.getCandidateIds(), dict.getReferenceIds(), matches,
                       totals},
            [&](OpBuilder &nb, Location l, Value row, ValueRange acc) {
              Value order = arith::AddIOp::create(nb, l, row, rowToOrder);
              auto chain = NgramChainOp::create(
                  nb, l, dyn({kDyn, kDyn}, i32), dyn({kDyn, kDyn, kDyn}, i32),
                  dyn({kDyn}, i32), acc[0], candLen, acc[1], refLen, order);
              Value m = acc[2], t = acc[3];
              addOrder(nb, l, chain.getCandidateIds(), chain.getReferenceIds(),
                       chain.getNumUnique(), row, m, t);
              scf::YieldOp::create(nb, l,
                                   ValueRange{chain.getCandidateIds(),
                                              chain.getReferenceIds(), m, t});
            });
        matches = loop.getResult(2);
        totals = loop.getResult(3);
      }
      first = end;
    }
    return {matches, totals};
  }

  static bool isRank2(Value refs) {
    return cast<RankedTensorType>(refs.getType()).getRank() == 2;
  }

  /// Examples per tile of the n-gram statistics; 0: the whole batch at once.
  int64_t batchTile;
};

} // namespace

void mlir::sdp::populateDecomposeBleuPatterns(RewritePatternSet &patterns,
                                              int64_t batchTile) {
  patterns.add<DecomposeBleu>(patterns.getContext(), batchTile);
}
