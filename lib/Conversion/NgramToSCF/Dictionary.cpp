//===- Dictionary.cpp - sdp.ngram_dict as per-example hash tables ---------===//

#include "Emitter.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
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
    // Token k of window `pos` of `source` (the tokens themselves when fused,
    // else the materialized windows), `outer` selecting the sentence.
    auto tokenOf = [fused](Emitter &x, Value source, ArrayRef<Value> outer,
                           Value pos, int64_t k) {
      SmallVector<Value> at(outer.begin(), outer.end());
      if (fused) {
        at.push_back(x.add(pos, x.index(k)));
      } else {
        at.push_back(pos);
        at.push_back(x.index(k));
      }
      return x.toI64(x.load(source, at));
    };
    // A key is the n tokens of a window, or, with prefix ids, the id of its
    // (n-1)-gram prefix and its last token.
    bool chained = static_cast<bool>(op.getCandidatePrefixIds());
    Value candPrefix = chained ? e.buffer(op.getCandidatePrefixIds()) : Value();
    Value refPrefix = chained ? e.buffer(op.getReferencePrefixIds()) : Value();
    // Keys are stored in the table as 64-bit words: a prefix id and a token
    // of at most 32 bits share one word.
    unsigned tokenBits =
        getElementTypeOrSelf(cw.getType()).getIntOrFloatBitWidth();
    bool packed = chained && tokenBits <= 32;
    int64_t keyWords = packed ? 1 : chained ? 2 : n;
    auto pack = [](Emitter &x, Value prefix, Value token) -> Value {
      Value high =
          arith::ShLIOp::create(x.b, x.loc, x.toI64(prefix), x.i64(32));
      Value low = arith::AndIOp::create(x.b, x.loc, token, x.i64(0xffffffff));
      return arith::OrIOp::create(x.b, x.loc, high, low);
    };
    // The key words of window `pos`: its n tokens, or its prefix id and
    // last token.
    auto keyOf = [&, n](Emitter &x, Value source, Value prefixIds,
                        ArrayRef<Value> outer, Value pos) {
      SmallVector<Value> key;
      if (!chained) {
        for (int64_t k = 0; k < n; ++k)
          key.push_back(tokenOf(x, source, outer, pos, k));
        return key;
      }
      SmallVector<Value> at(outer.begin(), outer.end());
      at.push_back(pos);
      Value prefix = x.load(prefixIds, at);
      Value token = tokenOf(x, source, outer, pos, n - 1);
      if (packed)
        key.push_back(pack(x, prefix, token));
      else
        key.append({x.toI64(prefix), token});
      return key;
    };
    auto candKey = [&](Emitter &x, Value b, Value pos) {
      return keyOf(x, cw, candPrefix, {b}, pos);
    };
    auto refKey = [&](Emitter &x, Value b, Value r, Value j) {
      return keyOf(x, rw, refPrefix, {b, r}, j);
    };

    auto cidType = cast<RankedTensorType>(op.getCandidateIds().getType());
    auto ridType = cast<RankedTensorType>(op.getReferenceIds().getType());
    auto numType = cast<RankedTensorType>(op.getNumUnique().getType());
    Value cid = e.alloc(cidType, dynamicFrom(cidType, {B, Lc}));
    Value rid = e.alloc(ridType, dynamicFrom(ridType, {B, R, Lr}));
    Value num = e.alloc(numType, dynamicFrom(numType, {B}));

    // Table size: the smallest power of two >= max(16, 4 * Lc): a sparse
    // table ends most searches at the first slot. Each slot holds the id of
    // a candidate n-gram (-1: empty) and its key words, so a probe compares
    // keys without reading the tokens back.
    Value tableSize = e.powerOfTwoAtLeast(e.mul(Lc, e.index(4)), 16);
    Value mask = e.sub(tableSize, e.index(1));
    Value ids = memref::AllocOp::create(
        rewriter, loc, MemRefType::get({kDyn}, rewriter.getI32Type()),
        ValueRange{tableSize});
    SmallVector<Value> keys;
    for (int64_t w = 0; w < keyWords; ++w)
      keys.push_back(memref::AllocOp::create(
          rewriter, loc, MemRefType::get({kDyn}, rewriter.getI64Type()),
          ValueRange{tableSize}));
    Value empty = e.i32(-1);
    // Positions of the reference windows that can match (chained keys).
    Value alive = chained ? memref::AllocOp::create(
                                rewriter, loc,
                                MemRefType::get({kDyn}, rewriter.getI32Type()),
                                ValueRange{Lr})
                                .getResult()
                          : Value();
    Value minusOne = empty;

    e.loop(B, [&](Value b) {
      linalg::FillOp::create(rewriter, loc, ValueRange{empty}, ValueRange{ids});
      Value count = e.numWindows(e.load(clen, {b}), n);
      // Insert the candidate windows in order; ids follow first occurrence.
      Value numUnique = e.forLoop(
          e.index(0), Lc, e.index(1), e.i32(0), [&](Value i, ValueRange next) {
            Value valid = e.cmpi(arith::CmpIPredicate::ult, i, count);
            auto ifValid = scf::IfOp::create(
                rewriter, loc, TypeRange{rewriter.getI32Type()}, valid,
                /*withElseRegion=*/true);
            {
              OpBuilder::InsertionGuard g(rewriter);
              rewriter.setInsertionPointToStart(ifValid.thenBlock());
              SmallVector<Value> key = candKey(e, b, i);
              auto [slot, found] = probe(e, ids, keys, mask, key);
              Value isNew = e.cmpi(arith::CmpIPredicate::eq, found, empty);
              // A new n-gram takes the next id and the empty slot.
              Value id = e.select(isNew, next[0], found);
              auto ifNew = scf::IfOp::create(rewriter, loc, isNew, false);
              rewriter.setInsertionPointToStart(ifNew.thenBlock());
              e.store(id, ids, {slot});
              for (auto [word, table] : llvm::zip(key, keys))
                e.store(word, table, {slot});
              rewriter.setInsertionPointAfter(ifNew);
              e.store(id, cid, {b, i});
              scf::YieldOp::create(
                  rewriter, loc,
                  e.add(next[0],
                        arith::ExtUIOp::create(rewriter, loc,
                                               rewriter.getI32Type(), isNew)
                            .getResult()));
            }
            {
              OpBuilder::InsertionGuard g(rewriter);
              rewriter.setInsertionPointToStart(ifValid.elseBlock());
              e.store(minusOne, cid, {b, i});
              scf::YieldOp::create(rewriter, loc, next[0]);
            }
            return SmallVector<Value>{ifValid.getResult(0)};
          })[0];
      e.store(numUnique, num, {b});

      // Look every reference window up; a miss is -1.
      e.loop(R, [&](Value r) {
        Value refCount = e.numWindows(e.load(rlen, {b, r}), n);
        if (!chained) {
          // Windows past the reference's end have no n-gram.
          scf::ForOp::create(
              rewriter, loc, refCount, Lr, e.index(1), ValueRange{},
              [&](OpBuilder &nb, Location l, Value j, ValueRange) {
                Emitter be{nb, l};
                be.store(be.i32(-1), rid, {b, r, j});
                scf::YieldOp::create(nb, l);
              });
          e.loop(refCount, [&](Value j) {
            e.store(probe(e, ids, keys, mask, refKey(e, b, r, j)).second, rid,
                    {b, r, j});
          });
          return;
        }
        // Chained: only windows whose prefix the candidate has can match.
        // Their positions are gathered first without branching (a write
        // per window, the count advanced by the test), so the probing loop
        // has no hard-to-predict skip.
        e.loop(Lr, [&](Value j) { e.store(minusOne, rid, {b, r, j}); });
        auto gather = scf::ForOp::create(
            rewriter, loc, e.index(0), refCount, e.index(1),
            ValueRange{e.index(0)},
            [&](OpBuilder &nb, Location l, Value j, ValueRange acc) {
              Emitter be{nb, l};
              be.store(be.toI32(j), alive, {acc[0]});
              Value has = be.cmpi(arith::CmpIPredicate::sge,
                                  be.load(refPrefix, {b, r, j}), be.i32(0));
              scf::YieldOp::create(
                  nb, l,
                  be.add(acc[0], be.toIndex(arith::ExtUIOp::create(
                                                nb, l, nb.getI32Type(), has)
                                                .getResult())));
            });
        e.loop(gather.getResult(0), [&](Value k) {
          Value j = e.toIndex(e.load(alive, {k}));
          e.store(probe(e, ids, keys, mask, refKey(e, b, r, j)).second, rid,
                  {b, r, j});
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

  /// Hashes `key`, then probes linearly until an empty slot or a slot
  /// holding the same key words. Returns the slot and the id stored there
  /// (-1 when empty). Each examined slot costs two independent loads and no
  /// data-dependent branch but the loop's exit.
  static std::pair<Value, Value> probe(Emitter &e, Value ids,
                                       ArrayRef<Value> keys, Value mask,
                                       ArrayRef<Value> key) {
    OpBuilder &rb = e.b;
    Location loc = e.loc;
    Value start = arith::AndIOp::create(rb, loc, e.toIndex(e.hash(key)), mask);
    Value empty = e.i32(-1);
    auto search = scf::WhileOp::create(
        rb, loc, TypeRange{rb.getIndexType(), rb.getI32Type()},
        ValueRange{start, empty},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value slot = args[0];
          Value id = be.load(ids, {slot});
          Value done = be.cmpi(arith::CmpIPredicate::eq, id, empty);
          Value equal = be.boolean(true);
          for (auto [word, table] : llvm::zip(key, keys))
            equal = be.andi(equal, be.cmpi(arith::CmpIPredicate::eq,
                                           be.load(table, {slot}), word));
          done = be.ori(done, equal);
          Value keepGoing =
              be.cmpi(arith::CmpIPredicate::eq, done, be.boolean(false));
          scf::ConditionOp::create(nb, l, keepGoing, ValueRange{slot, id});
        },
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value next =
              arith::AndIOp::create(nb, l, be.add(args[0], be.index(1)), mask);
          scf::YieldOp::create(nb, l, ValueRange{next, args[1]});
        });
    return {search.getResult(0), search.getResult(1)};
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
