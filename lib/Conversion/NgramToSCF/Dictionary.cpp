//===- Dictionary.cpp - sdp.ngram_dict as per-example lookup tables -------===//
//
// Three lowerings, picked by what the keys are:
//  - chained (prefix ids given): an n-gram is the pair of its (n-1)-gram
//    prefix and suffix ids, both small: when the prefix ids are positions
//    (no repeats) the n-gram ids are positions too and no table is needed;
//    when many prefixes repeat, every pair goes to a packed hash table
//    (key and id in one word, no data-dependent branch); otherwise the
//    first n-gram of each prefix id is kept inline and the others in a
//    hash table on the pair: no token compares, and expected O(1) per
//    lookup whatever the token distribution;
//  - unigrams: a table indexed by token value when the candidates' token
//    range is small (decided at run time), else
//  - hashed: per-example open addressing on the n tokens of a window.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/NgramOps.h"

using namespace mlir;
using namespace mlir::sdp;
using mlir::sdp::ngram::Emitter;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;
/// A token-indexed table is used when the candidates' token range spans
/// fewer than kMaxTokenRange values and fewer than kRangePerWindow per
/// window of the batch plus kMinTokenRange (filling the table must cost less
/// than the hashing it saves).
constexpr int64_t kMaxTokenRange = int64_t(1) << 22;
constexpr int64_t kRangePerWindow = 16;
constexpr int64_t kMinTokenRange = int64_t(1) << 16;

/// The buffers and sizes one sdp.ngram_dict or sdp.ngram_chain lowering
/// works on.
struct DictionaryLowering {
  /// The op replaced: an sdp.ngram_dict or an sdp.ngram_chain.
  Operation *root;
  PatternRewriter &rewriter;
  Location loc;
  Emitter e;
  /// Lanes of the compactions.
  int64_t width;
  /// The n-gram order: static for sdp.ngram_dict, `order` (an index) for
  /// sdp.ngram_chain.
  int64_t n = 0;
  Value order;
  /// Windows made by sdp.ngram_extract are read straight from the tokens
  /// (producer fusion): windows[..., i, k] = tokens[..., i + k] for every
  /// window that is an n-gram, so they are never materialized.
  bool fused = false;
  Value cw, rw, clen, rlen, B, Lc, R, Lr;
  /// The order n-1 ids of a chained dictionary (null otherwise).
  Value candPrefixIds, refPrefixIds;
  Value cid, rid, num;

  DictionaryLowering(NgramDictOp op, PatternRewriter &rewriter, int64_t width)
      : root(op), rewriter(rewriter), loc(op.getLoc()), e{rewriter, loc},
        width(width),
        n(cast<RankedTensorType>(op.getCandidateWindows().getType())
              .getDimSize(2)),
        fused(ngram::windowsFuseIntoDictionary(op)) {
    cw = e.rowsBuffer(fused ? extractOf(op.getCandidateWindows()).getTokens()
                            : op.getCandidateWindows());
    rw = e.rowsBuffer(fused ? extractOf(op.getReferenceWindows()).getTokens()
                            : op.getReferenceWindows());
    candPrefixIds = op.getCandidatePrefixIds();
    refPrefixIds = op.getReferencePrefixIds();
    allocate(op.getCandidateLengths(), op.getReferenceLengths());
  }

  DictionaryLowering(NgramChainOp op, PatternRewriter &rewriter, int64_t width)
      : root(op), rewriter(rewriter), loc(op.getLoc()), e{rewriter, loc},
        width(width) {
    // Orders below 2 have no prefix (the verifier rejects constant ones);
    // 2 keeps every read of position j + 1 inside the prefix ids.
    order = e.maxsi(op.getOrder(), e.index(2));
    candPrefixIds = op.getCandidatePrefixIds();
    refPrefixIds = op.getReferencePrefixIds();
    // Only the shapes of the prefix ids: [B, Lc] and [B, R, Lr].
    cw = e.rowsBuffer(candPrefixIds);
    rw = e.rowsBuffer(refPrefixIds);
    allocate(op.getCandidateLengths(), op.getReferenceLengths());
  }

  void allocate(Value candidateLengths, Value referenceLengths) {
    clen = e.rowsBuffer(candidateLengths);
    rlen = e.rowsBuffer(referenceLengths);
    B = e.dim(cw, 0);
    Lc = e.dim(cw, 1);
    R = e.dim(rw, 1);
    Lr = e.dim(rw, 2);
    auto cidType = cast<RankedTensorType>(root->getResult(0).getType());
    auto ridType = cast<RankedTensorType>(root->getResult(1).getType());
    auto numType = cast<RankedTensorType>(root->getResult(2).getType());
    cid = e.alloc(cidType, dynamicFrom(cidType, {B, Lc}));
    rid = e.alloc(ridType, dynamicFrom(ridType, {B, R, Lr}));
    num = e.alloc(numType, dynamicFrom(numType, {B}));
  }

  void lower() {
    if (candPrefixIds)
      lowerChained();
    else if (n == 1)
      lowerUnigrams();
    else
      lowerHashed();
    rewriter.replaceOp(root, {e.tensorOf(cid, root->getResult(0).getType()),
                              e.tensorOf(rid, root->getResult(1).getType()),
                              e.tensorOf(num, root->getResult(2).getType())});
  }

  void eraseFusedWindows(Value candWindows, Value refWindows) {
    if (!fused)
      return;
    for (Value windows : {candWindows, refWindows})
      if (Operation *extract = windows.getDefiningOp();
          extract && extract->use_empty())
        rewriter.eraseOp(extract);
  }

private:
  static NgramExtractOp extractOf(Value windows) {
    return windows.getDefiningOp<NgramExtractOp>();
  }

  static SmallVector<Value> dynamicFrom(RankedTensorType type,
                                        ArrayRef<Value> sizes) {
    SmallVector<Value> dynamic;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        dynamic.push_back(sizes[d]);
    return dynamic;
  }

  Value allocI32(Value size) {
    return memref::AllocOp::create(
        rewriter, loc, MemRefType::get({kDyn}, rewriter.getI32Type()),
        ValueRange{size});
  }

