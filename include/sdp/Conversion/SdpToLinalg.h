//===- SdpToLinalg.h - sdp.contract to linalg -------------------*- C++ -*-===//

#ifndef SDP_CONVERSION_SDPTOLINALG_H
#define SDP_CONVERSION_SDPTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace sdp {

#define GEN_PASS_DECL_CONVERTSDPTOLINALGPASS
#include "sdp/ConversionPasses.h.inc"

/// Adds the patterns rewriting sdp.contract into linalg.generic.
void populateSdpToLinalgConversionPatterns(RewritePatternSet &patterns);
/// Adds the pattern rewriting sdp.gather into a linalg.generic that reads
/// its source with tensor.extract (part of the above).
void populateGatherToLinalgPatterns(RewritePatternSet &patterns);

} // namespace sdp
} // namespace mlir

#endif // SDP_CONVERSION_SDPTOLINALG_H
