//===- CoreBuilders.h - IR shorthands of the decompositions -----*- C++ -*-===//
//
// Private to lib/Transforms: what the named-op decompositions build again
// and again.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_TRANSFORMS_COREBUILDERS_H
#define SDP_LIB_TRANSFORMS_COREBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"

namespace mlir::sdp {

/// A parallel linalg.generic of type `resultType` (fully dynamic, sized like
/// the first input); `letters` index each input like einsum subscripts, and
/// the result takes the letters of the first input. `body` maps the scalar
/// inputs to the result element.
Value buildElementwise(
    OpBuilder &b, Location loc, ValueRange inputs, ArrayRef<StringRef> letters,
    RankedTensorType resultType,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body);

/// `value` as `type` (a tensor.cast), or `value` itself when it has it.
Value castTo(OpBuilder &b, Location loc, Value value, Type type);

/// `value` (a ranked tensor) with every dimension dynamic, so that scan
/// carries and yields agree by construction.
Value castToDynamicShape(OpBuilder &b, Location loc, Value value);

/// The IR shorthands a structure's decomposition uses: every tensor it
/// builds is fully dynamic (so scan carries and yields agree by
/// construction), contractions default to the structure's semiring.
class StructureBuilder {
public:
  StructureBuilder(OpBuilder &b, Location loc, Attribute semiring,
                   Type elementType);

  static constexpr int64_t kDyn = ShapedType::kDynamic;

  /// A fully dynamic tensor type of `rank` (element: the structure's).
  RankedTensorType dynamicType(unsigned rank, Type element = {});

  /// `sdp.contract spec inputs` with a result of `rank`; with `witness`, the
  /// selected positions too (i32). `semiring` defaults to the structure's.
  SmallVector<Value> contractWithWitness(StringRef spec, ValueRange inputs,
                                         unsigned rank,
                                         Attribute semiring = {});
  Value contract(StringRef spec, ValueRange inputs, unsigned rank,
                 Attribute semiring = {});

  /// A parallel linalg.generic shaped like `inputs[0]` (see
  /// buildElementwise) with `element` results.
  Value elementwise(
      ValueRange inputs, ArrayRef<StringRef> letters, Type element,
      llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body);

  /// A tensor of `sizes` filled with `value`, fully dynamic (fill) or with
  /// the static sizes among `sizes` kept in its type (fillTile, for
  /// inserting into slices of those sizes).
  Value fill(Value value, ArrayRef<OpFoldResult> sizes);
  Value fillTile(Value value, ArrayRef<OpFoldResult> sizes);
  /// `source[offsets : offsets + sizes]`; unit dimensions listed in
  /// `dropped` are removed from the result.
  Value slice(Value source, ArrayRef<OpFoldResult> offsets,
              ArrayRef<OpFoldResult> sizes, ArrayRef<unsigned> dropped = {});
  /// `dest` with `source` written at `offsets`; `sizes` are the sizes of the
  /// written region (unit entries absent from `source` are inserted).
  Value insert(Value source, Value dest, ArrayRef<OpFoldResult> offsets,
               ArrayRef<OpFoldResult> sizes);
  /// [sizes...] tensors stacked along a new leading dimension.
  Value stack(ArrayRef<Value> parts, ArrayRef<OpFoldResult> sizes);

  /// The i32 [B] `lengths` clamped to [low, high] (i32 scalars).
  Value clampLengths(Value lengths, Value low, Value high);

  /// i1 flags, one per result letter of `spec` ("bskc->b", "kc->"): whether
  /// `x` (indexed by the spec's input letters) holds a NaN where `inside`
  /// (given the block builder and the input's element) says it counts.
  /// Integers, reduced under #sdp.bool, so adjoints see nothing in them.
  Value nanFlags(
      Value x, StringRef spec, ValueRange extraInputs = {},
      ArrayRef<StringRef> extraLetters = {},
      llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> inside = {});
  /// `score` [B] with NaN where any of the i1 `flags` ([B] or scalar) is
  /// set: selective semirings drop NaN operands, and a finite best score
  /// would hide them.
  Value flagNaN(Value score, ArrayRef<Value> flags);

  /// A scan along `along` with an empty body (see ScanOp's builder).
  Operation *scan(ValueRange inits, ValueRange sequences, int64_t along,
                  bool reverse = false);

  Value dim(Value tensor, int64_t d);
  Value index(int64_t v);
  Value i32(int64_t v);
  /// The index `v` as i32.
  Value toI32(Value v);
  OpFoldResult attr(int64_t v) { return b.getIndexAttr(v); }

  Value zeroElement(OpBuilder &nb, Location l);
  Value oneElement(OpBuilder &nb, Location l);

  OpBuilder &b;
  Location loc;
  Attribute semiring;
  Type elementType;
};

} // namespace mlir::sdp

#endif // SDP_LIB_TRANSFORMS_COREBUILDERS_H
