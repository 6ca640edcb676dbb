//===- SdpToSCF.h - sdp.scan to scf -----------------------------*- C++ -*-===//

#ifndef SDP_CONVERSION_SDPTOSCF_H
#define SDP_CONVERSION_SDPTOSCF_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace sdp {

#define GEN_PASS_DECL_CONVERTSDPTOSCFPASS
#include "sdp/ConversionPasses.h.inc"

/// Adds the pattern rewriting sdp.scan into scf.for.
void populateSdpToSCFConversionPatterns(RewritePatternSet &patterns);

} // namespace sdp
} // namespace mlir

#endif // SDP_CONVERSION_SDPTOSCF_H
