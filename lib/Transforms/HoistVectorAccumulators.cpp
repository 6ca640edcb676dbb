//===- HoistVectorAccumulators.cpp - reduction carries in registers -------===//
//
// A reduction loop that sdp-tile-and-vectorize puts inside a vector loop
// reads its output tile, combines one term and writes the tile back in every
// iteration. Neither the tile's slice nor its vector transfers depend on the
// reduction's induction variable, so they move out of the loop and the
// accumulator becomes a vector carried through it: one load before, one store
// after, registers in between (the inner kernel of a GEMM).
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_HOISTVECTORACCUMULATORSPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

struct HoistVectorAccumulatorsPass
    : mlir::sdp::impl::HoistVectorAccumulatorsPassBase<
          HoistVectorAccumulatorsPass> {
  void runOnOperation() override {
    // Post-order: inner loops first, so that a tile hoisted out of one
    // reduction loop can leave the next one too.
    SmallVector<scf::ForOp> loops;
    getOperation()->walk([&](scf::ForOp loop) { loops.push_back(loop); });
    IRRewriter rewriter(&getContext());
    // Each hoisted tensor slice becomes a new iter_arg, whose vector
    // transfers are hoisted in turn.
    for (scf::ForOp loop : loops)
      (void)hoistLoopInvariantSubsets(rewriter, loop);
  }
};

} // namespace
