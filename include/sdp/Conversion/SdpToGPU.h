//===- SdpToGPU.h - sdp named ops to GPU kernels ----------------*- C++ -*-===//

#ifndef SDP_CONVERSION_SDPTOGPU_H
#define SDP_CONVERSION_SDPTOGPU_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace sdp {

#define GEN_PASS_DECL_CONVERTSDPTOGPUPASS
#include "sdp/ConversionPasses.h.inc"

/// sdp.linear_chain, sdp.alignment, sdp.bleu, sdp.contract and scans of
/// contractions → host
/// copies (or device-resident tensors) around gpu.launch kernels that keep
/// the sequential loops inside one kernel.
void populateSdpToGPUConversionPatterns(
    RewritePatternSet &patterns,
    const ConvertSdpToGPUPassOptions &options = {});

} // namespace sdp
} // namespace mlir

#endif // SDP_CONVERSION_SDPTOGPU_H
