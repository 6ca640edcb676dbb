//===- Pipelines.h - named sdp pass pipelines -------------------*- C++ -*-===//

#ifndef SDP_PIPELINES_PIPELINES_H
#define SDP_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

namespace mlir::sdp {

/// Options of `sdp-cpu-pipeline`.
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {};

/// Lowers a module of sdp, func, tensor, arith and math ops to the LLVM
/// dialect for the host CPU: sdp core → linalg + scf → bufferization →
/// loops → LLVM.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// Registers every named sdp pipeline with the global registry.
void registerPipelines();

} // namespace mlir::sdp

#endif // SDP_PIPELINES_PIPELINES_H
