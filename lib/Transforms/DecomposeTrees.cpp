//===- DecomposeTrees.cpp - the tree structures into the core -------------===//
//
// sdp.cky, sdp.pcfg and sdp.eisner are chart scans (ChartBuilder): one
// sdp.scan over span width whose step fills every span of the width from
// shorter ones. sdp.matrix_tree is an sdp.logdet.
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
//   Matrix-tree: log Z = log |det L| + n c, L the Laplacian of exp(arcs - c)
//            over the words with the root row (one root) or the root weights
//            on the diagonal (multi_root), the identity past n. Its best
//            tree is sdp.max_arborescence (Chu-Liu-Edmonds), scored by
//            gathering the tree's arcs.
//
// Spans past a sentence's length are computed but never read by its score.
// The best CKY and Eisner structures are the best score's subgradient
// (buildBestIndicator); the best non-projective tree is Chu-Liu-Edmonds.
//
//===----------------------------------------------------------------------===//

#include "ChartBuilder.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
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
Value flagArcNaN(StructureBuilder &cb, Attribute semiring, Value score,
                 Value arcs, Value lengths) {
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
  Value score = cb.wholeSentence(chart[0], lengths);
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
  Value whole = cb.wholeSentence(chart[0], lengths);
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

/// log Z of sdp.matrix_tree: sdp.logdet of the (root-modified) Laplacian.
Value buildMatrixTreeScore(OpBuilder &b, Location loc, MatrixTreeOp op) {
  MLIRContext *ctx = b.getContext();
  Value arcs = castToDynamicShape(b, loc, op.getArcs());
  Type elementType = getElementTypeOrSelf(arcs.getType());
  auto floatType = cast<FloatType>(elementType);
  Attribute real = RealSemiringAttr::get(ctx);
  Attribute max = MaxSemiringAttr::get(ctx);
  StructureBuilder sb(b, loc, op.getSemiring(), elementType);
  Value batch = sb.dim(arcs, 0);
  Value positions = sb.dim(arcs, 1);
  Value words = arith::SubIOp::create(b, loc, positions, sb.index(1));
  Value lengths = sb.clampLengths(op.getLengths(), sb.i32(1), sb.toI32(words));
  bool multiRoot = op.getMultiRoot();
  Type i32Type = b.getI32Type();
  auto constant = [&](OpBuilder &nb, Location l, double v) -> Value {
    return arith::ConstantOp::create(nb, l, elementType,
                                     nb.getFloatAttr(elementType, v));
  };
  auto minusInf = [&](OpBuilder &nb, Location l) -> Value {
    return arith::ConstantOp::create(
        nb, l, elementType,
        nb.getFloatAttr(elementType,
                        APFloat::getInf(floatType.getFloatSemantics(), true)));
  };
  auto select = [](OpBuilder &nb, Location l, Value c, Value x, Value y) {
    return arith::SelectOp::create(nb, l, c, x, y).getResult();
  };
  auto eq = [](OpBuilder &nb, Location l, Value x, Value y) {
    return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, x, y)
        .getResult();
  };

  // The arcs of the sentence's trees (h <= n, 1 <= m <= n, h != m); the
  // others -inf. c = their maximum (0 when there is none).
  Value masked = sb.elementwise(
      {arcs, lengths}, {"bhm", "b"}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value h = indexAsI32(nb, l, 1), m = indexAsI32(nb, l, 2);
        Value one = arith::ConstantIntOp::create(nb, l, i32Type, 1);
        Value inside = both(
            nb, l,
            both(nb, l, lessOrEqual(nb, l, one, m),
                 lessOrEqual(nb, l, m, args[1])),
            both(nb, l, lessOrEqual(nb, l, h, args[1]),
                 arith::CmpIOp::create(nb, l, arith::CmpIPredicate::ne, h, m)));
        return select(nb, l, inside, args[0], minusInf(nb, l));
      });
  // (Two single-index reductions: the adjoint of a selective contraction
  // follows one selected index. log Z does not depend on c; the two paths
  // of its gradient cancel.)
  Value largest =
      sb.contract("bh->b", {sb.contract("bhm->bh", {masked}, 2, max)}, 1, max);
  Value shift = sb.elementwise(
      {largest}, {"b"}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value none = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ,
                                           args[0], minusInf(nb, l));
        return select(nb, l, none, constant(nb, l, 0.0), args[0]);
      });
  Value weights = sb.elementwise(
      {masked, shift}, {"bhm", "b"}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return math::ExpOp::create(
            nb, l, arith::SubFOp::create(nb, l, args[0], args[1]));
      });
  // In-weights from words (h >= 1), per modifier.
  Value fromWords = sb.elementwise(
      {weights}, {"bhm"}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value h = linalg::IndexOp::create(nb, l, 1);
        Value zero = arith::ConstantIndexOp::create(nb, l, 0);
        return select(nb, l, eq(nb, l, h, zero), constant(nb, l, 0.0), args[0]);
      });
  Value inWeight = sb.contract("bhm->bm", {fromWords}, 2, real);

  // The matrix over words (index i for word i + 1), the identity past n.
  OpFoldResult n = words;
  Value wordArcs =
      sb.slice(weights, {sb.attr(0), sb.attr(1), sb.attr(1)}, {batch, n, n});
  Value rootArcs = sb.slice(weights, {sb.attr(0), sb.attr(0), sb.attr(1)},
                            {batch, sb.attr(1), n}, {1});
  Value diagonal = sb.slice(inWeight, {sb.attr(0), sb.attr(1)}, {batch, n});
  Value matrix = sb.elementwise(
      {wordArcs, rootArcs, diagonal, lengths}, {"bij", "bj", "bj", "b"},
      elementType, [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value i = indexAsI32(nb, l, 1), j = indexAsI32(nb, l, 2);
        Value same = eq(nb, l, i, j);
        Value onDiagonal = args[2];
        if (multiRoot)
          onDiagonal = arith::AddFOp::create(nb, l, onDiagonal, args[1]);
        Value laplacian = select(nb, l, same, onDiagonal,
                                 arith::NegFOp::create(nb, l, args[0]));
        if (!multiRoot) {
          Value zero = arith::ConstantIntOp::create(nb, l, i32Type, 0);
          laplacian = select(nb, l, eq(nb, l, i, zero), args[1], laplacian);
        }
        Value inside =
            both(nb, l, less(nb, l, i, args[3]), less(nb, l, j, args[3]));
        Value identity =
            select(nb, l, same, constant(nb, l, 1.0), constant(nb, l, 0.0));
        return select(nb, l, inside, laplacian, identity);
      });

  // log|det| by LU elimination with partial pivoting (-inf when singular:
  // no tree); its adjoint is the closed form d · L⁻ᵀ.
  Value logDet = LogDetOp::create(b, loc, sb.dynamicType(1), matrix);
  // Every tree has n arcs, each shifted by c.
  return sb.elementwise(
      {logDet, shift, lengths}, {"b", "b", "b"}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value count = arith::SIToFPOp::create(nb, l, elementType, args[2]);
        return arith::AddFOp::create(
            nb, l, args[0], arith::MulFOp::create(nb, l, count, args[1]));
      });
}

