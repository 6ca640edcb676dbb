//===- DecomposeSemiMarkov.cpp - sdp.semi_markov into the core ------------===//
//
// A scan over start positions s whose carried window W[b, j, c] (j < K)
// accumulates the segmentations ending at s + 1 + j with last label c:
//
//   W after s = 0:  W[j] = start ⊗ segments[:, 0, j]
//   step s >= 1:    alpha_s = W[0]                  (now complete)
//                   m = ⊕_k alpha_s[k] ⊗ transitions[k, c]
//                   W'[j] = W[j + 1] ⊕ (m ⊗ segments[:, s, j])   (W[K] = 0̄)
//   score         = ⊕_c alpha_n[c] ⊗ end[c]   (alpha_n picked when s = n)
//
// Under a selective semiring the window also carries, per entry, where the
// best last segment starts and its predecessor label; entry 0 is recorded
// per end position (destination style), and a reverse scan walks the best
// segmentation back from position n.
//
//===----------------------------------------------------------------------===//

#include "CoreBuilders.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/SdpOps.h"
#include "sdp/Transforms/Passes.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

class SemiMarkovBuilder : public StructureBuilder {
public:
  SemiMarkovBuilder(PatternRewriter &rewriter, SemiMarkovOp op)
      : StructureBuilder(rewriter, op.getLoc(), op.getSemiring(),
                         getElementTypeOrSelf(op.getSegments().getType())),
        op(op) {
    segments = castToDynamicShape(b, loc, op.getSegments());
    transitions = castToDynamicShape(b, loc, op.getTransitions());
    start = castToDynamicShape(b, loc, op.getStart());
    end = castToDynamicShape(b, loc, op.getEnd());
    batch = dim(segments, 0);
    steps = dim(segments, 1);
    width = dim(segments, 2);
    labels = dim(segments, 3);
    lengths = clampLengths(op.getLengths(), i32(1), toI32(steps));
  }

