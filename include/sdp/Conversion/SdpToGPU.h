//===- SdpToGPU.h - sdp named ops to GPU kernels ----------------*- C++ -*-===//

#ifndef SDP_CONVERSION_SDPTOGPU_H
#define SDP_CONVERSION_SDPTOGPU_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace sdp {

#define GEN_PASS_DECL_CONVERTSDPTOGPUPASS
#include "sdp/ConversionPasses.h.inc"

/// sdp.linear_chain (score only) → host copies around gpu.launch kernels
/// that keep the time loop inside one kernel.
void populateSdpToGPUConversionPatterns(RewritePatternSet &patterns);

} // namespace sdp
} // namespace mlir

#endif // SDP_CONVERSION_SDPTOGPU_H
