//===- CPUPipeline.cpp - sdp-cpu-pipeline ---------------------------------===//

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Vector/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "sdp/Conversion/Passes.h"
#include "sdp/Pipelines/Pipelines.h"
#include "sdp/Transforms/Passes.h"

using namespace mlir;

void mlir::sdp::buildCPUPipeline(OpPassManager &pm,
                                 const CPUPipelineOptions &options) {
  // Adjoints first (they decompose their own copies), then named ops → sdp
  // core → linalg on tensors + scf.
  // Vectors run across the batch where a tag set smaller than a vector
  // would leave most of its lanes empty.
  GenerateAdjointsPassOptions adjointOptions;
  adjointOptions.batchMinorLabels = options.vectorSize;
  DecomposeNamedOpsPassOptions decomposeOptions;
  decomposeOptions.batchMinorLabels = options.vectorSize;
  pm.addPass(createGenerateAdjointsPass(adjointOptions));
  pm.addPass(createDecomposeNamedOpsPass(decomposeOptions));
  // The best trees of sdp.cky / sdp.eisner are sdp.vjp requests that their
  // decompositions make.
  pm.addPass(createGenerateAdjointsPass(adjointOptions));
  pm.addPass(createConvertSdpToSCFPass());
  ConvertNgramToSCFPassOptions ngramOptions;
  ngramOptions.vectorSize = options.vectorSize;
  pm.addPass(createConvertNgramToSCFPass(ngramOptions));
  pm.addPass(createConvertSdpToLinalgPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Adjoint scans add each step's contraction to a carried sum: accumulate
  // it there directly.
  pm.addPass(sdp::createFoldAddIntoReductionsPass());

  // linalg → masked vectors along each op's contiguous axis.
  sdp::TileAndVectorizePassOptions vectorOptions;
  vectorOptions.vectorSize = options.vectorSize;
  vectorOptions.accumulatorRows = 2;
  pm.addPass(sdp::createTileAndVectorizePass(vectorOptions));
  // Masks become operands of the transfer ops before bufferization, which
  // does not expect to see vector.mask regions.
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMaskPass());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Reduction loops keep their output vectors in registers.
  pm.addPass(sdp::createHoistVectorAccumulatorsPass());
  pm.addPass(createCanonicalizerPass());

  addBufferizationPasses(pm);

  // Vectors → what LLVM takes: masks become masked loads and stores,
  // exp/log become polynomials on whole vectors.
  // Tiles are 1 x ... x 1 x width: unrolling the unit dimensions leaves
  // plain 1-D vector transfers, with no staging through stack buffers.
  pm.addPass(createConvertVectorToSCFPass(
      VectorTransferToSCFOptions().enableFullUnroll()));
  pm.addNestedPass<func::FuncOp>(vector::createLowerVectorMultiReductionPass());
  // Row maxima (log-sum-exp shifts) by halving, not one lane at a time.
  pm.addPass(sdp::createTreeVectorReductionsPass());
  // After the reductions are plain adds: real contractions' terms as FMAs.
  pm.addPass(sdp::createFuseMultiplyAddPass());
  pm.addPass(sdp::createApproximateMathPass());
  pm.addPass(createCanonicalizerPass());
  if (options.splitMaskedStores)
    pm.addPass(sdp::createSplitMaskedStoresPass());

  addHostToLLVMPasses(pm);
}
