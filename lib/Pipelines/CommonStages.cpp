//===- CommonStages.cpp - stages the CPU and GPU pipelines share ----------===//

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "sdp/Conversion/Passes.h"
#include "sdp/Pipelines/Pipelines.h"
#include "sdp/Transforms/Passes.h"

using namespace mlir;

void mlir::sdp::addBufferizationPasses(OpPassManager &pm, bool deallocate) {
  // Tensors → buffers.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  // A scan step produces its next state in a fresh buffer.
  bufferizeOptions.allowReturnAllocsFromLoops = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  // A value computed into a fresh tensor and then inserted into a slice of
  // another (a scan step's row of an output, such as a VJP's per-step edge
  // marginals) is computed in that slice instead of copied there.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  // Branches that yield identity buffers keep them identity, so reads of
  // an scf.if's results stay unit-stride vector loads.
  pm.addPass(sdp::createRefineBranchLayoutsPass());
  // Tiles written in place leave copies of a subview onto an identical
  // subview; CSE makes them self-copies, which canonicalization deletes.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  if (deallocate)
    bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
  // Scan steps' temporaries: one buffer per loop, not a malloc per step.
  if (deallocate)
    pm.addPass(sdp::createHoistLoopAllocationsPass());
}

void mlir::sdp::addHostToLLVMPasses(OpPassManager &pm) {
  // Remaining linalg (and strided copies) → loops → LLVM.
  pm.addPass(sdp::createConvertSdpVectorToLLVMPass());
  pm.addPass(sdp::createExpandStridedCopiesPass());
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  // Buffers come from the runtime's allocation functions, which keep large
  // freed blocks for the next call (BufferCache.cpp). In the GPU pipeline
  // gpu-to-llvm has already lowered the host allocations (only results and
  // the statistics BLEU copies back) to plain malloc.
  FinalizeMemRefToLLVMConversionPassOptions memrefOptions;
  memrefOptions.useGenericFunctions = true;
  pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefOptions));
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}
