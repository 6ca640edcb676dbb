//===- ChartBuilder.h - span charts of the tree structures ------*- C++ -*-===//
//
// Private to lib/Transforms: the one construct that the chart structures
// (CKY, PCFG, Eisner) share. A chart holds a value per span s..t (s <= t < P)
// and is filled by a scan over span width; each step combines, for every span
// of the width at once, its split points.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_TRANSFORMS_CHARTBUILDER_H
#define SDP_LIB_TRANSFORMS_CHARTBUILDER_H

#include "CoreBuilders.h"

namespace mlir::sdp {

/// A chart x[s, t] over P positions in two [B, P, P] layouts, so that every
/// split-point sum of one width is a contraction of two slices whose
/// innermost dimension runs over the spans of that width (long, contiguous
/// rows that vectorise):
///   byStart[b, w, s]       = x[s, s + w]
///   byEnd[b, P - 1 - w, t] = x[t - w, t]   (widths reversed)
/// Either layout may be absent when no combination reads it.
struct Chart {
  Value byStart, byEnd;
};

class ChartBuilder : public StructureBuilder {
public:
  /// Charts over `positions` (an index) for a batch of `batch`; with
  /// `symbols`, every span holds a vector of that many values (a trailing
  /// dimension of every layout and of every width's values).
  ChartBuilder(OpBuilder &b, Location loc, Attribute semiring, Type elementType,
               Value batch, Value positions, Value symbols = {});

  /// A chart of 0̄ in the layouts asked for.
  Chart emptyChart(bool withStart = true, bool withEnd = true);

  /// `chart` with the spans of width `w` set to `values[b, s(, x)]`
  /// (s < P - w; extra columns are ignored).
  Chart setWidth(Chart chart, Value w, Value values);

  /// For each span s..s+w (s < P - w), as [B, P - w]:
  ///   ⊕_(k = lo)^(hi - 1)  left(s, s + k) ⊗ right(s + k + delta, s + w)
  /// reading `left` by start and `right` by end. CKY's binary split is
  /// (left = right = x, lo = 0, hi = w, delta = 1). With symbols, `spec`
  /// says how they combine (default: "bks,bks->bs", no symbols).
  Value splitSum(const Chart &left, const Chart &right, Value w, Value lo,
                 Value hi, int64_t delta, StringRef spec = "bks,bks->bs",
                 unsigned rank = 2);

  /// The diagonals of a [B, P, P] tensor: D[b, w, s] = x[b, s, s + w]
  /// (`transposed`: x[b, s + w, s]); entries past the edge are clamped
  /// reads that no span uses.
  Value diagonals(Value x, bool transposed = false);

  /// Runs `step(w, charts, slices)` for w = 1 .. P - 1 over `charts`, with
  /// `slices` the width-w rows of each `[B, P, P]` diagonals tensor in
  /// `perWidth` (their first P - w entries belong to real spans); returns
  /// the final charts.
  SmallVector<Chart>
  fillByWidth(ArrayRef<Chart> charts, ArrayRef<Value> perWidth,
              llvm::function_ref<SmallVector<Chart>(Value, ArrayRef<Chart>,
                                                    ArrayRef<Value>)>
                  step);

  /// `x[b, idx[b]]` for [B, P] `x` and i32 [B] `idx`.
  Value pickPerBatch(Value x, Value idx);

  /// [B, P(, S)]: x[s, s + w] of every width w (entries past the edge are
  /// 0̄).
  Value spansFrom(const Chart &chart, Value s);

  /// [B(, S)]: x[0, n - 1], the span of each whole sentence (i32 [B]
  /// `lengths` n, in [1, P]).
  Value wholeSentence(const Chart &chart, Value lengths);

  Value batch, positions, symbols;

private:
  /// The sizes of one layout: [B, P, P(, S)].
  SmallVector<OpFoldResult> chartSizes();
};

/// The best structure as the best score's subgradient: declares a private
/// function `name` (renamed on a clash) next to the one holding `anchor`,
/// taking `inputs`' types and returning what `buildScore` builds from its
/// arguments, and returns `sdp.vjp` of it at `inputs` with a cotangent of
/// ones: the indicator, on `inputs[0]`, of the structure the witnesses
/// chose.
Value buildBestIndicator(
    OpBuilder &b, Operation *anchor, StringRef name, ValueRange inputs,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> buildScore);

/// The i32 index of the 1 along the reduced letter of `spec` ("bhm->bm") in
/// an indicator, -1 where there is none.
Value indicatorToIndex(StructureBuilder &sb, Value indicator, StringRef spec,
                       unsigned rank);

} // namespace mlir::sdp

#endif // SDP_LIB_TRANSFORMS_CHARTBUILDER_H
