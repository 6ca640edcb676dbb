//===- NaNPropagatingSum.h - a semiring sum that keeps NaN ------*- C++ -*-===//
//
// The max and min semirings add with arith.maxnumf / minnumf (IEEE maxNum),
// which drop a NaN operand. A dynamic program whose every cell reaches the
// result (the alignment grid) keeps a NaN it reads by adding with
// arith.maximumf / minimumf instead; no-signed-zeros lets LLVM lower them
// as cheaply (one max plus a NaN fix-up, as for maxnumf).
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_CONVERSION_UTILS_NANPROPAGATINGSUM_H
#define SDP_LIB_CONVERSION_UTILS_NANPROPAGATINGSUM_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "sdp/Dialect/SemiringAttrs.h"

namespace mlir::sdp {

/// The semiring sum of `terms`, NaN-propagating under #sdp.max and #sdp.min
/// (any NaN term gives NaN); the semiring's own sum otherwise.
inline Value buildNaNPropagatingSum(OpBuilder &b, Location loc,
                                    SemiringAttrInterface semiring,
                                    ArrayRef<Value> terms) {
  bool isMax = isa<MaxSemiringAttr>(semiring);
  if (!isMax && !isa<MinSemiringAttr>(semiring))
    return semiring.buildSum(b, loc, terms);
  auto flags =
      arith::FastMathFlagsAttr::get(b.getContext(), arith::FastMathFlags::nsz);
  Value sum = terms.front();
  for (Value term : terms.drop_front())
    sum = isMax
              ? arith::MaximumFOp::create(b, loc, sum, term, flags).getResult()
              : arith::MinimumFOp::create(b, loc, sum, term, flags).getResult();
  return sum;
}

} // namespace mlir::sdp

#endif // SDP_LIB_CONVERSION_UTILS_NANPROPAGATINGSUM_H
