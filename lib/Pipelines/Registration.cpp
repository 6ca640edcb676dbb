//===- Registration.cpp - the named sdp pipelines -------------------------===//

#include "mlir/Pass/PassRegistry.h"
#include "sdp/Pipelines/Pipelines.h"

using namespace mlir;

void mlir::sdp::registerPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "sdp-cpu-pipeline",
      "Lower the sdp core, tensors, linalg, scf, arith and math to the LLVM "
      "dialect for the host CPU",
      buildCPUPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "sdp-gpu-pipeline",
      "Lower sdp ops to NVVM kernels embedded as PTX or cubin in a host "
      "module that calls the mgpu* runtime",
      buildGPUPipeline);
}
