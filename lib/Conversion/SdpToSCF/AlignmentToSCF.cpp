//===- AlignmentToSCF.cpp - sdp.alignment as loops ------------------------===//
//
// Along a row every cell waits for its left neighbour, so a row-by-row loop
// is one long dependency chain. Float grids are therefore swept in strips of
// one vector of rows (16 f32, 8 f64), skewed: at step t lane k computes cell
// (first + k, t - k). Its three neighbours are then lane k-1 of the step
// before (above), lane k-1 two steps before (upper left) and lane k of the
// step before (left), all in registers; lane 0 takes the row above the strip
// from a row buffer, which the strip's bottom row overwrites behind the
// sweep. A step's weights are one per row at skewed columns; rather than
// gather them (a scalar load and insert per lane on CPUs without fast
// gathers), each lane's row is read in pieces of `chunk` columns and small
// in-register transposes turn the pieces into one vector per step, staged
// in a buffer for a segment of steps ahead of the sweep. Other element types
// (i1 under #sdp.bool) go row by row, one row of D carried in a buffer.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToSCF.h"

#include "../Utils/Emitter.h"
#include "../Utils/NaNPropagatingSum.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/SdpOps.h"
#include "llvm/ADT/bit.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;
/// Bits of the vectors of the wavefront (one AVX-512 register, two AVX2
/// ones).
constexpr int64_t kVectorBits = 512;
/// Bits of the pieces of rows that are transposed (one AVX2 register).
constexpr int64_t kPieceBits = 256;
/// Steps whose weights are staged at a time (a few KiB per grid, in L1).
constexpr int64_t kSegment = 64;

struct AlignmentLowering {
  AlignmentOp op;
  PatternRewriter &rewriter;
  Location loc;
  Emitter e;
  SemiringAttrInterface semiring;
  Type element;
  Value diagonal, down, right, rows, cols;
  /// The grid's last row and column (N and M).
  Value N, M;

  AlignmentLowering(AlignmentOp op, PatternRewriter &rewriter)
      : op(op), rewriter(rewriter), loc(op.getLoc()), e{rewriter, loc},
        semiring(cast<SemiringAttrInterface>(op.getSemiring())),
        element(getElementTypeOrSelf(op.getDiagonal().getType())) {}

  Value times(Value x, Value y) {
    return semiring.buildMul(rewriter, loc, x, y);
  }

  void lower() {
    diagonal = e.buffer(op.getDiagonal());
    down = e.buffer(op.getDown());
    right = e.buffer(op.getRight());
    rows = e.buffer(op.getRows());
    cols = e.buffer(op.getCols());
    Value B = e.dim(diagonal, 0);
    // A grid without cells (a zero-size dimension) has no path: 0̄.
    Value rowsOfGrid = e.dim(diagonal, 1), colsOfGrid = e.dim(diagonal, 2);
    Value noCell =
        e.ori(e.cmpi(arith::CmpIPredicate::eq, rowsOfGrid, e.index(0)),
              e.cmpi(arith::CmpIPredicate::eq, colsOfGrid, e.index(0)));
    N = e.maxsi(e.sub(rowsOfGrid, e.index(1)), e.index(0));
    M = e.maxsi(e.sub(colsOfGrid, e.index(1)), e.index(0));
    auto scoreType = cast<RankedTensorType>(op.getScore().getType());
    Value scores = e.alloc(scoreType, scoreType.isDynamicDim(0) ? ValueRange{B}
                                                                : ValueRange{});
    auto ifNoCell = scf::IfOp::create(rewriter, loc, noCell,
                                      /*withElseRegion=*/true);
    rewriter.setInsertionPointToStart(ifNoCell.thenBlock());
    Value zero = semiring.buildZero(rewriter, loc, element);
    e.loop(B, [&](Value b) { e.store(zero, scores, {b}); });
    rewriter.setInsertionPointToStart(ifNoCell.elseBlock());
    if (isa<FloatType>(element))
      lowerByStrips(B, scores);
    else
      lowerByRows(B, scores);
    rewriter.setInsertionPointAfter(ifNoCell);
    rewriter.replaceOp(op, e.tensorOf(scores, scoreType));
  }

private:
  Value allocBuffer(Type type, Value size) {
    return memref::AllocOp::create(rewriter, loc, MemRefType::get({kDyn}, type),
                                   ValueRange{size});
  }

  /// The grid of pair b flattened: cell (i, j) at b * plane + i * (M+1) + j.
  Value flat(Value grid) {
    return memref::CollapseShapeOp::create(
        rewriter, loc, grid, SmallVector<ReassociationIndices>{{0, 1, 2}});
  }