std::string helperName(Operation *op, StringRef suffix) {
  auto parent = op->getParentOfType<func::FuncOp>();
  return (parent.getSymName() + "_" + suffix).str();
}

/// Replaces a tree op by its score, built by `score` from the op's operands,
/// and, when it has a best-tree result `best`, by the index that the best
/// score's subgradient marks along the reduced letter of `spec` (helper
/// function named after `what`).
void replaceByScoreAndBestTree(
    Operation *op, PatternRewriter &rewriter, Attribute semiring,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> score,
    Value best, StringRef what, StringRef spec, unsigned rank) {
  Location loc = op->getLoc();
  Value input = op->getOperand(0);
  SmallVector<Value> results{castTo(rewriter, loc,
                                    score(rewriter, loc, op->getOperands()),
                                    op->getResult(0).getType())};
  if (best) {
    Value indicator = buildBestIndicator(
        rewriter, op, helperName(op, (what + "_best_score").str()),
        op->getOperands(), score);
    StructureBuilder sb(rewriter, loc, semiring,
                        getElementTypeOrSelf(input.getType()));
    results.push_back(castTo(rewriter, loc,
                             indicatorToIndex(sb, indicator, spec, rank),
                             best.getType()));
  }
  rewriter.replaceOp(op, results);
}

