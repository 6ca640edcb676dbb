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

} // namespace mlir::sdp

#endif // SDP_LIB_TRANSFORMS_COREBUILDERS_H
