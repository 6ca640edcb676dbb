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
  PassOptions::Option<bool> splitMaskedStores{
      *this, "split-masked-stores",
      llvm::cl::desc(
          "Store the tails of rows with plain stores and a scalar "
          "loop instead of masked stores (sdp-split-masked-stores; "
          "for AMD Zen cores without AVX-512, whose masked stores are "
          "microcode)"),
      llvm::cl::init(false)};
};

/// Options of `sdp-gpu-pipeline`.
struct GPUPipelineOptions : public PassPipelineOptions<GPUPipelineOptions> {
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("Target GPU architecture (sm_80, sm_90…)"),
      llvm::cl::init("sm_80")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("PTX features (e.g. +ptx80); empty lets the NVPTX back "
                     "end pick the oldest PTX ISA the chip accepts"),
      llvm::cl::init("")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("Embedded kernels: isa (PTX text, compiled by the driver "
                     "at load time), bin (cubin, needs ptxas) or fatbin"),
      llvm::cl::init("isa")};
  PassOptions::Option<int> optLevel{
      *this, "opt-level", llvm::cl::desc("Device code optimization level"),
      llvm::cl::init(3)};
  PassOptions::Option<bool> tensorCores{
      *this, "tensor-cores",
      llvm::cl::desc("Factored log-semiring linear chains (f32) on tensor "
                     "cores: 3xTF32 WMMA, needs sm_80 or later"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> deviceResident{
      *this, "device-resident",
      llvm::cl::desc("Tensor arguments and results are device memory: no "
                     "copies in or out, no host synchronization while a "
                     "stream is captured (CUDA graphs)"),
      llvm::cl::init(false)};
};

/// Lowers a module of sdp, func, tensor, arith and math ops to the LLVM
/// dialect for the host CPU: named ops → sdp core → linalg + scf → masked
/// vectors → bufferization → polynomial exp/log → LLVM.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);
/// Lowers sdp.linear_chain and sdp.bleu to GPU kernels (convert-sdp-to-gpu)
/// embedded as PTX or cubin in a host module that copies data to and from
/// the device through the mgpu* runtime; the rest of the host code goes to
/// LLVM as on the CPU.
void buildGPUPipeline(OpPassManager &pm, const GPUPipelineOptions &options);

/// Stages both pipelines share: tensors to buffers (one-shot bufferization,
/// then, when `deallocate`, ownership-based deallocation), and host
/// memref/scf/arith/math/func code to LLVM.
void addBufferizationPasses(OpPassManager &pm, bool deallocate = true);
void addHostToLLVMPasses(OpPassManager &pm);

/// Registers every named sdp pipeline with the global registry.
void registerPipelines();

} // namespace mlir::sdp

#endif // SDP_PIPELINES_PIPELINES_H
