//===- SemiringAttrs.cpp - semiring arithmetic ----------------------------===//
//
// The only place where semiring-specific arithmetic is written down. Each
// semiring materialises its constants and operations as arith/math ops.
//
//===----------------------------------------------------------------------===//

#include "sdp/Dialect/SemiringAttrs.h"

#include "mlir/IR/TypeUtilities.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectImplementation.h"
#include "sdp/Dialect/SdpDialect.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::sdp;

#include "sdp/SemiringInterface.cpp.inc"

#include "sdp/NgramEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "sdp/SdpAttrs.cpp.inc"

void SdpDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "sdp/SdpAttrs.cpp.inc"
      >();
}

//===----------------------------------------------------------------------===//
// Shared helpers
//===----------------------------------------------------------------------===//

/// A constant of float type `type`, or a splat of it when `type` is a vector
/// of floats (the semiring ops then work lane-wise).
static Value floatConstant(OpBuilder &b, Location loc, Type type,
                           const APFloat &value) {
  Type element = getElementTypeOrSelf(type);
  FloatAttr scalar = b.getFloatAttr(element, value);
  if (auto vector = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(
        b, loc, type, DenseElementsAttr::get(vector, scalar.getValue()));
  return arith::ConstantOp::create(b, loc, type, scalar);
}

static Value floatConstant(OpBuilder &b, Location loc, Type type,
                           double value) {
  APFloat converted(value);
  bool lost;
  converted.convert(
      cast<FloatType>(getElementTypeOrSelf(type)).getFloatSemantics(),
      APFloat::rmNearestTiesToEven, &lost);
  return floatConstant(b, loc, type, converted);
}

static Value infinity(OpBuilder &b, Location loc, Type type, bool negative) {
  auto floatType = cast<FloatType>(getElementTypeOrSelf(type));
  return floatConstant(
      b, loc, type, APFloat::getInf(floatType.getFloatSemantics(), negative));
}

static Value boolConstant(OpBuilder &b, Location loc, bool value) {
  return arith::ConstantIntOp::create(b, loc, b.getI1Type(), value);
}

//===----------------------------------------------------------------------===//
// Log semiring
//===----------------------------------------------------------------------===//

bool LogSemiringAttr::isValidElementType(Type type) const {
  return isa<FloatType>(type);
}
Value mlir::sdp::detail::buildSemiringSum(SemiringAttrInterface semiring,
                                          OpBuilder &b, Location loc,
                                          ValueRange terms) {
  assert(!terms.empty() && "a sum of no terms");
  if (!semiring.admitsExpShiftedReduction() || terms.size() == 1) {
    Value total = terms.front();
    for (Value term : terms.drop_front())
      total = semiring.buildAdd(b, loc, total, term);
    return total;
  }
  // shift + log(sum exp(term - shift)), shift = max(terms). An infinite
  // shift is the sum itself (-inf: every term is 0̄; +inf: so is the sum)
  // unless a term is NaN; exps are then taken with a shift of 0, never
  // inf - inf.
  Type type = terms.front().getType();
  Value shift = terms.front();
  for (Value term : terms.drop_front())
    shift = arith::MaxNumFOp::create(b, loc, shift, term);
  // Two compares rather than |shift| == inf: NVVM has no native fabs
  // lowering (it would call libdevice).
  auto equals = [&](bool negative) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, shift,
                                 infinity(b, loc, type, negative));
  };
  Value infinite = arith::OrIOp::create(b, loc, equals(false), equals(true));
  Value finiteShift = arith::SelectOp::create(
      b, loc, infinite, floatConstant(b, loc, type, 0.0), shift);
  Value total;
  for (Value term : terms) {
    Value e = math::ExpOp::create(
        b, loc, arith::SubFOp::create(b, loc, term, finiteShift));
    total = total ? arith::AddFOp::create(b, loc, total, e).getResult() : e;
  }
  Value sum = arith::AddFOp::create(b, loc, math::LogOp::create(b, loc, total),
                                    finiteShift);
  // maxnumf dropped any NaN term from the shift; with an infinite shift the
  // exps (0, inf or finite) sum to NaN exactly when a term is NaN.
  Value nanTerm =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, total, total);
  Value infiniteSum = arith::SelectOp::create(b, loc, nanTerm, total, shift);
  return arith::SelectOp::create(b, loc, infinite, infiniteSum, sum);
}

