//===- NgramToSCF.h - n-gram ops to loops -----------------------*- C++ -*-===//

#ifndef SDP_CONVERSION_NGRAMTOSCF_H
#define SDP_CONVERSION_NGRAMTOSCF_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace sdp {

#define GEN_PASS_DECL_CONVERTNGRAMTOSCFPASS
#include "sdp/ConversionPasses.h.inc"

/// Adds the patterns lowering the n-gram primitives and sdp.bleu_score:
/// element-wise and reduction steps to linalg.generic, the dictionary, the
/// counting and the scoring to scf loops over buffers. Positions are
/// selected (compacted) `vectorSize` lanes at a time.
void populateNgramToSCFConversionPatterns(RewritePatternSet &patterns,
                                          int64_t vectorSize = 16);

} // namespace sdp
} // namespace mlir

#endif // SDP_CONVERSION_NGRAMTOSCF_H
