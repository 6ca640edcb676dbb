//===- SdpToGPU.cpp - sdp.linear_chain to GPU kernels ---------------------===//
//
// One thread block per sequence, one thread per state (block-stride loops
// beyond the block size), the time loop inside the kernel. The forward
// vector of the current and the next step live in dynamic shared memory.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToGPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Conversion/Utils/Emitter.h"
#include "sdp/Dialect/SdpDialect.h"
#include "sdp/Dialect/SdpOps.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTSDPTOGPUPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;
/// Threads per block: enough for the usual label sets (C <= 256) to get one
/// thread per state; larger sets loop.
constexpr int64_t kMaxThreads = 256;

/// Builders of kernel code on top of the scalar shorthands.
struct KernelEmitter : Emitter {
  Value tid, numThreads;

  /// for (j = tid; j < n; j += numThreads) body(j)
  void forEachState(Value n, function_ref<void(Value)> body) {
    scf::ForOp::create(b, loc, tid, n, numThreads, ValueRange{},
                       [&](OpBuilder &nb, Location, Value j, ValueRange) {
                         OpBuilder::InsertionGuard guard(b);
                         b.setInsertionPoint(nb.getInsertionBlock(),
                                             nb.getInsertionPoint());
                         body(j);
                         scf::YieldOp::create(b, loc);
                       });
  }
  /// acc = init; for (i = 0; i < n; ++i) acc = step(acc, i); returns acc.
  Value fold(Value n, Value init, function_ref<Value(Value, Value)> step) {
    auto loop = scf::ForOp::create(
        b, loc, index(0), n, index(1), ValueRange{init},
        [&](OpBuilder &nb, Location, Value i, ValueRange acc) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          scf::YieldOp::create(b, loc, step(acc[0], i));
        });
    return loop.getResult(0);
  }
  /// The ⊕-fold of term(0..n-1) under a selective semiring and the position
  /// it selected: ties keep the first, a fold that never leaves 0̄ reports 0
  /// (the witness rule of sdp.contract).
  std::pair<Value, Value> foldWithWitness(SemiringAttrInterface semiring,
                                          Type element, Value n,
                                          function_ref<Value(Value)> term) {
    auto loop = scf::ForOp::create(
        b, loc, index(0), n, index(1),
        ValueRange{semiring.buildZero(b, loc, element), index(0)},
        [&](OpBuilder &nb, Location, Value i, ValueRange acc) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          Value next = semiring.buildAdd(b, loc, acc[0], term(i));
          Value kept = cmpf(arith::CmpFPredicate::OEQ, next, acc[0]);
          scf::YieldOp::create(b, loc,
                               ValueRange{next, select(kept, acc[1], i)});
        });
    return {loop.getResult(0), loop.getResult(1)};
  }
  void barrier() { gpu::BarrierOp::create(b, loc); }
  Value floatConst(Type type, double v) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
  }
  Value maxf(Value x, Value y) { return arith::MaxNumFOp::create(b, loc, x, y); }
  Value addf(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value subf(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  Value mulf(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  /// max(values) with -inf replaced by 0: the shift of a log-sum-exp, safe
  /// when every value is -inf (the sum is then 0 and its log -inf).
  Value finiteShift(Value max) {
    Value isInf = cmpf(arith::CmpFPredicate::OEQ, max,
                       floatConst(max.getType(), -INFINITY));
    return select(isInf, floatConst(max.getType(), 0.0), max);
  }
};

struct LinearChainToGPU : OpRewritePattern<LinearChainOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LinearChainOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    auto semiring = cast<SemiringAttrInterface>(op.getSemiring());
    auto emissionsType = cast<RankedTensorType>(op.getEmissions().getType());
    Type element = emissionsType.getElementType();
    // f64 exp/log would stay libdevice calls (no polynomial for them).
    if (!element.isF32())
      return rewriter.notifyMatchFailure(op, "only f32 kernels so far");
    bool viterbi = static_cast<bool>(op.getPath());
    bool full = op.hasFullPotentials();
    bool logSum = semiring.admitsExpShiftedReduction();

    // Device copies of the operands.
    SmallVector<Value> deviceBuffers;
    auto toDevice = [&](Value tensor) {
      Value host = e.buffer(tensor);
      auto type = cast<MemRefType>(host.getType());
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < type.getRank(); ++d)
        if (type.isDynamicDim(d))
          sizes.push_back(e.dim(host, d));
      Value device = gpu::AllocOp::create(rewriter, loc, type, Type(),
                                          ValueRange{}, sizes, ValueRange{})
                         .getResult(0);
      gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange{}, device, host);
      deviceBuffers.push_back(device);
      return device;
    };
    Value emissions = toDevice(op.getEmissions());
    Value transitions = toDevice(op.getTransitions());
    Value start = toDevice(op.getStart());
    Value end = toDevice(op.getEnd());
    Value lengths = toDevice(op.getLengths());
    Value B = e.dim(emissions, 0), T = e.dim(emissions, 1);
    Value C = e.dim(emissions, 2);
    auto vectorType = MemRefType::get({kDyn}, element);
    auto deviceVector = [&](Value size) {
      Value buffer = gpu::AllocOp::create(rewriter, loc, vectorType, Type(),
                                          ValueRange{}, ValueRange{size},
                                          ValueRange{})
                         .getResult(0);
      deviceBuffers.push_back(buffer);
      return buffer;
    };
    Value scores = deviceVector(B);
    // Viterbi: backpointers [B, T, C] and the path [B, T], on the device.
    Value backpointers, path;
    if (viterbi) {
      auto i32 = rewriter.getI32Type();
      backpointers = gpu::AllocOp::create(
                         rewriter, loc, MemRefType::get({kDyn, kDyn, kDyn}, i32),
                         Type(), ValueRange{}, ValueRange{B, T, C}, ValueRange{})
                         .getResult(0);
      path = gpu::AllocOp::create(rewriter, loc,
                                  MemRefType::get({kDyn, kDyn}, i32), Type(),
                                  ValueRange{}, ValueRange{B, T}, ValueRange{})
                 .getResult(0);
      deviceBuffers.push_back(backpointers);
      deviceBuffers.push_back(path);
    }
    Value threads = e.index(kMaxThreads);
    threads = arith::MinUIOp::create(rewriter, loc, C, threads);
    Value one = e.index(1);

    // Log semiring, factored potentials: P = exp(transitions - colmax) and
    // colmax, once per call, one thread per column.
    Value expTransitions, columnMax;
    if (logSum && !full) {
      expTransitions =
          gpu::AllocOp::create(rewriter, loc,
                               MemRefType::get({kDyn, kDyn}, element), Type(),
                               ValueRange{}, ValueRange{C, C}, ValueRange{})
              .getResult(0);
      deviceBuffers.push_back(expTransitions);
      columnMax = deviceVector(C);
      Value blocks = arith::CeilDivUIOp::create(rewriter, loc, C, threads);
      auto launch = gpu::LaunchOp::create(rewriter, loc, blocks, one, one,
                                          threads, one, one);
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&launch.getBody().front());
      KernelEmitter k{{rewriter, loc}, Value(), Value()};
      Value j = k.add(launch.getThreadIds().x,
                      arith::MulIOp::create(rewriter, loc, launch.getBlockIds().x,
                                            launch.getBlockSize().x));
      auto inRange = scf::IfOp::create(
          rewriter, loc, k.cmpi(arith::CmpIPredicate::ult, j, C), false);
      rewriter.setInsertionPointToStart(inRange.thenBlock());
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
      rewriter.setInsertionPointToEnd(&launch.getBody().front());
      gpu::TerminatorOp::create(rewriter, loc);
    }

    // The forward kernel: alpha[2][C] (and exp-shifted alpha[C]) in shared
    // memory.
    int64_t bytes = element.getIntOrFloatBitWidth() / 8;
    Value vectors = e.index(logSum && !full ? 3 : 2);
    Value sharedBytes = e.toI32(e.mul(e.mul(vectors, C), e.index(bytes)));
    auto launch = gpu::LaunchOp::create(rewriter, loc, B, one, one, threads,
                                        one, one, sharedBytes);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(&launch.getBody().front());
      KernelEmitter k{{rewriter, loc},
                      launch.getThreadIds().x,
                      launch.getBlockSize().x};
      Value b = launch.getBlockIds().x;
      auto workgroup = gpu::AddressSpaceAttr::get(rewriter.getContext(),
                                                  gpu::AddressSpace::Workgroup);
      Value raw = gpu::DynamicSharedMemoryOp::create(
          rewriter, loc,
          MemRefType::get({kDyn}, rewriter.getI8Type(), MemRefLayoutAttrInterface(),
                          workgroup));
      Value shared = memref::ViewOp::create(
          rewriter, loc,
          MemRefType::get({kDyn}, element, MemRefLayoutAttrInterface(),
                          workgroup),
          raw, k.index(0), ValueRange{k.mul(vectors, C)});
      // Sequence length clamped to [1, T].
      Value n = k.toIndex(k.load(lengths, {b}));
      n = k.select(k.cmpi(arith::CmpIPredicate::slt, n, one), one, n);
      n = arith::MinSIOp::create(rewriter, loc, n, T);

      k.forEachState(C, [&](Value j) {
        k.store(semiring.buildMul(rewriter, loc, k.load(start, {j}),
                                  k.load(emissions, {b, k.index(0), j})),
                shared, {j});
      });
      k.barrier();

      // Step t reads alpha at offset cur and writes it at offset C - cur.
      auto steps = scf::ForOp::create(
          rewriter, loc, one, n, one, ValueRange{k.index(0)},
          [&](OpBuilder &nb, Location, Value t, ValueRange carried) {
            OpBuilder::InsertionGuard g(rewriter);
            rewriter.setInsertionPoint(nb.getInsertionBlock(),
                                       nb.getInsertionPoint());
            Value cur = carried[0], next = k.sub(C, cur);
            auto alpha = [&](Value i) { return k.load(shared, {k.add(cur, i)}); };
            auto weight = [&](Value i, Value j) {
              return full ? k.load(transitions, {b, k.sub(t, one), i, j})
                          : k.load(transitions, {i, j});
            };
            if (logSum && !full) {
              // Rescale by the maximum, exponentiate once per state.
              Value shift = k.finiteShift(k.fold(
                  C, k.floatConst(element, -INFINITY),
                  [&](Value acc, Value i) { return k.maxf(acc, alpha(i)); }));
              Value expOffset = k.mul(C, k.index(2));
              k.forEachState(C, [&](Value j) {
                k.store(k.exp(k.subf(alpha(j), shift)), shared,
                        {k.add(expOffset, j)});
              });
              k.barrier();
              k.forEachState(C, [&](Value j) {
                Value sum = k.fold(C, k.floatConst(element, 0.0),
                                   [&](Value acc, Value i) {
                                     Value ex = k.load(
                                         shared, {k.add(expOffset, i)});
                                     return k.addf(
                                         acc,
                                         k.mulf(ex, k.load(expTransitions,
                                                           {i, j})));
                                   });
                Value score = k.addf(k.addf(k.log(sum), shift),
                                     k.addf(k.load(columnMax, {j}),
                                            k.load(emissions, {b, t, j})));
                k.store(score, shared, {k.add(next, j)});
              });
            } else if (logSum) {
              // Two-pass log-sum-exp over the predecessors of each state.
              k.forEachState(C, [&](Value j) {
                auto term = [&](Value i) { return k.addf(alpha(i), weight(i, j)); };
                Value shift = k.finiteShift(k.fold(
                    C, k.floatConst(element, -INFINITY),
                    [&](Value acc, Value i) { return k.maxf(acc, term(i)); }));
                Value sum = k.fold(C, k.floatConst(element, 0.0),
                                   [&](Value acc, Value i) {
                                     return k.addf(
                                         acc, k.exp(k.subf(term(i), shift)));
                                   });
                Value score = k.addf(k.addf(k.log(sum), shift),
                                     k.load(emissions, {b, t, j}));
                k.store(score, shared, {k.add(next, j)});
              });
            } else if (viterbi) {
              k.forEachState(C, [&](Value j) {
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
              k.forEachState(C, [&](Value j) {
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
            scf::YieldOp::create(rewriter, loc, next);
          });
      Value last = steps.getResult(0);

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
        Value shift = k.finiteShift(
            k.fold(C, k.floatConst(element, -INFINITY),
                   [&](Value acc, Value j) { return k.maxf(acc, final(j)); }));
        Value sum = k.fold(C, k.floatConst(element, 0.0),
                           [&](Value acc, Value j) {
                             return k.addf(acc,
                                           k.exp(k.subf(final(j), shift)));
                           });
        score = k.addf(k.log(sum), shift);
      } else if (viterbi) {
        // Follow the backpointers from the best final state; -1 pads the
        // path beyond the sequence.
        auto [best, label] = k.foldWithWitness(semiring, element, C, final);
        score = best;
        Value minusOne = k.i32(-1);
        k.loop(T, [&](Value t) { k.store(minusOne, path, {b, t}); });
        Value lastStep = k.sub(n, one);
        k.store(k.toI32(label), path, {b, lastStep});
        k.loop(lastStep, [&](Value i) {
          Value t = k.sub(lastStep, i);
          Value at = k.toIndex(k.load(path, {b, t}));
          k.store(k.load(backpointers, {b, t, at}), path, {b, k.sub(t, one)});
        });
      } else {
        score = k.fold(C, semiring.buildZero(rewriter, loc, element),
                       [&](Value acc, Value j) {
                         return semiring.buildAdd(rewriter, loc, acc,
                                                  final(j));
                       });
      }
      k.store(score, scores, {b});
      rewriter.setInsertionPointToEnd(&launch.getBody().front());
      gpu::TerminatorOp::create(rewriter, loc);
    }

    // Scores back to the host; device buffers freed.
    auto scoreType = cast<RankedTensorType>(op.getScore().getType());
    Value hostScores = e.alloc(
        scoreType, scoreType.isDynamicDim(0) ? ValueRange{B} : ValueRange{});
    gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange{}, hostScores,
                          scores);
    SmallVector<Value> results = {e.tensorOf(hostScores, scoreType)};
    if (viterbi) {
      auto pathType = cast<RankedTensorType>(op.getPath().getType());
      SmallVector<Value> sizes;
      if (pathType.isDynamicDim(0))
        sizes.push_back(B);
      if (pathType.isDynamicDim(1))
        sizes.push_back(T);
      Value hostPath = e.alloc(pathType, sizes);
      gpu::MemcpyOp::create(rewriter, loc, Type(), ValueRange{}, hostPath,
                            path);
      results.push_back(e.tensorOf(hostPath, pathType));
    }
    for (Value buffer : deviceBuffers)
      gpu::DeallocOp::create(rewriter, loc, Type(), ValueRange{}, buffer);
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct ConvertSdpToGPUPass
    : mlir::sdp::impl::ConvertSdpToGPUPassBase<ConvertSdpToGPUPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    RewritePatternSet patterns(&getContext());
    populateSdpToGPUConversionPatterns(patterns);
    walkAndApplyPatterns(module, std::move(patterns));
    // What is left has no GPU lowering: say so instead of running it
    // silently on the host.
    WalkResult left = module.walk([](Operation *op) {
      if (!isa<SdpDialect>(op->getDialect()))
        return WalkResult::advance();
      auto diag = op->emitOpError("has no GPU lowering yet");
      if (isa<LinearChainOp>(op))
        diag << " for element type "
             << getElementTypeOrSelf(op->getOperand(0).getType());
      diag << "; compile for the CPU";
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    UnitAttr::get(&getContext()));
  }
};

} // namespace

void mlir::sdp::populateSdpToGPUConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LinearChainToGPU>(patterns.getContext());
}