  /// The windows of a sequence of `length` tokens out of `capacity`
  /// positions (a length past the capacity is clamped, so no window reads
  /// past the buffer).
  Value windowsOf(Value length, Value capacity) {
    return arith::MinUIOp::create(rewriter, loc, numWindows(length),
                                  numWindows(capacity));
  }
  /// max(0, length - n + 1), n static or run-time.
  Value numWindows(Value length) {
    return order ? e.numWindows(length, order) : e.numWindows(length, n);
  }

  /// Token k of window `pos` (`outer` selects the sequence), as i64.
  Value tokenOf(Value source, ArrayRef<Value> outer, Value pos, int64_t k) {
    SmallVector<Value> at(outer.begin(), outer.end());
    if (fused) {
      at.push_back(e.add(pos, e.index(k)));
    } else {
      at.push_back(pos);
      at.push_back(e.index(k));
    }
    return e.toI64(e.load(source, at));
  }

  /// ids[at..., from .. to) = -1
  void fillMissing(Value ids, ArrayRef<Value> at, Value from, Value to) {
    e.forLoop(from, to, e.index(1), {}, [&](Value j, ValueRange) {
      SmallVector<Value> idx(at.begin(), at.end());
      idx.push_back(j);
      e.store(e.i32(-1), ids, idx);
      return SmallVector<Value>();
    });
  }

  /// Numbers the candidate windows of example `b` in order of first
  /// occurrence. `insert(i, next)` returns the id of window i, `next` when
  /// it is new. Windows past the candidate's end get -1; the number of ids
  /// goes to num_unique[b].
  void numberCandidate(Value b, Value count,
                       function_ref<Value(Value, Value)> insert) {
    Value numUnique = e.forLoop(
        e.index(0), count, e.index(1), e.i32(0), [&](Value i, ValueRange next) {
          Value id = insert(i, next[0]);
          e.store(id, cid, {b, i});
          Value isNew = e.cmpi(arith::CmpIPredicate::eq, id, next[0]);
          Value step = arith::ExtUIOp::create(rewriter, loc,
                                              rewriter.getI32Type(), isNew);
          return SmallVector<Value>{e.add(next[0], step)};
        })[0];
    fillMissing(cid, {b}, count, Lc);
    e.store(numUnique, num, {b});
  }

