//===- CPUPipeline.cpp - sdp-cpu-pipeline ---------------------------------===//

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

void mlir::sdp::buildCPUPipeline(OpPassManager &pm,
                                 const CPUPipelineOptions &options) {
  // Named ops → sdp core → linalg on tensors + scf.
  pm.addPass(createDecomposeNamedOpsPass());
  pm.addPass(createConvertSdpToSCFPass());
  pm.addPass(createConvertNgramToSCFPass());
  pm.addPass(createConvertSdpToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // linalg → masked vectors along each op's contiguous axis.
  sdp::TileAndVectorizePassOptions vectorOptions;
  vectorOptions.vectorSize = options.vectorSize;
  pm.addPass(sdp::createTileAndVectorizePass(vectorOptions));
  // Masks become operands of the transfer ops before bufferization, which
  // does not expect to see vector.mask regions.
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMaskPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Tensors → buffers.
  bufferization::OneShotBufferizePassOptions bufferizeOptions;
  bufferizeOptions.bufferizeFunctionBoundaries = true;
  // A scan step produces its next state in a fresh buffer.
  bufferizeOptions.allowReturnAllocsFromLoops = true;
  bufferizeOptions.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferizeOptions));
  // Tiles written in place leave copies of a subview onto an identical
  // subview; CSE makes them self-copies, which canonicalization deletes.
  pm.addPass(createCSEPass());
  pm.addPass(createCanonicalizerPass());
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());

  // Vectors → what LLVM takes: masks become masked loads and stores,
  // exp/log become polynomials on whole vectors.
  // Tiles are 1 x ... x 1 x width: unrolling the unit dimensions leaves
  // plain 1-D vector transfers, with no staging through stack buffers.
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass());
  pm.addPass(sdp::createApproximateMathPass());
  pm.addPass(createCanonicalizerPass());

  // Remaining linalg → loops → LLVM.
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void mlir::sdp::registerPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "sdp-cpu-pipeline",
      "Lower the sdp core, tensors, linalg, scf, arith and math to the LLVM "
      "dialect for the host CPU",
      buildCPUPipeline);
}
