//===- SplitMaskedStores.cpp - prefix-masked writes as plain stores -------===//
//
// A row tail shorter than a vector is written through a prefix mask. On AMD
// Zen cores the masked store instruction is microcode (about 24 cycles on
// Zen 3), so the writes of small rows (a tag set of 9 in 16 lanes) cost more
// than the arithmetic. Here they become plain stores of the whole 256-bit
// pieces the prefix covers and a short scalar loop for the rest.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_SPLITMASKEDSTORESPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// Bits of the pieces stored whole (one AVX register).
constexpr int64_t kPieceBits = 256;

struct SplitPrefixMaskedWrite : OpRewritePattern<vector::TransferWriteOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(vector::TransferWriteOp op,
                                PatternRewriter &rewriter) const override {
    VectorType vectorType = op.getVectorType();
    auto mask = op.getMask()
                    ? op.getMask().getDefiningOp<vector::CreateMaskOp>()
                    : nullptr;
    if (!mask || mask.getNumOperands() != 1 || vectorType.getRank() != 1 ||
        vectorType.isScalable())
      return rewriter.notifyMatchFailure(op, "not a 1-D prefix mask");
    if (!op.hasPureBufferSemantics() ||
        !op.getPermutationMap().isMinorIdentity())
      return rewriter.notifyMatchFailure(op, "not a contiguous buffer write");
    if (!op.isDimInBounds(0))
      return rewriter.notifyMatchFailure(op, "may run out of bounds");
    Type element = vectorType.getElementType();
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() % 8 != 0)
      return rewriter.notifyMatchFailure(op, "elements are not whole bytes");

    Location loc = op.getLoc();
    int64_t width = vectorType.getDimSize(0);
    int64_t piece = std::clamp<int64_t>(
        kPieceBits / element.getIntOrFloatBitWidth(), 1, width);
    if (width % piece != 0)
      piece = width;
    auto index = [&](int64_t v) {
      return arith::ConstantIndexOp::create(rewriter, loc, v).getResult();
    };
    // create_mask clamps its bound to [0, width].
    Value lanes = arith::MinSIOp::create(
        rewriter, loc,
        arith::MaxSIOp::create(rewriter, loc, mask.getOperand(0), index(0)),
        index(width));
    SmallVector<Value> indices(op.getIndices());
    Value first = indices.back();
    auto at = [&](Value offset) {
      SmallVector<Value> shifted = indices;
      shifted.back() = arith::AddIOp::create(rewriter, loc, first, offset);
      return shifted;
    };
    // Whole pieces.
    for (int64_t start = 0; start < width; start += piece) {
      Value covered =
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge, lanes,
                                index(start + piece));
      auto ifCovered = scf::IfOp::create(rewriter, loc, covered,
                                         /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(rewriter);
      rewriter.setInsertionPointToStart(ifCovered.thenBlock());
      Value part = op.getVector();
      if (piece != width)
        part = vector::ExtractStridedSliceOp::create(
            rewriter, loc, op.getVector(), ArrayRef<int64_t>{start},
            ArrayRef<int64_t>{piece}, ArrayRef<int64_t>{1});
      vector::TransferWriteOp::create(rewriter, loc, part, op.getBase(),
                                      at(index(start)), ArrayRef<bool>{true});
    }
    // The lanes after the last whole piece, one by one.
    Value tail = arith::MulIOp::create(
        rewriter, loc,
        arith::DivUIOp::create(rewriter, loc, lanes, index(piece)),
        index(piece));
    scf::ForOp::create(
        rewriter, loc, tail, lanes, index(1), ValueRange{},
        [&](OpBuilder &b, Location l, Value lane, ValueRange) {
          Value value = vector::ExtractOp::create(b, l, op.getVector(),
                                                  ArrayRef<OpFoldResult>{lane});
          SmallVector<Value> shifted = indices;
          shifted.back() = arith::AddIOp::create(b, l, first, lane);
          memref::StoreOp::create(b, l, value, op.getBase(), shifted);
          scf::YieldOp::create(b, l);
        });
    rewriter.eraseOp(op);
    return success();
  }
};

struct SplitMaskedStoresPass
    : mlir::sdp::impl::SplitMaskedStoresPassBase<SplitMaskedStoresPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SplitPrefixMaskedWrite>(&getContext());
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace
