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
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Dialect/NgramOps.h"

#include <cfloat>

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
          Value candidate = be.select(isPad, pos, args[1]);
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
    // Windows only read by dictionaries are fused into them instead.
    if (!op->use_empty() && llvm::all_of(op->getUsers(), [](Operation *user) {
          return isa<NgramDictOp>(user);
        }))
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

//===----------------------------------------------------------------------===//
// ngram_dict: per-example open-addressing hash table of candidate windows
//===----------------------------------------------------------------------===//

struct LowerNgramDict : OpRewritePattern<NgramDictOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(NgramDictOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    auto cwType = cast<RankedTensorType>(op.getCandidateWindows().getType());
    int64_t n = cwType.getDimSize(2);
    // Windows made by sdp.ngram_extract are read straight from the tokens
    // (producer fusion): windows[..., i, k] = tokens[..., i + k] for every
    // window that is an n-gram, so they are never materialized.
    auto candExtract = op.getCandidateWindows().getDefiningOp<NgramExtractOp>();
    auto refExtract = op.getReferenceWindows().getDefiningOp<NgramExtractOp>();
    bool fused = candExtract && refExtract;
    Value cw =
        e.buffer(fused ? candExtract.getTokens() : op.getCandidateWindows());
    Value rw =
        e.buffer(fused ? refExtract.getTokens() : op.getReferenceWindows());
    Value clen = e.buffer(op.getCandidateLengths());
    Value rlen = e.buffer(op.getReferenceLengths());
    Value B = e.dim(cw, 0), Lc = e.dim(cw, 1);
    Value R = e.dim(rw, 1), Lr = e.dim(rw, 2);
    // Token k of candidate window `pos` of example b, and of reference
    // window j of reference r.
    auto candToken = [fused, cw](Emitter &x, Value b, Value pos, int64_t k) {
      return x.toI64(fused ? x.load(cw, {b, x.add(pos, x.index(k))})
                           : x.load(cw, {b, pos, x.index(k)}));
    };
    auto refToken = [fused, rw](Emitter &x, Value b, Value r, Value j,
                                int64_t k) {
      return x.toI64(fused ? x.load(rw, {b, r, x.add(j, x.index(k))})
                           : x.load(rw, {b, r, j, x.index(k)}));
    };
    // A key is the n tokens of a window, or, with prefix ids, the id of its
    // (n-1)-gram prefix and its last token.
    bool chained = static_cast<bool>(op.getCandidatePrefixIds());
    Value candPrefix = chained ? e.buffer(op.getCandidatePrefixIds()) : Value();
    Value refPrefix = chained ? e.buffer(op.getReferencePrefixIds()) : Value();
    int64_t keyWidth = chained ? 2 : n;
    auto candKey = [&, n](Emitter &x, Value b, Value pos, int64_t k) {
      if (!chained)
        return candToken(x, b, pos, k);
      return k == 0 ? x.toI64(x.load(candPrefix, {b, pos}))
                    : candToken(x, b, pos, n - 1);
    };
    auto refKey = [&, n](Emitter &x, Value b, Value r, Value j, int64_t k) {
      if (!chained)
        return refToken(x, b, r, j, k);
      return k == 0 ? x.toI64(x.load(refPrefix, {b, r, j}))
                    : refToken(x, b, r, j, n - 1);
    };

    auto cidType = cast<RankedTensorType>(op.getCandidateIds().getType());
    auto ridType = cast<RankedTensorType>(op.getReferenceIds().getType());
    auto numType = cast<RankedTensorType>(op.getNumUnique().getType());
    Value cid = e.alloc(cidType, dynamicFrom(cidType, {B, Lc}));
    Value rid = e.alloc(ridType, dynamicFrom(ridType, {B, R, Lr}));
    Value num = e.alloc(numType, dynamicFrom(numType, {B}));

    // Table size: the smallest power of two >= max(16, 8 * Lc): a sparse
    // table ends most searches at the first slot.
    Value want = e.maxsi(e.mul(Lc, e.index(8)), e.index(16));
    auto sizeLoop = scf::WhileOp::create(
        rewriter, loc, TypeRange{rewriter.getIndexType()},
        ValueRange{e.index(16)},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          scf::ConditionOp::create(
              nb, l, be.cmpi(arith::CmpIPredicate::ult, args[0], want), args);
        },
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          scf::YieldOp::create(nb, l, be.mul(args[0], be.index(2)));
        });
    Value tableSize = sizeLoop.getResult(0);
    Value mask = e.sub(tableSize, e.index(1));
    // Slots hold i32 candidate positions (-1: empty), half the footprint of
    // index entries: the table is refilled for every example and order.
    Value table = memref::AllocOp::create(
        rewriter, loc, MemRefType::get({kDyn}, rewriter.getI32Type()),
        ValueRange{tableSize});
    Value empty = e.index(-1);
    Value minusOne = e.i32(-1);

    e.loop(B, [&](Value b) {
      linalg::FillOp::create(rewriter, loc, ValueRange{minusOne},
                             ValueRange{table});
      Value count = validWindows(e, e.load(clen, {b}), n);
      // Insert the candidate windows in order; ids follow first occurrence.
      auto insert = scf::ForOp::create(
          rewriter, loc, e.index(0), Lc, e.index(1), ValueRange{e.i32(0)},
          [&](OpBuilder &nb, Location l, Value i, ValueRange next) {
            OpBuilder::InsertionGuard guard(rewriter);
            rewriter.setInsertionPoint(nb.getInsertionBlock(),
                                       nb.getInsertionPoint());
            Value valid = e.cmpi(arith::CmpIPredicate::ult, i, count);
            auto ifValid = scf::IfOp::create(
                rewriter, loc, TypeRange{rewriter.getI32Type()}, valid,
                /*withElseRegion=*/true);
            {
              OpBuilder::InsertionGuard g(rewriter);
              rewriter.setInsertionPointToStart(ifValid.thenBlock());
              auto query = [&](int64_t k) { return candKey(e, b, i, k); };
              auto [slot, entry] =
                  probe(e, b, table, mask, keyWidth, query, candKey);
              Value hit = e.cmpi(arith::CmpIPredicate::ne, entry, empty);
              auto ifHit = scf::IfOp::create(
                  rewriter, loc,
                  TypeRange{rewriter.getI32Type(), rewriter.getI32Type()}, hit,
                  /*withElseRegion=*/true);
              rewriter.setInsertionPointToStart(ifHit.thenBlock());
              scf::YieldOp::create(
                  rewriter, loc, ValueRange{e.load(cid, {b, entry}), next[0]});
              rewriter.setInsertionPointToStart(ifHit.elseBlock());
              e.store(e.toI32(i), table, {slot});
              scf::YieldOp::create(
                  rewriter, loc, ValueRange{next[0], e.add(next[0], e.i32(1))});
              rewriter.setInsertionPointAfter(ifHit);
              e.store(ifHit.getResult(0), cid, {b, i});
              scf::YieldOp::create(rewriter, loc, ifHit.getResult(1));
            }
            {
              OpBuilder::InsertionGuard g(rewriter);
              rewriter.setInsertionPointToStart(ifValid.elseBlock());
              e.store(minusOne, cid, {b, i});
              scf::YieldOp::create(rewriter, loc, next[0]);
            }
            scf::YieldOp::create(rewriter, loc, ifValid.getResult(0));
          });
      e.store(insert.getResult(0), num, {b});

      // Look every reference window up; a miss is -1.
      e.loop(R, [&](Value r) {
        Value refCount = validWindows(e, e.load(rlen, {b, r}), n);
        e.loop(Lr, [&](Value j) {
          Value valid = e.cmpi(arith::CmpIPredicate::ult, j, refCount);
          // A reference n-gram whose prefix the candidate lacks is a miss.
          if (chained) {
            Value safeJ = e.select(valid, j, e.index(0));
            valid = e.andi(valid,
                           e.cmpi(arith::CmpIPredicate::sge,
                                  e.load(refPrefix, {b, r, safeJ}), e.i32(0)));
          }
          auto ifValid = scf::IfOp::create(
              rewriter, loc, TypeRange{rewriter.getI32Type()}, valid, true);
          OpBuilder::InsertionGuard g(rewriter);
          rewriter.setInsertionPointToStart(ifValid.thenBlock());
          auto query = [&](int64_t k) { return refKey(e, b, r, j, k); };
          auto [slot, entry] =
              probe(e, b, table, mask, keyWidth, query, candKey);
          (void)slot;
          Value hit = e.cmpi(arith::CmpIPredicate::ne, entry, empty);
          Value safe = e.select(hit, entry, e.index(0));
          Value id = e.select(hit, e.load(cid, {b, safe}), minusOne);
          scf::YieldOp::create(rewriter, loc, id);
          rewriter.setInsertionPointToStart(ifValid.elseBlock());
          scf::YieldOp::create(rewriter, loc, minusOne);
          rewriter.setInsertionPointAfter(ifValid);
          e.store(ifValid.getResult(0), rid, {b, r, j});
        });
      });
    });
    rewriter.replaceOp(op, {e.tensorOf(cid, cidType), e.tensorOf(rid, ridType),
                            e.tensorOf(num, numType)});
    for (Operation *extract :
         {candExtract.getOperation(), refExtract.getOperation()})
      if (fused && extract->use_empty())
        rewriter.eraseOp(extract);
    return success();
  }

