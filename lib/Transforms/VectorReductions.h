//===- VectorReductions.h - identities of vector combining kinds -*- C++
//-*-===//
//
// Private to lib/Transforms: what the vector passes need to know about a
// vector::CombiningKind to pad lanes or start an accumulation.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_TRANSFORMS_VECTORREDUCTIONS_H
#define SDP_LIB_TRANSFORMS_VECTORREDUCTIONS_H

#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir::sdp {

/// The value that leaves every other unchanged under `kind`, or null.
/// minnumf/maxnumf ignore a NaN operand, so NaN is their identity.
TypedAttr getReductionIdentity(vector::CombiningKind kind, Type type);

} // namespace mlir::sdp

#endif // SDP_LIB_TRANSFORMS_VECTORREDUCTIONS_H
