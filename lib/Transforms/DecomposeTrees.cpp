//===- DecomposeTrees.cpp - sdp.cky and sdp.eisner into the core ----------===//
//
// Both are chart scans (ChartBuilder): one sdp.scan over span width whose
// step fills every span of the width from shorter ones.
//
//   CKY:     x[s, s]     = S[s, s]              S = ⊕_l spans[.., l]
//            x[s, s + w] = S[s, s + w] ⊗ ⊕_k x[s, s + k] ⊗ x[s + k + 1, s + w]
//            score       = x[0, n - 1]
//
//   PCFG:    C[s, s, X]  = terms[s, X - NT] (X a preterminal), 0̄ otherwise
//            C[s, s + w, A] = ⊕_(k, X, Y) rules[A, X, Y] ⊗ C[s, s + k, X]
//                                        ⊗ C[s + k + 1, s + w, Y]
//            score       = ⊕_A roots[A] ⊗ C[0, n - 1, A]
//
//   Eisner:  C→[s, s] = C←[s, s] = 1̄       (complete spans, head left/right)
//            I←[s, t] = arcs[t, s] ⊗ Σ,  I→[s, t] = arcs[s, t] ⊗ Σ,
//                 Σ = ⊕_(s <= r < t) C→[s, r] ⊗ C←[r + 1, t]
//            C←[s, t] = ⊕_(s <= r < t) C←[s, r] ⊗ I←[r, t]
//            C→[s, t] = ⊕_(s < r <= t) I→[s, r] ⊗ C→[r, t]
//            score    = ⊕_m arcs[0, m] ⊗ C←[1, m] ⊗ C→[m, n]   (one root)
//                     = C→[0, n]                               (multi_root)
//
// Spans past a sentence's length are computed but never read by its score.
// The best structure is the best score's subgradient (buildBestIndicator).
//
//===----------------------------------------------------------------------===//

#include "ChartBuilder.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

bool isSelective(Attribute semiring) {
  return cast<SemiringAttrInterface>(semiring).isSelective();
}

/// Scalar shorthands of the NaN flags' `inside` predicates.
Value indexAsI32(OpBuilder &nb, Location l, unsigned dim) {
  return arith::IndexCastOp::create(nb, l, nb.getI32Type(),
                                    linalg::IndexOp::create(nb, l, dim));
}
Value less(OpBuilder &nb, Location l, Value a, Value b) {
  return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, a, b);
}
Value lessOrEqual(OpBuilder &nb, Location l, Value a, Value b) {
  return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, a, b);
}
Value both(OpBuilder &nb, Location l, Value a, Value b) {
  return arith::AndIOp::create(nb, l, a, b);
}

/// `score` with NaN where an arc of a sentence's trees (h, m <= n, m >= 1,
/// h != m) is NaN, under a selective semiring (whose ⊕ drops NaN).
Value flagArcNaN(ChartBuilder &cb, Attribute semiring, Value score, Value arcs,
                 Value lengths) {
  if (!isSelective(semiring))
    return score;
  return cb.flagNaN(
      score, {cb.nanFlags(arcs, "bhm->b", {lengths}, {"b"},
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            Value h = indexAsI32(nb, l, 1);
                            Value m = indexAsI32(nb, l, 2);
                            Value one = arith::ConstantIntOp::create(
                                nb, l, nb.getI32Type(), 1);
                            Value inside =
                                both(nb, l,
                                     both(nb, l, lessOrEqual(nb, l, one, m),
                                          lessOrEqual(nb, l, m, args[1])),
                                     lessOrEqual(nb, l, h, args[1]));
                            Value notSelf = arith::CmpIOp::create(
                                nb, l, arith::CmpIPredicate::ne, h, m);
                            return both(nb, l, inside, notSelf);
                          })});
}