  /// row[j] = D[0, j] for j <= m: row 0 has only steps to the right.
  void storeFirstRow(Value row, Value b, Value m) {
    Value one = semiring.buildOne(rewriter, loc, element);
    e.store(one, row, {e.index(0)});
    e.forLoop(e.index(1), e.add(m, e.index(1)), e.index(1), ValueRange{one},
              [&](Value j, ValueRange left) {
                Value cell = times(left[0], e.load(right, {b, e.index(0), j}));
                e.store(cell, row, {j});
                return SmallVector<Value>{cell};
              });
  }

  /// The `chunk` x `chunk` block `rows` transposed: result s holds element s
  /// of every row. A butterfly of two-input shuffles: stage d swaps the
  /// off-diagonal d x d blocks, so an element moves wherever bit d of its row
  /// and column differ (log2(chunk) stages, each one shuffle per row; the
  /// masks are the unpack/blend/lane-swap patterns vector ISAs have).
  SmallVector<Value> transpose(ValueRange pieces) {
    SmallVector<Value> rows(pieces);
    int64_t chunk = rows.size();
    for (int64_t d = 1; d < chunk; d *= 2) {
      SmallVector<int64_t> keepLow, keepHigh;
      for (int64_t x = 0; x < chunk; ++x) {
        keepLow.push_back(x & d ? chunk + x - d : x);
        keepHigh.push_back(x & d ? chunk + x : x + d);
      }
      for (int64_t i = 0; i < chunk; ++i) {
        if (i & d)
          continue;
        Value low = rows[i], high = rows[i + d];
        rows[i] = vector::ShuffleOp::create(rewriter, loc, low, high, keepLow);
        rows[i + d] =
            vector::ShuffleOp::create(rewriter, loc, low, high, keepHigh);
      }
    }
    return rows;
  }

