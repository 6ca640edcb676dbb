//===- RefineBranchLayouts.cpp - scf.if buffers keep their layouts --------===//
//
// An scf.if whose branches both yield casts of buffers of one type gets that
// type as its result type, so that its users see the branches' (usually
// identity) layout instead of bufferization's fully dynamic one.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_REFINEBRANCHLAYOUTSPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// The buffer a branch yields before bufferization's cast to the if's
/// result type.
Value castSource(Value yielded) {
  if (auto cast = yielded.getDefiningOp<memref::CastOp>())
    return cast.getSource();
  return yielded;
}

/// Rewrites `ifOp` so that each memref result whose branches yield buffers
/// of one type (up to a cast) has that type. Returns false when no result
/// changes.
bool refineResultTypes(IRRewriter &rewriter, scf::IfOp ifOp) {
  if (ifOp.getNumResults() == 0 || ifOp.getElseRegion().empty())
    return false;
  scf::YieldOp thenYield = ifOp.thenYield();
  scf::YieldOp elseYield = ifOp.elseYield();
  SmallVector<Type> types(ifOp.getResultTypes());
  SmallVector<unsigned> refined;
  for (auto [index, result] : llvm::enumerate(ifOp.getResults())) {
    auto resultType = dyn_cast<MemRefType>(result.getType());
    if (!resultType)
      continue;
    Value thenSource = castSource(thenYield.getOperand(index));
    Value elseSource = castSource(elseYield.getOperand(index));
    Type sourceType = thenSource.getType();
    if (sourceType != elseSource.getType() || sourceType == resultType ||
        !memref::CastOp::areCastCompatible(sourceType, resultType))
      continue;
    types[index] = sourceType;
    refined.push_back(index);
  }
  if (refined.empty())
    return false;

  for (unsigned index : refined) {
    for (scf::YieldOp yield : {thenYield, elseYield}) {
      Value yielded = yield.getOperand(index);
      yield.setOperand(index, castSource(yielded));
      if (Operation *cast = yielded.getDefiningOp<memref::CastOp>();
          cast && cast->use_empty())
        rewriter.eraseOp(cast);
    }
  }
  rewriter.setInsertionPoint(ifOp);
  auto newIf = scf::IfOp::create(rewriter, ifOp.getLoc(), types,
                                 ifOp.getCondition(), /*withElse=*/false);
  newIf.getThenRegion().takeBody(ifOp.getThenRegion());
  newIf.getElseRegion().takeBody(ifOp.getElseRegion());
  newIf->setAttrs(ifOp->getAttrs());
  rewriter.setInsertionPointAfter(newIf);
  SmallVector<Value> replacements(newIf.getResults());
  for (unsigned index : refined)
    replacements[index] = memref::CastOp::create(
        rewriter, ifOp.getLoc(), ifOp.getResult(index).getType(),
        newIf.getResult(index));
  rewriter.replaceOp(ifOp, replacements);
  return true;
}

struct RefineBranchLayoutsPass
    : mlir::sdp::impl::RefineBranchLayoutsPassBase<RefineBranchLayoutsPass> {
  void runOnOperation() override {
    // Post-order: an inner if's refined result, cast back, is what its
    // parent's branch yields, so the parent refines in the same walk.
    SmallVector<scf::IfOp> ifs;
    getOperation()->walk([&](scf::IfOp ifOp) { ifs.push_back(ifOp); });
    IRRewriter rewriter(&getContext());
    for (scf::IfOp ifOp : ifs)
      refineResultTypes(rewriter, ifOp);
  }
};

} // namespace
