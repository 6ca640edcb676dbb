//===- HoistVectorAccumulators.cpp - reduction carries in registers -------===//
//
// A reduction loop that sdp-tile-and-vectorize puts inside a vector loop
// reads its output tile, combines one term and writes the tile back in every
// iteration. Neither the tile's slice nor its vector transfers depend on the
// reduction's induction variable, so they move out of the loop and the
// accumulator becomes a vector carried through it: one load before, one store
// after, registers in between (the inner kernel of a GEMM). A reduction across
// a vector's lanes in every iteration becomes lane-wise accumulation, reduced
// once after the loop.
//
//===----------------------------------------------------------------------===//

#include "VectorReductions.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_HOISTVECTORACCUMULATORSPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// A reshape between vectors (or a scalar) of one element each: the unit
/// dimensions that tiling leaves around an accumulator.
static bool isUnitReshape(Operation *op) {
  if (!isa<vector::BroadcastOp, vector::ShapeCastOp, vector::ExtractOp>(op) ||
      op->getNumResults() != 1)
    return false;
  auto count = [](Type type) -> int64_t {
    if (auto vector = dyn_cast<VectorType>(type))
      return vector.getNumElements();
    return 1;
  };
  return count(op->getOperand(0).getType()) == 1 &&
         count(op->getResult(0).getType()) == 1;
}