  /// An i32 from `then` or `otherwise`, whichever `condition` picks, each
  /// built in its own branch (so only the taken one runs).
  Value yieldIf(Value condition, function_ref<Value()> then,
                function_ref<Value()> otherwise) {
    auto ifOp =
        scf::IfOp::create(rewriter, loc, TypeRange{rewriter.getI32Type()},
                          condition, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard g(rewriter);
    rewriter.setInsertionPointToStart(ifOp.thenBlock());
    scf::YieldOp::create(rewriter, loc, then());
    rewriter.setInsertionPointToStart(ifOp.elseBlock());
    scf::YieldOp::create(rewriter, loc, otherwise());
    return ifOp.getResult(0);
  }

  //===--------------------------------------------------------------------===//
  // Chained: (prefix id, suffix id) pairs, inline or in a pair hash table
  //===--------------------------------------------------------------------===//

  /// The n-gram at position j is the (n-1)-gram at j followed by the last
  /// token of the (n-1)-gram at j + 1, so the pair of their ids identifies
  /// it exactly, and it can only occur in the candidate when both do.
  ///
  /// When the candidate's prefix ids are its positions, numberByPosition
  /// needs no table; when many prefixes repeat, numberByPairs puts every
  /// pair in one packed table. Otherwise the first n-gram seen with prefix
  /// id p is
  /// kept inline, its suffix id in `firstSuffix[p]` (-1: none yet) and its
  /// id in `firstId[p]`, so most lookups are one pair of loads. Only
  /// prefixes that repeat start further n-grams (`more[p]` >= 0); those go
  /// to an open-addressing table keyed by the pair (p * Lc + q), sized like
  /// lowerHashed's. A table, not a list per prefix: under a frequent prefix
  /// (Zipf-distributed tokens, "x a1 x a2 ...") a list grows with the
  /// sentence and lookups become quadratic, while probes stay short for any
  /// distribution. Prefix ids are candidate ids of the previous order, so
  /// below Lc: the per-prefix arrays have Lc entries.
  void lowerChained() {
    Value candPrefix = e.rowsBuffer(candPrefixIds);
    Value refPrefix = e.rowsBuffer(refPrefixIds);
    Value first = memref::AllocOp::create(
        rewriter, loc, MemRefType::get({kDyn}, rewriter.getI64Type()),
        ValueRange{Lc});
    PairTable pairs = allocPairTable();
    PackedPairTable packed = allocPackedPairTable();
    // compact's whole-vector stores need `width` entries of slack.
    Value alive = allocI32(e.add(Lr, e.index(width)));
    // Both ids of a window, and whether both are ids (below Lc; -1 is not).
    auto idsAt = [&](Value prefixIds, SmallVector<Value> at, Value capacity) {
      Value p = e.load(prefixIds, at);
      at.back() = e.add(at.back(), e.index(1));
      Value q = e.load(prefixIds, at);
      Value cap = e.toI32(capacity);
      Value both = e.andi(e.cmpi(arith::CmpIPredicate::ult, p, cap),
                          e.cmpi(arith::CmpIPredicate::ult, q, cap));
      return std::make_tuple(p, q, both);
    };
    e.loop(B, [&](Value b) {
      Value count = windowsOf(e.load(clen, {b}), Lc);
      auto ifPositional = scf::IfOp::create(
          rewriter, loc, prefixesArePositions(candPrefix, b, count),
          /*withElseRegion=*/true);
      OpBuilder::InsertionGuard g(rewriter);
      rewriter.setInsertionPointToStart(ifPositional.thenBlock());
      numberByPosition(refPrefix, b, count);
      rewriter.setInsertionPointToStart(ifPositional.elseBlock());
      auto ifRepeats =
          scf::IfOp::create(rewriter, loc, prefixesRepeat(candPrefix, b, count),
                            /*withElseRegion=*/true);
      rewriter.setInsertionPointToStart(ifRepeats.thenBlock());
      numberByPairs(packed, candPrefix, refPrefix, b, count);
      rewriter.setInsertionPointToStart(ifRepeats.elseBlock());
      linalg::FillOp::create(rewriter, loc, ValueRange{e.i64(kNoFirst)},
                             ValueRange{first});
      linalg::FillOp::create(rewriter, loc, ValueRange{e.i32(-1)},
                             ValueRange{pairs.ids});
      numberCandidate(b, count, [&](Value i, Value fresh) -> Value {
        auto [p, q, both] = idsAt(candPrefix, {b, i}, Lc);
        Value pi = e.toIndex(p), qv = q;
        // Only malformed prefix ids fail `both`; their windows get -1.
        return yieldIf(
            both,
            [&]() -> Value {
              Value seen = e.load(first, {pi});
              return yieldIf(
                  e.cmpi(arith::CmpIPredicate::eq, seen, e.i64(kNoFirst)),
                  [&]() -> Value {
                    e.store(packFirst(qv, fresh), first, {pi});
                    return fresh;
                  },
                  [&]() -> Value {
                    return yieldIf(
                        e.cmpi(arith::CmpIPredicate::eq, firstSuffixOf(seen),
                               qv),
                        [&] { return firstIdOf(seen); },
                        [&] {
                          return findOrInsert(pairs, first, pi, seen, p, qv,
                                              fresh);
                        });
                  });
            },
            [&] { return e.i32(-1); });
      });
      e.loop(R, [&](Value r) {
        fillMissing(rid, {b, r}, e.index(0), Lr);
        Value numAlive = compactKnownPairs(refPrefix, alive, b, r);
        e.loop(numAlive, [&](Value k) {
          Value j = e.toIndex(e.load(alive, {k}));
          auto [p, q, both] = idsAt(refPrefix, {b, r, j}, Lc);
          (void)both;
          // One load decides unless p starts further n-grams and q is not
          // its first suffix.
          Value seen = e.load(first, {e.toIndex(p)});
          Value matchesFirst =
              e.cmpi(arith::CmpIPredicate::eq, firstSuffixOf(seen), q);
          Value firstMatch = e.select(matchesFirst, firstIdOf(seen), e.i32(-1));
          Value others = e.andi(
              e.cmpi(arith::CmpIPredicate::eq, matchesFirst, e.boolean(false)),
              e.cmpi(arith::CmpIPredicate::eq, e.andi(seen, e.i64(kOnlyFirst)),
                     e.i64(0)));
          Value id = yieldIf(
              others, [&] { return find(pairs, p, q); },
              [&] { return firstMatch; });
          e.store(id, rid, {b, r, j});
        });
      });
    });
  }

  /// lowerChained's inline first pairs: first[p] is one i64, the suffix id
  /// of the first n-gram with prefix p in the high half, its id in bits
  /// 0-30, and bit 31 (kOnlyFirst) set while p starts no other n-gram
  /// (ids are below 2^31). One load then decides a reference window's
  /// lookup, and selects need no second load (LLVM turns a select of a
  /// load into a branch). kNoFirst, all ones, marks a prefix not seen yet:
  /// its suffix half, -1, is no id, and its kOnlyFirst bit sends no lookup
  /// to the pair table.
  static constexpr int64_t kNoFirst = -1;
  static constexpr int64_t kOnlyFirst = int64_t(1) << 31;
  Value packFirst(Value suffix, Value id) {
    Value high = arith::ShLIOp::create(
        rewriter, loc,
        arith::ExtUIOp::create(rewriter, loc, rewriter.getI64Type(), suffix),
        e.i64(32));
    Value low =
        arith::ExtUIOp::create(rewriter, loc, rewriter.getI64Type(), id);
    return e.ori(high, e.ori(low, e.i64(kOnlyFirst)));
  }
  Value firstSuffixOf(Value word) {
    return arith::TruncIOp::create(
        rewriter, loc, rewriter.getI32Type(),
        arith::ShRUIOp::create(rewriter, loc, word, e.i64(32)));
  }
  Value firstIdOf(Value word) {
    return arith::TruncIOp::create(rewriter, loc, rewriter.getI32Type(),
                                   e.andi(word, e.i64(kOnlyFirst - 1)));
  }

  /// The table of numberByPairs: one i64 per slot, the pair's key shifted
  /// left by kPackedIdBits with its id in the low bits (kEmptyPair: empty),
  /// so one load gives both and no select waits on a second load (LLVM
  /// turns such a select into a branch). Keys p * Lc + q need 2 log2(Lc)
  /// bits: candidates below 2^21 positions fit.
  static constexpr int64_t kPackedIdBits = 21;
  static constexpr int64_t kEmptyPair = -1, kMalformedPair = -2;
  struct PackedPairTable {
    /// The slots, the mask of a slot index, the hash's shift, and the slots
    /// filled by the current example (in id order), emptied after it: the
    /// table is filled once per op, not once per example.
    Value slots, mask, shift, used;
  };
  /// Whether many of the candidate's windows repeat a prefix seen before
  /// (fewer than 4 distinct prefix ids per 5 windows; ids are dense, so the
  /// largest one tells how many there are), in a candidate short enough
  /// for the packed pair table. Then the inline first pair mostly misses,
  /// on a branch that cannot be predicted (bigrams of Zipf-distributed
  /// tokens: a frequent token is followed by many others), and
  /// numberByPairs, which has no such branch, is faster.
  Value prefixesRepeat(Value candPrefix, Value b, Value count) {
    Value distinct =
        e.add(ngram::maxLanes(e, width, candPrefix, {b}, count), e.i32(1));
    Value repeats = e.cmpi(arith::CmpIPredicate::slt, e.mul(distinct, e.i32(5)),
                           e.mul(e.toI32(count), e.i32(4)));
    Value fits = e.cmpi(arith::CmpIPredicate::ult, Lc,
                        e.index(int64_t(1) << kPackedIdBits));
    return e.andi(repeats, fits);
  }

  /// The dictionary with every pair in the packed table: one probe per
  /// window, and whether the pair is new only selects values.
  void numberByPairs(const PackedPairTable &table, Value candPrefix,
                     Value refPrefix, Value b, Value count) {
    Value empty = e.i64(kEmptyPair);
    // Window i's suffix id is window i + 1's prefix id: each is loaded once
    // and carried to the next step.
    Value cap = e.toI32(Lc);
    Value firstPrefix = yieldIf(
        e.cmpi(arith::CmpIPredicate::sgt, count, e.index(0)),
        [&] {
          return e.load(candPrefix, {b, e.index(0)});
        },
        [&] { return e.i32(-1); });
    // A window with the key of one of the two windows before it has its id
    // without a probe: in a run of one token ("the the the ...") or of two
    // alternating ones, every probe would read the slot a recent step has
    // just written, one store-to-load latency each.
    SmallVector<Value> numbered = e.forLoop(
        e.index(0), count, e.index(1),
        {e.i32(0), firstPrefix, e.i64(kEmptyPair), e.i32(-1), e.i64(kEmptyPair),
         e.i32(-1)},
        [&](Value i, ValueRange acc) {
          Value fresh = acc[0], p = acc[1];
          Value q = e.load(candPrefix, {b, e.add(i, e.index(1))});
          // Only malformed prefix ids fail `both`: their windows get -1 and
          // probe for a key no pair has, which they never insert.
          Value both = e.cmpi(arith::CmpIPredicate::ult,
                              arith::MaxUIOp::create(rewriter, loc, p, q), cap);
          Value key = e.select(both, pairKey(p, q), e.i64(kMalformedPair));
          auto [recent, recentId] = recall(key, acc.slice(2, 4));
          auto ifRepeat = scf::IfOp::create(
              rewriter, loc,
              TypeRange{rewriter.getI32Type(), rewriter.getI32Type()}, recent,
              /*withElseRegion=*/true);
          {
            OpBuilder::InsertionGuard g(rewriter);
            rewriter.setInsertionPointToStart(ifRepeat.thenBlock());
            scf::YieldOp::create(rewriter, loc, ValueRange{recentId, fresh});
            rewriter.setInsertionPointToStart(ifRepeat.elseBlock());
            auto [slot, held] = probePacked(table, key);
            Value isNew =
                e.andi(both, e.cmpi(arith::CmpIPredicate::eq, held, empty));
            Value id = e.select(isNew, fresh, packedId(held));
            e.store(e.select(isNew, packSlot(key, fresh), held), table.slots,
                    {slot});
            // Kept only when new: a pair already held leaves `fresh` as it
            // is, and the next new pair overwrites this entry.
            e.store(e.toI32(slot), table.used, {e.toIndex(fresh)});
            Value step = arith::ExtUIOp::create(rewriter, loc,
                                                rewriter.getI32Type(), isNew);
            scf::YieldOp::create(
                rewriter, loc,
                ValueRange{e.select(both, id, e.i32(-1)), e.add(fresh, step)});
          }
          Value id = ifRepeat.getResult(0);
          e.store(id, cid, {b, i});
          return SmallVector<Value>{
              ifRepeat.getResult(1), q, key, id, acc[2], acc[3]};
        });
    fillMissing(cid, {b}, count, Lc);
    e.store(numbered[0], num, {b});
    e.loop(R, [&](Value r) { lookupPairsByVectors(table, refPrefix, b, r); });
    // Empty the slots this example filled, instead of the whole table.
    e.loop(e.toIndex(numbered[0]), [&](Value k) {
      e.store(empty, table.slots, {e.toIndex(e.load(table.used, {k}))});
    });
  }

  /// The pair table of lowerChained: ids (-1: empty slot) and the pair
  /// keys of its slots, the mask of a slot index and the hash's shift.
  struct PairTable {
    Value ids, keys, mask, shift;
  };

  //===--------------------------------------------------------------------===//
  // Reference lookups, `width` windows at a time
  //===--------------------------------------------------------------------===//
  //
  // Lookups do not change the tables, so the windows of a reference are
  // independent: their prefix and suffix ids are loaded as vectors, the
  // table slots gathered for all lanes at once, and only the lanes whose
  // slot holds another pair gather again from the next slot. No lane waits
  // on another's probe, and the found-or-absent outcome (unpredictable on
  // real text) selects lanes instead of steering a branch.

  /// The lanes of a reference's windows from position j: prefix and
  /// suffix ids, and which lanes are windows whose ids are both candidate
  /// ids (the others get -1).
  struct PairLanes {
    Value p, q, known;
  };
  PairLanes pairLanesAt(Value refPrefix, Value b, Value r, Value j,
                        Value refCount) {
    // Lanes below refCount read at most position refCount <= Lr-1.
    Value isWindow = ngram::laneMask(e, width, j, refCount);
    Value p = ngram::loadLanes(e, refPrefix, {b, r, j}, isWindow, -1);
    Value q = ngram::loadLanes(e, refPrefix, {b, r, e.add(j, e.index(1))},
                               isWindow, -1);
    Value cap = ngram::broadcastI32(e, width, Lc);
    Value known =
        e.andi(isWindow, e.andi(e.cmpi(arith::CmpIPredicate::ult, p, cap),
                                e.cmpi(arith::CmpIPredicate::ult, q, cap)));
    return {p, q, known};
  }

  /// rid[b, r, :] from the packed table, one vector of windows at a time.
  void lookupPairsByVectors(const PackedPairTable &table, Value refPrefix,
                            Value b, Value r) {
    Value refCount = windowsOf(e.load(rlen, {b, r}), Lr);
    e.forLoop(e.index(0), Lr, e.index(width), {}, [&](Value j, ValueRange) {
      Value ids =
          findPackedLanes(table, pairLanesAt(refPrefix, b, r, j, refCount));
      ngram::storeLanes(e, ids, rid, {b, r, j},
                        ngram::laneMask(e, width, j, Lr));
      return SmallVector<Value>();
    });
  }

  VectorType lanesOf(Type element) { return VectorType::get({width}, element); }
  Value splat(Value scalar) {
    return vector::BroadcastOp::create(rewriter, loc, lanesOf(scalar.getType()),
                                       scalar);
  }

  /// The ids of the lanes' pairs in the packed table (-1: absent), by
  /// linear probing of all known lanes at once: each round gathers the
  /// pending lanes' slots; a lane is done when its slot holds its key (the
  /// id) or is empty, and the others move to the next slot.
  Value findPackedLanes(const PackedPairTable &table, const PairLanes &lanes) {
    auto i64Lanes = lanesOf(rewriter.getI64Type());
    auto i32Lanes = lanesOf(rewriter.getI32Type());
    auto widen = [&](Value v) {
      return arith::ExtUIOp::create(rewriter, loc, i64Lanes, v).getResult();
    };
    // pairKey and fibonacciSlot on lanes (slots fit i32: tables have fewer
    // than 2^31). One op per statement, so that the order of the emitted
    // ops does not depend on the compiler's order of evaluating arguments.
    Value p = widen(lanes.p), q = widen(lanes.q);
    Value lc = splat(e.toI64(Lc));
    Value key = e.add(e.mul(p, lc), q);
    Value fibonacci = splat(e.i64(kFibonacci));
    Value shift = splat(table.shift);
    Value start = arith::TruncIOp::create(
        rewriter, loc, i32Lanes,
        arith::ShRUIOp::create(rewriter, loc, e.mul(key, fibonacci), shift));
    Value keyShift = splat(e.i64(kPackedIdBits));
    Value idBits = splat(e.i64((int64_t(1) << kPackedIdBits) - 1));
    Value emptySlot = splat(e.i64(kEmptyPair));
    Value one = ngram::splatI32(e, width, 1);
    Value slotMask = ngram::broadcastI32(e, width, table.mask);
    auto maskType = cast<VectorType>(lanes.known.getType());
    Value allLanes = arith::ConstantOp::create(
        rewriter, loc, maskType, DenseElementsAttr::get(maskType, true));
    Value none = ngram::splatI32(e, width, -1);
    auto search = scf::WhileOp::create(
        rewriter, loc, TypeRange{i32Lanes, maskType, i32Lanes},
        ValueRange{start, lanes.known, none},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value slot = args[0], pending = args[1];
          Value held =
              ngram::gatherLanes(be, table.slots, slot, pending, kEmptyPair);
          Value hit =
              be.cmpi(arith::CmpIPredicate::eq,
                      arith::ShRUIOp::create(nb, l, held, keyShift), key);
          Value empty = be.cmpi(arith::CmpIPredicate::eq, held, emptySlot);
          Value ids = be.select(
              be.andi(pending, hit),
              arith::TruncIOp::create(nb, l, i32Lanes, be.andi(held, idBits)),
              args[2]);
          Value stillPending =
              be.andi(pending, arith::XOrIOp::create(nb, l, be.ori(hit, empty),
                                                     allLanes));
          scf::ConditionOp::create(nb, l, ngram::anyLane(be, stillPending),
                                   ValueRange{slot, stillPending, ids});
        },
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value next = be.andi(be.add(args[0], one), slotMask);
          scf::YieldOp::create(nb, l, ValueRange{next, args[1], args[2]});
        });
    return search.getResult(2);
  }

  /// Whether `key` is one of the two last keys looked up (`last`: key,
  /// id, key, id, the latest first), and its id if so.
  std::pair<Value, Value> recall(Value key, ValueRange last) {
    Value isLatest = e.cmpi(arith::CmpIPredicate::eq, key, last[0]);
    Value isEarlier = e.cmpi(arith::CmpIPredicate::eq, key, last[2]);
    return {e.ori(isLatest, isEarlier), e.select(isLatest, last[1], last[3])};
  }

  /// The positions of reference r whose prefix and suffix are both
  /// candidate (n-1)-grams, compacted into `alive` a vector at a time, so
  /// the lookup loop neither visits nor branches over the others. Returns
  /// how many.
  Value compactKnownPairs(Value refPrefix, Value alive, Value b, Value r) {
    Value refCount = windowsOf(e.load(rlen, {b, r}), Lr);
    Value cap = ngram::broadcastI32(e, width, Lc);
    return ngram::compact(
        e, refCount, alive, width,
        [&](Value start, Value positions, Value inRange) {
          // Lanes below refCount read at most position refCount <= Lr-1.
          Value p = ngram::loadLanes(e, refPrefix, {b, r, start}, inRange, -1);
          Value q = ngram::loadLanes(
              e, refPrefix, {b, r, e.add(start, e.index(1))}, inRange, -1);
          Value both = e.andi(e.cmpi(arith::CmpIPredicate::ult, p, cap),
                              e.cmpi(arith::CmpIPredicate::ult, q, cap));
          return ngram::Compacted{both, positions};
        });
  }

  /// The packed table is sparse: the references' vector lookups go on
  /// probing while any of their lanes meets another pair, so every
  /// collision costs a whole vector a second gather and a mispredicted
  /// branch. 32 slots per candidate window (2-3% load on bigrams of real
  /// text) while that stays within kPackedTableSlotsInCache (256 KiB, in L2),
  /// else at least 4 per window. Emptying it is no per-example cost: each
  /// example empties only the slots it filled.
  static constexpr int64_t kPackedSlotsPerWindow = 32;
  static constexpr int64_t kPackedTableSlotsInCache = int64_t(1) << 15;
  PackedPairTable allocPackedPairTable() {
    Value sparse = arith::MinUIOp::create(
        rewriter, loc, e.mul(Lc, e.index(kPackedSlotsPerWindow)),
        e.index(kPackedTableSlotsInCache));
    Value tableSize = e.powerOfTwoAtLeast(
        arith::MaxUIOp::create(rewriter, loc, sparse, e.mul(Lc, e.index(4))),
        16);
    Value slots = memref::AllocOp::create(
        rewriter, loc, MemRefType::get({kDyn}, rewriter.getI64Type()),
        ValueRange{tableSize});
    Value shift = fibonacciShift(tableSize);
    linalg::FillOp::create(rewriter, loc, ValueRange{e.i64(kEmptyPair)},
                           ValueRange{slots});
    // An id per new pair, and one more entry for the last step's store.
    Value used = allocI32(e.add(Lc, e.index(1)));
    return {slots, e.sub(tableSize, e.index(1)), shift, used};
  }
  Value packSlot(Value key, Value id) {
    return arith::OrIOp::create(
        rewriter, loc,
        arith::ShLIOp::create(rewriter, loc, key, e.i64(kPackedIdBits)),
        e.toI64(id));
  }
  Value packedKey(Value held) { return packedKey(rewriter, loc, held); }
  static Value packedKey(OpBuilder &b, Location l, Value held) {
    return arith::ShRUIOp::create(b, l, held, Emitter{b, l}.i64(kPackedIdBits));
  }
  Value packedId(Value held) {
    return arith::TruncIOp::create(
        rewriter, loc, rewriter.getI32Type(),
        arith::AndIOp::create(rewriter, loc, held,
                              e.i64((int64_t(1) << kPackedIdBits) - 1)));
  }
  /// Probes linearly from the key's Fibonacci hash (the top bits of key *
  /// 2^64 / phi) until a slot holds `key` or is empty; returns that slot
  /// and what it holds. The loop's exit is the only branch, taken at the
  /// first slot unless it holds another pair.
  std::pair<Value, Value> probePacked(const PackedPairTable &table, Value key) {
    Value start = fibonacciSlot(key, table.shift);
    auto search = scf::WhileOp::create(
        rewriter, loc,
        TypeRange{rewriter.getIndexType(), rewriter.getI64Type()},
        ValueRange{start, e.i64(kEmptyPair)},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value held = be.load(table.slots, {args[0]});
          // Done when the slot holds the key or is empty (held + 1 == 0):
          // one compare of the smaller of the two differences, so that
          // LLVM does not split the exit into two branches, one of them on
          // whether the pair is new (unpredictable on real text).
          Value otherKey =
              arith::XOrIOp::create(nb, l, packedKey(nb, l, held), key);
          Value occupied = be.add(held, be.i64(1));
          Value keepGoing = be.cmpi(
              arith::CmpIPredicate::ne,
              arith::MinUIOp::create(nb, l, otherKey, occupied), be.i64(0));
          scf::ConditionOp::create(nb, l, keepGoing, ValueRange{args[0], held});
        },
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value next = arith::AndIOp::create(
              nb, l, be.add(args[0], be.index(1)), table.mask);
          scf::YieldOp::create(nb, l, ValueRange{next, args[1]});
        });
    return {search.getResult(0), search.getResult(1)};
  }

  PairTable allocPairTable() {
    Value tableSize = e.powerOfTwoAtLeast(e.mul(Lc, e.index(4)), 16);
    Value keys = memref::AllocOp::create(
        rewriter, loc, MemRefType::get({kDyn}, rewriter.getI64Type()),
        ValueRange{tableSize});
    return {allocI32(tableSize), keys, e.sub(tableSize, e.index(1)),
            fibonacciShift(tableSize)};
  }
  /// The multiplier of Fibonacci hashing: 2^64 / phi.
  static constexpr int64_t kFibonacci =
      static_cast<int64_t>(0x9E3779B97F4A7C15ULL);
  /// 64 - log2(size): the shift that keeps log2(size) bits of the hash.
  Value fibonacciShift(Value tableSize) {
    return e.add(
        math::CountLeadingZerosOp::create(rewriter, loc, e.toI64(tableSize)),
        e.i64(1));
  }
  /// The slot a pair key starts probing at: the top bits of key * 2^64 /
  /// phi (pair keys are dense, p * Lc + q; the multiply spreads them).
  Value fibonacciSlot(Value key, Value shift) {
    return e.toIndex(arith::ShRUIOp::create(
        rewriter, loc, e.mul(key, e.i64(kFibonacci)), shift));
  }
  /// (p, q) as one i64: p * Lc + q, both below Lc.
  Value pairKey(Value p, Value q) {
    return e.add(e.mul(e.toI64(p), e.toI64(Lc)), e.toI64(q));
  }

  /// The id of (p, q) in the pair table, inserting it as `fresh` (and
  /// clearing kOnlyFirst in first[pi], which holds `seen`) when absent.
  Value findOrInsert(const PairTable &pairs, Value first, Value pi, Value seen,
                     Value p, Value q, Value fresh) {
    Value key = pairKey(p, q);
    auto [slot, found] = probe(pairs.ids, {pairs.keys}, pairs.mask,
                               fibonacciSlot(key, pairs.shift), {key});
    Value isNew = e.cmpi(arith::CmpIPredicate::slt, found, e.i32(0));
    auto ifNew = scf::IfOp::create(rewriter, loc, isNew, false);
    OpBuilder::InsertionGuard g(rewriter);
    rewriter.setInsertionPointToStart(ifNew.thenBlock());
    e.store(fresh, pairs.ids, {slot});
    e.store(key, pairs.keys, {slot});
    e.store(e.andi(seen, e.i64(~kOnlyFirst)), first, {pi});
    rewriter.setInsertionPointAfter(ifNew);
    return e.select(isNew, fresh, found);
  }

  /// The id of (p, q) in the pair table; -1 when absent.
  Value find(const PairTable &pairs, Value p, Value q) {
    Value key = pairKey(p, q);
    return probe(pairs.ids, {pairs.keys}, pairs.mask,
                 fibonacciSlot(key, pairs.shift), {key})
        .second;
  }

  /// Whether the candidate's (n-1)-gram ids are their positions (id i at
  /// i, for the count + 1 of them the n-grams use): true when its
  /// (n-1)-grams are all distinct, as they mostly are from n = 2 on.
  Value prefixesArePositions(Value candPrefix, Value b, Value count) {
    Value used = e.select(e.cmpi(arith::CmpIPredicate::sgt, count, e.index(0)),
                          e.add(count, e.index(1)), e.index(0));
    return ngram::idsArePositions(e, width, candPrefix, {b}, used, used);
  }

  /// The dictionary when the prefix ids are positions: the n-grams are all
  /// distinct, each one's id is its position, and the n-gram with prefix p
  /// and suffix q occurs in the candidate iff q = p + 1 and p < count. No
  /// table: whole vectors of windows at a time.
  void numberByPosition(Value refPrefix, Value b, Value count) {
    Value missing = ngram::splatI32(e, width, -1);
    Value one = ngram::splatI32(e, width, 1);
    Value countLanes = ngram::broadcastI32(e, width, count);
    e.forLoop(e.index(0), Lc, e.index(width), {}, [&](Value i, ValueRange) {
      Value positions = ngram::lanePositions(e, width, i);
      Value isWindow = e.cmpi(arith::CmpIPredicate::slt, positions, countLanes);
      ngram::storeLanes(e, e.select(isWindow, positions, missing), cid, {b, i},
                        ngram::laneMask(e, width, i, Lc));
      return SmallVector<Value>();
    });
    e.store(e.toI32(count), num, {b});
    e.loop(R, [&](Value r) {
      Value refCount = windowsOf(e.load(rlen, {b, r}), Lr);
      e.forLoop(e.index(0), Lr, e.index(width), {}, [&](Value j, ValueRange) {
        // Lanes below refCount read at most position refCount <= Lr-1.
        Value isWindow = ngram::laneMask(e, width, j, refCount);
        Value p = ngram::loadLanes(e, refPrefix, {b, r, j}, isWindow, -1);
        Value q = ngram::loadLanes(e, refPrefix, {b, r, e.add(j, e.index(1))},
                                   isWindow, -1);
        Value found =
            e.andi(e.cmpi(arith::CmpIPredicate::ult, p, countLanes),
                   e.cmpi(arith::CmpIPredicate::eq, q, e.add(p, one)));
        found = e.andi(isWindow, found);
        ngram::storeLanes(e, e.select(found, p, missing), rid, {b, r, j},
                          ngram::laneMask(e, width, j, Lr));
        return SmallVector<Value>();
      });
    });
  }

  //===--------------------------------------------------------------------===//
  // Unigrams: a token-indexed table when the token range is small
  //===--------------------------------------------------------------------===//

  void lowerUnigrams() {
    // The candidates' smallest and largest token (without any, low > high).
    SmallVector<Value> bounds = fused ? tokenBoundsByVectors() : tokenBounds();
    Value low = bounds[0];
    // max - min, 0 without tokens (the table then has one unused entry);
    // as an unsigned difference it cannot overflow.
    Value empty = e.cmpi(arith::CmpIPredicate::sgt, low, bounds[1]);
    Value spread = e.select(empty, e.i64(0), e.sub(bounds[1], low));
    Value windows = e.toI64(e.add(e.mul(B, Lc), e.mul(e.mul(B, R), Lr)));
    Value budget =
        e.add(e.mul(windows, e.i64(kRangePerWindow)), e.i64(kMinTokenRange));
    Value small =
        e.andi(e.cmpi(arith::CmpIPredicate::ult, spread, e.i64(kMaxTokenRange)),
               e.cmpi(arith::CmpIPredicate::ult, spread, budget));
    auto ifSmall = scf::IfOp::create(rewriter, loc, small,
                                     /*withElseRegion=*/true);
    OpBuilder::InsertionGuard g(rewriter);
    rewriter.setInsertionPointToStart(ifSmall.elseBlock());
    lowerHashed();
    rewriter.setInsertionPointToStart(ifSmall.thenBlock());
    lowerTokenIndexed(low, e.toIndex(e.add(spread, e.i64(1))));
  }

  /// The smallest and largest candidate token, one window at a time.
  SmallVector<Value> tokenBounds() {
    return e.forLoop(
        e.index(0), B, e.index(1),
        {e.i64(std::numeric_limits<int64_t>::max()),
         e.i64(std::numeric_limits<int64_t>::min())},
        [&](Value b, ValueRange acc) {
          Value count = windowsOf(e.load(clen, {b}), Lc);
          return e.forLoop(
              e.index(0), count, e.index(1), acc, [&](Value i, ValueRange mm) {
                Value t = tokenOf(cw, {b}, i, 0);
                return SmallVector<Value>{e.minsi(mm[0], t), e.maxsi(mm[1], t)};
              });
        });
  }

  /// tokenBounds over whole vectors of tokens, when the windows are the
  /// token rows themselves (fused).
  SmallVector<Value> tokenBoundsByVectors() {
    auto tokenType = cast<MemRefType>(cw.getType()).getElementType();
    unsigned bits = tokenType.getIntOrFloatBitWidth();
    auto lanesOf = [&](const APInt &value) {
      auto type = VectorType::get({width}, tokenType);
      return arith::ConstantOp::create(rewriter, loc, type,
                                       DenseElementsAttr::get(type, value))
          .getResult();
    };
    Value highest = lanesOf(APInt::getSignedMaxValue(bits));
    Value lowest = lanesOf(APInt::getSignedMinValue(bits));
    SmallVector<Value> lanes =
        e.forLoop(e.index(0), B, e.index(1), {highest, lowest},
                  [&](Value b, ValueRange acc) {
                    Value count = windowsOf(e.load(clen, {b}), Lc);
                    return e.forLoop(
                        e.index(0), count, e.index(width), acc,
                        [&](Value i, ValueRange mm) {
                          Value inRange = ngram::laneMask(e, width, i, count);
                          Value t = ngram::loadLanes(e, cw, {b, i}, inRange, 0);
                          return SmallVector<Value>{
                              e.minsi(mm[0], e.select(inRange, t, highest)),
                              e.maxsi(mm[1], e.select(inRange, t, lowest))};
                        });
                  });
    // Without tokens low > high still holds, which is all lowerUnigrams
    // tests.
    Value low = e.toI64(vector::ReductionOp::create(
        rewriter, loc, vector::CombiningKind::MINSI, lanes[0]));
    Value high = e.toI64(vector::ReductionOp::create(
        rewriter, loc, vector::CombiningKind::MAXSI, lanes[1]));
    return {low, high};
  }

  /// `table[token - low]` is the token's candidate id or -1. Filled once;
  /// each example sets its candidate's entries and clears them after.
  void lowerTokenIndexed(Value low, Value range) {
    Value table = allocI32(range);
    linalg::FillOp::create(rewriter, loc, ValueRange{e.i32(-1)},
                           ValueRange{table});
    auto slotOf = [&](Value token) { return e.toIndex(e.sub(token, low)); };
    e.loop(B, [&](Value b) {
      Value count = windowsOf(e.load(clen, {b}), Lc);
      // Stored unconditionally (the same id when not new): no branch.
      numberCandidate(b, count, [&](Value i, Value fresh) {
        Value slot = slotOf(tokenOf(cw, {b}, i, 0));
        Value id = e.load(table, {slot});
        id = e.select(e.cmpi(arith::CmpIPredicate::slt, id, e.i32(0)), fresh,
                      id);
        e.store(id, table, {slot});
        return id;
      });
      e.loop(R, [&](Value r) {
        Value refCount = windowsOf(e.load(rlen, {b, r}), Lr);
        // Tokens outside the candidates' range read slot 0 and miss.
        e.loop(refCount, [&](Value j) {
          Value offset = e.sub(tokenOf(rw, {b, r}, j, 0), low);
          Value inside =
              e.cmpi(arith::CmpIPredicate::ult, offset, e.toI64(range));
          Value slot = e.toIndex(e.select(inside, offset, e.i64(0)));
          Value id = e.select(inside, e.load(table, {slot}), e.i32(-1));
          e.store(id, rid, {b, r, j});
        });
        fillMissing(rid, {b, r}, refCount, Lr);
      });
      e.loop(count, [&](Value i) {
        e.store(e.i32(-1), table, {slotOf(tokenOf(cw, {b}, i, 0))});
      });
    });
  }

  //===--------------------------------------------------------------------===//
  // Hashed: open addressing on the window's tokens
  //===--------------------------------------------------------------------===//

  /// Table size: the smallest power of two >= max(16, 4 * Lc): a sparse
  /// table ends most searches at the first slot. Each slot holds the id of
  /// a candidate n-gram (-1: empty) and its n tokens, so a probe compares
  /// keys without reading the windows back.
  void lowerHashed() {
    Value tableSize = e.powerOfTwoAtLeast(e.mul(Lc, e.index(4)), 16);
    Value mask = e.sub(tableSize, e.index(1));
    Value ids = allocI32(tableSize);
    SmallVector<Value> keys;
    for (int64_t k = 0; k < n; ++k)
      keys.push_back(memref::AllocOp::create(
          rewriter, loc, MemRefType::get({kDyn}, rewriter.getI64Type()),
          ValueRange{tableSize}));
    auto keyOf = [&](Value source, ArrayRef<Value> outer, Value pos) {
      SmallVector<Value> key;
      for (int64_t k = 0; k < n; ++k)
        key.push_back(tokenOf(source, outer, pos, k));
      return key;
    };
    e.loop(B, [&](Value b) {
      linalg::FillOp::create(rewriter, loc, ValueRange{e.i32(-1)},
                             ValueRange{ids});
      Value count = windowsOf(e.load(clen, {b}), Lc);
      numberCandidate(b, count, [&](Value i, Value fresh) {
        SmallVector<Value> key = keyOf(cw, {b}, i);
        auto [slot, found] = probe(ids, keys, mask, hashSlot(key, mask), key);
        Value isNew = e.cmpi(arith::CmpIPredicate::slt, found, e.i32(0));
        auto ifNew = scf::IfOp::create(rewriter, loc, isNew, false);
        OpBuilder::InsertionGuard g(rewriter);
        rewriter.setInsertionPointToStart(ifNew.thenBlock());
        e.store(fresh, ids, {slot});
        for (auto [word, table] : llvm::zip(key, keys))
          e.store(word, table, {slot});
        rewriter.setInsertionPointAfter(ifNew);
        return e.select(isNew, fresh, found);
      });
      e.loop(R, [&](Value r) {
        Value refCount = windowsOf(e.load(rlen, {b, r}), Lr);
        e.loop(refCount, [&](Value j) {
          SmallVector<Value> key = keyOf(rw, {b, r}, j);
          e.store(probe(ids, keys, mask, hashSlot(key, mask), key).second, rid,
                  {b, r, j});
        });
        fillMissing(rid, {b, r}, refCount, Lr);
      });
    });
  }

  /// The slot where a search for the key words `key` starts.
  Value hashSlot(ArrayRef<Value> key, Value mask) {
    return arith::AndIOp::create(rewriter, loc, e.toIndex(e.hash(key)), mask);
  }

  /// Probes linearly from slot `start` until an empty slot or a slot
  /// holding the same key words. Returns the slot and the id stored there
  /// (-1 when empty). Each examined slot costs independent loads and no
  /// data-dependent branch but the loop's exit.
  std::pair<Value, Value> probe(Value ids, ArrayRef<Value> keys, Value mask,
                                Value start, ArrayRef<Value> key) {
    auto search = scf::WhileOp::create(
        rewriter, loc,
        TypeRange{rewriter.getIndexType(), rewriter.getI32Type()},
        ValueRange{start, e.i32(-1)},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          Value slot = args[0];
          Value id = be.load(ids, {slot});
          Value done = be.cmpi(arith::CmpIPredicate::eq, id, be.i32(-1));
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

struct LowerNgramDict : OpRewritePattern<NgramDictOp> {
  LowerNgramDict(MLIRContext *context, int64_t width)
      : OpRewritePattern(context), width(width) {}

  LogicalResult matchAndRewrite(NgramDictOp op,
                                PatternRewriter &rewriter) const override {
    Value candWindows = op.getCandidateWindows();
    Value refWindows = op.getReferenceWindows();
    DictionaryLowering lowering(op, rewriter, width);
    lowering.lower();
    lowering.eraseFusedWindows(candWindows, refWindows);
    return success();
  }

private:
  int64_t width;
};

struct LowerNgramChain : OpRewritePattern<NgramChainOp> {
  LowerNgramChain(MLIRContext *context, int64_t width)
      : OpRewritePattern(context), width(width) {}

  LogicalResult matchAndRewrite(NgramChainOp op,
                                PatternRewriter &rewriter) const override {
    DictionaryLowering(op, rewriter, width).lower();
    return success();
  }

private:
  int64_t width;
};

} // namespace

bool mlir::sdp::ngram::windowsFuseIntoDictionary(Operation *op) {
  auto dict = dyn_cast<NgramDictOp>(op);
  return dict && dict.getCandidateWindows().getDefiningOp<NgramExtractOp>() &&
         dict.getReferenceWindows().getDefiningOp<NgramExtractOp>();
}

void mlir::sdp::ngram::populateDictionaryLoweringPatterns(
    RewritePatternSet &patterns, int64_t width) {
  patterns.add<LowerNgramDict, LowerNgramChain>(patterns.getContext(), width);
}
