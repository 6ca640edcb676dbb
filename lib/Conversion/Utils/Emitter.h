//===- Emitter.h - scalar IR shorthands for lowerings ---------*- C++ -*-===//
//
// Lowerings that emit loops of scalar code (the n-gram ops, GPU kernels) read
// better with `e.add(x, e.index(1))` than with the full builder calls.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_CONVERSION_UTILS_EMITTER_H
#define SDP_LIB_CONVERSION_UTILS_EMITTER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"

#include <functional>

namespace mlir::sdp {

/// Shorthands for scalar code: constants, arithmetic, buffer access.
struct Emitter {
  OpBuilder &b;
  Location loc;

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value i32(int64_t v) { return arith::ConstantIntOp::create(b, loc, v, 32); }
  Value i64(int64_t v) { return arith::ConstantIntOp::create(b, loc, v, 64); }

  /// The integer `position` as an index clamped to [0, size - 1]: the
  /// bounds rule of sdp.gather and sdp.scatter.
  Value clampedIndex(Value position, Value size) {
    Value i = arith::IndexCastOp::create(b, loc, b.getIndexType(), position);
    i = arith::MaxSIOp::create(b, loc, i, index(0));
    Value last = arith::SubIOp::create(b, loc, size, index(1));
    return arith::MinSIOp::create(b, loc, i, last);
  }
  Value f64(double v) {
    return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
  }
  Value boolean(bool v) { return arith::ConstantIntOp::create(b, loc, v, 1); }

