//===- AlignmentToGPU.cpp - sdp.alignment as a wavefront kernel -----------===//
//
// One thread block per pair of sequences. Cell (i, j) needs cells of the
// anti-diagonals i + j - 1 and i + j - 2 only, so the block sweeps the
// anti-diagonals d = 1 .. n + m in order, inside the kernel (no launch per
// diagonal), its threads sharing the cells of one diagonal, with a barrier
// between diagonals. The last three diagonals live in dynamic shared memory
// (in a global scratch buffer when they would not fit), each indexed by the
// row i.
//
//===----------------------------------------------------------------------===//

#include "../Utils/NaNPropagatingSum.h"
#include "KernelEmitter.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

namespace {

struct AlignmentToGPU : OpRewritePattern<AlignmentOp> {
  AlignmentToGPU(MLIRContext *context, const KernelOptions &options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(AlignmentOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    auto semiring = cast<SemiringAttrInterface>(op.getSemiring());
    Type element = getElementTypeOrSelf(op.getDiagonal().getType());
    if (!hasKernelElementType(element))
      return rewriter.notifyMatchFailure(op, "no kernel for this element type");

    DeviceBuffers device{e, options.deviceResident};
    Value diagonal = device.copyIn(op.getDiagonal());
    Value down = device.copyIn(op.getDown());
    Value right = device.copyIn(op.getRight());
    Value rows = device.copyIn(op.getRows());
    Value cols = device.copyIn(op.getCols());
    Value B = e.dim(diagonal, 0);
    Value gridRows = e.dim(diagonal, 1), gridCols = e.dim(diagonal, 2);
    Value scores =
        device.alloc(MemRefType::get({kDyn}, element), ValueRange{B});
    Value one = e.index(1);
    // One thread per cell of the longest diagonal (at most N+1 cells).
    Value threads =
        arith::MinUIOp::create(rewriter, loc, gridRows, e.index(kMaxThreads));
    threads = arith::MaxUIOp::create(rewriter, loc, threads, one);
    int64_t bytes = element.getIntOrFloatBitWidth() / 8;
    Value stride = e.maxsi(gridRows, one); // entries per diagonal
    Value perPair = e.mul(e.index(3), stride);
    Value diagonalsBytes = e.mul(perPair, e.index(bytes));
    auto launchWith =
        [&](Value sharedBytes,
            function_ref<std::pair<Value, Value>(KernelEmitter &, Value)>
                storageOf) {
          launchKernel(rewriter, loc, B, threads, sharedBytes,
                       [&](KernelEmitter &k, Value b) {
                         auto [storage, base] = storageOf(k, b);
                         emitWavefront(k, semiring, element, b, diagonal, down,
                                       right, rows, cols, scores, gridRows,
                                       gridCols, stride, storage, base);
                       });
        };

    // A launch of no blocks is an error: an empty batch launches nothing.
    auto ifAny = scf::IfOp::create(
        rewriter, loc, e.cmpi(arith::CmpIPredicate::sgt, B, e.index(0)),
        /*withElseRegion=*/false);
    {
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(ifAny.thenBlock());
      // The three diagonals in shared memory when they fit every supported
      // chip (sm_80 allows 163 KiB per block), else in a global scratch
      // buffer of three diagonals per pair (slower, any length).
      auto ifShared =
          scf::IfOp::create(rewriter, loc,
                            e.cmpi(arith::CmpIPredicate::ule, diagonalsBytes,
                                   e.index(kMaxSharedBytes)),
                            /*withElseRegion=*/true);
      rewriter.setInsertionPointToStart(ifShared.thenBlock());
      launchWith(e.toI32(diagonalsBytes), [&](KernelEmitter &k, Value) {
        return std::make_pair(
            sharedMemory(rewriter, loc, element, k.mul(k.index(3), stride)),
            k.index(0));
      });
      rewriter.setInsertionPointToStart(ifShared.elseBlock());
      Value scratch =
          gpu::AllocOp::create(rewriter, loc, MemRefType::get({kDyn}, element),
                               Type(), ValueRange{},
                               ValueRange{e.mul(B, perPair)}, ValueRange{})
              .getResult(0);
      launchWith(e.i32(0), [&](KernelEmitter &k, Value b) {
        return std::make_pair(scratch, k.mul(b, perPair));
      });
      gpu::DeallocOp::create(rewriter, loc, Type(), ValueRange{}, scratch);
    }

    device.replaceOp(rewriter, op, scores);
    return success();
  }

private:
  KernelOptions options;

  /// Dynamic shared memory a block may use for its diagonals.
  static constexpr int64_t kMaxSharedBytes = 96 * 1024;

  /// The kernel body of pair `b`; diagonal d is kept in `storage` at
  /// base + (d mod 3) * stride.
  static void emitWavefront(KernelEmitter &k, SemiringAttrInterface semiring,
                            Type element, Value b, Value diagonal, Value down,
                            Value right, Value rows, Value cols, Value scores,
                            Value gridRows, Value gridCols, Value stride,
                            Value storage, Value base) {
    OpBuilder &rewriter = k.b;
    Location loc = k.loc;
    Value zeroIndex = k.index(0), one = k.index(1);
    Value zero = semiring.buildZero(rewriter, loc, element);
    Value isFirstThread = k.cmpi(arith::CmpIPredicate::eq, k.tid, zeroIndex);
    // A grid without cells has no path: 0̄.
    Value noCell = k.ori(k.cmpi(arith::CmpIPredicate::eq, gridRows, zeroIndex),
                         k.cmpi(arith::CmpIPredicate::eq, gridCols, zeroIndex));
    auto ifNoCell = scf::IfOp::create(rewriter, loc, noCell,
                                      /*withElseRegion=*/true);
    rewriter.setInsertionPointToStart(ifNoCell.thenBlock());
    k.when(isFirstThread, [&] { k.store(zero, scores, {b}); });
    rewriter.setInsertionPointToStart(ifNoCell.elseBlock());

    Value n = k.clampedLength(k.load(rows, {b}), k.sub(gridRows, one));
    Value m = k.clampedLength(k.load(cols, {b}), k.sub(gridCols, one));
    auto offsetOf = [&](Value d) {
      return k.add(
          base,
          k.mul(arith::RemUIOp::create(rewriter, loc, d, k.index(3)), stride));
    };
    k.when(isFirstThread, [&] {
      k.store(semiring.buildOne(rewriter, loc, element), storage, {base});
    });
    k.barrier();
    Value lastDiagonal = k.add(n, m);
    k.forLoop(one, k.add(lastDiagonal, one), one, {}, [&](Value d, ValueRange) {
      // Rows of the cells of diagonal d: max(0, d - m) .. min(n, d).
      Value low = k.maxsi(k.sub(d, m), zeroIndex);
      Value high = arith::MinSIOp::create(rewriter, loc, n, d);
      Value cells = k.add(k.sub(high, low), one);
      Value here = offsetOf(d);
      Value previous = offsetOf(k.add(d, k.index(2))); // d - 1
      Value beforePrevious = offsetOf(k.add(d, one));  // d - 2
      k.forEachInBlock(cells, [&](Value c) {
        Value i = k.add(low, c);
        Value j = k.sub(d, i);
        Value hasUp = k.cmpi(arith::CmpIPredicate::sgt, i, zeroIndex);
        Value hasLeft = k.cmpi(arith::CmpIPredicate::sgt, j, zeroIndex);
        // Row i-1, read at row 0 when there is none (then unused).
        Value upRow = k.select(hasUp, k.sub(i, one), zeroIndex);
        auto term = [&](Value present, Value offset, Value row, Value weights) {
          Value from = k.load(storage, {k.add(offset, row)});
          Value product = semiring.buildMul(rewriter, loc, from,
                                            k.load(weights, {b, i, j}));
          return k.select(present, product, zero);
        };
        Value terms[] = {
            term(k.andi(hasUp, hasLeft), beforePrevious, upRow, diagonal),
            term(hasUp, previous, upRow, down),
            term(hasLeft, previous, i, right)};
        k.store(buildNaNPropagatingSum(rewriter, loc, semiring, terms), storage,
                {k.add(here, i)});
      });
      k.barrier();
      return SmallVector<Value>();
    });
    k.when(isFirstThread, [&] {
      k.store(k.load(storage, {k.add(offsetOf(lastDiagonal), n)}), scores, {b});
    });
  }
};

} // namespace

void mlir::sdp::gpu_lowering::populateAlignmentToGPUPatterns(
    RewritePatternSet &patterns, const KernelOptions &options) {
  patterns.add<AlignmentToGPU>(patterns.getContext(), options);
}
