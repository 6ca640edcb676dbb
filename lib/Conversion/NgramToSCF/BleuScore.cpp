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
    Value scores = e.alloc(
        resultType, resultType.isDynamicDim(0) ? ValueRange{B} : ValueRange{});
    BleuFormula formula(op);

    if (!op.getCorpus()) {
      e.loop(B, [&](Value b) {
        e.store(formula.sentenceScore(e, stats, b), scores, {b});
      });
    } else {
      // Sum the statistics over the corpus, then score once.
      SmallVector<Value> sums =
          e.forLoop(e.index(0), B, e.index(1),
                    SmallVector<Value>(formula.numCorpusTerms(), e.i64(0)),
                    [&](Value b, ValueRange acc) {
                      SmallVector<Value> next =
                          formula.corpusTerms(e, stats, b);
                      for (auto [sum, term] : llvm::zip(acc, next))
                        term = e.add(sum, term);
                      return next;
                    });
      Value empty = e.cmpi(arith::CmpIPredicate::eq, B, e.index(0));
      auto ifEmpty = scf::IfOp::create(rewriter, loc,
                                       TypeRange{rewriter.getF64Type()}, empty,
                                       /*withElseRegion=*/true);
      {
        OpBuilder::InsertionGuard g(rewriter);
        rewriter.setInsertionPointToStart(ifEmpty.thenBlock());
        scf::YieldOp::create(rewriter, loc, e.f64(0));
        rewriter.setInsertionPointToStart(ifEmpty.elseBlock());
        scf::YieldOp::create(rewriter, loc,
                             formula.corpusScore(e, stats, sums, B));
      }
      e.store(ifEmpty.getResult(0), scores, {e.index(0)});
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
