//===- KernelEmitter.h - shorthands for GPU kernel code ---------*- C++ -*-===//

#ifndef SDP_LIB_CONVERSION_SDPTOGPU_KERNELEMITTER_H
#define SDP_LIB_CONVERSION_SDPTOGPU_KERNELEMITTER_H

#include "../Utils/Emitter.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Dialect/SemiringAttrs.h"

#include <cmath>

namespace mlir::sdp::gpu_lowering {

constexpr int64_t kDyn = ShapedType::kDynamic;
/// Threads per block: enough for the usual label sets (C <= 256) to get one
/// thread per state; larger sets loop.
constexpr int64_t kMaxThreads = 256;

/// Builders of kernel code on top of the scalar shorthands.
struct KernelEmitter : Emitter {
  Value tid, numThreads;

  /// for (j = tid; j < n; j += numThreads) body(j): the block's threads
  /// share the iterations.
  void forEachInBlock(Value n, function_ref<void(Value)> body) {
    forLoop(tid, n, numThreads, {}, [&](Value j, ValueRange) {
      body(j);
      return SmallVector<Value>();
    });
  }
  /// acc = init; for (i = 0; i < n; ++i) acc = step(acc, i); returns acc.
  Value fold(Value n, Value init, function_ref<Value(Value, Value)> step) {
    return forLoop(index(0), n, index(1), init, [&](Value i, ValueRange acc) {
      return SmallVector<Value>{step(acc[0], i)};
    })[0];
  }
  /// The ⊕-fold of term(0..n-1) under a selective semiring and the position
  /// it selected: ties keep the first, a fold that never leaves 0̄ reports 0
  /// (the witness rule of sdp.contract).
  std::pair<Value, Value> foldWithWitness(SemiringAttrInterface semiring,
                                          Type element, Value n,
                                          function_ref<Value(Value)> term) {
    SmallVector<Value> result =
        forLoop(index(0), n, index(1),
                ValueRange{semiring.buildZero(b, loc, element), index(0)},
                [&](Value i, ValueRange acc) {
                  Value next = semiring.buildAdd(b, loc, acc[0], term(i));
                  Value kept = cmpf(arith::CmpFPredicate::OEQ, next, acc[0]);
                  return SmallVector<Value>{next, select(kept, acc[1], i)};
                });
    return {result[0], result[1]};
  }
  /// log Σ_{i<n} exp(term(i)) in two passes, the maximum and then the sum
  /// of shifted exps (term(i) is emitted in both); -inf when every term is
  /// -inf or n is 0.
  Value logSumExp(Type element, Value n, function_ref<Value(Value)> term) {
    Value shift = finiteShift(
        fold(n, floatConst(element, -INFINITY),
             [&](Value acc, Value i) { return maxf(acc, term(i)); }));
    Value sum = fold(n, floatConst(element, 0.0), [&](Value acc, Value i) {
      return addf(acc, exp(subf(term(i), shift)));
    });
    return addf(log(sum), shift);
  }
  void barrier() { gpu::BarrierOp::create(b, loc); }
  /// memory[at] = kind(memory[at], value), atomically; returns the old value.
  Value atomic(arith::AtomicRMWKind kind, Value value, Value memory,
               ValueRange at) {
    return memref::AtomicRMWOp::create(b, loc, kind, value, memory, at);
  }
  Value floatConst(Type type, double v) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
  }
  Value maxf(Value x, Value y) {
    return arith::MaxNumFOp::create(b, loc, x, y);
  }
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

/// Host side of a kernel: device copies of operands (freed at the end) and
/// device buffers for results. When `resident`, tensors are device memory
/// already: operands are read in place and results are the device buffers.
struct DeviceBuffers {
  Emitter &e;
  bool resident = false;
  SmallVector<Value> owned;