Value LogSemiringAttr::buildZero(OpBuilder &b, Location loc, Type type) const {
  return infinity(b, loc, type, /*negative=*/true);
}
Value LogSemiringAttr::buildOne(OpBuilder &b, Location loc, Type type) const {
  return floatConstant(b, loc, type, 0.0);
}
Value LogSemiringAttr::buildAdd(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) const {
  // max(a,b) + log1p(exp(min(a,b) - max(a,b))): one exp, never overflows.
  // An infinite max is the sum itself (both -inf, or a +inf term: the
  // difference would be inf - inf = NaN); a NaN operand, which maxnumf
  // would drop, makes the sum NaN (a + b is).
  Value hi = arith::MaxNumFOp::create(b, loc, lhs, rhs);
  Value lo = arith::MinNumFOp::create(b, loc, lhs, rhs);
  Value diff = arith::SubFOp::create(b, loc, lo, hi);
  Value softplus =
      math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, diff));
  Value sum = arith::AddFOp::create(b, loc, hi, softplus);
  Type type = lhs.getType();
  auto equals = [&](Value x, Value y) {
    return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, x, y);
  };
  Value hiIsInfinite = arith::OrIOp::create(
      b, loc, equals(hi, infinity(b, loc, type, /*negative=*/true)),
      equals(hi, infinity(b, loc, type, /*negative=*/false)));
  Value anyNaN =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, lhs, rhs);
  Value result = arith::SelectOp::create(b, loc, hiIsInfinite, hi, sum);
  return arith::SelectOp::create(
      b, loc, anyNaN, arith::AddFOp::create(b, loc, lhs, rhs), result);
}
Value LogSemiringAttr::buildMul(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) const {
  return arith::AddFOp::create(b, loc, lhs, rhs);
}
bool LogSemiringAttr::admitsExpShiftedReduction() const { return true; }

//===----------------------------------------------------------------------===//
// Max (Viterbi) semiring
//===----------------------------------------------------------------------===//

bool MaxSemiringAttr::isValidElementType(Type type) const {
  return isa<FloatType>(type);
}
Value MaxSemiringAttr::buildZero(OpBuilder &b, Location loc, Type type) const {
  return infinity(b, loc, type, /*negative=*/true);
}
Value MaxSemiringAttr::buildOne(OpBuilder &b, Location loc, Type type) const {
  return floatConstant(b, loc, type, 0.0);
}
Value MaxSemiringAttr::buildAdd(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) const {
  return arith::MaxNumFOp::create(b, loc, lhs, rhs);
}
Value MaxSemiringAttr::buildMul(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) const {
  return arith::AddFOp::create(b, loc, lhs, rhs);
}
bool MaxSemiringAttr::isSelective() const { return true; }

//===----------------------------------------------------------------------===//
// Min (tropical) semiring
//===----------------------------------------------------------------------===//

bool MinSemiringAttr::isValidElementType(Type type) const {
  return isa<FloatType>(type);
}
Value MinSemiringAttr::buildZero(OpBuilder &b, Location loc, Type type) const {
  return infinity(b, loc, type, /*negative=*/false);
}
Value MinSemiringAttr::buildOne(OpBuilder &b, Location loc, Type type) const {
  return floatConstant(b, loc, type, 0.0);
}
Value MinSemiringAttr::buildAdd(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) const {
  return arith::MinNumFOp::create(b, loc, lhs, rhs);
}
Value MinSemiringAttr::buildMul(OpBuilder &b, Location loc, Value lhs,
                                Value rhs) const {
  return arith::AddFOp::create(b, loc, lhs, rhs);
}
bool MinSemiringAttr::isSelective() const { return true; }

//===----------------------------------------------------------------------===//
// Real (probability) semiring
//===----------------------------------------------------------------------===//

bool RealSemiringAttr::isValidElementType(Type type) const {
  return isa<FloatType>(type);
}
Value RealSemiringAttr::buildZero(OpBuilder &b, Location loc, Type type) const {
  return floatConstant(b, loc, type, 0.0);
}
Value RealSemiringAttr::buildOne(OpBuilder &b, Location loc, Type type) const {
  return floatConstant(b, loc, type, 1.0);
}
// ⊕ and ⊗ may contract into one fused multiply-add (one rounding instead of
// two): a real contraction's inner loop is then one FMA per term.
Value RealSemiringAttr::buildAdd(OpBuilder &b, Location loc, Value lhs,
                                 Value rhs) const {
  return arith::AddFOp::create(b, loc, lhs, rhs,
                               arith::FastMathFlags::contract);
}
Value RealSemiringAttr::buildMul(OpBuilder &b, Location loc, Value lhs,
                                 Value rhs) const {
  return arith::MulFOp::create(b, loc, lhs, rhs,
                               arith::FastMathFlags::contract);
}

//===----------------------------------------------------------------------===//
// Boolean semiring
//===----------------------------------------------------------------------===//

bool BoolSemiringAttr::isValidElementType(Type type) const {
  return type.isInteger(1);
}
Value BoolSemiringAttr::buildZero(OpBuilder &b, Location loc, Type) const {
  return boolConstant(b, loc, false);
}
Value BoolSemiringAttr::buildOne(OpBuilder &b, Location loc, Type) const {
  return boolConstant(b, loc, true);
}
Value BoolSemiringAttr::buildAdd(OpBuilder &b, Location loc, Value lhs,
                                 Value rhs) const {
  return arith::OrIOp::create(b, loc, lhs, rhs);
}
Value BoolSemiringAttr::buildMul(OpBuilder &b, Location loc, Value lhs,
                                 Value rhs) const {
  return arith::AndIOp::create(b, loc, lhs, rhs);
}
bool BoolSemiringAttr::isSelective() const { return true; }