  SmallVector<Value> build() {
    bool withPath = !op.getSegmentation().empty();
    Value first = slice(segments, {attr(0), attr(0), attr(0), attr(0)},
                        {batch, attr(1), width, labels}, {1});
    Value window = contract("c,bkc->bkc", {start, first}, 3);
    Value final = fill(zeroElement(b, loc), {batch, labels});
    Value rest = slice(
        segments, {attr(0), attr(1), attr(0), attr(0)},
        {batch, arith::SubIOp::create(b, loc, steps, index(1)).getResult(),
         width, labels});

    SmallVector<Value> inits{window, final};
    if (withPath) {
      // Every segment in the first window starts at 0 and has no
      // predecessor; no end position has a best segment yet.
      inits.push_back(fill(i32(0), {batch, width, labels}));
      inits.push_back(fill(i32(-1), {batch, width, labels}));
      Value steps1 = arith::AddIOp::create(b, loc, steps, index(1));
      inits.push_back(fill(i32(-1), {batch, steps1, labels}));
      inits.push_back(fill(i32(-1), {batch, steps1, labels}));
    }
    auto scanOp = cast<ScanOp>(scan(inits, {rest}, /*along=*/1));
    {
      OpBuilder::InsertionGuard guard(b);
      Block &body = scanOp.getBody().front();
      b.setInsertionPointToStart(&body);
      Value position =
          arith::AddIOp::create(b, loc, body.getArgument(0), index(1));
      SmallVector<Value> carried(body.getArguments().slice(1, inits.size()));
      Value segment = body.getArguments().back();
      yield(step(position, carried, segment));
    }
    // Entry 0 of the last window is complete at position T.
    SmallVector<Value> carried(scanOp.getResults());
    Value finalScores = pickAt(steps, carried[0], carried[1]);
    if (!withPath) {
      Value score = contract("bc,c->b", {finalScores, end}, 1);
      return {cast<SemiringAttrInterface>(semiring).isSelective()
                  ? flagNaN(score, readNaN())
                  : score};
    }

    Value bpStart = record(carried[2], carried[4], steps);
    Value bpPrev = record(carried[3], carried[5], steps);
    SmallVector<Value> best =
        contractWithWitness("bc,c->b", {finalScores, end}, 1);
    auto [labelsOut, lengthsOut] = backtrack(best[1], bpStart, bpPrev);
    return {flagNaN(best[0], readNaN()),
            castTo(b, loc, labelsOut, op.getSegmentation()[0].getType()),
            castTo(b, loc, lengthsOut, op.getSegmentation()[1].getType())};
  }

private:
  /// Whether each sequence reads a NaN: a segment that ends inside its
  /// length, or a transition, start or end score (the latter shared).
  SmallVector<Value> readNaN() {
    SmallVector<Value> flags{nanFlags(
        segments, "bskc->b", {lengths}, {"b"},
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          // s + k + 1 <= n
          Value s = linalg::IndexOp::create(nb, l, 1);
          Value k = linalg::IndexOp::create(nb, l, 2);
          Value endPos =
              arith::AddIOp::create(nb, l, arith::AddIOp::create(nb, l, s, k),
                                    arith::ConstantIndexOp::create(nb, l, 1));
          Value end32 =
              arith::IndexCastOp::create(nb, l, nb.getI32Type(), endPos);
          return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sle, end32,
                                       args[1]);
        })};
    flags.push_back(nanFlags(transitions, "kc->"));
    flags.push_back(nanFlags(start, "c->"));
    flags.push_back(nanFlags(end, "c->"));
    return flags;
  }

  /// One scan step at start position `position` (>= 1).
  SmallVector<Value> step(Value position, ArrayRef<Value> carried,
                          Value segment) {
    Value window = carried[0], final = carried[1];
    Value alpha = entryZero(window);
    final = pickAt(position, alpha, final);

    bool withPath = carried.size() > 2;
    SmallVector<Value> pushed =
        withPath ? contractWithWitness("bk,kc->bc", {alpha, transitions}, 2)
                 : SmallVector<Value>{
                       contract("bk,kc->bc", {alpha, transitions}, 2)};
    Value extended = contract("bc,bkc->bkc", {pushed[0], segment}, 3);
    Value shifted = shiftWindow(window, zeroElement(b, loc));
    // Earlier starts first, so that ties keep them.
    Value pair = stack({shifted, extended}, {batch, width, labels});
    if (!withPath) {
      Value next = contract("pbkc->bkc", {pair}, 3);
      return {next, final};
    }
    SmallVector<Value> next = contractWithWitness("pbkc->bkc", {pair}, 3);
    Value position32 = toI32(position);
    Value starts = elementwise(
        {next[1], shiftWindow(carried[2], i32(-1))}, {"bkc", "bkc"},
        b.getI32Type(), [&](OpBuilder &nb, Location l, ValueRange args) {
          return selectIfNew(nb, l, args[0], position32, args[1]);
        });
    Value previous =
        elementwise({next[1], pushed[1], shiftWindow(carried[3], i32(-1))},
                    {"bkc", "bc", "bkc"}, b.getI32Type(),
                    [&](OpBuilder &nb, Location l, ValueRange args) {
                      return selectIfNew(nb, l, args[0], args[1], args[2]);
                    });
    return {next[0],
            final,
            starts,
            previous,
            record(carried[2], carried[4], position),
            record(carried[3], carried[5], position)};
  }

  Value selectIfNew(OpBuilder &nb, Location l, Value witness, Value ifNew,
                    Value otherwise) {
    Value one = arith::ConstantIntOp::create(nb, l, nb.getI32Type(), 1);
    Value isNew =
        arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, witness, one);
    return arith::SelectOp::create(nb, l, isNew, ifNew, otherwise);
  }

  /// W[:, 0] as [B, C].
  Value entryZero(Value window) {
    return slice(window, {attr(0), attr(0), attr(0)}, {batch, attr(1), labels},
                 {1});
  }

  /// W[:, 1:] followed by `pad`.
  Value shiftWindow(Value window, Value pad) {
    Value widthLess = arith::SubIOp::create(b, loc, width, index(1));
    Value tail =
        slice(window, {attr(0), attr(1), attr(0)}, {batch, widthLess, labels});
    // The moved part into a fresh tensor, then the one new entry (a fill
    // of the whole window first would cost a pass per step).
    Value empty =
        castTo(b, loc,
               tensor::EmptyOp::create(
                   b, loc, ArrayRef<OpFoldResult>{batch, width, labels},
                   pad.getType()),
               dynamicType(3, pad.getType()));
    Value moved = insert(tail, empty, {attr(0), attr(0), attr(0)},
                         {batch, widthLess, labels});
    return insert(fillTile(pad, {batch, attr(1), labels}), moved,
                  {attr(0), widthLess, attr(0)}, {batch, attr(1), labels});
  }

  /// `alpha` where position == lengths[b], else `final`.
  Value pickAt(Value position, Value window, Value final) {
    Value alpha = window;
    if (cast<RankedTensorType>(window.getType()).getRank() == 3)
      alpha = entryZero(window);
    Value position32 = toI32(position);
    return elementwise(
        {alpha, final, lengths}, {"bc", "bc", "b"}, elementType,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value here = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq,
                                             args[2], position32);
          return arith::SelectOp::create(nb, l, here, args[0], args[1]);
        });
  }

  /// `table` with entry 0 of the i32 `window` written at end position
  /// `position`.
  Value record(Value window, Value table, Value position) {
    Value column = slice(window, {attr(0), attr(0), attr(0)},
                         {batch, attr(1), labels}, {1});
    return insert(column, table, {attr(0), position, attr(0)},
                  {batch, attr(1), labels});
  }

  /// `table[b, row[b], column[b]]` for i32 [B] rows and columns.
  Value lookup(OpBuilder &nb, Location l, Value table, Value row,
               Value column) {
    Value zero = arith::ConstantIntOp::create(nb, l, nb.getI32Type(), 0);
    Value safeColumn = arith::MaxSIOp::create(nb, l, column, zero);
    auto asIndex = [&](Value v) {
      return arith::IndexCastOp::create(nb, l, nb.getIndexType(), v);
    };
    return tensor::ExtractOp::create(
        nb, l, table,
        ValueRange{linalg::IndexOp::create(nb, l, 0), asIndex(row),
                   asIndex(safeColumn)});
  }

  /// Walks the best segmentation back from each sequence's end: the label
  /// and (at each segment's start) the length of the covering segment.
  std::pair<Value, Value> backtrack(Value lastLabel, Value bpStart,
                                    Value bpPrev) {
    Type i32Type = b.getI32Type();
    Value segStart =
        elementwise({lastLabel, lengths}, {"b", "b"}, i32Type,
                    [&](OpBuilder &nb, Location l, ValueRange args) {
                      return lookup(nb, l, bpStart, args[1], args[0]);
                    });
    Value labelsOut = fill(i32(-1), {batch, steps});
    Value lengthsOut = fill(i32(-1), {batch, steps});
    // Any [B, T, ...] sequence gives the scan its T steps.
    Value positions =
        slice(bpStart, {attr(0), attr(1), attr(0)}, {batch, steps, labels});
    auto scanOp =
        cast<ScanOp>(scan({lastLabel, segStart, lengths, labelsOut, lengthsOut},
                          {positions}, /*along=*/1, /*reverse=*/true));
    OpBuilder::InsertionGuard guard(b);
    Block &body = scanOp.getBody().front();
    b.setInsertionPointToStart(&body);
    Value q = body.getArgument(0);
    Value label = body.getArgument(1), segStartNow = body.getArgument(2);
    Value segEnd = body.getArgument(3);
    Value q32 = toI32(q);
    auto inside = [&](OpBuilder &nb, Location l, Value n) -> Value {
      return arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, q32, n);
    };
    auto startsHere = [&](OpBuilder &nb, Location l, Value n,
                          Value from) -> Value {
      Value atStart =
          arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq, q32, from);
      return arith::AndIOp::create(nb, l, inside(nb, l, n), atStart);
    };
    Value minusOne = i32(-1), zero32 = i32(0);
    Value labelColumn =
        elementwise({label, lengths}, {"b", "b"}, i32Type,
                    [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                      return arith::SelectOp::create(
                          nb, l, inside(nb, l, args[1]), args[0], minusOne);
                    });
    Value lengthColumn = elementwise(
        {segStartNow, segEnd, lengths}, {"b", "b", "b"}, i32Type,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value size = arith::SubIOp::create(nb, l, args[1], args[0]);
          Value here = arith::SelectOp::create(
              nb, l, startsHere(nb, l, args[2], args[0]), size, zero32);
          return arith::SelectOp::create(nb, l, inside(nb, l, args[2]), here,
                                         minusOne);
        });
    Value nextLabel = elementwise(
        {label, segStartNow, segEnd, lengths}, {"b", "b", "b", "b"}, i32Type,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          Value previous = lookup(nb, l, bpPrev, args[2], args[0]);
          return arith::SelectOp::create(
              nb, l, startsHere(nb, l, args[3], args[1]), previous, args[0]);
        });
    Value nextStart = elementwise(
        {nextLabel, segStartNow, lengths}, {"b", "b", "b"}, i32Type,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          // Position 0 starts the first segment: nothing precedes it.
          Value earlier = lookup(nb, l, bpStart, q32, args[0]);
          Value atZero = arith::CmpIOp::create(nb, l, arith::CmpIPredicate::eq,
                                               q32, zero32);
          earlier = arith::SelectOp::create(nb, l, atZero, zero32, earlier);
          return arith::SelectOp::create(
              nb, l, startsHere(nb, l, args[2], args[1]), earlier, args[1]);
        });
    Value nextEnd = elementwise(
        {segStartNow, segEnd, lengths}, {"b", "b", "b"}, i32Type,
        [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
          return arith::SelectOp::create(
              nb, l, startsHere(nb, l, args[2], args[0]), q32, args[1]);
        });
    auto column = [&](Value col, Value matrix) {
      return insert(col, matrix, {attr(0), q}, {batch, attr(1)});
    };
    yield({nextLabel, nextStart, nextEnd,
           column(labelColumn, body.getArgument(4)),
           column(lengthColumn, body.getArgument(5))});
    return {scanOp.getResult(3), scanOp.getResult(4)};
  }

  void yield(ValueRange values) { YieldOp::create(b, loc, values); }

  SemiMarkovOp op;
  Value segments, transitions, start, end, lengths;
  Value batch, steps, width, labels;
};

struct DecomposeSemiMarkov : OpRewritePattern<SemiMarkovOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SemiMarkovOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<Value> results = SemiMarkovBuilder(rewriter, op).build();
    results[0] =
        castTo(rewriter, op.getLoc(), results[0], op.getScore().getType());
    rewriter.replaceOp(op, results);
    return success();
  }
};

} // namespace

void mlir::sdp::populateDecomposeSemiMarkovPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeSemiMarkov>(patterns.getContext());
}
