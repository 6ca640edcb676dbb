//===- VectorReductions.cpp - identities of vector combining kinds --------===//

#include "VectorReductions.h"

using namespace mlir;

TypedAttr mlir::sdp::getReductionIdentity(vector::CombiningKind kind,
                                          Type type) {
  using Kind = vector::CombiningKind;
  if (auto intType = dyn_cast<IntegerType>(type)) {
    unsigned bits = intType.getWidth();
    switch (kind) {
    case Kind::ADD:
    case Kind::OR:
    case Kind::XOR:
    case Kind::MAXUI:
      return IntegerAttr::get(type, APInt::getZero(bits));
    case Kind::MUL:
      return IntegerAttr::get(type, APInt(bits, 1));
    case Kind::AND:
    case Kind::MINUI:
      return IntegerAttr::get(type, APInt::getAllOnes(bits));
    case Kind::MINSI:
      return IntegerAttr::get(type, APInt::getSignedMaxValue(bits));
    case Kind::MAXSI:
      return IntegerAttr::get(type, APInt::getSignedMinValue(bits));
    default:
      return {};
    }
  }
  auto floatType = dyn_cast<FloatType>(type);
  if (!floatType)
    return {};
  const llvm::fltSemantics &semantics = floatType.getFloatSemantics();
  switch (kind) {
  case Kind::ADD: // x + -0 == x, also for x == -0
    return FloatAttr::get(type, APFloat::getZero(semantics, /*Negative=*/true));
  case Kind::MUL:
    return FloatAttr::get(type, APFloat::getOne(semantics));
  case Kind::MAXIMUMF:
    return FloatAttr::get(type, APFloat::getInf(semantics, /*Negative=*/true));
  case Kind::MINIMUMF:
    return FloatAttr::get(type, APFloat::getInf(semantics));
  case Kind::MAXNUMF:
  case Kind::MINNUMF:
    return FloatAttr::get(type, APFloat::getQNaN(semantics));
  default:
    return {};
  }
}
