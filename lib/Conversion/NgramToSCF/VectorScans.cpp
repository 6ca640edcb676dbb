//===- VectorScans.cpp - whole-vector scans over rows of ids
//---------------===//
//
// The dictionary and the counting visit only some positions of a row (the
// windows whose ids are known, the ids that are not -1). Selecting them one
// position at a time costs a scalar compare and a store for every position,
// skipped or not; here a whole vector of positions is tested at once and the
// kept lanes are written contiguously (a register vpcompressd on AVX-512). The
// same scans test whether a row of ids is just the positions (all n-grams
// distinct), which lets both skip their tables.
//
//===----------------------------------------------------------------------===//

#include "Emitter.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "sdp/Dialect/NgramOps.h"

using namespace mlir;
using namespace mlir::sdp;

Value ngram::compact(Emitter &e, Value length, Value out, int64_t width,
                     function_ref<Compacted(Value, Value, Value)> select) {
  OpBuilder &b = e.b;
  Location loc = e.loc;
  Value one = splatI32(e, width, 1), zero = splatI32(e, width, 0);
  return e.forLoop(
      e.index(0), length, e.index(width), e.index(0),
      [&](Value start, ValueRange kept) {
        Value inRange = laneMask(e, width, start, length);
        Value positions = lanePositions(e, width, start);
        Compacted selected = select(start, positions, inRange);
        Value keep = e.andi(inRange, selected.keep);
        // Packed in a register, then stored whole: the lanes past the kept
        // ones land in `out`'s slack and the next step overwrites them
        // (vector.compressstore is microcode on AMD Zen 4; see
        // sdp.vector_compress).
        Value packed = VectorCompressOp::create(
            b, loc, selected.values.getType(), selected.values, keep);
        vector::StoreOp::create(b, loc, packed, out, ValueRange{kept[0]});
        // reduce.add(zext(mask)) becomes a popcount of the mask register.
        Value count = vector::ReductionOp::create(
            b, loc, vector::CombiningKind::ADD, e.select(keep, one, zero));
        return SmallVector<Value>{e.add(kept[0], e.toIndex(count))};
      })[0];
}

/// The lanes `mask` selects of `memref`'s element type, all `fill`: what a
/// masked read leaves in the lanes it does not read.
static Value fillLike(Emitter &e, Value memref, Value mask, int64_t fill) {
  auto type =
      VectorType::get(cast<VectorType>(mask.getType()).getShape(),
                      cast<MemRefType>(memref.getType()).getElementType());
  return arith::ConstantOp::create(
      e.b, e.loc, type,
      DenseElementsAttr::get(type,
                             e.b.getIntegerAttr(type.getElementType(), fill)));
}

Value ngram::loadLanes(Emitter &e, Value memref, ArrayRef<Value> indices,
                       Value inRange, int64_t fill) {
  Value passThru = fillLike(e, memref, inRange, fill);
  return vector::MaskedLoadOp::create(e.b, e.loc, passThru.getType(), memref,
                                      indices, inRange, passThru);
}

Value ngram::gatherLanes(Emitter &e, Value memref, Value indices, Value mask,
                         int64_t fill) {
  Value passThru = fillLike(e, memref, mask, fill);
  return vector::GatherOp::create(
      e.b, e.loc, cast<VectorType>(passThru.getType()), memref,
      ValueRange{e.index(0)}, indices, mask, passThru);
}

Value ngram::anyLane(Emitter &e, Value mask) {
  return vector::ReductionOp::create(e.b, e.loc, vector::CombiningKind::OR,
                                     mask);
}

Value ngram::broadcastI32(Emitter &e, int64_t width, Value index) {
  return vector::BroadcastOp::create(
      e.b, e.loc, VectorType::get({width}, e.b.getI32Type()), e.toI32(index));
}

Value ngram::splatI32(Emitter &e, int64_t width, int32_t value) {
  auto type = VectorType::get({width}, e.b.getI32Type());
  return arith::ConstantOp::create(e.b, e.loc, type,
                                   DenseElementsAttr::get(type, value));
}

Value ngram::lanePositions(Emitter &e, int64_t width, Value start) {
  auto type = VectorType::get({width}, e.b.getI32Type());
  SmallVector<int32_t> iota(width);
  for (int64_t lane = 0; lane < width; ++lane)
    iota[lane] = lane;
  Value lanes = arith::ConstantOp::create(
      e.b, e.loc, type, DenseElementsAttr::get(type, ArrayRef(iota)));
  return e.add(broadcastI32(e, width, start), lanes);
}

Value ngram::laneMask(Emitter &e, int64_t width, Value start, Value end) {
  return vector::CreateMaskOp::create(e.b, e.loc,
                                      VectorType::get({width}, e.b.getI1Type()),
                                      ValueRange{e.sub(end, start)});
}

void ngram::storeLanes(Emitter &e, Value values, Value memref,
                       ArrayRef<Value> indices, Value inRange) {
  vector::MaskedStoreOp::create(e.b, e.loc, memref, indices, inRange, values);
}

Value ngram::idsArePositions(Emitter &e, int64_t width, Value ids,
                             ArrayRef<Value> row, Value count, Value length) {
  auto maskType = VectorType::get({width}, e.b.getI1Type());
  Value none = arith::ConstantOp::create(
      e.b, e.loc, maskType, DenseElementsAttr::get(maskType, false));
  Value countLanes = broadcastI32(e, width, count);
  Value zero = splatI32(e, width, 0);
  Value wrong = e.forLoop(
      e.index(0), length, e.index(width), none,
      [&](Value start, ValueRange acc) {
        Value inRange = laneMask(e, width, start, length);
        SmallVector<Value> at(row.begin(), row.end());
        at.push_back(start);
        Value id = loadLanes(e, ids, at, inRange, -1);
        Value positions = lanePositions(e, width, start);
        Value expected =
            e.cmpi(arith::CmpIPredicate::slt, positions, countLanes);
        Value differ =
            e.select(expected, e.cmpi(arith::CmpIPredicate::ne, id, positions),
                     e.cmpi(arith::CmpIPredicate::sge, id, zero));
        return SmallVector<Value>{e.ori(acc[0], e.andi(inRange, differ))};
      })[0];
  Value anyWrong =
      vector::ReductionOp::create(e.b, e.loc, vector::CombiningKind::OR, wrong);
  return e.cmpi(arith::CmpIPredicate::eq, anyWrong, e.boolean(false));
}

Value ngram::maxLanes(Emitter &e, int64_t width, Value ids, ArrayRef<Value> row,
                      Value length) {
  Value lowest = splatI32(e, width, -1);
  Value most = e.forLoop(e.index(0), length, e.index(width), lowest,
                         [&](Value start, ValueRange acc) {
                           Value inRange = laneMask(e, width, start, length);
                           SmallVector<Value> at(row.begin(), row.end());
                           at.push_back(start);
                           Value id = loadLanes(e, ids, at, inRange, -1);
                           return SmallVector<Value>{e.maxsi(acc[0], id)};
                         })[0];
  return vector::ReductionOp::create(e.b, e.loc, vector::CombiningKind::MAXSI,
                                     most);
}
