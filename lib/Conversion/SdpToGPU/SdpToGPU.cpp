//===- SdpToGPU.cpp - the convert-sdp-to-gpu pass -------------------------===//
//
// The kernels live in LinearChainToGPU.cpp (LinearChainTensorCores.cpp),
// BleuToGPU.cpp and AlignmentToGPU.cpp.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToGPU.h"

#include "KernelEmitter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Dialect/NgramOps.h"
#include "sdp/Dialect/SdpDialect.h"
#include "sdp/Dialect/SdpOps.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTSDPTOGPUPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

namespace {

/// The tensors of a device-resident function are GPU memory: only the sdp
/// ops that become kernels and the return may touch them.
LogicalResult checkDeviceResident(func::FuncOp func) {
  auto isTensor = [](Type type) { return isa<TensorType>(type); };
  WalkResult result = func.walk([&](Operation *op) {
    bool kernel = isa<SdpDialect>(op->getDialect()) && !isa<BleuScoreOp>(op);
    if (kernel || isa<func::ReturnOp>(op) ||
        (llvm::none_of(op->getOperandTypes(), isTensor) &&
         llvm::none_of(op->getResultTypes(), isTensor)))
      return WalkResult::advance();
    op->emitOpError("would compute on the host, but the tensors of "
                    "device-resident function '@")
        << func.getName()
        << "' live in GPU memory; keep only kernel ops (sdp.linear_chain, "
           "sdp.alignment, sdp.bleu) on its tensors";
    return WalkResult::interrupt();
  });
  return failure(result.wasInterrupted());
}

struct ConvertSdpToGPUPass
    : mlir::sdp::impl::ConvertSdpToGPUPassBase<ConvertSdpToGPUPass> {
  using ConvertSdpToGPUPassBase::ConvertSdpToGPUPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (deviceResident)
      for (auto func : module.getOps<func::FuncOp>())
        if (failed(checkDeviceResident(func)))
          return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateSdpToGPUConversionPatterns(patterns, {tensorCores, deviceResident});
    walkAndApplyPatterns(module, std::move(patterns));
    // What is left has no GPU lowering: say so instead of running it
    // silently on the host.
    WalkResult left = module.walk([](Operation *op) {
      // BLEU's final formula (float64 scalar code) runs on the host.
      if (!isa<SdpDialect>(op->getDialect()) || isa<BleuScoreOp>(op))
        return WalkResult::advance();
      auto diag = op->emitOpError("has no GPU lowering yet");
      if (isa<LinearChainOp, AlignmentOp>(op))
        diag << " for element type "
             << getElementTypeOrSelf(op->getOperand(0).getType()) << " under "
             << op->getAttr("semiring");
      diag << "; compile for the CPU";
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
    module->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                    UnitAttr::get(&getContext()));
  }
};

} // namespace

void mlir::sdp::populateSdpToGPUConversionPatterns(
    RewritePatternSet &patterns, const ConvertSdpToGPUPassOptions &options) {
  KernelOptions kernels{options.tensorCores, options.deviceResident};
  populateLinearChainToGPUPatterns(patterns, kernels);
  populateBleuToGPUPatterns(patterns, kernels);
  populateAlignmentToGPUPatterns(patterns, kernels);
}
