//===- Emitter.h - shared declarations of the n-gram lowerings --*- C++ -*-===//

#ifndef SDP_LIB_CONVERSION_NGRAMTOSCF_EMITTER_H
#define SDP_LIB_CONVERSION_NGRAMTOSCF_EMITTER_H

#include "../Utils/Emitter.h"

namespace mlir::sdp::ngram {

using Emitter = ::mlir::sdp::Emitter;

/// True when both window operands of `dict` come from sdp.ngram_extract: the
/// dictionary then reads the tokens directly and the windows are never
/// materialized (Dictionary.cpp).
bool windowsFuseIntoDictionary(Operation *dict);

/// The lowerings of the n-gram ops, one file each: sdp.ngram_dict
/// (Dictionary.cpp), sdp.ngram_count and sdp.ngram_clip (Counting.cpp) and
/// sdp.bleu_score (BleuScore.cpp).
void populateDictionaryLoweringPatterns(RewritePatternSet &patterns);
void populateCountingLoweringPatterns(RewritePatternSet &patterns);
void populateBleuScoreLoweringPatterns(RewritePatternSet &patterns);

} // namespace mlir::sdp::ngram

#endif // SDP_LIB_CONVERSION_NGRAMTOSCF_EMITTER_H
