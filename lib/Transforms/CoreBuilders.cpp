//===- CoreBuilders.cpp - IR shorthands of the decompositions -------------===//

#include "CoreBuilders.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value mlir::sdp::buildElementwise(
    OpBuilder &b, Location loc, ValueRange inputs, ArrayRef<StringRef> letters,
    RankedTensorType resultType,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  StringRef outLetters = letters.front();
  SmallVector<AffineMap> maps;
  for (StringRef l : letters) {
    SmallVector<AffineExpr> exprs;
    for (char c : l)
      exprs.push_back(b.getAffineDimExpr(outLetters.find(c)));
    maps.push_back(AffineMap::get(outLetters.size(), 0, exprs, b.getContext()));
  }
  maps.push_back(b.getMultiDimIdentityMap(outLetters.size()));
  SmallVector<Value> sizes;
  for (unsigned dim = 0; dim < outLetters.size(); ++dim)
    sizes.push_back(tensor::DimOp::create(b, loc, inputs.front(), dim));
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType(), sizes);
  SmallVector<utils::IteratorType> iterators(outLetters.size(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             b, loc, resultType, inputs, init, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, body(nb, l, args.drop_back()));
             })
      .getResult(0);
}

Value mlir::sdp::castTo(OpBuilder &b, Location loc, Value value, Type type) {
  if (value.getType() == type)
    return value;
  return tensor::CastOp::create(b, loc, type, value);
}

Value mlir::sdp::castToDynamicShape(OpBuilder &b, Location loc, Value value) {
  auto t = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(t.getRank(), ShapedType::kDynamic);
  return castTo(b, loc, value,
                RankedTensorType::get(shape, t.getElementType()));
}
