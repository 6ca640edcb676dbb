//===- MergeGPUModules.cpp - one gpu.module for all kernels ---------------===//

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/SymbolTable.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_MERGEGPUMODULESPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {
struct MergeGPUModulesPass
    : mlir::sdp::impl::MergeGPUModulesPassBase<MergeGPUModulesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto modules = llvm::to_vector(module.getOps<gpu::GPUModuleOp>());
    if (modules.size() < 2)
      return;
    gpu::GPUModuleOp target = modules.front();
    SymbolTable targetSymbols(target);
    // (old module, old kernel) → new kernel name, for renamed kernels.
    llvm::DenseMap<std::pair<StringAttr, StringAttr>, StringAttr> renamed;
    llvm::DenseSet<StringAttr> moved;
    for (gpu::GPUModuleOp source : llvm::drop_begin(modules)) {
      if (source.getTargetsAttr() != target.getTargetsAttr())
        continue;
      moved.insert(source.getSymNameAttr());
      // Clashing names are made unique inside the source module first, so
      // that references there follow the rename.
      SymbolTable sourceSymbols(source);
      for (Operation &op : source.getBody()->getOperations()) {
        auto symbol = dyn_cast<SymbolOpInterface>(&op);
        if (!symbol || !targetSymbols.lookup(symbol.getNameAttr()))
          continue;
        StringAttr oldName = symbol.getNameAttr();
        FailureOr<StringAttr> newName =
            sourceSymbols.renameToUnique(&op, {&targetSymbols});
        if (failed(newName)) {
          op.emitOpError("cannot be renamed apart from @") << target.getName();
          return signalPassFailure();
        }
        renamed[{source.getSymNameAttr(), oldName}] = *newName;
      }
      for (Operation &op :
           llvm::make_early_inc_range(source.getBody()->getOperations())) {
        if (!isa<SymbolOpInterface>(&op))
          continue;
        op.remove();
        targetSymbols.insert(&op);
      }
      source.erase();
    }
    // Launches follow their kernel into the first module.
    module.walk([&](gpu::LaunchFuncOp launch) {
      if (!moved.contains(launch.getKernelModuleName()))
        return;
      auto it =
          renamed.find({launch.getKernelModuleName(), launch.getKernelName()});
      StringAttr kernel =
          it == renamed.end() ? launch.getKernelName() : it->second;
      launch.setKernelAttr(SymbolRefAttr::get(
          target.getSymNameAttr(), {FlatSymbolRefAttr::get(kernel)}));
    });
  }
};
} // namespace
