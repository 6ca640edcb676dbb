//===- BleuScore.cpp - sdp.bleu_score as float64 scalar code --------------===//
//
// A loop over the sentences (or a sum over them, then one score) around the
// formula of Utils/BleuFormula.h, which the GPU kernels share.
//
//===----------------------------------------------------------------------===//

#include "../Utils/BleuFormula.h"
#include "Emitter.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/NgramOps.h"

using namespace mlir;
using namespace mlir::sdp;
using mlir::sdp::ngram::Emitter;

namespace {

struct LowerBleuScore : OpRewritePattern<BleuScoreOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BleuScoreOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    BleuStatistics stats{
        e.rowsBuffer(op.getMatches()), e.rowsBuffer(op.getTotals()),
        e.rowsBuffer(op.getHypLengths()), e.rowsBuffer(op.getRefLengths())};
    Value B = e.dim(stats.hypLengths, 0);
    auto resultType = cast<RankedTensorType>(op.getScores().getType());
    BleuFormula formula(op);
    // One score per sentence, or one for the corpus (also when B is 0).
    Value numScores = formula.isCorpus() ? e.index(1) : B;
    Value scores =
        e.alloc(resultType, resultType.isDynamicDim(0) ? ValueRange{numScores}
                                                       : ValueRange{});

    if (!op.getCorpus()) {
      e.loop(B, [&](Value b) {
        e.store(formula.sentenceScore(e, stats, b), scores, {b});
      });
    } else {
      // Sum the statistics over the corpus, then score once.
      Value sums = memref::AllocOp::create(
          rewriter, loc,
          MemRefType::get({formula.numCorpusTerms()}, rewriter.getI64Type()));
      e.loop(e.index(formula.numCorpusTerms()),
             [&](Value t) { e.store(e.i64(0), sums, {t}); });
      formula.sumCorpusTerms(
          e, stats, e.index(0), e.index(1), [&](Value t, Value sum) {
            e.store(e.add(e.load(sums, {t}), sum), sums, {t});
          });
      e.store(formula.corpusScore(e, stats, sums, B), scores, {e.index(0)});
    }
    rewriter.replaceOp(op, e.tensorOf(scores, resultType));
    return success();
  }
};

} // namespace

void mlir::sdp::ngram::populateBleuScoreLoweringPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LowerBleuScore>(patterns.getContext());
}