/// The best score and tree of sdp.matrix_tree under #sdp.max / #sdp.min:
/// sdp.max_arborescence finds the tree (of -arcs under #sdp.min) and the
/// score gathers its arcs, so the score's adjoint is the tree's indicator.
std::pair<Value, Value> buildBestNonProjectiveTree(OpBuilder &b, Location loc,
                                                   MatrixTreeOp op) {
  Value arcs = castToDynamicShape(b, loc, op.getArcs());
  Type elementType = getElementTypeOrSelf(arcs.getType());
  Attribute semiring = op.getSemiring();
  StructureBuilder sb(b, loc, semiring, elementType);
  Value words = arith::SubIOp::create(b, loc, sb.dim(arcs, 1), sb.index(1));
  Value lengths = sb.clampLengths(op.getLengths(), sb.i32(1), sb.toI32(words));
  Value ranked = arcs;
  if (isa<MinSemiringAttr>(semiring))
    ranked = sb.elementwise(
        {arcs}, {"bhm"}, elementType,
        [](OpBuilder &nb, Location l, ValueRange args) {
          return arith::NegFOp::create(nb, l, args[0]).getResult();
        });
  Value heads =
      MaxArborescenceOp::create(b, loc, sb.dynamicType(2, b.getI32Type()),
                                ranked, lengths, op.getMultiRootAttr());
  Value picked =
      GatherOp::create(b, loc, sb.dynamicType(2), "bhm,bm->bm", arcs, heads);
  // Each word adds its arc; a sentence without a tree (-1 heads) scores 0̄;
  // the root and the positions past n add nothing.
  Value terms = sb.elementwise(
      {picked, heads, lengths}, {"bm", "bm", "b"}, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value m = indexAsI32(nb, l, 1);
        Value zero = arith::ConstantIntOp::create(nb, l, nb.getI32Type(), 0);
        Value one = arith::ConstantIntOp::create(nb, l, nb.getI32Type(), 1);
        Value inside = both(nb, l, lessOrEqual(nb, l, one, m),
                            lessOrEqual(nb, l, m, args[2]));
        Value word = arith::SelectOp::create(nb, l, less(nb, l, args[1], zero),
                                             sb.zeroElement(nb, l), args[0]);
        Value nothing = arith::ConstantOp::create(
            nb, l, elementType, nb.getFloatAttr(elementType, 0.0));
        return arith::SelectOp::create(nb, l, inside, word, nothing);
      });
  Value score =
      sb.contract("bm->b", {terms}, 1, RealSemiringAttr::get(b.getContext()));
  return {flagArcNaN(sb, semiring, score, arcs, lengths), heads};
}

struct DecomposeCky : OpRewritePattern<CkyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(CkyOp op,
                                PatternRewriter &rewriter) const override {
    Attribute semiring = op.getSemiring();
    replaceByScoreAndBestTree(
        op, rewriter, semiring,
        [&](OpBuilder &b, Location l, ValueRange args) {
          return buildCkyScore(b, l, semiring, args[0], args[1]);
        },
        op.getLabels(), "cky", "bijl->bij", 3);
    return success();
  }
};

struct DecomposeEisner : OpRewritePattern<EisnerOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(EisnerOp op,
                                PatternRewriter &rewriter) const override {
    Attribute semiring = op.getSemiring();
    bool multiRoot = op.getMultiRoot();
    replaceByScoreAndBestTree(
        op, rewriter, semiring,
        [&](OpBuilder &b, Location l, ValueRange args) {
          return buildEisnerScore(b, l, semiring, args[0], args[1], multiRoot);
        },
        op.getHeads(), "eisner", "bhm->bm", 2);
    return success();
  }
};

struct DecomposeMatrixTree : OpRewritePattern<MatrixTreeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatrixTreeOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    if (!isSelective(op.getSemiring())) {
      Value score = buildMatrixTreeScore(rewriter, loc, op);
      rewriter.replaceOp(op,
                         castTo(rewriter, loc, score, op.getScore().getType()));
      return success();
    }
    auto [score, heads] = buildBestNonProjectiveTree(rewriter, loc, op);
    SmallVector<Value> results{
        castTo(rewriter, loc, score, op.getScore().getType())};
    if (Value best = op.getHeads())
      results.push_back(castTo(rewriter, loc, heads, best.getType()));
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
  patterns
      .add<DecomposeCky, DecomposeEisner, DecomposePcfg, DecomposeMatrixTree>(
          patterns.getContext());
}
