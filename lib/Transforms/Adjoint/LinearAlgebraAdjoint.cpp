//===- LinearAlgebraAdjoint.cpp - adjoints of sdp.logdet and sdp.inverse --===//
//
// Closed forms instead of differentiating the elimination loops:
//   log |det A|  ->  dA = d · A⁻ᵀ            (0 where A is singular)
//   X = A⁻¹      ->  dA = -Xᵀ · C · Xᵀ
// Both are emitted in the core again (sdp.inverse, sdp.contract under
// #sdp.real, element-wise generics), so the pipelines lower them as any
// other code.
//
//===----------------------------------------------------------------------===//

#include "../CoreBuilders.h"
#include "AdjointEmitter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/TypeUtilities.h"

#include <limits>

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::adjoint;

LogicalResult adjoint::emitLogDetAdjoint(Emitter &emitter, LogDetOp op,
                                         Frame &frame) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.getLoc();
  Value matrices = frame.lookup(op.getMatrices());
  Value logDet = frame.lookup(op.getResult());
  Value cotangent = emitter.castTo(frame.cotangents.lookup(op.getResult()),
                                   op.getResult().getType());
  auto type = cast<RankedTensorType>(matrices.getType());
  Type element = type.getElementType();
  Value inverse = InverseOp::create(b, loc, type, matrices);
  // Read transposed: result[b, i, j] = d[b] · inverse[b, j, i].
  Value gradient = buildElementwise(
      b, loc, {matrices, inverse, cotangent, logDet}, {"bij", "bji", "b", "b"},
      RankedTensorType::get(SmallVector<int64_t>(3, ShapedType::kDynamic),
                            element),
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value minusInf = emitter.floatConstant(
            nb, element, -std::numeric_limits<double>::infinity());
        Value singular = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ,
                                               args[3], minusInf);
        return arith::SelectOp::create(
            nb, l, singular, emitter.floatConstant(nb, element, 0.0),
            emitter.strongProduct(nb, args[2], args[1]));
      });
  emitter.accumulate(frame, op.getMatrices(), gradient);
  return success();
}

LogicalResult adjoint::emitInverseAdjoint(Emitter &emitter, InverseOp op,
                                          Frame &frame) {
  OpBuilder &b = emitter.builder();
  Location loc = emitter.getLoc();
  Value inverse = frame.lookup(op.getResult());
  Value cotangent = emitter.castTo(frame.cotangents.lookup(op.getResult()),
                                   op.getResult().getType());
  Type element = getElementTypeOrSelf(inverse.getType());
  StructureBuilder sb(b, loc, RealSemiringAttr::get(b.getContext()), element);
  // Xᵀ C, then (Xᵀ C) Xᵀ, negated.
  Value left = sb.contract("bki,bkl->bil", {inverse, cotangent}, 3);
  Value product = sb.contract("bil,bjl->bij", {left, inverse}, 3);
  Value gradient =
      sb.elementwise({product}, {"bij"}, element,
                     [](OpBuilder &nb, Location l, ValueRange args) -> Value {
                       return arith::NegFOp::create(nb, l, args[0]);
                     });
  emitter.accumulate(frame, op.getMatrices(), gradient);
  return success();
}
