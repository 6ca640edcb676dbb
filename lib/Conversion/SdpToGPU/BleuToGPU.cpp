//===- BleuToGPU.cpp - sdp.bleu statistics in one fused GPU kernel --------===//
//
// One thread block per sentence computes, for every n-gram order, the
// clipped matches and the candidate n-gram count with a hash table of the
// candidate's n-grams in shared memory: no sort, no dense count matrix, no
// host round trip between orders. The block's first thread then applies the
// float64 formula of sdp.bleu_score (Utils/BleuFormula.h) to its sentence;
// a corpus score takes a second, one-block kernel that sums the statistics.
// Only the scores leave the device.
//
// Shared memory, S slots (a power of two, at least twice the candidate
// width): table[S] (a candidate position per occupied slot, -1 empty),
// candCount[S], refCount[S], maxRef[S], then the sentence lengths and the
// match accumulator.
//
//===----------------------------------------------------------------------===//

#include "../Utils/BleuFormula.h"
#include "KernelEmitter.h"
#include "sdp/Dialect/NgramOps.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

namespace {

struct BleuToGPU : OpRewritePattern<BleuOp> {
  BleuToGPU(MLIRContext *context, const KernelOptions &options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(BleuOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    Type i32 = rewriter.getI32Type(), i64 = rewriter.getI64Type();
    SmallVector<int64_t> orders = op.getOrders();
    int64_t numOrders = orders.size();

    // One reference per candidate: [B, Lr] → [B, 1, Lr].
    Value refsTensor = op.getReferences();
    auto refsType = cast<RankedTensorType>(refsTensor.getType());
    if (refsType.getRank() == 2)
      refsTensor = tensor::ExpandShapeOp::create(
          rewriter, loc,
          RankedTensorType::get(
              {refsType.getDimSize(0), 1, refsType.getDimSize(1)},
              refsType.getElementType()),
          refsTensor, SmallVector<ReassociationIndices>{{0, 1}, {2}},
          SmallVector<OpFoldResult>{
              tensor::DimOp::create(rewriter, loc, refsTensor, 0).getResult(),
              rewriter.getIndexAttr(1),
              tensor::DimOp::create(rewriter, loc, refsTensor, 1).getResult()});

    DeviceBuffers device{e, options.deviceResident};
    Value cand = device.copyIn(op.getCandidates());
    Value refs = device.copyIn(refsTensor);
    Value B = e.dim(cand, 0), Lc = e.dim(cand, 1);
    Value R = e.dim(refs, 1), Lr = e.dim(refs, 2);
    auto statsType = MemRefType::get({numOrders, kDyn}, i64);
    Value matches = device.alloc(statsType, ValueRange{B});
    Value totals = device.alloc(statsType, ValueRange{B});
    Value hypLengths =
        device.alloc(MemRefType::get({kDyn}, i32), ValueRange{B});
    Value refLengths =
        device.alloc(MemRefType::get({kDyn, kDyn}, i32), ValueRange{B, R});
    BleuStatistics stats{matches, totals, hypLengths, refLengths};
    BleuFormula formula(op);
    auto scoresType = cast<RankedTensorType>(op.getScores().getType());
    // One score per sentence, or one for the corpus (also when B is 0).
    Value numScores = formula.isCorpus() ? e.index(1) : B;
    Value scores = device.alloc(
        MemRefType::get(scoresType.getShape(), rewriter.getF64Type()),
        scoresType.isDynamicDim(0) ? ValueRange{numScores} : ValueRange{});

    // S: the smallest power of two >= max(32, 2 * Lc).
    Value S = e.powerOfTwoAtLeast(e.mul(Lc, e.index(2)), 32);
    Value mask = e.sub(S, e.index(1));
    Value sharedInts = e.add(e.mul(S, e.index(4)), e.add(R, e.index(2)));
    Value sharedBytes = e.toI32(e.mul(sharedInts, e.index(4)));
    Value one = e.index(1);
    launchKernel(
        rewriter, loc, B, e.index(kMaxThreads), sharedBytes,
        [&](KernelEmitter &k, Value b) {
          Value shared = sharedMemory(rewriter, loc, i32, sharedInts);
          Value candCountAt = S, refCountAt = k.mul(S, k.index(2)),
                maxRefAt = k.mul(S, k.index(3)),
                candLengthAt = k.mul(S, k.index(4));
          auto refLengthAt = [&](Value r) {
            return k.add(candLengthAt, k.add(r, one));
          };
          Value matchAt = k.add(candLengthAt, k.add(R, one));
          Value isFirst = k.cmpi(arith::CmpIPredicate::eq, k.tid, k.index(0));
          Type tokenType = getElementTypeOrSelf(cand.getType());
          Value pad = arith::ConstantOp::create(
              rewriter, loc, rewriter.getIntegerAttr(tokenType, op.getPadId()));
          auto isPad = [&](Value token) {
            return k.cmpi(arith::CmpIPredicate::eq, token, pad);
          };

          // Lengths: the first pad of each sentence, by atomic minimum.
          k.when(isFirst, [&] {
            k.store(k.toI32(Lc), shared, {candLengthAt});
            k.loop(R, [&](Value r) {
              k.store(k.toI32(Lr), shared, {refLengthAt(r)});
            });
          });
          k.barrier();
          k.forEachInBlock(Lc, [&](Value i) {
            k.when(isPad(k.load(cand, {b, i})), [&] {
              k.atomic(arith::AtomicRMWKind::mins, k.toI32(i), shared,
                       {candLengthAt});
            });
          });
          k.forEachInBlock(k.mul(R, Lr), [&](Value at) {
            Value r = arith::DivUIOp::create(rewriter, loc, at, Lr);
            Value j = arith::RemUIOp::create(rewriter, loc, at, Lr);
            k.when(isPad(k.load(refs, {b, r, j})), [&] {
              k.atomic(arith::AtomicRMWKind::mins, k.toI32(j), shared,
                       {refLengthAt(r)});
            });
          });
          k.barrier();
          Value candLength = k.toIndex(k.load(shared, {candLengthAt}));
          k.when(isFirst, [&] {
            k.store(k.toI32(candLength), hypLengths, {b});
            k.loop(R, [&](Value r) {
              k.store(k.load(shared, {refLengthAt(r)}), refLengths, {b, r});
            });
          });

          // One loop over the orders (the kernel's code does not grow with
          // max_n): row k < N counts (k+1)-grams; a last row past N holds
          // the 5-grams of NLTK's method5.
          int64_t numWeights = op.getWeights().size();
          k.loop(k.index(numOrders), [&](Value row) {
            Value n = k.add(row, k.index(1));
            if (numOrders > numWeights)
              n = k.select(
                  k.cmpi(arith::CmpIPredicate::ult, row, k.index(numWeights)),
                  n, k.index(orders.back()));
            // An empty table and zero counts.
            k.forEachInBlock(S, [&](Value s) {
              k.store(k.i32(-1), shared, {s});
              k.store(k.i32(0), shared, {k.add(candCountAt, s)});
              k.store(k.i32(0), shared, {k.add(refCountAt, s)});
              k.store(k.i32(0), shared, {k.add(maxRefAt, s)});
            });
            k.when(isFirst, [&] { k.store(k.i32(0), shared, {matchAt}); });
            k.barrier();

            // Candidate n-grams: claim a slot per distinct n-gram (compare and
            // swap on an empty slot), count occurrences per slot.
            Value windows = k.numWindows(candLength, n);
            k.forEachInBlock(windows, [&](Value i) {
              auto key = [&](Value t) {
                return k.load(cand, {b, k.add(i, t)});
              };
              Value slot = probe(k, mask, n, key, cand, b, [&](Value at) {
                auto claim = memref::GenericAtomicRMWOp::create(rewriter, loc,
                                                                shared, at);
                OpBuilder::InsertionGuard g(rewriter);
                rewriter.setInsertionPointToStart(claim.getBody());
                Value current = claim.getCurrentValue();
                Value empty =
                    k.cmpi(arith::CmpIPredicate::eq, current, k.i32(-1));
                memref::AtomicYieldOp::create(
                    rewriter, loc, k.select(empty, k.toI32(i), current));
                return claim.getResult();
              });
              k.atomic(arith::AtomicRMWKind::addi, k.i32(1), shared,
                       {k.add(candCountAt, slot)});
            });
            k.barrier();

            // Each reference: count its n-grams found in the table, then keep
            // the maximum count per slot.
            k.loop(R, [&](Value r) {
              Value refWindows =
                  k.numWindows(k.load(shared, {refLengthAt(r)}), n);
              k.forEachInBlock(refWindows, [&](Value j) {
                auto key = [&](Value t) {
                  return k.load(refs, {b, r, k.add(j, t)});
                };
                Value slot = probe(k, mask, n, key, cand, b, [&](Value at) {
                  return k.load(shared, {at});
                });
                Value found = k.cmpi(arith::CmpIPredicate::ne,
                                     k.load(shared, {slot}), k.i32(-1));
                k.when(found, [&] {
                  k.atomic(arith::AtomicRMWKind::addi, k.i32(1), shared,
                           {k.add(refCountAt, slot)});
                });
              });
              k.barrier();
              k.forEachInBlock(S, [&](Value s) {
                Value count = k.load(shared, {k.add(refCountAt, s)});
                Value best = k.load(shared, {k.add(maxRefAt, s)});
                k.store(k.maxsi(best, count), shared, {k.add(maxRefAt, s)});
                k.store(k.i32(0), shared, {k.add(refCountAt, s)});
              });
              k.barrier();
            });

            // Clipped matches: Σ_slots min(candCount, maxRef).
            Value partial = k.forLoop(
                k.tid, S, k.numThreads, k.i32(0), [&](Value s, ValueRange acc) {
                  Value clipped =
                      k.minsi(k.load(shared, {k.add(candCountAt, s)}),
                              k.load(shared, {k.add(maxRefAt, s)}));
                  return SmallVector<Value>{k.add(acc[0], clipped)};
                })[0];
            k.atomic(arith::AtomicRMWKind::addi, partial, shared, {matchAt});
            k.barrier();
            k.when(isFirst, [&] {
              k.store(k.toI64(k.load(shared, {matchAt})), matches, {row, b});
              k.store(k.toI64(windows), totals, {row, b});
            });
            k.barrier();
          });
          if (!formula.isCorpus())
            k.when(isFirst, [&] {
              k.store(formula.sentenceScore(k, stats, b), scores, {b});
            });
        });
    if (formula.isCorpus())
      launchCorpusScore(rewriter, loc, formula, stats, scores);

    device.replaceOp(rewriter, op, scores);
    return success();
  }

private:
  KernelOptions options;

  /// The corpus score into scores[0]: one block whose threads sum the
  /// statistics of a share of the sentences each, then add them up in
  /// shared memory (atomically); its first thread applies the formula.
  static void launchCorpusScore(OpBuilder &b, Location loc,
                                const BleuFormula &formula,
                                const BleuStatistics &stats, Value scores) {
    Emitter e{b, loc};
    Type i64 = b.getI64Type();
    Value B = e.dim(stats.hypLengths, 0);
    int64_t numTerms = formula.numCorpusTerms();
    Value sharedBytes = e.i32(numTerms * 8);
    launchKernel(
        b, loc, e.index(1), e.index(kMaxThreads), sharedBytes,
        [&](KernelEmitter &k, Value) {
          Value sums = sharedMemory(b, loc, i64, k.index(numTerms));
          Value isFirst = k.cmpi(arith::CmpIPredicate::eq, k.tid, k.index(0));
          k.forEachInBlock(k.index(numTerms),
                           [&](Value t) { k.store(k.i64(0), sums, {t}); });
          k.barrier();
          formula.sumCorpusTerms(
              k, stats, k.tid, k.numThreads, [&](Value t, Value partial) {
                k.atomic(arith::AtomicRMWKind::addi, partial, sums, {t});
              });
          k.barrier();
          k.when(isFirst, [&] {
            k.store(formula.corpusScore(k, stats, sums, B), scores,
                    {k.index(0)});
          });
        });
  }

  /// Linear probing from the hash of the n tokens `key(0..n-1)`:
  /// `visit(slot)` returns the candidate position held at the slot
  /// (claiming it when inserting); the search ends at an empty slot or at
  /// one whose n-gram equals the key. Hashing and comparing loop over the
  /// n tokens (n is a run-time index).
  static Value probe(KernelEmitter &k, Value mask, Value n,
                     function_ref<Value(Value)> key, Value cand, Value b,
                     function_ref<Value(Value)> visit) {
    OpBuilder &rb = k.b;
    Location loc = k.loc;
    Value h = k.forLoop(k.index(0), n, k.index(1), ValueRange{k.hashSeed()},
                        [&](Value t, ValueRange acc) {
                          return SmallVector<Value>{k.hashStep(acc[0], key(t))};
                        })[0];
    Value start = arith::AndIOp::create(rb, loc, k.toIndex(h), mask);
    auto search = scf::WhileOp::create(
        rb, loc, TypeRange{rb.getIndexType()}, ValueRange{start},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          OpBuilder::InsertionGuard g(rb);
          rb.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          Value slot = args[0];
          Value held = visit(slot);
          Value empty = k.cmpi(arith::CmpIPredicate::eq, held, k.i32(-1));
          // An occupied slot holds a candidate window: compare its tokens.
          auto compare = scf::IfOp::create(rb, loc, TypeRange{rb.getI1Type()},
                                           empty, /*withElseRegion=*/true);
          rb.setInsertionPointToStart(compare.thenBlock());
          scf::YieldOp::create(rb, loc, k.boolean(false));
          rb.setInsertionPointToStart(compare.elseBlock());
          Value at = k.toIndex(held);
          Value equal =
              k.forLoop(k.index(0), n, k.index(1), ValueRange{k.boolean(true)},
                        [&](Value t, ValueRange acc) {
                          Value same =
                              k.cmpi(arith::CmpIPredicate::eq,
                                     k.load(cand, {b, k.add(at, t)}), key(t));
                          return SmallVector<Value>{k.andi(acc[0], same)};
                        })[0];
          scf::YieldOp::create(rb, loc, equal);
          rb.setInsertionPointAfter(compare);
          Value done = k.ori(empty, compare.getResult(0));
          Value more = k.cmpi(arith::CmpIPredicate::eq, done, k.boolean(false));
          scf::ConditionOp::create(rb, loc, more, ValueRange{slot});
        },
        [&](OpBuilder &nb, Location l, ValueRange args) {
          OpBuilder::InsertionGuard g(rb);
          rb.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          scf::YieldOp::create(
              rb, loc,
              arith::AndIOp::create(rb, loc, k.add(args[0], k.index(1)), mask)
                  .getResult());
        });
    return search.getResult(0);
  }
};

} // namespace

void mlir::sdp::gpu_lowering::populateBleuToGPUPatterns(
    RewritePatternSet &patterns, const KernelOptions &options) {
  patterns.add<BleuToGPU>(patterns.getContext(), options);
}
