//===- LinearAlgebraToSCF.cpp - sdp.logdet and sdp.inverse as loops -------===//
//
// Both eliminate with partial pivoting on a copy of the matrices, one matrix
// at a time. sdp.logdet keeps only the trailing block (no multipliers are
// stored, as the determinant needs only the pivots); sdp.inverse is
// Gauss-Jordan on the copy and an identity that receives the same row
// operations. The row updates are contiguous inner loops (x[i, j] -= f ·
// x[k, j]) on whole vectors.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToSCF.h"

#include "../Utils/Emitter.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;
using arith::CmpFPredicate;
using arith::CmpIPredicate;

namespace {

/// Bits of the row updates' vectors (one AVX-512 register, two AVX2 ones).
constexpr int64_t kVectorBits = 512;

struct Elimination {
  PatternRewriter &rewriter;
  Location loc;
  Emitter e;
  Type element;

  Elimination(PatternRewriter &rewriter, Location loc, Type element)
      : rewriter(rewriter), loc(loc), e{rewriter, loc}, element(element) {}

  Value constant(double v) {
    return arith::ConstantOp::create(rewriter, loc, element,
                                     rewriter.getFloatAttr(element, v));
  }
  Value abs(Value x) { return math::AbsFOp::create(rewriter, loc, x); }

  /// A buffer of `type` whose dynamic sizes are those of `like`.
  Value allocLike(RankedTensorType type, Value like) {
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < type.getRank(); ++d)
      if (type.isDynamicDim(d))
        sizes.push_back(e.dim(like, d));
    return e.alloc(type, sizes);
  }

  /// A writable copy of the tensor `matrices` [B, N, N].
  Value copyOf(Value matrices) {
    Value source = e.buffer(matrices);
    Value copy = allocLike(cast<RankedTensorType>(matrices.getType()), source);
    memref::CopyOp::create(rewriter, loc, source, copy);
    return copy;
  }

  /// The row p >= k of matrix b whose |x[b, p, k]| is largest (the first
  /// one on ties; k when all are NaN).
  Value pivotRow(Value x, Value b, Value k, Value N) {
    return e.forLoop(k, N, e.index(1), {constant(-1.0), k},
                     [&](Value i, ValueRange best) -> SmallVector<Value> {
                       Value magnitude = abs(e.load(x, {b, i, k}));
                       Value larger =
                           e.cmpf(CmpFPredicate::OGT, magnitude, best[0]);
                       return {e.select(larger, magnitude, best[0]),
                               e.select(larger, i, best[1])};
                     })[1];
  }

  /// Swaps rows k and p of matrix b of `x` over columns [from, N).
  void swapRows(Value x, Value b, Value k, Value p, Value from, Value N) {
    e.forLoop(from, N, e.index(1), {}, [&](Value j, ValueRange) {
      Value atK = e.load(x, {b, k, j}), atP = e.load(x, {b, p, j});
      e.store(atP, x, {b, k, j});
      e.store(atK, x, {b, p, j});
      return SmallVector<Value>();
    });
  }

  /// x[b, i, j] -= factor · x[b, k, j] for j in [from, N): whole vectors,
  /// then a scalar tail. Explicit vectors need no run-time alias checks
  /// (rows i and k of one buffer never overlap, which LLVM cannot see).
  void subtractRow(Value x, Value b, Value i, Value k, Value factor, Value from,
                   Value N) {
    int64_t lanes = kVectorBits / element.getIntOrFloatBitWidth();
    auto vectorType = VectorType::get({lanes}, element);
    Value width = e.index(lanes);
    Value count = e.sub(N, from);
    Value vectorEnd =
        e.add(from, e.sub(count,
                          arith::RemUIOp::create(rewriter, loc, count, width)));
    Value splat =
        vector::BroadcastOp::create(rewriter, loc, vectorType, factor);
    e.forLoop(from, vectorEnd, width, {}, [&](Value j, ValueRange) {
      Value source = vector::LoadOp::create(rewriter, loc, vectorType, x,
                                            ValueRange{b, k, j});
      Value target = vector::LoadOp::create(rewriter, loc, vectorType, x,
                                            ValueRange{b, i, j});
      Value update = arith::MulFOp::create(rewriter, loc, splat, source);
      vector::StoreOp::create(
          rewriter, loc, arith::SubFOp::create(rewriter, loc, target, update),
          x, ValueRange{b, i, j});
      return SmallVector<Value>();
    });
    e.forLoop(vectorEnd, N, e.index(1), {}, [&](Value j, ValueRange) {
      Value update = e.mul(factor, e.load(x, {b, k, j}));
      e.store(e.sub(e.load(x, {b, i, j}), update), x, {b, i, j});
      return SmallVector<Value>();
    });
  }
};

