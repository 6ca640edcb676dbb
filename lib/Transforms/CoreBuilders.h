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

} // namespace mlir::sdp

#endif // SDP_LIB_TRANSFORMS_COREBUILDERS_H
