//===- Pipelines.h - named sdp pass pipelines -------------------*- C++ -*-===//

#ifndef SDP_PIPELINES_PIPELINES_H
#define SDP_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::sdp {

/// Options of `sdp-cpu-pipeline`.
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<int64_t> vectorSize{
      *this, "vector-size",
      llvm::cl::desc("Elements per vector along each op's contiguous axis"),
      llvm::cl::init(16)};
};

/// Lowers a module of sdp, func, tensor, arith and math ops to the LLVM
/// dialect for the host CPU: named ops → sdp core → linalg + scf → masked
/// vectors → bufferization → polynomial exp/log → LLVM.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers every named sdp pipeline with the global registry.
void registerPipelines();

} // namespace mlir::sdp

#endif // SDP_PIPELINES_PIPELINES_H