/// scf.for ... iter_args(%acc = %init) {
///   %s = vector.multi_reduction <kind>, %v, %acc [last] : vector<1x..xW> to ..
///   scf.yield %s          (up to one-element reshapes around %acc and %s)
/// }
/// reduces W lanes into one in every iteration: a chain of W dependent
/// scalar operations (f32 adds are not reassociated). Instead the loop
/// carries W lanes, combined lane-wise (one vector operation per
/// iteration), and reduces them into %init once after the loop. Returns
/// whether the loop was rewritten.
static bool accumulateLanewise(RewriterBase &rewriter, scf::ForOp loop,
                               unsigned position) {
  BlockArgument acc = loop.getRegionIterArgs()[position];
  SmallVector<Operation *> before, after;
  Value value = acc;
  while (value.hasOneUse() && isUnitReshape(*value.getUsers().begin())) {
    before.push_back(*value.getUsers().begin());
    value = before.back()->getResult(0);
  }
  if (!value.hasOneUse())
    return false;
  auto reduction =
      dyn_cast<vector::MultiDimReductionOp>(*value.getUsers().begin());
  if (!reduction || reduction.getAcc() != value ||
      reduction.getSource() == value)
    return false;
  VectorType sourceType = reduction.getSourceVectorType();
  ArrayRef<int64_t> shape = sourceType.getShape();
  ArrayRef<int64_t> dims = reduction.getReductionDims();
  if (sourceType.isScalable() || dims.size() != 1 ||
      dims[0] != int64_t(shape.size()) - 1 ||
      sourceType.getNumElements() != shape.back())
    return false;
  TypedAttr identity = sdp::getReductionIdentity(reduction.getKind(),
                                                 sourceType.getElementType());
  if (!identity)
    return false;
  Value result = reduction.getResult();
  while (result.hasOneUse() && isUnitReshape(*result.getUsers().begin())) {
    after.push_back(*result.getUsers().begin());
    result = after.back()->getResult(0);
  }
  OpOperand *yielded = loop.getTiedLoopYieldedValue(acc);
  if (!result.hasOneUse() || &*result.getUses().begin() != yielded)
    return false;

  Location loc = reduction.getLoc();
  auto laneType = VectorType::get({shape.back()}, sourceType.getElementType());
  rewriter.setInsertionPoint(loop);
  Value identities = arith::ConstantOp::create(
      rewriter, loc, laneType, SplatElementsAttr::get(laneType, identity));
  Value source = reduction.getSource();
  vector::CombiningKind kind = reduction.getKind();
  FailureOr<LoopLikeOpInterface> grown = loop.replaceWithAdditionalYields(
      rewriter, identities, /*replaceInitOperandUsesInLoop=*/false,
      [&](OpBuilder &b, Location l, ArrayRef<BlockArgument> lanes) {
        Value flat = vector::ShapeCastOp::create(b, l, laneType, source);
        return SmallVector<Value>{
            vector::makeArithReduction(b, l, kind, flat, lanes.front())};
      });
  if (failed(grown))
    return false;
  auto newLoop = cast<scf::ForOp>(grown->getOperation());
  BlockArgument newAcc = newLoop.getRegionIterArgs()[position];
  newLoop.getTiedLoopYieldedValue(newAcc)->set(newAcc);

  // After the loop: the same reshapes around one reduction of the lanes.
  rewriter.setInsertionPointAfter(newLoop);
  OpResult accResult = newLoop.getTiedLoopResult(newAcc);
  SmallVector<OpOperand *> consumers = llvm::map_to_vector(
      accResult.getUses(), [](OpOperand &use) { return &use; });
  IRMapping mapping;
  mapping.map(newAcc, accResult);
  auto cloneChain = [&](ArrayRef<Operation *> ops) {
    for (Operation *op : ops)
      rewriter.clone(*op, mapping);
  };
  cloneChain(before);
  // One horizontal reduction of the lanes into the accumulator, in any
  // order (a tree of shuffles instead of W dependent adds): the lanes are
  // partial sums already.
  Value accValue = mapping.lookupOrDefault(reduction.getAcc());
  if (auto accVector = dyn_cast<VectorType>(accValue.getType()))
    accValue = vector::ExtractOp::create(
        rewriter, loc, accValue, SmallVector<int64_t>(accVector.getRank(), 0));
  Value reduced = vector::ReductionOp::create(
      rewriter, loc, kind, newLoop.getLoopResults()->back(), accValue,
      arith::FastMathFlags::reassoc);
  if (auto resultVector = dyn_cast<VectorType>(reduction.getType()))
    reduced = vector::BroadcastOp::create(rewriter, loc, resultVector, reduced);
  mapping.map(reduction.getResult(), reduced);
  cloneChain(after);
  Value final = mapping.lookup(result);
  for (OpOperand *use : consumers)
    rewriter.modifyOpInPlace(use->getOwner(), [&] { use->set(final); });

  for (Operation *op : llvm::reverse(after))
    rewriter.eraseOp(op);
  rewriter.eraseOp(reduction);
  for (Operation *op : llvm::reverse(before))
    rewriter.eraseOp(op);
  return true;
}

struct HoistVectorAccumulatorsPass
    : mlir::sdp::impl::HoistVectorAccumulatorsPassBase<
          HoistVectorAccumulatorsPass> {
  void runOnOperation() override {
    // Post-order: inner loops first, so that a tile hoisted out of one
    // reduction loop can leave the next one too. Tile sizes and masks,
    // which tiling computes in the innermost body, leave the loop first, so
    // that a masked tile (a row's last) is invariant too. Each hoisted
    // tensor slice becomes a new iter_arg, whose vector transfers are
    // hoisted in turn.
    SmallVector<scf::ForOp> loops;
    getOperation()->walk([&](scf::ForOp loop) { loops.push_back(loop); });
    IRRewriter rewriter(&getContext());
    for (scf::ForOp loop : loops) {
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
      (void)hoistLoopInvariantSubsets(rewriter, loop);
    }

    // Accumulators that reduce a vector's lanes in every iteration.
    loops.clear();
    getOperation()->walk([&](scf::ForOp loop) { loops.push_back(loop); });
    for (scf::ForOp loop : loops)
      for (unsigned i = 0, e = loop.getNumRegionIterArgs(); i < e; ++i)
        if (accumulateLanewise(rewriter, loop, i))
          break; // the loop was replaced; one accumulator per loop
  }
};

} // namespace