  Value add(Value x, Value y) {
    return isa<FloatType>(x.getType())
               ? arith::AddFOp::create(b, loc, x, y).getResult()
               : arith::AddIOp::create(b, loc, x, y).getResult();
  }
  Value sub(Value x, Value y) {
    return isa<FloatType>(x.getType())
               ? arith::SubFOp::create(b, loc, x, y).getResult()
               : arith::SubIOp::create(b, loc, x, y).getResult();
  }
  Value mul(Value x, Value y) {
    return isa<FloatType>(x.getType())
               ? arith::MulFOp::create(b, loc, x, y).getResult()
               : arith::MulIOp::create(b, loc, x, y).getResult();
  }
  Value div(Value x, Value y) { return arith::DivFOp::create(b, loc, x, y); }
  Value select(Value c, Value x, Value y) {
    return arith::SelectOp::create(b, loc, c, x, y);
  }
  Value cmpi(arith::CmpIPredicate p, Value x, Value y) {
    return arith::CmpIOp::create(b, loc, p, x, y);
  }
  Value cmpf(arith::CmpFPredicate p, Value x, Value y) {
    return arith::CmpFOp::create(b, loc, p, x, y);
  }
  Value andi(Value x, Value y) { return arith::AndIOp::create(b, loc, x, y); }
  Value ori(Value x, Value y) { return arith::OrIOp::create(b, loc, x, y); }
  Value maxsi(Value x, Value y) { return arith::MaxSIOp::create(b, loc, x, y); }
  Value minsi(Value x, Value y) { return arith::MinSIOp::create(b, loc, x, y); }
  Value log(Value x) { return math::LogOp::create(b, loc, x); }
  Value exp(Value x) { return math::ExpOp::create(b, loc, x); }
  Value toF64(Value x) {
    return arith::SIToFPOp::create(b, loc, b.getF64Type(), x);
  }
  Value toIndex(Value x) {
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), x);
  }
  Value toI32(Value x) {
    return arith::IndexCastOp::create(b, loc, b.getI32Type(), x);
  }
  Value toI64(Value x) {
    if (x.getType().isIndex())
      return arith::IndexCastOp::create(b, loc, b.getI64Type(), x);
    if (x.getType().isInteger(64))
      return x;
    return arith::ExtSIOp::create(b, loc, b.getI64Type(), x);
  }
  Value load(Value memref, ValueRange indices) {
    return memref::LoadOp::create(b, loc, memref, indices);
  }
  void store(Value v, Value memref, ValueRange indices) {
    memref::StoreOp::create(b, loc, v, memref, indices);
  }
  Value dim(Value shaped, int64_t d) {
    if (isa<MemRefType>(shaped.getType()))
      return memref::DimOp::create(b, loc, shaped, d);
    return tensor::DimOp::create(b, loc, shaped, d);
  }
  /// A read-only buffer view of a tensor operand, in the identity layout
  /// (bufferization copies the operand when it is not).
  Value buffer(Value tensor) {
    auto t = cast<RankedTensorType>(tensor.getType());
    return bufferization::ToBufferOp::create(
        b, loc, MemRefType::get(t.getShape(), t.getElementType()), tensor,
        /*read_only=*/true);
  }
  /// A read-only buffer view of a tensor operand with any offset and outer
  /// strides (the last dimension contiguous): a slice of a larger tensor, a
  /// tile of a batch say, is read in place rather than copied.
  Value rowsBuffer(Value tensor) {
    auto t = cast<RankedTensorType>(tensor.getType());
    SmallVector<int64_t> strides(t.getRank(), ShapedType::kDynamic);
    if (!strides.empty())
      strides.back() = 1;
    auto layout =
        StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, strides);
    return bufferization::ToBufferOp::create(
        b, loc, MemRefType::get(t.getShape(), t.getElementType(), layout),
        tensor, /*read_only=*/true);
  }
  /// A fresh buffer of `type`'s shape with the given dynamic sizes.
  Value alloc(RankedTensorType type, ValueRange dynamicSizes) {
    return memref::AllocOp::create(
        b, loc, MemRefType::get(type.getShape(), type.getElementType()),
        dynamicSizes);
  }
  Value tensorOf(Value buffer, Type tensorType) {
    return bufferization::ToTensorOp::create(b, loc, tensorType, buffer,
                                             /*restrict=*/true,
                                             /*writable=*/true);
  }
  /// An i32 length as an index clamped to [0, last].
  Value clampedLength(Value length, Value last) {
    Value n = maxsi(toIndex(length), index(0));
    return arith::MinSIOp::create(b, loc, n, last);
  }
  /// max(0, length - n + 1) as an index: the n-grams of a sentence of
  /// `length` tokens (any integer type).
  Value numWindows(Value length, int64_t n) {
    if (!length.getType().isIndex())
      length = toIndex(length);
    Value count = sub(length, index(n - 1));
    return select(cmpi(arith::CmpIPredicate::sgt, count, index(0)), count,
                  index(0));
  }
  /// The same for a run-time order `n` (an index).
  Value numWindows(Value length, Value n) {
    if (!length.getType().isIndex())
      length = toIndex(length);
    return maxsi(add(sub(length, n), index(1)), index(0));
  }
  /// The smallest power of two that is >= max(floor, atLeast), computed at
  /// run time (`floor` a power of two).
  Value powerOfTwoAtLeast(Value atLeast, int64_t floor) {
    auto loop = scf::WhileOp::create(
        b, loc, TypeRange{b.getIndexType()}, ValueRange{index(floor)},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          scf::ConditionOp::create(
              nb, l, be.cmpi(arith::CmpIPredicate::ult, args[0], atLeast),
              args);
        },
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Emitter be{nb, l};
          scf::YieldOp::create(nb, l, be.mul(args[0], be.index(2)));
        });
    return loop.getResult(0);
  }
  /// A 64-bit hash of integer values (n-gram keys): per value, xor it in,
  /// multiply by the golden-ratio constant, fold the high bits down.
  Value hash(ArrayRef<Value> values) {
    Value h = hashSeed();
    for (Value v : values)
      h = hashStep(h, v);
    return h;
  }
  /// The hash of no values, where `hash` starts.
  Value hashSeed() { return i64(static_cast<int64_t>(0xcbf29ce484222325ULL)); }
  /// One value of `hash`: the running hash `h` with `v` mixed in.
  Value hashStep(Value h, Value v) {
    h = arith::XOrIOp::create(b, loc, h, toI64(v));
    h = mul(h, i64(static_cast<int64_t>(0x9E3779B97F4A7C15ULL)));
    return arith::XOrIOp::create(b, loc, h,
                                 arith::ShRUIOp::create(b, loc, h, i64(29)));
  }
  /// for (i = 0; i < n; ++i) body(i)
  void loop(Value n, function_ref<void(Value)> body) {
    forLoop(index(0), n, index(1), {}, [&](Value iv, ValueRange) {
      body(iv);
      return SmallVector<Value>();
    });
  }
  /// if (cond) body()
  void when(Value cond, function_ref<void()> body) {
    auto ifOp = scf::IfOp::create(b, loc, cond, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOp.thenBlock());
    body();
  }
  /// One loop per size, outermost first; body(ivs) runs in the innermost.
  void loopNest(ArrayRef<Value> sizes,
                function_ref<void(ArrayRef<Value>)> body) {
    SmallVector<Value> ivs;
    std::function<void(size_t)> nest = [&](size_t d) {
      if (d == sizes.size())
        return body(ivs);
      loop(sizes[d], [&](Value iv) {
        ivs.push_back(iv);
        nest(d + 1);
        ivs.pop_back();
      });
    };
    nest(0);
  }
  /// carried = inits; for (iv = lb; iv < ub; iv += step) carried =
  /// body(iv, carried); returns the final carried values. The body builds
  /// through this emitter, inside the loop.
  SmallVector<Value>
  forLoop(Value lb, Value ub, Value step, ValueRange inits,
          function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    auto loop = scf::ForOp::create(
        b, loc, lb, ub, step, inits,
        [&](OpBuilder &nb, Location, Value iv, ValueRange carried) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          scf::YieldOp::create(b, loc, body(iv, carried));
        });
    return SmallVector<Value>(loop.getResults());
  }
};

} // namespace mlir::sdp

#endif // SDP_LIB_CONVERSION_UTILS_EMITTER_H
