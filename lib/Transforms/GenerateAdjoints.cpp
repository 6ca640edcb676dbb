//===- GenerateAdjoints.cpp - materialise sdp.vjp -------------------------===//

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Transforms/Adjoint.h"
#include "sdp/Transforms/Passes.h"
#include <map>
#include <string>

namespace mlir::sdp {
#define GEN_PASS_DEF_GENERATEADJOINTSPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;

namespace {

struct GenerateAdjointsPass
    : mlir::sdp::impl::GenerateAdjointsPassBase<GenerateAdjointsPass> {
  using GenerateAdjointsPassBase::GenerateAdjointsPassBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<VjpOp> requests;
    module.walk([&](VjpOp op) { requests.push_back(op); });
    if (requests.empty())
      return;
    SymbolTable symbols(module);
    // One adjoint per callee and checkpoint interval, however many
    // requests name it.
    std::map<std::pair<std::string, int64_t>, func::FuncOp> adjoints;
    for (VjpOp request : requests) {
      StringAttr callee = request.getCalleeAttr().getAttr();
      int64_t every = request.getCheckpointEvery().value_or(0);
      func::FuncOp &adjoint = adjoints[{callee.getValue().str(), every}];
      if (!adjoint) {
        auto primal = symbols.lookup<func::FuncOp>(callee);
        if (!primal) {
          request.emitOpError()
              << "'" << callee.getValue() << "' does not name a func.func";
          return signalPassFailure();
        }
        std::string name = (callee.getValue() + "_adjoint").str();
        if (every)
          name += "_checkpointed_" + std::to_string(every);
        FailureOr<func::FuncOp> built =
            buildAdjointFunction(primal, name, every, batchMinorLabels);
        if (failed(built)) {
          request.emitError()
              << "cannot derive the adjoint of '" << callee.getValue() << "'";
          return signalPassFailure();
        }
        adjoint = *built;
        symbols.insert(adjoint); // renames on a clash
      }
      OpBuilder b(request);
      SmallVector<Value> operands(request.getPrimals());
      llvm::append_range(operands, request.getCotangents());
      auto call = func::CallOp::create(b, request.getLoc(), adjoint, operands);
      request.replaceAllUsesWith(call.getResults());
      request.erase();
    }
  }
};

} // namespace