private:
  static SmallVector<Value> dynamicFrom(RankedTensorType type,
                                        ArrayRef<Value> sizes) {
    SmallVector<Value> dynamic;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        dynamic.push_back(sizes[d]);
    return dynamic;
  }

  /// max(0, length - n + 1) as an index.
  static Value validWindows(Emitter &e, Value length, int64_t n) {
    Value count = e.sub(e.toIndex(length), e.index(n - 1));
    return e.select(e.cmpi(arith::CmpIPredicate::sgt, count, e.index(0)), count,
                    e.index(0));
  }

  /// Hashes the query key, then probes linearly until an empty slot or a
  /// slot whose candidate key equals the query element by element. Returns
  /// the slot and the candidate position stored there (-1 when empty).
  static std::pair<Value, Value>
  probe(Emitter &e, Value b, Value table, Value mask, int64_t n,
        function_ref<Value(int64_t)> query,
        function_ref<Value(Emitter &, Value, Value, int64_t)> candKey) {
    OpBuilder &rb = e.b;
    Location loc = e.loc;
    SmallVector<Value> key;
    Value h = e.i64(static_cast<int64_t>(0xcbf29ce484222325ULL));
    for (int64_t k = 0; k < n; ++k) {
      key.push_back(query(k));
      h = arith::XOrIOp::create(rb, loc, h, key.back());
      h = e.mul(h, e.i64(static_cast<int64_t>(0x9E3779B97F4A7C15ULL)));
      h = arith::XOrIOp::create(rb, loc, h,
                                arith::ShRUIOp::create(rb, loc, h, e.i64(29)));
    }
    Value start = e.toIndex(h);
    start = arith::AndIOp::create(rb, loc, start, mask);
    Value empty = e.index(-1);

    // The entry at `slot`, and whether the search ends there: the slot is
    // empty (a miss) or holds a candidate window with the query's key.
    auto examine = [&](Emitter &be, Value slot) -> std::pair<Value, Value> {
      Value entry = be.toIndex(be.load(table, {slot}));
      Value isEmpty = be.cmpi(arith::CmpIPredicate::eq, entry, empty);
      Value safe = be.select(isEmpty, be.index(0), entry);
      Value equal = be.boolean(true);
      for (int64_t k = 0; k < n; ++k)
        equal = be.andi(equal, be.cmpi(arith::CmpIPredicate::eq,
                                       candKey(be, b, safe, k), key[k]));
      return {entry, be.ori(isEmpty, equal)};
    };

    // The first slot is examined outside any loop: the table is at most a
    // quarter full, so most searches end there and the probing loop (with
    // its hard-to-predict exit) runs only after a collision.
    auto [firstEntry, firstDone] = examine(e, start);
    auto ifDone = scf::IfOp::create(
        rb, loc, TypeRange{rb.getIndexType(), rb.getIndexType()}, firstDone,
        /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(rb);
    rb.setInsertionPointToStart(ifDone.thenBlock());
    scf::YieldOp::create(rb, loc, ValueRange{start, firstEntry});
    rb.setInsertionPointToStart(ifDone.elseBlock());
    Value second =
        arith::AndIOp::create(rb, loc, e.add(start, e.index(1)), mask);
    auto search = scf::WhileOp::create(
        rb, loc, TypeRange{rb.getIndexType(), rb.getIndexType()},
        ValueRange{second, empty},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          auto [entry, done] = examine(be, args[0]);
          Value keepGoing =
              be.cmpi(arith::CmpIPredicate::eq, done, be.boolean(false));
          scf::ConditionOp::create(nb, l, keepGoing,
                                   ValueRange{args[0], entry});
        },
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value next =
              arith::AndIOp::create(nb, l, be.add(args[0], be.index(1)), mask);
          scf::YieldOp::create(nb, l, ValueRange{next, args[1]});
        });
    scf::YieldOp::create(rb, loc, search.getResults());
    return {ifDone.getResult(0), ifDone.getResult(1)};
  }
};

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
    Value ids = e.buffer(op.getIds());
    Value num = e.buffer(op.getNumUnique());
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
    SmallVector<Value> ivs;
    std::function<void(int64_t)> nest = [&](int64_t d) {
      if (d == rank) {
        Value id = e.load(ids, ivs);
        Value valid = e.cmpi(arith::CmpIPredicate::sge, id, e.i32(0));
        auto ifValid = scf::IfOp::create(rewriter, loc, valid, false);
        OpBuilder::InsertionGuard g(rewriter);
        rewriter.setInsertionPointToStart(ifValid.thenBlock());
        SmallVector<Value> at(ivs.begin(), ivs.end() - 1);
        at.push_back(e.toIndex(id));
        e.store(e.add(e.load(counts, at), e.i32(1)), counts, at);
        return;
      }
      e.loop(e.dim(ids, d), [&](Value iv) {
        ivs.push_back(iv);
        nest(d + 1);
        ivs.pop_back();
      });
    };
    nest(0);
    rewriter.replaceOp(op, e.tensorOf(counts, countsType));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// ngram_clip: two linalg reductions
