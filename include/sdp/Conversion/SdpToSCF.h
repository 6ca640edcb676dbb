//===- SdpToSCF.h - sdp.scan to scf -----------------------------*- C++ -*-===//

#ifndef SDP_CONVERSION_SDPTOSCF_H
#define SDP_CONVERSION_SDPTOSCF_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace sdp {

#define GEN_PASS_DECL_CONVERTSDPTOSCFPASS
#include "sdp/ConversionPasses.h.inc"

/// Adds the patterns of convert-sdp-to-scf: sdp.scan into scf.for;
/// sdp.alignment, sdp.scatter, sdp.max_arborescence, sdp.logdet and
/// sdp.inverse into loops.
void populateSdpToSCFConversionPatterns(RewritePatternSet &patterns);
/// The sdp.alignment part of it (AlignmentToSCF.cpp).
void populateAlignmentToSCFPatterns(RewritePatternSet &patterns);
/// Adds the pattern rewriting sdp.max_arborescence into Chu-Liu-Edmonds
/// loops over buffers (ArborescenceToSCF.cpp; part of the above).
void populateArborescenceToSCFPatterns(RewritePatternSet &patterns);
/// Adds the patterns rewriting sdp.logdet and sdp.inverse into elimination
/// loops over buffers (LinearAlgebraToSCF.cpp; part of the above).
void populateLinearAlgebraToSCFPatterns(RewritePatternSet &patterns);
/// Adds the pattern rewriting sdp.scatter into an scf.for nest that
/// ⊕-adds one value at a time (part of the above).
void populateScatterToSCFPatterns(RewritePatternSet &patterns);

} // namespace sdp
} // namespace mlir

#endif // SDP_CONVERSION_SDPTOSCF_H
