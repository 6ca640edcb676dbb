//===- Compaction.cpp - stream compaction with vector.compressstore -------===//
//
// The dictionary and the counting visit only some positions of a row (the
// windows whose ids are known, the ids that are not -1). Selecting them one
// position at a time costs a scalar compare and a store for every position,
// skipped or not; here a whole vector of positions is tested at once and the
// kept lanes are written contiguously (vpcompressd on AVX-512).
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::sdp;

Value ngram::compact(Emitter &e, Value length, Value out, int64_t width,
                     function_ref<Compacted(Value, Value, Value)> select) {
  OpBuilder &b = e.b;
  Location loc = e.loc;
  Type i32 = b.getI32Type();
  auto lanesType = VectorType::get({width}, i32);
  auto maskType = VectorType::get({width}, b.getI1Type());
  SmallVector<int32_t> iota(width);
  for (int64_t lane = 0; lane < width; ++lane)
    iota[lane] = lane;
  Value lanes = arith::ConstantOp::create(
      b, loc, lanesType, DenseElementsAttr::get(lanesType, ArrayRef(iota)));
  Value one = splatI32(e, width, 1), zero = splatI32(e, width, 0);
  return e.forLoop(
      e.index(0), length, e.index(width), e.index(0),
      [&](Value start, ValueRange kept) {
        Value inRange = vector::CreateMaskOp::create(
            b, loc, maskType, ValueRange{e.sub(length, start)});
        Value positions = e.add(
            vector::BroadcastOp::create(b, loc, lanesType, e.toI32(start)),
            lanes);
        Compacted selected = select(start, positions, inRange);
        Value keep = e.andi(inRange, selected.keep);
        // The builder taking an llvm::MaybeAlign passes mask and value
        // swapped (MLIR 22); the one taking the alignment attribute does not.
        vector::CompressStoreOp::create(b, loc, out, ValueRange{kept[0]}, keep,
                                        selected.values, IntegerAttr());
        // reduce.add(zext(mask)) becomes a popcount of the mask register.
        Value count = vector::ReductionOp::create(
            b, loc, vector::CombiningKind::ADD, e.select(keep, one, zero));
        return SmallVector<Value>{e.add(kept[0], e.toIndex(count))};
      })[0];
}

Value ngram::loadLanes(Emitter &e, Value memref, ArrayRef<Value> indices,
                       Value inRange, int64_t fill) {
  auto type =
      VectorType::get(cast<VectorType>(inRange.getType()).getShape(),
                      cast<MemRefType>(memref.getType()).getElementType());
  Value passThru = arith::ConstantOp::create(
      e.b, e.loc, type,
      DenseElementsAttr::get(type,
                             e.b.getIntegerAttr(type.getElementType(), fill)));
  return vector::MaskedLoadOp::create(e.b, e.loc, type, memref, indices,
                                      inRange, passThru);
}

Value ngram::splatI32(Emitter &e, int64_t width, int32_t value) {
  auto type = VectorType::get({width}, e.b.getI32Type());
  return arith::ConstantOp::create(e.b, e.loc, type,
                                   DenseElementsAttr::get(type, value));
}
