//===- Passes.h - sdp transforms --------------------------------*- C++ -*-===//

#ifndef SDP_TRANSFORMS_PASSES_H
#define SDP_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
namespace sdp {

#define GEN_PASS_DECL
#include "sdp/TransformsPasses.h.inc"

/// Adds the patterns rewriting named structure ops into the sdp core.
/// `bleuBatchTile`: examples per tile of sdp.bleu's statistics (0: untiled).
/// `batchMinorLabels` = N > 0: the linear chain's factored log-semiring
/// forward keeps its state label-major ([C, B], vectors across the batch)
/// when it has fewer than N labels and at least N sequences, or at most N/2
/// labels and at least N/2 sequences (a run-time choice; 0: never).
void populateDecomposeNamedOpsPatterns(RewritePatternSet &patterns,
                                       int64_t bleuBatchTile = 32,
                                       int64_t batchMinorLabels = 0);
/// The sdp.bleu part of it: the n-gram primitives and sdp.bleu_score.
void populateDecomposeBleuPatterns(RewritePatternSet &patterns,
                                   int64_t batchTile = 32);

/// Rewrites sdp.alignment into the core (a scan over rows of contractions
/// and a scan along each row). Not part of -sdp-decompose-named-ops: the
/// forward pipeline keeps its wavefront lowering; adjoints differentiate
/// this form.
void populateDecomposeAlignmentPatterns(RewritePatternSet &patterns);

/// Rewrites sdp.semi_markov into the core: one scan over start positions
/// carrying a window of K partial sums. Part of -sdp-decompose-named-ops.
void populateDecomposeSemiMarkovPatterns(RewritePatternSet &patterns);

/// Rewrites sdp.ctc into the core: a gather of each extended-target
/// state's log-probabilities, one scan over frames. Part of
/// -sdp-decompose-named-ops.
void populateDecomposeCtcPatterns(RewritePatternSet &patterns);

/// Rewrites sdp.cky and sdp.eisner into the core: a chart scan over span
/// width; their best structures through sdp.vjp of the best score. Part of
/// -sdp-decompose-named-ops.
void populateDecomposeTreesPatterns(RewritePatternSet &patterns);

/// Starts a zero-started sum reduction that is then added to a tensor from
/// that tensor instead. The patterns of -sdp-fold-add-into-reductions.
void populateFoldAddIntoReductionsPatterns(RewritePatternSet &patterns);

/// Rewrites x + a·b into math.fma(a, b, x) where the multiplication permits
/// contraction. The patterns of -sdp-fuse-multiply-add.
void populateFuseMultiplyAddPatterns(RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "sdp/TransformsPasses.h.inc"

} // namespace sdp
} // namespace mlir

#endif // SDP_TRANSFORMS_PASSES_H