  /// A device buffer of `type` with the given dynamic sizes.
  Value alloc(MemRefType type, ValueRange dynamicSizes) {
    Value buffer = gpu::AllocOp::create(e.b, e.loc, type, Type(), ValueRange{},
                                        dynamicSizes, ValueRange{})
                       .getResult(0);
    owned.push_back(buffer);
    return buffer;
  }
  /// A new device buffer of `buffer`'s type and sizes.
  Value allocLike(Value buffer) {
    auto type = cast<MemRefType>(buffer.getType());
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(e.dim(buffer, d));
    return alloc(type, sizes);
  }
  /// A device copy of `buffer` (host or device memory).
  Value copyOf(Value buffer) {
    Value copy = allocLike(buffer);
    gpu::MemcpyOp::create(e.b, e.loc, Type(), ValueRange{}, copy, buffer);
    return copy;
  }
  /// The device buffer of a tensor operand: a copy, or the operand itself
  /// when resident.
  Value copyIn(Value tensor) {
    Value host = e.buffer(tensor);
    return resident ? host : copyOf(host);
  }
  /// A device buffer the kernels may overwrite holding tensor operand
  /// `tensor`: its copy, also when resident (the caller's stays intact).
  Value copyInWritable(Value tensor) {
    Value operand = copyIn(tensor);
    return resident ? copyOf(operand) : operand;
  }
  /// The result tensor of `type` held by device buffer `device`: a host copy
  /// (which the caller owns), or, when resident, the buffer itself, which is
  /// then not freed.
  Value copyOut(Value device, RankedTensorType type) {
    if (resident) {
      llvm::erase(owned, device);
      auto exact = MemRefType::get(type.getShape(), type.getElementType());
      Value buffer = device;
      if (buffer.getType() != exact)
        buffer = memref::CastOp::create(e.b, e.loc, exact, buffer);
      return e.tensorOf(buffer, type);
    }
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(e.dim(device, d));
    Value host = e.alloc(type, sizes);
    gpu::MemcpyOp::create(e.b, e.loc, Type(), ValueRange{}, host, device);
    return e.tensorOf(host, type);
  }
  void freeAll() {
    for (Value buffer : owned)
      gpu::DeallocOp::create(e.b, e.loc, Type(), ValueRange{}, buffer);
  }
  /// Replaces `op` by its results, held by `deviceResults` (copyOut), and
  /// frees the rest.
  void replaceOp(RewriterBase &rewriter, Operation *op,
                 ValueRange deviceResults) {
    SmallVector<Value> results;
    for (auto [buffer, result] :
         llvm::zip_equal(deviceResults, op->getResults()))
      results.push_back(
          copyOut(buffer, cast<RankedTensorType>(result.getType())));
    freeAll();
    rewriter.replaceOp(op, results);
  }
};

/// Whether the kernels handle `element`: f32 and f64, under every semiring
/// (f64 exp/log become libdevice calls, which the GPU pipeline links).
inline bool hasKernelElementType(Type element) {
  return element.isF32() || element.isF64();
}

/// Launches `blocks` blocks of `threads` threads with `sharedBytes` (i32, or
/// null for none) of dynamic shared memory; body(k, blockId) builds the
/// kernel, with k's thread id and thread count the block's.
void launchKernel(OpBuilder &b, Location loc, Value blocks, Value threads,
                  Value sharedBytes,
                  function_ref<void(KernelEmitter &, Value)> body);

/// Launches one thread per index below `count` (blocks of kMaxThreads) and
/// runs body(k, index) in each.
void launchPerIndex(OpBuilder &b, Location loc, Value count,
                    function_ref<void(KernelEmitter &, Value)> body);

/// Dynamic shared memory of the launch, viewed as `count` elements of
/// `element`.
Value sharedMemory(OpBuilder &b, Location loc, Type element, Value count);

/// A factored log-semiring linear chain on the device: the operands, P =
/// exp(transitions - colmax) [C, C] and colmax [C] (f32), and the score
/// buffer [B] the forward pass fills.
struct FactoredChain {
  Value emissions, start, end, lengths, expTransitions, columnMax, scores;
  Value B, T, C;
};
/// Largest state count, padded to tensorCoreStates, that the tensor-core
/// forward kernel keeps in shared memory: 4 × 16 × C' f32 is 96 KiB, within
/// every chip from sm_80 on (sm_86 and sm_89 allow 99 KiB per block).
constexpr int64_t kMaxTensorCoreStates = 384;
/// The state count `states` rounded up to the tensor-core tile width.
Value tensorCoreStates(Emitter &e, Value states);
/// Launches the forward pass of `chain` on tensor cores (3xTF32 WMMA, sm_80
/// and later), 16 sequences per block; needs tensorCoreStates(C) <=
/// kMaxTensorCoreStates.
void launchTensorCoreForward(OpBuilder &b, Location loc,
                             const FactoredChain &chain);

/// The elements of an sdp.contract as kernel code: one call of emitElement
/// computes result element `flat` (row-major) by folding over the reduced
/// letters. Used for bare contracts (a thread per element) and for the
/// contracts of a scan body (the block's threads share each step's).
class ContractionKernel {
public:
  /// `dim(i, d)`: the size of dimension d of input i (host code).
  ContractionKernel(Emitter &e, ContractOp op,
                    function_ref<Value(unsigned, int64_t)> dim);
  /// The result's dynamic sizes, for allocating it.
  SmallVector<Value> resultSizes() const;
  /// Element `flat`: `read(i, indices)` loads input i, `write(value,
  /// witness, indices)` stores the result (witness: i32, or null without
  /// one).
  void emitElement(KernelEmitter &k, Value flat,
                   function_ref<Value(unsigned, ValueRange)> read,
                   function_ref<void(Value, Value, ValueRange)> write) const;

  Value numResults, numTerms;

private:
  RankedTensorType resultType;
  bool hasWitness;
  ContractionSpec spec;
  SemiringAttrInterface semiring;
  Type element;
  SmallVector<Value> sizes; // per loop letter
};

/// What the patterns share: the options of convert-sdp-to-gpu.
struct KernelOptions {
  /// Factored log-semiring chains in f32 take launchTensorCoreForward when
  /// their states fit.
  bool tensorCores = false;
  /// Tensors are device memory (DeviceBuffers::resident).
  bool deviceResident = false;
};

void populateLinearChainToGPUPatterns(RewritePatternSet &patterns,
                                      const KernelOptions &options);
void populateBleuToGPUPatterns(RewritePatternSet &patterns,
                               const KernelOptions &options);
void populateAlignmentToGPUPatterns(RewritePatternSet &patterns,
                                    const KernelOptions &options);
void populateContractToGPUPatterns(RewritePatternSet &patterns,
                                   const KernelOptions &options);
void populateScanToGPUPatterns(RewritePatternSet &patterns,
                               const KernelOptions &options);

} // namespace mlir::sdp::gpu_lowering

#endif // SDP_LIB_CONVERSION_SDPTOGPU_KERNELEMITTER_H