/// log Z / best score of sdp.cky over `spansIn` [B, N, N, L].
Value buildCkyScore(OpBuilder &b, Location loc, Attribute semiring,
                    Value spansIn, Value lengthsIn) {
  Value spans = castToDynamicShape(b, loc, spansIn);
  Type elementType = getElementTypeOrSelf(spans.getType());
  Value batch = tensor::DimOp::create(b, loc, spans, 0);
  Value words = tensor::DimOp::create(b, loc, spans, 1);
  ChartBuilder cb(b, loc, semiring, elementType, batch, words);
  Value lengths = cb.clampLengths(lengthsIn, cb.i32(1), cb.toI32(words));

  Value spanScores = cb.contract("bijl->bij", {spans}, 3);
  Value byWidth = cb.diagonals(spanScores);
  Value single = cb.slice(byWidth, {cb.attr(0), cb.attr(0), cb.attr(0)},
                          {batch, cb.attr(1), words}, {1});
  Chart init = cb.setWidth(cb.emptyChart(), cb.index(0), single);
  SmallVector<Chart> chart = cb.fillByWidth(
      {init}, {byWidth},
      [&](Value w, ArrayRef<Chart> charts, ArrayRef<Value> rows) {
        Value spansOfWidth = arith::SubIOp::create(b, loc, words, w);
        Value splits = cb.splitSum(charts[0], charts[0], w, cb.index(0), w,
                                   /*delta=*/1);
        Value own =
            cb.slice(rows[0], {cb.attr(0), cb.attr(0)}, {batch, spansOfWidth});
        return SmallVector<Chart>{cb.setWidth(
            charts[0], w, cb.contract("bs,bs->bs", {splits, own}, 2))};
      });
  Value fromFirst = cb.spansFrom(chart[0], cb.index(0));
  Value lastWidth = cb.elementwise(
      {lengths}, {"b"}, b.getI32Type(),
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return arith::SubIOp::create(
            nb, l, args[0],
            arith::ConstantIntOp::create(nb, l, nb.getI32Type(), 1));
      });
  Value score = cb.pickPerBatch(fromFirst, lastWidth);
  if (!isSelective(semiring))
    return score;
  // A NaN span inside the sentence would be dropped by a selective ⊕.
  return cb.flagNaN(
      score, {cb.nanFlags(spans, "bijl->b", {lengths}, {"b"},
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            Value i = indexAsI32(nb, l, 1);
                            Value j = indexAsI32(nb, l, 2);
                            return both(nb, l, lessOrEqual(nb, l, i, j),
                                        less(nb, l, j, args[1]));
                          })});
}

/// log Z / best score of sdp.eisner over `arcsIn` [B, N + 1, N + 1].
Value buildEisnerScore(OpBuilder &b, Location loc, Attribute semiring,
                       Value arcsIn, Value lengthsIn, bool multiRoot) {
  Value arcs = castToDynamicShape(b, loc, arcsIn);
  Type elementType = getElementTypeOrSelf(arcs.getType());
  Value batch = tensor::DimOp::create(b, loc, arcs, 0);
  Value positions = tensor::DimOp::create(b, loc, arcs, 1);
  ChartBuilder cb(b, loc, semiring, elementType, batch, positions);
  Value words = arith::SubIOp::create(b, loc, positions, cb.index(1));
  Value lengths = cb.clampLengths(lengthsIn, cb.i32(1), cb.toI32(words));

  Value headFirst = cb.diagonals(arcs);                     // arcs[s, s + w]
  Value headLast = cb.diagonals(arcs, /*transposed=*/true); // arcs[s + w, s]
  Value ones = cb.fill(cb.oneElement(b, loc), {batch, positions});
  Chart completeRight = cb.setWidth(cb.emptyChart(), cb.index(0), ones);
  Chart completeLeft = cb.setWidth(cb.emptyChart(), cb.index(0), ones);
  Chart incompleteLeft = cb.emptyChart(/*withStart=*/false);
  Chart incompleteRight = cb.emptyChart(/*withStart=*/true, /*withEnd=*/false);

  SmallVector<Chart> charts = cb.fillByWidth(
      {completeRight, completeLeft, incompleteLeft, incompleteRight},
      {headFirst, headLast},
      [&](Value w, ArrayRef<Chart> in, ArrayRef<Value> rows) {
        Chart cr = in[0], cl = in[1], il = in[2], ir = in[3];
        Value spansOfWidth = arith::SubIOp::create(b, loc, positions, w);
        auto arcRow = [&](Value row) {
          return cb.slice(row, {cb.attr(0), cb.attr(0)}, {batch, spansOfWidth});
        };
        Value zero = cb.index(0);
        Value inner = cb.splitSum(cr, cl, w, zero, w, /*delta=*/1);
        il = cb.setWidth(il, w,
                         cb.contract("bs,bs->bs", {inner, arcRow(rows[1])}, 2));
        ir = cb.setWidth(ir, w,
                         cb.contract("bs,bs->bs", {inner, arcRow(rows[0])}, 2));
        cl = cb.setWidth(cl, w, cb.splitSum(cl, il, w, zero, w, /*delta=*/0));
        Value wPlusOne = arith::AddIOp::create(b, loc, w, cb.index(1));
        cr = cb.setWidth(
            cr, w, cb.splitSum(ir, cr, w, cb.index(1), wPlusOne, /*delta=*/0));
        return SmallVector<Chart>{cr, cl, il, ir};
      });
  Chart cr = charts[0], cl = charts[1];

  if (multiRoot) {
    Value fromRoot = cb.spansFrom(cr, cb.index(0));
    return flagArcNaN(cb, semiring, cb.pickPerBatch(fromRoot, lengths), arcs,
                      lengths);
  }
  // The root's child m = j + 1 (j < N): arcs[0, m] ⊗ C←[1, m] ⊗ C→[m, n].
  OpFoldResult wordsOfr = words;
  Value rootArcs = cb.slice(arcs, {cb.attr(0), cb.attr(0), cb.attr(1)},
                            {batch, cb.attr(1), wordsOfr}, {1});
  Value leftOfChild = cb.slice(cb.spansFrom(cl, cb.index(1)),
                               {cb.attr(0), cb.attr(0)}, {batch, wordsOfr});
  // The spans of C→ that end at n, then the one of width n - m: row
  // P - 1 - (n - m) = P - n + j.
  Value endRow =
      GatherOp::create(b, loc, cb.dynamicType(2), b.getStringAttr("brt,b->br"),
                       cr.byEnd, lengths);
  Type i32Type = b.getI32Type();
  Value positions32 = cb.toI32(positions);
  Value columns = cb.elementwise(
      {rootArcs, lengths}, {"bj", "b"}, i32Type,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value j = arith::IndexCastOp::create(nb, l, i32Type,
                                             linalg::IndexOp::create(nb, l, 1));
        return arith::AddIOp::create(
            nb, l, arith::SubIOp::create(nb, l, positions32, args[1]), j);
      });
  Value rightOfChild = GatherOp::create(
      b, loc, cb.dynamicType(2), b.getStringAttr("bw,bj->bj"), endRow, columns);
  Value childArcs = cb.elementwise(
      {rootArcs, lengths}, {"bj", "b"}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value m = arith::IndexCastOp::create(nb, l, i32Type,
                                             linalg::IndexOp::create(nb, l, 1));
        Value inside =
            arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, m, args[1]);
        return arith::SelectOp::create(nb, l, inside, args[0],
                                       cb.zeroElement(nb, l));
      });
  Value score =
      cb.contract("bj,bj,bj->b", {childArcs, leftOfChild, rightOfChild}, 1);
  return flagArcNaN(cb, semiring, score, arcs, lengths);
}

