//===- Counting.cpp - sdp.ngram_count and sdp.ngram_clip ------------------===//

#include "Emitter.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/NgramOps.h"

using namespace mlir;
using namespace mlir::sdp;
using mlir::sdp::ngram::Emitter;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

//===----------------------------------------------------------------------===//
// ngram_count: scatter-add into [B, ..., U]
//===----------------------------------------------------------------------===//

/// The counts a clip reads, when both come from sdp.ngram_count over one
/// dictionary ([B, Lc] candidate ids, [B, R, Lr] reference ids): then the
/// clip counts per example in O(U) scratch instead.
static std::optional<std::pair<NgramCountOp, NgramCountOp>>
fusableCounts(NgramClipOp clip) {
  auto cand = clip.getCandidateCounts().getDefiningOp<NgramCountOp>();
  auto refs = clip.getReferenceCounts().getDefiningOp<NgramCountOp>();
  if (!cand || !refs || cand.getNumUnique() != refs.getNumUnique() ||
      cast<RankedTensorType>(cand.getIds().getType()).getRank() != 2 ||
      cast<RankedTensorType>(refs.getIds().getType()).getRank() != 3)
    return std::nullopt;
  return std::make_pair(cand, refs);
}

struct LowerNgramCount : OpRewritePattern<NgramCountOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NgramCountOp op,
                                PatternRewriter &rewriter) const override {
    // Counts only clipped are fused into the clipping instead.
    if (!op->use_empty() && llvm::all_of(op->getUsers(), [](Operation *user) {
          auto clip = dyn_cast<NgramClipOp>(user);
          return clip && fusableCounts(clip);
        }))
      return failure();
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    auto idsType = cast<RankedTensorType>(op.getIds().getType());
    auto countsType = cast<RankedTensorType>(op.getCounts().getType());
    int64_t rank = idsType.getRank();
    Value ids = e.rowsBuffer(op.getIds());
    Value num = e.rowsBuffer(op.getNumUnique());
    Value B = e.dim(ids, 0);

    // U: the largest dictionary of the batch.
    auto maxLoop = scf::ForOp::create(
        rewriter, loc, e.index(0), B, e.index(1), ValueRange{e.i32(0)},
        [&](OpBuilder &nb, Location l, Value bi, ValueRange acc) {
          Emitter be{nb, l};
          scf::YieldOp::create(nb, l, be.maxsi(acc[0], be.load(num, {bi})));
        });
    Value U = e.toIndex(maxLoop.getResult(0));
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < rank; ++d)
      if (countsType.isDynamicDim(d))
        sizes.push_back(d + 1 < rank ? e.dim(ids, d) : U);
    Value counts = e.alloc(countsType, sizes);
    linalg::FillOp::create(rewriter, loc, ValueRange{e.i32(0)},
                           ValueRange{counts});

    // Nested loops over every position; ids of -1 are skipped.
    SmallVector<Value> extents;
    for (int64_t d = 0; d < rank; ++d)
      extents.push_back(e.dim(ids, d));
    e.loopNest(extents, [&](ArrayRef<Value> ivs) {
      Value id = e.load(ids, ivs);
      Value valid = e.cmpi(arith::CmpIPredicate::sge, id, e.i32(0));
      auto ifValid = scf::IfOp::create(rewriter, loc, valid, false);
      OpBuilder::InsertionGuard g(rewriter);
      rewriter.setInsertionPointToStart(ifValid.thenBlock());
      SmallVector<Value> at(ivs.drop_back());
      at.push_back(e.toIndex(id));
      e.store(e.add(e.load(counts, at), e.i32(1)), counts, at);
    });
    rewriter.replaceOp(op, e.tensorOf(counts, countsType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ngram_clip: two linalg reductions
//===----------------------------------------------------------------------===//

struct LowerNgramClip : OpRewritePattern<NgramClipOp> {
  LowerNgramClip(MLIRContext *context, int64_t width)
      : OpRewritePattern(context), width(width) {}
  LogicalResult matchAndRewrite(NgramClipOp op,
                                PatternRewriter &rewriter) const override {
    if (auto counts = fusableCounts(op))
      return lowerFused(op, counts->first, counts->second, rewriter);
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    MLIRContext *ctx = op.getContext();
    Value cand = op.getCandidateCounts(), refs = op.getReferenceCounts();
    Value B = e.dim(cand, 0), U = e.dim(cand, 1);

    // maxRef[b, u] = max_r refs[b, r, u]
    Value maxInit =
        linalg::FillOp::create(rewriter, loc, e.i32(0),
                               tensor::EmptyOp::create(
                                   rewriter, loc, ArrayRef<int64_t>{kDyn, kDyn},
                                   rewriter.getI32Type(), ValueRange{B, U})
                                   .getResult())
            .getResult(0);
    AffineExpr d0, d1, d2;
    bindDims(ctx, d0, d1, d2);
    auto maxRef = linalg::GenericOp::create(
        rewriter, loc, maxInit.getType(), refs, maxInit,
        SmallVector<AffineMap>{AffineMap::get(3, 0, {d0, d2, d1}, ctx),
                               AffineMap::get(3, 0, {d0, d1}, ctx)},
        SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                         utils::IteratorType::parallel,
                                         utils::IteratorType::reduction},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          linalg::YieldOp::create(nb, l, be.maxsi(args[0], args[1]));
        });

    // matches[b] = Σ_u min(cand, maxRef), totals[b] = Σ_u cand
    auto i64Type = RankedTensorType::get({kDyn}, rewriter.getI64Type());
    Value zeros =
        linalg::FillOp::create(
            rewriter, loc, e.i64(0),
            tensor::EmptyOp::create(rewriter, loc, ArrayRef<int64_t>{kDyn},
                                    rewriter.getI64Type(), ValueRange{B})
                .getResult())
            .getResult(0);
    AffineMap id2 = AffineMap::getMultiDimIdentityMap(2, ctx);
    AffineMap row = AffineMap::get(2, 0, {d0}, ctx);
    auto sums = linalg::GenericOp::create(
        rewriter, loc, TypeRange{i64Type, i64Type},
        ValueRange{cand, maxRef.getResult(0)}, ValueRange{zeros, zeros},
        SmallVector<AffineMap>{id2, id2, row, row},
        SmallVector<utils::IteratorType>{utils::IteratorType::parallel,
                                         utils::IteratorType::reduction},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value clipped = be.toI64(be.minsi(args[0], args[1]));
          linalg::YieldOp::create(
              nb, l,
              ValueRange{be.add(args[2], clipped),
                         be.add(args[3], be.toI64(args[0]))});
        });
    Value matches = sums.getResult(0), totals = sums.getResult(1);
    if (matches.getType() != op.getMatches().getType()) {
      matches = tensor::CastOp::create(rewriter, loc, op.getMatches().getType(),
                                       matches);
      totals = tensor::CastOp::create(rewriter, loc, op.getTotals().getType(),
                                      totals);
    }
    rewriter.replaceOp(op, {matches, totals});
    return success();
  }

