//===- HoistLoopAllocations.cpp - reuse scratch buffers across iterations -===//
//
// A memref.alloc / memref.dealloc pair inside one scf.for iteration becomes
// one allocation around the loop, when nothing the iteration hands on
// (yields, returns, calls, branches) can refer to the buffer.
//
//===----------------------------------------------------------------------===//

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_HOISTLOOPALLOCATIONSPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// True when a use of `buffer` or of a view of it may let the buffer
/// outlive the iteration: a terminator (yield, return, branch), a call, or
/// any op that produces a memref other than by viewing (which could be an
/// alias we cannot follow).
bool mayEscape(Value buffer) {
  SmallVector<Value> worklist{buffer};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (Operation *user : value.getUsers()) {
      if (user->hasTrait<OpTrait::IsTerminator>() ||
          isa<CallOpInterface, BranchOpInterface>(user))
        return true;
      if (isa<ViewLikeOpInterface, memref::ExtractStridedMetadataOp>(user)) {
        for (Value result : user->getResults())
          if (isa<BaseMemRefType>(result.getType()))
            worklist.push_back(result);
        continue;
      }
      if (llvm::any_of(user->getResultTypes(), llvm::IsaPred<BaseMemRefType>))
        return true;
    }
  }
  return false;
}

/// Moves the allocations of `loop`'s body that qualify out of it.
void hoistAllocations(scf::ForOp loop) {
  Block *body = loop.getBody();
  SmallVector<memref::AllocOp> allocs(body->getOps<memref::AllocOp>());
  for (memref::AllocOp alloc : allocs) {
    if (llvm::any_of(alloc->getOperands(), [&](Value operand) {
          return loop->isAncestor(operand.getParentRegion()->getParentOp());
        }))
      continue;
    SmallVector<memref::DeallocOp> deallocs;
    for (Operation *user : alloc->getUsers())
      if (auto dealloc = dyn_cast<memref::DeallocOp>(user))
        deallocs.push_back(dealloc);
    if (deallocs.size() != 1 || deallocs.front()->getBlock() != body)
      continue;
    if (mayEscape(alloc.getResult()))
      continue;
    alloc->moveBefore(loop);
    deallocs.front()->moveAfter(loop);
  }
}

struct HoistLoopAllocationsPass
    : mlir::sdp::impl::HoistLoopAllocationsPassBase<HoistLoopAllocationsPass> {
  void runOnOperation() override {
    // Post-order: inner loops first, so that an allocation can leave
    // several loops in one walk.
    getOperation()->walk([](scf::ForOp loop) { hoistAllocations(loop); });
  }
};

} // namespace