/// The inside score of sdp.pcfg: the CKY chart with a symbol dimension.
Value buildPcfgScore(OpBuilder &b, Location loc, PcfgOp op) {
  Value terms = castToDynamicShape(b, loc, op.getTerms());
  Value rules = castToDynamicShape(b, loc, op.getRules());
  Value roots = castToDynamicShape(b, loc, op.getRoots());
  Type elementType = getElementTypeOrSelf(terms.getType());
  Value batch = tensor::DimOp::create(b, loc, terms, 0);
  Value words = tensor::DimOp::create(b, loc, terms, 1);
  Value nonterminals = tensor::DimOp::create(b, loc, rules, 0);
  Value symbols = tensor::DimOp::create(b, loc, rules, 1);
  ChartBuilder cb(b, loc, op.getSemiring(), elementType, batch, words, symbols);
  Value lengths = cb.clampLengths(op.getLengths(), cb.i32(1), cb.toI32(words));
  Type i32Type = b.getI32Type();
  Value nonterminals32 = cb.toI32(nonterminals);

  // Single words: preterminal p is symbol NT + p; nonterminals are 0̄.
  Value symbolGrid = cb.fill(cb.i32(0), {symbols});
  Value preterminalOf =
      cb.elementwise({symbolGrid}, {"x"}, i32Type,
                     [&](OpBuilder &nb, Location l, ValueRange) -> Value {
                       Value x = arith::IndexCastOp::create(
                           nb, l, i32Type, linalg::IndexOp::create(nb, l, 0));
                       return arith::SubIOp::create(nb, l, x, nonterminals32);
                     });
  Value gathered =
      GatherOp::create(b, loc, cb.dynamicType(3), b.getStringAttr("bip,x->bix"),
                       terms, preterminalOf);
  Value words0 = cb.elementwise(
      {gathered}, {"bix"}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value x = arith::IndexCastOp::create(nb, l, i32Type,
                                             linalg::IndexOp::create(nb, l, 2));
        Value isNonterminal = arith::CmpIOp::create(
            nb, l, arith::CmpIPredicate::slt, x, nonterminals32);
        return arith::SelectOp::create(nb, l, isNonterminal,
                                       cb.zeroElement(nb, l), args[0]);
      });
  Chart init = cb.setWidth(cb.emptyChart(), cb.index(0), words0);
  // The scan runs over widths 1..N-1; terms give it its length.
  SmallVector<Chart> chart = cb.fillByWidth(
      {init}, {terms}, [&](Value w, ArrayRef<Chart> charts, ArrayRef<Value>) {
        Value spansOfWidth = arith::SubIOp::create(b, loc, words, w);
        Value pairs = cb.splitSum(charts[0], charts[0], w, cb.index(0), w,
                                  /*delta=*/1, "bksx,bksy->bsxy", 4);
        Value heads = cb.contract("bsxy,axy->bsa", {pairs, rules}, 3);
        Value row =
            cb.fill(cb.zeroElement(b, loc), {batch, spansOfWidth, symbols});
        row = cb.insert(heads, row, {cb.attr(0), cb.attr(0), cb.attr(0)},
                        {batch, spansOfWidth, nonterminals});
        return SmallVector<Chart>{cb.setWidth(charts[0], w, row)};
      });
  // ⊕_A roots[A] ⊗ C[0, n - 1, A].
  Value fromFirst = cb.spansFrom(chart[0], cb.index(0));
  Value lastWidth = cb.elementwise(
      {lengths}, {"b"}, i32Type,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return arith::SubIOp::create(
            nb, l, args[0], arith::ConstantIntOp::create(nb, l, i32Type, 1));
      });
  Value whole =
      GatherOp::create(b, loc, cb.dynamicType(2), b.getStringAttr("bwx,b->bx"),
                       fromFirst, lastWidth);
  Value rooted =
      cb.slice(whole, {cb.attr(0), cb.attr(0)}, {batch, nonterminals});
  Value score = cb.contract("ba,a->b", {rooted, roots}, 1);
  if (!isSelective(op.getSemiring()))
    return score;
  return cb.flagNaN(
      score, {cb.nanFlags(terms, "bip->b", {lengths}, {"b"},
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            return less(nb, l, indexAsI32(nb, l, 1), args[1]);
                          }),
              cb.nanFlags(rules, "axy->"), cb.nanFlags(roots, "a->")});
}

