//===- CheckLibdevice.cpp - libdevice calls need a libdevice to link ------===//

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Target/LLVM/NVVM/Utils.h"
#include "sdp/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CHECKLIBDEVICEPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {
struct CheckLibdevicePass
    : mlir::sdp::impl::CheckLibdevicePassBase<CheckLibdevicePass> {
  using CheckLibdevicePassBase::CheckLibdevicePassBase;

  void runOnOperation() override {
    LLVM::LLVMFuncOp call;
    getOperation().walk([&](gpu::GPUModuleOp module) {
      for (auto func : module.getOps<LLVM::LLVMFuncOp>())
        if (func.isExternal() && func.getName().starts_with("__nv_")) {
          call = func;
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (!call)
      return;
    // Where gpu-module-to-binary links libdevice from.
    StringRef toolkit =
        this->toolkit.empty() ? NVVM::getCUDAToolkitPath() : this->toolkit;
    llvm::SmallString<128> libdevice(toolkit);
    llvm::sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
    if (!toolkit.empty() && llvm::sys::fs::exists(libdevice))
      return;
    call.emitError() << "kernels call libdevice's '" << call.getName()
                     << "', but no libdevice was found to link ("
                     << (toolkit.empty()
                             ? std::string("no CUDA toolkit found")
                             : "looked for " + libdevice.str().str())
                     << "): set CUDA_HOME to a CUDA toolkit";
    signalPassFailure();
  }
};
} // namespace
