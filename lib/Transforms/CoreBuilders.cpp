//===- CoreBuilders.cpp - IR shorthands of the decompositions -------------===//

#include "CoreBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "sdp/Dialect/SdpOps.h"

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

//===----------------------------------------------------------------------===//
// StructureBuilder
//===----------------------------------------------------------------------===//

using namespace mlir::sdp;

StructureBuilder::StructureBuilder(OpBuilder &b, Location loc,
                                   Attribute semiring, Type elementType)
    : b(b), loc(loc), semiring(semiring), elementType(elementType) {}

RankedTensorType StructureBuilder::dynamicType(unsigned rank, Type element) {
  return RankedTensorType::get(SmallVector<int64_t>(rank, kDyn),
                               element ? element : elementType);
}

SmallVector<Value> StructureBuilder::contractWithWitness(StringRef spec,
                                                         ValueRange inputs,
                                                         unsigned rank,
                                                         Attribute sr) {
  auto contraction = ContractOp::create(
      b, loc, TypeRange{dynamicType(rank), dynamicType(rank, b.getI32Type())},
      inputs,
      {b.getNamedAttr("spec", b.getStringAttr(spec)),
       b.getNamedAttr("semiring", sr ? sr : semiring)});
  return SmallVector<Value>(contraction->getResults());
}

Value StructureBuilder::contract(StringRef spec, ValueRange inputs,
                                 unsigned rank, Attribute sr) {
  return ContractOp::create(b, loc, TypeRange{dynamicType(rank)}, inputs,
                            {b.getNamedAttr("spec", b.getStringAttr(spec)),
                             b.getNamedAttr("semiring", sr ? sr : semiring)})
      .getResult();
}

Value StructureBuilder::elementwise(
    ValueRange inputs, ArrayRef<StringRef> letters, Type element,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  return buildElementwise(b, loc, inputs, letters,
                          dynamicType(letters.front().size(), element), body);
}

Value StructureBuilder::fill(Value value, ArrayRef<OpFoldResult> sizes) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, value.getType());
  return castTo(b, loc,
                linalg::FillOp::create(b, loc, value, empty).getResult(0),
                dynamicType(sizes.size(), value.getType()));
}

Value StructureBuilder::fillTile(Value value, ArrayRef<OpFoldResult> sizes) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, value.getType());
  return linalg::FillOp::create(b, loc, value, empty).getResult(0);
}

Value StructureBuilder::slice(Value source, ArrayRef<OpFoldResult> offsets,
                              ArrayRef<OpFoldResult> sizes,
                              ArrayRef<unsigned> dropped) {
  SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
  auto type = dynamicType(sizes.size() - dropped.size(),
                          getElementTypeOrSelf(source.getType()));
  return tensor::ExtractSliceOp::create(b, loc, type, source, offsets, sizes,
                                        strides);
}

Value StructureBuilder::insert(Value source, Value dest,
                               ArrayRef<OpFoldResult> offsets,
                               ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
  return tensor::InsertSliceOp::create(b, loc, source, dest, offsets, sizes,
                                       strides);
}

Value StructureBuilder::stack(ArrayRef<Value> parts,
                              ArrayRef<OpFoldResult> sizes) {
  SmallVector<OpFoldResult> full{b.getIndexAttr(parts.size())};
  llvm::append_range(full, sizes);
  Type element = getElementTypeOrSelf(parts.front().getType());
  Value out = castTo(b, loc, tensor::EmptyOp::create(b, loc, full, element),
                     dynamicType(full.size(), element));
  for (auto [k, part] : llvm::enumerate(parts)) {
    SmallVector<OpFoldResult> offsets(full.size(), b.getIndexAttr(0));
    offsets[0] = b.getIndexAttr(k);
    SmallVector<OpFoldResult> region(full);
    region[0] = b.getIndexAttr(1);
    out = insert(part, out, offsets, region);
  }
  return out;
}

Value StructureBuilder::clampLengths(Value lengths, Value low, Value high) {
  return elementwise({castTo(b, loc, lengths, dynamicType(1, b.getI32Type()))},
                     {"b"}, b.getI32Type(),
                     [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
                       Value v = arith::MaxSIOp::create(nb, l, args[0], low);
                       return arith::MinSIOp::create(nb, l, v, high);
                     });
}

Value StructureBuilder::nanFlags(
    Value x, StringRef spec, ValueRange extraInputs,
    ArrayRef<StringRef> extraLetters,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> inside) {
  auto [letters, result] = spec.split("->");
  SmallVector<Value> inputs{x};
  llvm::append_range(inputs, extraInputs);
  SmallVector<StringRef> allLetters{letters};
  llvm::append_range(allLetters, extraLetters);
  Type i1 = b.getI1Type();
  Value flags = elementwise(
      inputs, allLetters, i1,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value nan = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::UNO,
                                          args[0], args[0]);
        if (!inside)
          return nan;
        return arith::AndIOp::create(nb, l, nan, inside(nb, l, args));
      });
  return ContractOp::create(b, loc, TypeRange{dynamicType(result.size(), i1)},
                            ValueRange{flags},
                            {b.getNamedAttr("spec", b.getStringAttr(spec)),
                             b.getNamedAttr("semiring", BoolSemiringAttr::get(
                                                            b.getContext()))})
      .getResult();
}

Value StructureBuilder::flagNaN(Value score, ArrayRef<Value> flags) {
  SmallVector<Value> inputs{score};
  llvm::append_range(inputs, flags);
  SmallVector<StringRef> letters{"b"};
  for (Value f : flags)
    letters.push_back(cast<RankedTensorType>(f.getType()).getRank() ? "b" : "");
  auto floatType = cast<FloatType>(elementType);
  return elementwise(
      inputs, letters, elementType,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value flagged = args[1];
        for (Value f : args.drop_front(2))
          flagged = arith::OrIOp::create(nb, l, flagged, f);
        Value nan = arith::ConstantOp::create(
            nb, l, elementType,
            nb.getFloatAttr(elementType,
                            APFloat::getNaN(floatType.getFloatSemantics())));
        return arith::SelectOp::create(nb, l, flagged, nan, args[0]);
      });
}

Operation *StructureBuilder::scan(ValueRange inits, ValueRange sequences,
                                  int64_t along, bool reverse) {
  return ScanOp::create(b, loc, inits, sequences, along, reverse);
}

Value StructureBuilder::dim(Value tensor, int64_t d) {
  return tensor::DimOp::create(b, loc, tensor, d);
}
Value StructureBuilder::index(int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}
Value StructureBuilder::i32(int64_t v) {
  return arith::ConstantIntOp::create(b, loc, b.getI32Type(), v);
}
Value StructureBuilder::toI32(Value v) {
  return arith::IndexCastOp::create(b, loc, b.getI32Type(), v);
}
Value StructureBuilder::zeroElement(OpBuilder &nb, Location l) {
  return cast<SemiringAttrInterface>(semiring).buildZero(nb, l, elementType);
}
Value StructureBuilder::oneElement(OpBuilder &nb, Location l) {
  return cast<SemiringAttrInterface>(semiring).buildOne(nb, l, elementType);
}