std::string helperName(Operation *op, StringRef suffix) {
  auto parent = op->getParentOfType<func::FuncOp>();
  return (parent.getSymName() + "_" + suffix).str();
}

struct DecomposeCky : OpRewritePattern<CkyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CkyOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Attribute semiring = op.getSemiring();
    auto score = [&](OpBuilder &b, Location l, ValueRange args) {
      return buildCkyScore(b, l, semiring, args[0], args[1]);
    };
    SmallVector<Value> results{castTo(rewriter, loc,
                                      score(rewriter, loc, op->getOperands()),
                                      op.getScore().getType())};
    if (op.getLabels()) {
      Value batch = tensor::DimOp::create(rewriter, loc, op.getSpans(), 0);
      Value indicator =
          buildBestIndicator(rewriter, op, helperName(op, "cky_best_score"),
                             op->getOperands(), batch, score);
      StructureBuilder sb(rewriter, loc, semiring,
                          getElementTypeOrSelf(op.getSpans().getType()));
      results.push_back(castTo(rewriter, loc,
                               indicatorToIndex(sb, indicator, "bijl->bij", 3),
                               op.getLabels().getType()));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct DecomposeEisner : OpRewritePattern<EisnerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(EisnerOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Attribute semiring = op.getSemiring();
    bool multiRoot = op.getMultiRoot();
    auto score = [&](OpBuilder &b, Location l, ValueRange args) {
      return buildEisnerScore(b, l, semiring, args[0], args[1], multiRoot);
    };
    SmallVector<Value> results{castTo(rewriter, loc,
                                      score(rewriter, loc, op->getOperands()),
                                      op.getScore().getType())};
    if (op.getHeads()) {
      Value batch = tensor::DimOp::create(rewriter, loc, op.getArcs(), 0);
      Value indicator =
          buildBestIndicator(rewriter, op, helperName(op, "eisner_best_score"),
                             op->getOperands(), batch, score);
      StructureBuilder sb(rewriter, loc, semiring,
                          getElementTypeOrSelf(op.getArcs().getType()));
      results.push_back(castTo(rewriter, loc,
                               indicatorToIndex(sb, indicator, "bhm->bm", 2),
                               op.getHeads().getType()));
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct DecomposePcfg : OpRewritePattern<PcfgOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PcfgOp op,
                                PatternRewriter &rewriter) const override {
    Value score = buildPcfgScore(rewriter, op.getLoc(), op);
    rewriter.replaceOp(
        op, castTo(rewriter, op.getLoc(), score, op.getScore().getType()));
    return success();
  }
};

} // namespace

void mlir::sdp::populateDecomposeTreesPatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeCky, DecomposeEisner, DecomposePcfg>(
      patterns.getContext());
}