private:
  /// Per example: count the candidate ids, count each reference into a
  /// scratch row and keep the running maximum, then clip and sum, all in
  /// O(num_unique) buffers that stay in cache. No [B, R, U] is ever built.
  LogicalResult lowerFused(NgramClipOp op, NgramCountOp candCount,
                           NgramCountOp refCount,
                           PatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    Value candIds = e.rowsBuffer(candCount.getIds());
    Value refIds = e.rowsBuffer(refCount.getIds());
    Value num = e.rowsBuffer(candCount.getNumUnique());
    Value B = e.dim(candIds, 0), Lc = e.dim(candIds, 1);
    Value R = e.dim(refIds, 1), Lr = e.dim(refIds, 2);
    auto scratchType = MemRefType::get({kDyn}, rewriter.getI32Type());
    // A dictionary never has more ids than candidate windows.
    Value candCounts =
        memref::AllocOp::create(rewriter, loc, scratchType, ValueRange{Lc});
    Value refCounts =
        memref::AllocOp::create(rewriter, loc, scratchType, ValueRange{Lc});
    Value maxRef =
        memref::AllocOp::create(rewriter, loc, scratchType, ValueRange{Lc});
    // compact's whole-vector stores need `width` entries of slack.
    Value present = memref::AllocOp::create(
        rewriter, loc, scratchType,
        ValueRange{e.add(e.maxsi(Lc, Lr), e.index(width))});
    auto resultType = cast<RankedTensorType>(op.getMatches().getType());
    Value matches = e.alloc(
        resultType, resultType.isDynamicDim(0) ? ValueRange{B} : ValueRange{});
    Value totals = e.alloc(
        resultType, resultType.isDynamicDim(0) ? ValueRange{B} : ValueRange{});
    Value zero = e.i32(0);
    // The ids in [0, U) (not -1; larger ones would be malformed) are
    // compacted first, then counted: the scatter-add loop has no skipped
    // iterations, no branch and no out-of-bounds slot.
    auto compactIds = [&](Value ids, ArrayRef<Value> prefix, Value length,
                          Value U) {
      Value bound = ngram::broadcastI32(e, width, U);
      return ngram::compact(
          e, length, present, width, [&](Value start, Value, Value inRange) {
            SmallVector<Value> at(prefix.begin(), prefix.end());
            at.push_back(start);
            Value id = ngram::loadLanes(e, ids, at, inRange, -1);
            Value known = e.cmpi(arith::CmpIPredicate::ult, id, bound);
            return ngram::Compacted{known, id};
          });
    };
    auto countInto = [&](Value ids, ArrayRef<Value> prefix, Value length,
                         Value U, Value counts) {
      Value numPresent = compactIds(ids, prefix, length, U);
      e.loop(numPresent, [&](Value k) {
        Value slot = e.toIndex(e.load(present, {k}));
        e.store(e.add(e.load(counts, {slot}), e.i32(1)), counts, {slot});
      });
    };
    e.loop(B, [&](Value b) {
      // Clamped to [0, Lc], the scratch rows' size, against malformed input.
      Value U =
          e.toIndex(e.maxsi(e.minsi(e.load(num, {b}), e.toI32(Lc)), e.i32(0)));
      e.loop(U, [&](Value u) { e.store(zero, maxRef, {u}); });
      // Candidate ids that are their positions (no n-gram repeats, the
      // dictionary's numbering then) all count 1: nothing to count.
      auto ifPositional = scf::IfOp::create(
          rewriter, loc, TypeRange{rewriter.getI32Type()},
          ngram::idsArePositions(e, width, candIds, {b}, U, Lc),
          /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard g(rewriter);
        rewriter.setInsertionPointToStart(ifPositional.thenBlock());
        e.loop(U, [&](Value u) { e.store(e.i32(1), candCounts, {u}); });
        scf::YieldOp::create(rewriter, loc, e.i32(1));
        rewriter.setInsertionPointToStart(ifPositional.elseBlock());
        e.loop(U, [&](Value u) { e.store(zero, candCounts, {u}); });
        countInto(candIds, {b}, Lc, U, candCounts);
        Value most = e.forLoop(e.index(0), U, e.index(1), zero,
                               [&](Value u, ValueRange acc) {
                                 return SmallVector<Value>{
                                     e.maxsi(acc[0], e.load(candCounts, {u}))};
                               })[0];
        scf::YieldOp::create(rewriter, loc, most);
      }
      Value maxCount = ifPositional.getResult(0);
      // When no candidate n-gram repeats (the common case from bigrams on),
      // min(count, max over references) is 1 exactly for the ids some
      // reference has: marking them is enough, no reference is counted.
      auto ifDistinct = scf::IfOp::create(
          rewriter, loc, e.cmpi(arith::CmpIPredicate::sle, maxCount, e.i32(1)),
          /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard g(rewriter);
        rewriter.setInsertionPointToStart(ifDistinct.thenBlock());
        e.loop(R, [&](Value r) {
          Value numPresent = compactIds(refIds, {b, r}, Lr, U);
          e.loop(numPresent, [&](Value k) {
            e.store(e.i32(1), maxRef, {e.toIndex(e.load(present, {k}))});
          });
        });
        rewriter.setInsertionPointToStart(ifDistinct.elseBlock());
        // The first reference counts straight into the (zeroed) maximum.
        e.when(e.cmpi(arith::CmpIPredicate::sgt, R, e.index(0)), [&] {
          countInto(refIds, {b, e.index(0)}, Lr, U, maxRef);
        });
        e.forLoop(e.index(1), R, e.index(1), {}, [&](Value r, ValueRange) {
          e.loop(U, [&](Value u) { e.store(zero, refCounts, {u}); });
          countInto(refIds, {b, r}, Lr, U, refCounts);
          e.loop(U, [&](Value u) {
            e.store(e.maxsi(e.load(maxRef, {u}), e.load(refCounts, {u})),
                    maxRef, {u});
          });
          return SmallVector<Value>();
        });
      }
      // Sums of at most Lc counts each, so i32 lanes cannot overflow.
      Value zeros = ngram::splatI32(e, width, 0);
      SmallVector<Value> sums =
          e.forLoop(e.index(0), U, e.index(width), {zeros, zeros},
                    [&](Value u, ValueRange acc) {
                      Value inRange = ngram::laneMask(e, width, u, U);
                      Value c =
                          ngram::loadLanes(e, candCounts, {u}, inRange, 0);
                      Value m = ngram::loadLanes(e, maxRef, {u}, inRange, 0);
                      return SmallVector<Value>{e.add(acc[0], e.minsi(c, m)),
                                                e.add(acc[1], c)};
                    });
      auto total = [&](Value lanes) {
        return e.toI64(vector::ReductionOp::create(
            rewriter, loc, vector::CombiningKind::ADD, lanes));
      };
      e.store(total(sums[0]), matches, {b});
      e.store(total(sums[1]), totals, {b});
    });
    rewriter.replaceOp(
        op, {e.tensorOf(matches, resultType), e.tensorOf(totals, resultType)});
    for (NgramCountOp count : {candCount, refCount})
      if (count->use_empty())
        rewriter.eraseOp(count);
    return success();
  }

  /// Lanes of the compaction.
  int64_t width;
};

} // namespace

void mlir::sdp::ngram::populateCountingLoweringPatterns(
    RewritePatternSet &patterns, int64_t width) {
  patterns.add<LowerNgramCount>(patterns.getContext());
  patterns.add<LowerNgramClip>(patterns.getContext(), width);
}
