//===- LinearChainToGPU.cpp - sdp.linear_chain as GPU kernels -------------===//
//
// One thread block per sequence, one thread per state (block-stride loops
// beyond the block size), the time loop inside the kernel. The forward
// vector of the current and the next step live in dynamic shared memory.
// Factored log-semiring chains may take the tensor-core kernel instead
// (LinearChainTensorCores.cpp).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

namespace {

struct LinearChainToGPU : OpRewritePattern<LinearChainOp> {
  LinearChainToGPU(MLIRContext *context, const KernelOptions &options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(LinearChainOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    auto semiring = cast<SemiringAttrInterface>(op.getSemiring());
    auto emissionsType = cast<RankedTensorType>(op.getEmissions().getType());
    Type element = emissionsType.getElementType();
    if (!hasKernelElementType(element))
      return rewriter.notifyMatchFailure(op, "no kernel for this element type");
    bool viterbi = static_cast<bool>(op.getPath());
    bool full = op.hasFullPotentials();
    bool logSum = semiring.admitsExpShiftedReduction();

    // Device copies of the operands.
    DeviceBuffers device{e, options.deviceResident};
    Value emissions = device.copyIn(op.getEmissions());
    Value transitions = device.copyIn(op.getTransitions());
    Value start = device.copyIn(op.getStart());
    Value end = device.copyIn(op.getEnd());
    Value lengths = device.copyIn(op.getLengths());
    Value B = e.dim(emissions, 0), T = e.dim(emissions, 1);
    Value C = e.dim(emissions, 2);
    auto vectorType = MemRefType::get({kDyn}, element);
    auto deviceVector = [&](Value size) {
      return device.alloc(vectorType, ValueRange{size});
    };
    Value scores = deviceVector(B);
    // Viterbi: backpointers [B, T, C] and the path [B, T], on the device.
    Value backpointers, path;
    if (viterbi) {
      auto i32 = rewriter.getI32Type();
      backpointers = device.alloc(MemRefType::get({kDyn, kDyn, kDyn}, i32),
                                  ValueRange{B, T, C});
      path = device.alloc(MemRefType::get({kDyn, kDyn}, i32), ValueRange{B, T});
    }
    Value threads = e.index(kMaxThreads);
    threads = arith::MinUIOp::create(rewriter, loc, C, threads);
    threads = arith::MaxUIOp::create(rewriter, loc, threads, e.index(1));
    Value one = e.index(1);

    // Log semiring, factored potentials: P = exp(transitions - colmax) and
    // colmax, once per call, one thread per column.
    Value expTransitions, columnMax;
    if (logSum && !full) {
      expTransitions = device.alloc(MemRefType::get({kDyn, kDyn}, element),
                                    ValueRange{C, C});
      columnMax = deviceVector(C);
      launchPerIndex(rewriter, loc, C, [&](KernelEmitter &k, Value j) {
        Value colMax = k.fold(C, k.floatConst(element, -INFINITY),
                              [&](Value acc, Value i) {
                                return k.maxf(acc, k.load(transitions, {i, j}));
                              });
        colMax = k.finiteShift(colMax);
        k.store(colMax, columnMax, {j});
        k.loop(C, [&](Value i) {
          k.store(k.exp(k.subf(k.load(transitions, {i, j}), colMax)),
                  expTransitions, {i, j});
        });
      });
    }

    // The forward kernel: alpha[2][C] (and exp-shifted alpha[C]) in shared
    // memory.
    auto launchForward = [&] {
      int64_t bytes = element.getIntOrFloatBitWidth() / 8;
      Value vectors = e.index(logSum && !full ? 3 : 2);
      Value sharedBytes = e.toI32(e.mul(e.mul(vectors, C), e.index(bytes)));
      launchKernel(
          rewriter, loc, B, threads, sharedBytes,
          [&](KernelEmitter &k, Value b) {
            Value shared =
                sharedMemory(rewriter, loc, element, k.mul(vectors, C));
            // Sequence length clamped to [1, T].
            Value n = k.toIndex(k.load(lengths, {b}));
            n = k.select(k.cmpi(arith::CmpIPredicate::slt, n, one), one, n);
            n = arith::MinSIOp::create(rewriter, loc, n, T);
            // Sequences of no step (T = 0) score 0̄.
            auto ifSteps = scf::IfOp::create(
                rewriter, loc, k.cmpi(arith::CmpIPredicate::sgt, T, k.index(0)),
                /*withElseRegion=*/true);
            rewriter.setInsertionPointToStart(ifSteps.elseBlock());
            k.when(k.cmpi(arith::CmpIPredicate::eq, k.tid, k.index(0)), [&] {
              k.store(semiring.buildZero(rewriter, loc, element), scores, {b});
            });
            rewriter.setInsertionPointToStart(ifSteps.thenBlock());

            k.forEachInBlock(C, [&](Value j) {
              k.store(semiring.buildMul(rewriter, loc, k.load(start, {j}),
                                        k.load(emissions, {b, k.index(0), j})),
                      shared, {j});
            });
            k.barrier();

            // Step t reads alpha at offset cur and writes it at offset C - cur.
            Value last = k.forLoop(
                one, n, one, k.index(0), [&](Value t, ValueRange carried) {
                  Value cur = carried[0], next = k.sub(C, cur);
                  auto alpha = [&](Value i) {
                    return k.load(shared, {k.add(cur, i)});
                  };
                  auto weight = [&](Value i, Value j) {
                    return full ? k.load(transitions, {b, k.sub(t, one), i, j})
                                : k.load(transitions, {i, j});
                  };
                  if (logSum && !full) {
                    // Rescale by the maximum, exponentiate once per state.
                    Value shift = k.finiteShift(
                        k.fold(C, k.floatConst(element, -INFINITY),
                               [&](Value acc, Value i) {
                                 return k.maxf(acc, alpha(i));
                               }));
                    Value expOffset = k.mul(C, k.index(2));
                    k.forEachInBlock(C, [&](Value j) {
                      k.store(k.exp(k.subf(alpha(j), shift)), shared,
                              {k.add(expOffset, j)});
                    });
                    k.barrier();
                    k.forEachInBlock(C, [&](Value j) {
                      Value sum = k.fold(
                          C, k.floatConst(element, 0.0),
                          [&](Value acc, Value i) {
                            Value ex = k.load(shared, {k.add(expOffset, i)});
                            return k.addf(acc, k.mulf(ex, k.load(expTransitions,
                                                                 {i, j})));
                          });
                      Value score =
                          k.addf(k.addf(k.log(sum), shift),
                                 k.addf(k.load(columnMax, {j}),
                                        k.load(emissions, {b, t, j})));
                      k.store(score, shared, {k.add(next, j)});
                    });
                  } else if (logSum) {
                    // Two-pass log-sum-exp over the predecessors of each state.
                    k.forEachInBlock(C, [&](Value j) {
                      auto term = [&](Value i) {
                        return k.addf(alpha(i), weight(i, j));
                      };
                      Value score = k.addf(k.logSumExp(element, C, term),
                                           k.load(emissions, {b, t, j}));
                      k.store(score, shared, {k.add(next, j)});
                    });
                  } else if (viterbi) {
                    k.forEachInBlock(C, [&](Value j) {
                      auto [best, from] =
                          k.foldWithWitness(semiring, element, C, [&](Value i) {
                            return semiring.buildMul(rewriter, loc, alpha(i),
                                                     weight(i, j));
                          });
                      k.store(k.toI32(from), backpointers, {b, t, j});
                      k.store(semiring.buildMul(rewriter, loc, best,
                                                k.load(emissions, {b, t, j})),
                              shared, {k.add(next, j)});
                    });
                  } else {
                    k.forEachInBlock(C, [&](Value j) {
                      Value sum = k.fold(
                          C, semiring.buildZero(rewriter, loc, element),
                          [&](Value acc, Value i) {
                            return semiring.buildAdd(
                                rewriter, loc, acc,
                                semiring.buildMul(rewriter, loc, alpha(i),
                                                  weight(i, j)));
                          });
                      k.store(semiring.buildMul(rewriter, loc, sum,
                                                k.load(emissions, {b, t, j})),
                              shared, {k.add(next, j)});
                    });
                  }
                  k.barrier();
                  return SmallVector<Value>{next};
                })[0];

            // Thread 0 closes the sequence with the end potentials.
            auto first = scf::IfOp::create(
                rewriter, loc,
                k.cmpi(arith::CmpIPredicate::eq, k.tid, k.index(0)), false);
            rewriter.setInsertionPointToStart(first.thenBlock());
            auto final = [&](Value j) {
              return semiring.buildMul(rewriter, loc,
                                       k.load(shared, {k.add(last, j)}),
                                       k.load(end, {j}));
            };
            Value score;
            if (logSum) {
              score = k.logSumExp(element, C, final);
            } else if (viterbi) {
              // Follow the backpointers from the best final state; -1 pads the
              // path beyond the sequence.
              auto [best, label] =
                  k.foldWithWitness(semiring, element, C, final);
              score = best;
              Value minusOne = k.i32(-1);
              k.loop(T, [&](Value t) { k.store(minusOne, path, {b, t}); });
              Value lastStep = k.sub(n, one);
              k.when(k.cmpi(arith::CmpIPredicate::sgt, C, k.index(0)), [&] {
                k.store(k.toI32(label), path, {b, lastStep});
                k.loop(lastStep, [&](Value i) {
                  Value t = k.sub(lastStep, i);
                  Value at = k.toIndex(k.load(path, {b, t}));
                  k.store(k.load(backpointers, {b, t, at}), path,
                          {b, k.sub(t, one)});
                });
              });
            } else {
              score = k.fold(C, semiring.buildZero(rewriter, loc, element),
                             [&](Value acc, Value j) {
                               return semiring.buildAdd(rewriter, loc, acc,
                                                        final(j));
                             });
            }
            k.store(score, scores, {b});
          });
    };
    if (options.tensorCores && element.isF32() && logSum && !full) {
      // Tensor cores when the block's four [16 × C'] arrays fit in shared
      // memory, else the kernel above.
      FactoredChain chain{emissions, start,  end, lengths, expTransitions,
                          columnMax, scores, B,   T,       C};
      auto fits = scf::IfOp::create(rewriter, loc,
                                    e.cmpi(arith::CmpIPredicate::ule,
                                           tensorCoreStates(e, C),
                                           e.index(kMaxTensorCoreStates)),
                                    /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(fits.thenBlock());
      launchTensorCoreForward(rewriter, loc, chain);
      rewriter.setInsertionPointToStart(fits.elseBlock());
      launchForward();
    } else {
      launchForward();
    }

    // Results back to the host (unless resident); device buffers freed.
    SmallVector<Value> results = {scores};
    if (viterbi)
      results.push_back(path);
    device.replaceOp(rewriter, op, results);
    return success();
  }

private:
  KernelOptions options;
};

} // namespace

Value mlir::sdp::gpu_lowering::sharedMemory(OpBuilder &b, Location loc,
                                            Type element, Value count) {
  auto workgroup =
      gpu::AddressSpaceAttr::get(b.getContext(), gpu::AddressSpace::Workgroup);
  Value raw = gpu::DynamicSharedMemoryOp::create(
      b, loc,
      MemRefType::get({ShapedType::kDynamic}, b.getI8Type(),
                      MemRefLayoutAttrInterface(), workgroup));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  return memref::ViewOp::create(b, loc,
                                MemRefType::get({ShapedType::kDynamic}, element,
                                                MemRefLayoutAttrInterface(),
                                                workgroup),
                                raw, zero, ValueRange{count});
}

void mlir::sdp::gpu_lowering::launchPerIndex(
    OpBuilder &b, Location loc, Value count,
    function_ref<void(KernelEmitter &, Value)> body) {
  Value threads = arith::ConstantIndexOp::create(b, loc, kMaxThreads);
  Value blocks = arith::CeilDivUIOp::create(b, loc, count, threads);
  launchKernel(b, loc, blocks, threads, Value(),
               [&](KernelEmitter &k, Value block) {
                 Value at = k.add(k.tid, k.mul(block, k.numThreads));
                 k.when(k.cmpi(arith::CmpIPredicate::ult, at, count),
                        [&] { body(k, at); });
               });
}

void mlir::sdp::gpu_lowering::launchKernel(
    OpBuilder &b, Location loc, Value blocks, Value threads, Value sharedBytes,
    function_ref<void(KernelEmitter &, Value)> body) {
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto launch = gpu::LaunchOp::create(b, loc, blocks, one, one, threads, one,
                                      one, sharedBytes);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  KernelEmitter k{{b, loc}, launch.getThreadIds().x, launch.getBlockSize().x};
  body(k, launch.getBlockIds().x);
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
}

void mlir::sdp::gpu_lowering::populateLinearChainToGPUPatterns(
    RewritePatternSet &patterns, const KernelOptions &options) {
  patterns.add<LinearChainToGPU>(patterns.getContext(), options);
}
