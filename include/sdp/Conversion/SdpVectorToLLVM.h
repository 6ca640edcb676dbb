//===- SdpVectorToLLVM.h - sdp's vector helpers to LLVM ---------*- C++ -*-===//

#ifndef SDP_CONVERSION_SDPVECTORTOLLVM_H
#define SDP_CONVERSION_SDPVECTORTOLLVM_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace sdp {

#define GEN_PASS_DECL_CONVERTSDPVECTORTOLLVMPASS
#include "sdp/ConversionPasses.h.inc"

/// Adds the pattern rewriting sdp.vector_compress into a call of
/// llvm.experimental.vector.compress.
void populateSdpVectorToLLVMPatterns(RewritePatternSet &patterns);

} // namespace sdp
} // namespace mlir

#endif // SDP_CONVERSION_SDPVECTORTOLLVM_H
