//===- Dictionary.cpp - sdp.ngram_dict as per-example hash tables ---------===//

#include "Emitter.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/NgramOps.h"

using namespace mlir;
using namespace mlir::sdp;
using mlir::sdp::ngram::Emitter;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

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
    bool fused = ngram::windowsFuseIntoDictionary(op);
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
    Value tableSize = e.powerOfTwoAtLeast(e.mul(Lc, e.index(8)), 16);
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
      Value count = e.numWindows(e.load(clen, {b}), n);
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
        Value refCount = e.numWindows(e.load(rlen, {b, r}), n);
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
    for (int64_t k = 0; k < n; ++k)
      key.push_back(query(k));
    Value start = e.toIndex(e.hash(key));
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

} // namespace

bool mlir::sdp::ngram::windowsFuseIntoDictionary(Operation *op) {
  auto dict = dyn_cast<NgramDictOp>(op);
  return dict && dict.getCandidateWindows().getDefiningOp<NgramExtractOp>() &&
         dict.getReferenceWindows().getDefiningOp<NgramExtractOp>();
}

void mlir::sdp::ngram::populateDictionaryLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerNgramDict>(patterns.getContext());
}
