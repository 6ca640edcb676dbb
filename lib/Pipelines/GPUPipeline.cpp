//===- GPUPipeline.cpp - sdp-gpu-pipeline ---------------------------------===//
//
// sdp → gpu.launch kernels (convert-sdp-to-gpu) → host buffers → outlined
// gpu.module → NVVM → PTX or cubin embedded in a gpu.binary; the host side
// becomes LLVM calling the mgpu* runtime on one stream per call.
//
//===----------------------------------------------------------------------===//

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Target/LLVM/NVVM/Utils.h"
#include "mlir/Transforms/Passes.h"
#include "sdp/Conversion/Passes.h"
#include "sdp/Pipelines/Pipelines.h"
#include "sdp/Transforms/Passes.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

using namespace mlir;

/// The CUDA toolkit libdevice is linked from: MLIR's search (CUDA_ROOT,
/// CUDA_HOME, CUDA_PATH), else the one whose ptxas is on PATH.
static std::string cudaToolkitPath() {
  StringRef configured = NVVM::getCUDAToolkitPath();
  if (!configured.empty())
    return configured.str();
  llvm::ErrorOr<std::string> ptxas = llvm::sys::findProgramByName("ptxas");
  if (!ptxas)
    return "";
  return llvm::sys::path::parent_path(llvm::sys::path::parent_path(*ptxas))
      .str();
}

void mlir::sdp::buildGPUPipeline(OpPassManager &pm,
                                 const GPUPipelineOptions &options) {
  // sdp → kernels on device copies, then host tensors → buffers.
  // Adjoints are core IR; derive them before the kernels are formed.
  pm.addPass(sdp::createGenerateAdjointsPass());
  pm.addPass(sdp::createConvertSdpToGPUPass(
      {options.tensorCores, options.deviceResident}));
  // What stays on the host: n-gram primitives, a bare sdp.bleu_score, and
  // adjoint functions (scans → scf.for, contractions → linalg).
  pm.addPass(sdp::createConvertNgramToSCFPass());
  pm.addPass(sdp::createConvertSdpToSCFPass());
  pm.addPass(sdp::createConvertSdpToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Ownership-based deallocation rejects gpu.launch (its memory effects are
  // unknown). It has nothing to do here: the kernels' host code frees its
  // device buffers itself and allocates host memory only for results.
  addBufferizationPasses(pm, /*deallocate=*/false);

  // Kernels into a gpu.module, host GPU calls onto one stream per function.
  // Constants and index arithmetic move into the kernels rather than
  // becoming kernel parameters (they fold there).
  pm.addNestedPass<func::FuncOp>(createGpuLaunchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(sdp::createMergeGPUModulesPass());
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  // Empty features let the NVPTX back end pick the oldest PTX ISA the chip
  // accepts.
  target.features = options.features;
  target.optLevel = options.optLevel;
  pm.addPass(createGpuNVVMAttachTarget(target));

  // Device code → NVVM. f32 exp/log become polynomials first; f64 ones stay
  // libdevice calls, linked by gpu-module-to-binary from the CUDA toolkit.
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  OpPassManager &device = pm.nest<gpu::GPUModuleOp>();
  // Their floor becomes arith too (NVVM lowering would call
  // libdevice's __nv_floorf); fma and arith's maxnumf become LLVM intrinsics
  // that NVPTX selects natively.
  sdp::ApproximateMathPassOptions approximate;
  approximate.expandRounding = true;
  device.addPass(sdp::createApproximateMathPass(approximate));
  device.addPass(createSCFToControlFlowPass());
  device.addPass(sdp::createConvertMathToLibdevicePass());
  device.addPass(createConvertMathToLLVMPass());
  device.addPass(createArithToLLVMConversionPass());
  device.addPass(createConvertIndexToLLVMPass());
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  device.addPass(createConvertGpuOpsToNVVMOps());
  device.addPass(createCanonicalizerPass());
  device.addPass(createCSEPass());
  device.addPass(createReconcileUnrealizedCastsPass());
  // What stays a libdevice call (f64 exp/log) needs a libdevice to link.
  std::string toolkit = cudaToolkitPath();
  pm.addPass(sdp::createCheckLibdevicePass({toolkit}));

  // Host → LLVM with mgpu* calls, then kernels → PTX/cubin.
  pm.addPass(createGpuToLLVMConversionPass());
  addHostToLLVMPasses(pm);
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = options.format;
  binary.toolkitPath = toolkit;
  pm.addPass(createGpuModuleToBinaryPass(binary));
}