  void lowerByStrips(Value B, Value scores) {
    int64_t bits = element.getIntOrFloatBitWidth();
    // Each lane reads its row's weights `chunk` steps at a time, one
    // 256-bit piece per load, and chunk x chunk transposes turn the pieces
    // of `blocks` groups of `chunk` lanes into one vector per step, staged
    // for a segment of kSegment steps (transposing inside the sweep itself
    // spills its registers).
    int64_t chunk = llvm::bit_floor<uint64_t>(
        std::clamp<int64_t>(kPieceBits / bits, 1, kVectorBits / bits));
    int64_t blocks = std::max<int64_t>(2, kVectorBits / bits) / chunk;
    int64_t width = blocks * chunk;
    auto vectorType = VectorType::get({width}, element);
    auto pieceType = VectorType::get({chunk}, element);
    auto laneType = VectorType::get({width}, rewriter.getI32Type());
    Value grids[] = {flat(diagonal), flat(down), flat(right)};
    Value flatSize = e.dim(grids[0], 0);
    Value rowLength = e.add(M, e.index(1));
    Value plane = e.mul(e.add(N, e.index(1)), rowLength);
    // The last row of the strips done so far (row 0 at first).
    Value row = allocBuffer(element, rowLength);
    // Per grid, the weights of a segment's steps, one vector per step.
    Value staged[3];
    for (Value &stage : staged)
      stage = memref::AllocOp::create(
          rewriter, loc, MemRefType::get({kSegment * width}, element));
    Value zeros = semiring.buildZero(rewriter, loc, vectorType);
    Value zeroPiece = semiring.buildZero(rewriter, loc, pieceType);
    Value zero = semiring.buildZero(rewriter, loc, element);
    SmallVector<int32_t> iota(width);
    for (int64_t lane = 0; lane < width; ++lane)
      iota[lane] = lane;
    Value lanes = arith::ConstantOp::create(
        rewriter, loc, laneType,
        DenseElementsAttr::get(laneType, ArrayRef<int32_t>(iota)));
    auto splat = [&](Value value) {
      return vector::BroadcastOp::create(
                 rewriter, loc, VectorType::get({width}, value.getType()),
                 value)
          .getResult();
    };
    Value zeroLanes = splat(e.i32(0));
    // Lane k of step t holds cell (first + k, t - k): the value of lane k-1
    // one step before is the cell above; lane 0's comes from `row`.
    SmallVector<int64_t> shiftMask = {width};
    for (int64_t lane = 0; lane + 1 < width; ++lane)
      shiftMask.push_back(lane);
    auto shiftIn = [&](Value vector, Value scalar) {
      return vector::ShuffleOp::create(rewriter, loc, vector, splat(scalar),
                                       shiftMask)
          .getResult();
    };

    // Stages the weights of steps t0 .. t0 + count - 1 (count a multiple of
    // `chunk`) of the strip whose first row starts at flat index rowStart:
    // lane k reads row first + k from column t0 - k on, flat index
    // rowStart + t0 + k * M. With `masked`, pieces that would run past the
    // grids' end (only in the last pair's last strip) read 0̄ there; the
    // lanes they feed are no cells.
    auto stage = [&](Value rowStart, Value t0, Value count, bool masked) {
      // Block by block (`chunk` rows), each block's rows read left to right.
      for (int64_t grid = 0; grid < 3; ++grid) {
        for (int64_t block = 0; block < blocks; ++block) {
          Value blockStart =
              e.add(e.add(rowStart, t0), e.mul(e.index(block * chunk), M));
          e.forLoop(
              e.index(0), count, e.index(chunk), {}, [&](Value c, ValueRange) {
                SmallVector<Value> pieces;
                Value at = e.add(blockStart, c);
                for (int64_t lane = 0; lane < chunk; ++lane) {
                  if (lane > 0)
                    at = e.add(at, M);
                  if (!masked) {
                    pieces.push_back(vector::LoadOp::create(
                        rewriter, loc, pieceType, grids[grid], ValueRange{at}));
                    continue;
                  }
                  Value mask = vector::CreateMaskOp::create(
                      rewriter, loc,
                      VectorType::get({chunk}, rewriter.getI1Type()),
                      ValueRange{e.sub(flatSize, at)});
                  pieces.push_back(vector::MaskedLoadOp::create(
                      rewriter, loc, pieceType, grids[grid], ValueRange{at},
                      mask, zeroPiece));
                }
                SmallVector<Value> steps = transpose(pieces);
                for (int64_t s = 0; s < chunk; ++s) {
                  Value to = e.add(e.mul(e.add(c, e.index(s)), e.index(width)),
                                   e.index(block * chunk));
                  vector::StoreOp::create(rewriter, loc, steps[s], staged[grid],
                                          ValueRange{to});
                }
                return SmallVector<Value>();
              });
        }
      }
    };

    e.loop(B, [&](Value b) {
      Value n = e.clampedLength(e.load(rows, {b}), N);
      Value m = e.clampedLength(e.load(cols, {b}), M);
      Value pairBase = e.mul(b, plane);
      // Columns 0..m of the pair's rows.
      Value columns = e.add(m, e.index(1));
      storeFirstRow(row, b, m);
      // Strips of `width` rows: first = 1, 1 + width, ...
      e.forLoop(
          e.index(1), e.add(n, e.index(1)), e.index(width), {},
          [&](Value first, ValueRange) {
            Value height =
                arith::MinSIOp::create(rewriter, loc, e.index(width),
                                       e.sub(e.add(n, e.index(1)), first));
            Value bottom = e.sub(height, e.index(1));
            Value rowStart = e.add(pairBase, e.mul(first, rowLength));
            // Lane k has a cell at column j iff k < height and 0 <= j <= m,
            // that is iff j <u cellBound[k] (0 past the strip's rows): one
            // compare per step, not a conjunction of vector masks.
            Value cellBound = e.select(e.cmpi(arith::CmpIPredicate::slt, lanes,
                                              splat(e.toI32(height))),
                                       splat(e.toI32(columns)), zeroLanes);
            // Steps t = 0 .. m + height - 1 in segments; carried: the cells
            // of steps t-1 and t-2 and row[t-1] as it was before this
            // strip.
            Value steps = e.add(m, height);
            e.forLoop(
                e.index(0), steps, e.index(kSegment),
                ValueRange{zeros, zeros, zero},
                [&](Value t0, ValueRange carried) {
                  Value count = e.minsi(e.index(kSegment), e.sub(steps, t0));
                  // Whole chunks (the steps past the last have no cell).
                  Value chunks =
                      e.mul(arith::CeilDivSIOp::create(rewriter, loc, count,
                                                       e.index(chunk)),
                            e.index(chunk));
                  // The end of the last lane's last piece.
                  Value pastLastPiece =
                      e.add(e.add(rowStart, e.add(t0, chunks)),
                            e.mul(e.index(width - 1), M));
                  auto inside =
                      scf::IfOp::create(rewriter, loc,
                                        e.cmpi(arith::CmpIPredicate::ule,
                                               pastLastPiece, flatSize),
                                        /*withElseRegion=*/true);
                  {
                    OpBuilder::InsertionGuard guard(rewriter);
                    rewriter.setInsertionPointToStart(inside.thenBlock());
                    stage(rowStart, t0, chunks, /*masked=*/false);
                    rewriter.setInsertionPointToStart(inside.elseBlock());
                    stage(rowStart, t0, chunks, /*masked=*/true);
                  }
                  return e.forLoop(
                      e.index(0), count, e.index(1), carried,
                      [&](Value s, ValueRange carried) {
                        Value previous = carried[0],
                              beforePrevious = carried[1];
                        Value t = e.add(t0, s);
                        auto weights = [&](int64_t grid) {
                          return vector::LoadOp::create(
                                     rewriter, loc, vectorType, staged[grid],
                                     ValueRange{e.mul(s, e.index(width))})
                              .getResult();
                        };
                        // row[t] before this strip overwrites it (lane 0's
                        // up).
                        Value tInRow = e.cmpi(arith::CmpIPredicate::ule, t, m);
                        Value above =
                            e.load(row, {e.select(tInRow, t, e.index(0))});
                        Value j = e.sub(splat(e.toI32(t)), lanes);
                        Value isCell =
                            e.cmpi(arith::CmpIPredicate::ult, j, cellBound);
                        Value hasLeft =
                            e.cmpi(arith::CmpIPredicate::sgt, j, zeroLanes);
                        Value up = shiftIn(previous, above);
                        Value upperLeft = shiftIn(beforePrevious, carried[2]);
                        Value terms[] = {
                            e.select(hasLeft, times(upperLeft, weights(0)),
                                     zeros),
                            times(up, weights(1)),
                            e.select(hasLeft, times(previous, weights(2)),
                                     zeros)};
                        // Lanes without a cell hold 0̄ (their weights are
                        // whatever the pieces held there).
                        Value cells =
                            e.select(isCell,
                                     buildNaNPropagatingSum(rewriter, loc,
                                                            semiring, terms),
                                     zeros);
                        // The strip's bottom row replaces `row` behind the
                        // sweep.
                        Value jBottom = e.sub(t, bottom);
                        Value written =
                            e.cmpi(arith::CmpIPredicate::ult, jBottom, columns);
                        e.when(written, [&] {
                          e.store(vector::ExtractOp::create(
                                      rewriter, loc, cells,
                                      ArrayRef<OpFoldResult>{bottom}),
                                  row, {jBottom});
                        });
                        return SmallVector<Value>{cells, previous, above};
                      });
                });
            return SmallVector<Value>();
          });
      e.store(e.load(row, {m}), scores, {b});
    });
  }

