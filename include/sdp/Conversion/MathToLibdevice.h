//===- MathToLibdevice.h - math ops to libdevice calls ----------*- C++ -*-===//

#ifndef SDP_CONVERSION_MATHTOLIBDEVICE_H
#define SDP_CONVERSION_MATHTOLIBDEVICE_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace gpu {
class GPUModuleOp;
} // namespace gpu
namespace sdp {

#define GEN_PASS_DECL_CONVERTMATHTOLIBDEVICEPASS
#include "sdp/ConversionPasses.h.inc"

/// Adds patterns rewriting f32/f64 math ops without an NVPTX instruction
/// into calls of libdevice's __nv_* functions, declared in the enclosing
/// gpu.module.
void populateMathToLibdevicePatterns(RewritePatternSet &patterns);

} // namespace sdp
} // namespace mlir

#endif // SDP_CONVERSION_MATHTOLIBDEVICE_H
