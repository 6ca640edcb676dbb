//===- SemiringAttrs.h - semiring attributes and interface ------*- C++ -*-===//

#ifndef SDP_DIALECT_SEMIRINGATTRS_H
#define SDP_DIALECT_SEMIRINGATTRS_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"

namespace mlir::sdp {
class SemiringAttrInterface;
namespace detail {
/// The default of SemiringAttrInterface::buildSum.
Value buildSemiringSum(SemiringAttrInterface semiring, OpBuilder &b,
                       Location loc, ValueRange terms);
} // namespace detail
} // namespace mlir::sdp

#include "sdp/SemiringInterface.h.inc"

#include "sdp/NgramEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "sdp/SdpAttrs.h.inc"

#endif // SDP_DIALECT_SEMIRINGATTRS_H