struct LogDetToLoops : OpRewritePattern<LogDetOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LogDetOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    Elimination el(rewriter, loc, resultType.getElementType());
    Emitter &e = el.e;
    Value x = el.copyOf(op.getMatrices());
    Value B = e.dim(x, 0), N = e.dim(x, 1);
    Value result = el.allocLike(resultType, x);
    Value one = e.index(1);
    e.loop(B, [&](Value b) {
      Value logDet =
          e.forLoop(e.index(0), N, one, {el.constant(0.0)},
                    [&](Value k, ValueRange acc) -> SmallVector<Value> {
                      Value p = el.pivotRow(x, b, k, N);
                      Value pivot = e.load(x, {b, p, k});
                      // A zero pivot: singular, log|det| = -inf (log 0); NaN
                      // stays NaN.
                      Value usable =
                          e.cmpf(CmpFPredicate::ONE, pivot, el.constant(0.0));
                      e.when(usable, [&] {
                        e.when(e.cmpi(CmpIPredicate::ne, p, k),
                               [&] { el.swapRows(x, b, k, p, k, N); });
                        Value next = e.add(k, one);
                        e.forLoop(next, N, one, {}, [&](Value i, ValueRange) {
                          Value factor = e.div(e.load(x, {b, i, k}), pivot);
                          el.subtractRow(x, b, i, k, factor, next, N);
                          return SmallVector<Value>();
                        });
                      });
                      return {e.add(acc[0], e.log(el.abs(pivot)))};
                    })[0];
      e.store(logDet, result, {b});
    });
    rewriter.replaceOp(op, e.tensorOf(result, resultType));
    return success();
  }
};

struct InverseToLoops : OpRewritePattern<InverseOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(InverseOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    Elimination el(rewriter, loc, resultType.getElementType());
    Emitter &e = el.e;
    Value x = el.copyOf(op.getMatrices());
    Value B = e.dim(x, 0), N = e.dim(x, 1);
    Value inverse = el.allocLike(resultType, x);
    Value zero = e.index(0), one = e.index(1);
    e.loopNest({B, N, N}, [&](ArrayRef<Value> bij) {
      Value diagonal = e.cmpi(CmpIPredicate::eq, bij[1], bij[2]);
      e.store(e.select(diagonal, el.constant(1.0), el.constant(0.0)), inverse,
              bij);
    });
    e.loop(B, [&](Value b) {
      e.loop(N, [&](Value k) {
        Value p = el.pivotRow(x, b, k, N);
        e.when(e.cmpi(CmpIPredicate::ne, p, k), [&] {
          el.swapRows(x, b, k, p, k, N);
          el.swapRows(inverse, b, k, p, zero, N);
        });
        // Row k scaled to a unit pivot, then cleared from every other row.
        Value next = e.add(k, one);
        Value scale = e.div(el.constant(1.0), e.load(x, {b, k, k}));
        auto scaleRow = [&](Value m, Value from) {
          e.forLoop(from, N, one, {}, [&](Value j, ValueRange) {
            e.store(e.mul(e.load(m, {b, k, j}), scale), m, {b, k, j});
            return SmallVector<Value>();
          });
        };
        scaleRow(x, next);
        scaleRow(inverse, zero);
        e.loop(N, [&](Value i) {
          Value factor = e.load(x, {b, i, k});
          Value other = e.cmpi(CmpIPredicate::ne, i, k);
          Value nonZero = e.cmpf(CmpFPredicate::UNE, factor, el.constant(0.0));
          e.when(e.andi(other, nonZero), [&] {
            el.subtractRow(x, b, i, k, factor, next, N);
            el.subtractRow(inverse, b, i, k, factor, zero, N);
          });
        });
      });
    });
    rewriter.replaceOp(op, e.tensorOf(inverse, resultType));
    return success();
  }
};

} // namespace

void mlir::sdp::populateLinearAlgebraToSCFPatterns(
    RewritePatternSet &patterns) {
  patterns.add<LogDetToLoops, InverseToLoops>(patterns.getContext());
}
