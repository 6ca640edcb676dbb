//===- SdpToGPU.cpp - the convert-sdp-to-gpu pass -------------------------===//
//
// The kernels live in LinearChainToGPU.cpp (LinearChainTensorCores.cpp),
// BleuToGPU.cpp, AlignmentToGPU.cpp, ContractToGPU.cpp and ScanToGPU.cpp.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToGPU.h"

#include "KernelEmitter.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Dialect/NgramOps.h"
#include "sdp/Dialect/SdpDialect.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Transforms/Adjoint.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTSDPTOGPUPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

namespace {

/// The tensors of a device-resident function are GPU memory: only the sdp
/// ops that become kernels and the return may touch them. The caller owns
/// (and frees) each returned buffer, so every kernel result is returned
/// exactly once and nothing else is.
LogicalResult checkDeviceResident(func::FuncOp func) {
  auto isTensor = [](Type type) { return isa<TensorType>(type); };
  auto where = [&] {
    return "device-resident function '@" + func.getName().str() + "'";
  };
  auto isKernel = [](Operation *op) {
    return isa<SdpDialect>(op->getDialect()) && !isa<BleuScoreOp>(op);
  };
  // A scan body's ops become the scan's kernel code.
  auto inScan = [](Operation *op) { return op->getParentOfType<ScanOp>(); };
  // Host code first: it is what makes the other rules fail.
  WalkResult hostCode = func.walk([&](Operation *op) {
    if (isKernel(op) || inScan(op) || isa<func::ReturnOp>(op) ||
        (llvm::none_of(op->getOperandTypes(), isTensor) &&
         llvm::none_of(op->getResultTypes(), isTensor)))
      return WalkResult::advance();
    op->emitOpError("would compute on the host, but the tensors of ")
        << where()
        << " live in GPU memory; keep only kernel ops (sdp.linear_chain, "
           "sdp.alignment, sdp.bleu, sdp.contract) on its tensors";
    return WalkResult::interrupt();
  });
  if (hostCode.wasInterrupted())
    return failure();
  WalkResult result = func.walk([&](Operation *op) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (auto [i, value] : llvm::enumerate(ret.getOperands()))
        if (isa<BlockArgument>(value) && isTensor(value.getType())) {
          ret.emitOpError() << "result #" << i << " of " << where()
                            << " is one of its arguments; the caller frees "
                               "its results, so return kernel results only";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    }
    if (!isKernel(op) || inScan(op))
      return WalkResult::advance();
    for (OpResult value : op->getResults())
      if (!value.hasOneUse() || !isa<func::ReturnOp>(*value.user_begin())) {
        op->emitOpError() << "result #" << value.getResultNumber()
                          << " must be returned by " << where()
                          << ", once, and used by nothing else: the caller "
                             "owns and frees it";
        return WalkResult::interrupt();
      }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

struct ConvertSdpToGPUPass
    : mlir::sdp::impl::ConvertSdpToGPUPassBase<ConvertSdpToGPUPass> {
  using ConvertSdpToGPUPassBase::ConvertSdpToGPUPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    for (auto func : module.getOps<func::FuncOp>()) {
      if (!func->hasAttr(kAdjointOfAttrName))
        continue;
      if (deviceResident) {
        func.emitOpError("is an adjoint, which has no device-resident "
                         "lowering yet");
        return signalPassFailure();
      }
    }
    if (deviceResident)
      for (auto func : module.getOps<func::FuncOp>())
        if (failed(checkDeviceResident(func)))
          return signalPassFailure();
    // Adjoints stay on the host: their reverse scans re-run a primal step
    // and its adjoint, bodies that the scan kernel does not take.
    RewritePatternSet patternList(&getContext());
    populateSdpToGPUConversionPatterns(patternList,
                                       {tensorCores, deviceResident});
    FrozenRewritePatternSet patterns(std::move(patternList));
    for (auto func : module.getOps<func::FuncOp>())
      if (!func->hasAttr(kAdjointOfAttrName))
        walkAndApplyPatterns(func, patterns);
    // What is left has no GPU lowering: say so instead of running it
    // silently on the host.
    WalkResult left = module.walk([](Operation *op) {
      if (auto func = op->getParentOfType<func::FuncOp>();
          func && func->hasAttr(kAdjointOfAttrName))
        return WalkResult::skip();
      // A bare sdp.bleu_score (float64 scalar code) runs on the host; a
      // scan is reported as a whole, not by the ops of its body.
      if (!isa<SdpDialect>(op->getDialect()) || isa<BleuScoreOp>(op) ||
          op->getParentOfType<ScanOp>())
        return WalkResult::advance();
      auto diag = op->emitOpError("has no GPU lowering yet");
      if (isa<ScanOp>(op))
        diag << " for this body (a body of sdp.contract ops without "
                "witnesses, in f32 or f64, has one)";
      if (isa<LinearChainOp, AlignmentOp, ContractOp>(op))
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
  populateContractToGPUPatterns(patterns, kernels);
  populateScanToGPUPatterns(patterns, kernels);
}
