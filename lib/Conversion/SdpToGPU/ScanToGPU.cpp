//===- ScanToGPU.cpp - sdp.scan of contractions as one GPU kernel ---------===//
//
// A scan whose body is a sequence of sdp.contract ops (f32 or f64, no
// witnesses) runs as one kernel of one thread block: the time loop is
// inside the kernel, and each step's contractions spread their result
// elements (batch × state for a forward step) over the block's threads,
// with a barrier after each. The carried values live in device
// buffers; each contraction writes a scratch buffer of its own; the yielded
// values are copied into the carried buffers at the end of a step (through
// staging buffers when a yield reads another carried value).
//
// One block keeps every step's data in one SM's reach and needs no grid
// synchronization, but uses one SM: the named ops (sdp.linear_chain,
// sdp.alignment) have faster, batch-parallel kernels.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

namespace {

/// Threads of the scan's single block (the most a block may have).
constexpr int64_t kScanThreads = 1024;

struct ScanToGPU : OpRewritePattern<ScanOp> {
  ScanToGPU(MLIRContext *context, const KernelOptions &options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(ScanOp op,
                                PatternRewriter &rewriter) const override {
    if (!isLowerable(op))
      return rewriter.notifyMatchFailure(op, "body is not contractions");
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    DeviceBuffers device{e, options.deviceResident};
    int64_t along = op.getAlong();
    Block &body = op.getBody().front();
    auto yield = cast<YieldOp>(body.getTerminator());

    // Where each tensor the body reads lives on the device, and its sizes
    // (host values). Slices read their sequence at the step's position.
    DenseMap<Value, Value> buffers;
    DenseMap<Value, SmallVector<Value>> dims;
    DenseMap<Value, Value> sliceOf; // slice argument → sequence buffer
    auto sizesOf = [&](Value buffer) {
      SmallVector<Value> sizes;
      for (int64_t d = 0; d < cast<MemRefType>(buffer.getType()).getRank(); ++d)
        sizes.push_back(e.dim(buffer, d));
      return sizes;
    };
    SmallVector<Value> states;
    for (auto [init, arg] : llvm::zip(op.getInits(), op.getCarriedArgs())) {
      Value state = device.copyInWritable(init);
      states.push_back(state);
      buffers[arg] = state;
      dims[arg] = sizesOf(state);
    }
    Value numSteps;
    for (auto [sequence, arg] :
         llvm::zip(op.getSequences(), op.getSliceArgs())) {
      Value buffer = device.copyIn(sequence);
      if (!numSteps)
        numSteps = e.dim(buffer, along);
      sliceOf[arg] = buffer;
      SmallVector<Value> sizes = sizesOf(buffer);
      sizes.erase(sizes.begin() + along);
      dims[arg] = sizes;
    }
    // Tensors from above the scan, and a scratch buffer per contraction.
    SmallVector<ContractionKernel> contractions;
    for (Operation &inner : body.without_terminator()) {
      auto contract = cast<ContractOp>(inner);
      for (Value input : contract.getInputs())
        if (!dims.count(input)) {
          Value buffer = device.copyIn(input);
          buffers[input] = buffer;
          dims[input] = sizesOf(buffer);
        }
      contractions.emplace_back(e, contract, [&](unsigned i, int64_t d) {
        return dims[contract.getInputs()[i]][d];
      });
      auto type = cast<RankedTensorType>(contract.getResult().getType());
      Value scratch =
          device.alloc(MemRefType::get(type.getShape(), type.getElementType()),
                       contractions.back().resultSizes());
      buffers[contract.getResult()] = scratch;
      dims[contract.getResult()] = sizesOf(scratch);
    }
    // Yielded tensors from above the scan that no contraction reads.
    for (Value value : yield.getValues())
      if (!dims.count(value)) {
        Value buffer = device.copyIn(value);
        buffers[value] = buffer;
        dims[value] = sizesOf(buffer);
      }
    // Each step copies a yielded value into its carried buffer: their sizes
    // must agree (types may leave them dynamic), or the copy would write
    // past the buffer.
    for (auto [i, pair] :
         llvm::enumerate(llvm::zip(yield.getValues(), op.getCarriedArgs()))) {
      auto [value, arg] = pair;
      for (auto [d, sizes] :
           llvm::enumerate(llvm::zip(dims[value], dims[arg]))) {
        auto [yielded, carried] = sizes;
        cf::AssertOp::create(rewriter, loc,
                             e.cmpi(arith::CmpIPredicate::eq, yielded, carried),
                             ("sdp.scan on the GPU: dimension " + Twine(d) +
                              " of yielded value #" + Twine(i) +
                              " differs from its carried value's")
                                 .str());
      }
    }
    // A yield that reads another carried value goes through a staging
    // buffer, so that no step overwrites what another copy still reads.
    bool staged =
        llvm::any_of(llvm::enumerate(yield.getValues()), [&](auto indexed) {
          auto arg = dyn_cast<BlockArgument>(indexed.value());
          return arg && llvm::is_contained(op.getCarriedArgs(), arg) &&
                 arg != op.getCarriedArgs()[indexed.index()];
        });
    SmallVector<Value> staging;
    if (staged)
      for (Value state : states)
        staging.push_back(device.allocLike(state));

    launchKernel(
        rewriter, loc, e.index(1), e.index(kScanThreads), Value(),
        [&](KernelEmitter &k, Value) {
          k.loop(numSteps, [&](Value s) {
            Value t =
                op.getReverse() ? k.sub(k.sub(numSteps, k.index(1)), s) : s;
            auto read = [&](Value tensor, ValueRange indices) {
              auto slice = sliceOf.find(tensor);
              if (slice == sliceOf.end())
                return k.load(buffers[tensor], indices);
              SmallVector<Value> at(indices);
              at.insert(at.begin() + along, t);
              return k.load(slice->second, at);
            };
            for (auto [inner, contraction] :
                 llvm::zip(body.without_terminator(), contractions)) {
              auto contract = cast<ContractOp>(inner);
              Value result = buffers[contract.getResult()];
              k.forEachInBlock(contraction.numResults, [&](Value flat) {
                contraction.emitElement(
                    k, flat,
                    [&](unsigned i, ValueRange indices) {
                      return read(contract.getInputs()[i], indices);
                    },
                    [&](Value value, Value, ValueRange indices) {
                      k.store(value, result, indices);
                    });
              });
              k.barrier();
            }
            // Element-wise copies of the yielded values.
            auto copy = [&](function_ref<Value(ValueRange)> from, Value to,
                            ArrayRef<Value> sizes) {
              Value count = k.index(1);
              for (Value size : sizes)
                count = k.mul(count, size);
              k.forEachInBlock(count, [&](Value flat) {
                SmallVector<Value> indices(sizes.size());
                for (int64_t d = sizes.size() - 1; d > 0; --d) {
                  indices[d] =
                      arith::RemUIOp::create(rewriter, loc, flat, sizes[d]);
                  flat = arith::DivUIOp::create(rewriter, loc, flat, sizes[d]);
                }
                if (!sizes.empty())
                  indices[0] = flat;
                k.store(from(indices), to, indices);
              });
            };
            for (auto [i, value] : llvm::enumerate(yield.getValues())) {
              if (value == op.getCarriedArgs()[i])
                continue;
              copy([&](ValueRange indices) { return read(value, indices); },
                   staged ? staging[i] : states[i], dims[value]);
            }
            k.barrier();
            if (staged) {
              for (auto [i, value] : llvm::enumerate(yield.getValues()))
                if (value != op.getCarriedArgs()[i])
                  copy(
                      [&](ValueRange indices) {
                        return k.load(staging[i], indices);
                      },
                      states[i], dims[op.getCarriedArgs()[i]]);
              k.barrier();
            }
          });
        });

    device.replaceOp(rewriter, op, states);
    return success();
  }

  /// A body of sdp.contract ops with kernels (f32 or f64, no witness).
  static bool isLowerable(ScanOp op) {
    for (Operation &inner : op.getBody().front().without_terminator()) {
      auto contract = dyn_cast<ContractOp>(inner);
      if (!contract || contract.getWitness() ||
          !hasKernelElementType(
              getElementTypeOrSelf(contract.getResult().getType())))
        return false;
    }
    return true;
  }

private:
  KernelOptions options;
};

} // namespace

void mlir::sdp::gpu_lowering::populateScanToGPUPatterns(
    RewritePatternSet &patterns, const KernelOptions &options) {
  patterns.add<ScanToGPU>(patterns.getContext(), options);
}