//===----------------------------------------------------------------------===//

struct LowerNgramClip : OpRewritePattern<NgramClipOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(NgramClipOp op,
                                PatternRewriter &rewriter) const override {
    if (auto counts = fusableCounts(op))
      return lowerFused(op, counts->first, counts->second, rewriter);
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    MLIRContext *ctx = op.getContext();
    Value cand = op.getCandidateCounts(), refs = op.getReferenceCounts();
    auto candType = cast<RankedTensorType>(cand.getType());
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
    (void)candType;
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
  static LogicalResult lowerFused(NgramClipOp op, NgramCountOp candCount,
                                  NgramCountOp refCount,
                                  PatternRewriter &rewriter) {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    Value candIds = e.buffer(candCount.getIds());
    Value refIds = e.buffer(refCount.getIds());
    Value num = e.buffer(candCount.getNumUnique());
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
    auto resultType = cast<RankedTensorType>(op.getMatches().getType());
    Value matches = e.alloc(
        resultType, resultType.isDynamicDim(0) ? ValueRange{B} : ValueRange{});
    Value totals = e.alloc(
        resultType, resultType.isDynamicDim(0) ? ValueRange{B} : ValueRange{});
    Value zero = e.i32(0);
    auto countInto = [&](Value ids, ArrayRef<Value> prefix, Value length,
                         Value counts) {
      e.loop(length, [&](Value i) {
        SmallVector<Value> at(prefix.begin(), prefix.end());
        at.push_back(i);
        Value id = e.load(ids, at);
        auto ifValid = scf::IfOp::create(
            rewriter, loc, e.cmpi(arith::CmpIPredicate::sge, id, zero), false);
        OpBuilder::InsertionGuard g(rewriter);
        rewriter.setInsertionPointToStart(ifValid.thenBlock());
        Value slot = e.toIndex(id);
        e.store(e.add(e.load(counts, {slot}), e.i32(1)), counts, {slot});
      });
    };
    e.loop(B, [&](Value b) {
      Value U = e.toIndex(e.load(num, {b}));
      e.loop(U, [&](Value u) {
        e.store(zero, candCounts, {u});
        e.store(zero, maxRef, {u});
      });
      countInto(candIds, {b}, Lc, candCounts);
      e.loop(R, [&](Value r) {
        e.loop(U, [&](Value u) { e.store(zero, refCounts, {u}); });
        countInto(refIds, {b, r}, Lr, refCounts);
        e.loop(U, [&](Value u) {
          e.store(e.maxsi(e.load(maxRef, {u}), e.load(refCounts, {u})), maxRef,
                  {u});
        });
      });
      auto sums = scf::ForOp::create(
          rewriter, loc, e.index(0), U, e.index(1),
          ValueRange{e.i64(0), e.i64(0)},
          [&](OpBuilder &nb, Location l, Value u, ValueRange acc) {
            Emitter be{nb, l};
            Value c = be.load(candCounts, {u});
            Value clipped = be.toI64(be.minsi(c, be.load(maxRef, {u})));
            scf::YieldOp::create(nb, l,
                                 ValueRange{be.add(acc[0], clipped),
                                            be.add(acc[1], be.toI64(c))});
          });
      e.store(sums.getResult(0), matches, {b});
      e.store(sums.getResult(1), totals, {b});
    });
    rewriter.replaceOp(
        op, {e.tensorOf(matches, resultType), e.tensorOf(totals, resultType)});
    for (NgramCountOp count : {candCount, refCount})
      if (count->use_empty())
        rewriter.eraseOp(count);
    return success();
  }
};

} // namespace

namespace {
struct ConvertNgramToSCFPass
    : mlir::sdp::impl::ConvertNgramToSCFPassBase<ConvertNgramToSCFPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateNgramToSCFConversionPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::sdp::populateNgramToSCFConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerSequenceLengths, LowerNgramExtract, LowerNgramDict,
               LowerNgramCount, LowerNgramClip>(patterns.getContext());
  ngram::populateBleuScoreLoweringPatterns(patterns);
}