  /// One row of D carried in a buffer of M+1 entries: row i reads row i-1
  /// where it is about to overwrite it, the left and upper-left cells travel
  /// as loop-carried scalars.
  void lowerByRows(Value B, Value scores) {
    Value row = allocBuffer(element, e.add(M, e.index(1)));
    e.loop(B, [&](Value b) {
      Value n = e.clampedLength(e.load(rows, {b}), N);
      Value m = e.clampedLength(e.load(cols, {b}), M);
      storeFirstRow(row, b, m);
      e.forLoop(
          e.index(1), e.add(n, e.index(1)), e.index(1), {},
          [&](Value i, ValueRange) {
            Value upperLeft = e.load(row, {e.index(0)});
            Value start = times(upperLeft, e.load(down, {b, i, e.index(0)}));
            e.store(start, row, {e.index(0)});
            e.forLoop(e.index(1), e.add(m, e.index(1)), e.index(1),
                      ValueRange{upperLeft, start},
                      [&](Value j, ValueRange carried) {
                        Value up = e.load(row, {j});
                        Value cell = buildNaNPropagatingSum(
                            rewriter, loc, semiring,
                            {times(carried[0], e.load(diagonal, {b, i, j})),
                             times(up, e.load(down, {b, i, j})),
                             times(carried[1], e.load(right, {b, i, j}))});
                        e.store(cell, row, {j});
                        return SmallVector<Value>{up, cell};
                      });
            return SmallVector<Value>();
          });
      e.store(e.load(row, {m}), scores, {b});
    });
  }
};

struct AlignmentToLoops : OpRewritePattern<AlignmentOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(AlignmentOp op,
                                PatternRewriter &rewriter) const override {
    AlignmentLowering(op, rewriter).lower();
    return success();
  }
};

} // namespace

void mlir::sdp::populateAlignmentToSCFPatterns(RewritePatternSet &patterns) {
  patterns.add<AlignmentToLoops>(patterns.getContext());
}
