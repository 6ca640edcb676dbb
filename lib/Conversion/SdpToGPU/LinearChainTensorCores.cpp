//===- LinearChainTensorCores.cpp - factored log chains on tensor cores ---===//
//
// The factored log-semiring step alpha' = log(exp(alpha - shift) · P) + shift
// + colmax + emissions is a real GEMM once 16 sequences share a block: their
// exp-shifted forward vectors form the [16 × C] left operand, P = exp(
// transitions - colmax) the right one. WMMA m16n16k8 multiplies in TF32
// (10-bit mantissa); splitting each operand into a TF32 head and a TF32 tail
// and summing the three significant products (3xTF32) keeps float32
// accuracy.
//
// Operand layouts keep every WMMA leading dimension static: the left operand
// is stored as consecutive 16×8 tiles, P as consecutive 8×16 tiles, the
// products as consecutive 16×16 tiles.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

namespace {

constexpr int64_t kRows = 16;  // sequences per block: WMMA's M
constexpr int64_t kTileN = 16; // WMMA's N
constexpr int64_t kTileK = 8;  // WMMA's K for TF32
constexpr int64_t kWarps = 4;  // tensor-core warps per block
constexpr int64_t kThreads = 32 * kWarps;
constexpr int64_t kParts = kThreads / kRows; // threads per sequence row

Value divui(Emitter &e, Value x, int64_t y) {
  return arith::DivUIOp::create(e.b, e.loc, x, e.index(y));
}
Value remui(Emitter &e, Value x, int64_t y) {
  return arith::RemUIOp::create(e.b, e.loc, x, e.index(y));
}

/// then() when `condition` holds, else `otherwise`: guards loads that would
/// read past a buffer.
Value valueIf(Emitter &e, Value condition, function_ref<Value()> then,
              Value otherwise) {
  auto ifOp = scf::IfOp::create(
      e.b, e.loc, condition,
      [&](OpBuilder &nb, Location) {
        OpBuilder::InsertionGuard guard(e.b);
        e.b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
        scf::YieldOp::create(e.b, e.loc, then());
      },
      [&](OpBuilder &nb, Location) {
        scf::YieldOp::create(nb, e.loc, otherwise);
      });
  return ifOp.getResult(0);
}

/// x rounded to the nearest TF32 value (the low 13 mantissa bits cleared),
/// still an f32: the head of a 3xTF32 split, and the tail rounded the same
/// way. Adding half an ulp to the bits rounds the magnitude, whatever the
/// sign; a carry into the exponent is the correct rounding up. A NaN stays
/// itself (its bits could carry into the sign, or round to an infinity).
Value roundToTF32(Emitter &e, Value x) {
  Type i32 = e.b.getI32Type();
  Value bits = arith::BitcastOp::create(e.b, e.loc, i32, x);
  bits = arith::AddIOp::create(e.b, e.loc, bits, e.i32(0x1000));
  bits = e.andi(bits, e.i32(-0x2000));
  Value rounded = arith::BitcastOp::create(e.b, e.loc, x.getType(), bits);
  return e.select(e.cmpf(arith::CmpFPredicate::UNO, x, x), x, rounded);
}

/// The ⊕ of `value` over the kParts consecutive lanes that share a sequence
/// row (butterfly shuffles); every lane gets the result.
Value reduceRow(KernelEmitter &k, Value value,
                function_ref<Value(Value, Value)> combine) {
  for (int32_t offset = kParts / 2; offset >= 1; offset /= 2) {
    Value other = gpu::ShuffleOp::create(k.b, k.loc, value, offset,
                                         /*width=*/32, gpu::ShuffleMode::XOR)
                      .getShuffleResult();
    value = combine(value, other);
  }
  return value;
}

/// A view of `count` rows of `columns` f32 at byte `offset` of the launch's
/// dynamic shared memory.
Value sharedTiles(Emitter &e, Value raw, Value offset, Value rows,
                  int64_t columns) {
  auto workgroup = gpu::AddressSpaceAttr::get(e.b.getContext(),
                                              gpu::AddressSpace::Workgroup);
  auto type = MemRefType::get({kDyn, columns}, e.b.getF32Type(),
                              MemRefLayoutAttrInterface(), workgroup);
  return memref::ViewOp::create(e.b, e.loc, type, raw, offset,
                                ValueRange{rows});
}

} // namespace

Value mlir::sdp::gpu_lowering::tensorCoreStates(Emitter &e, Value states) {
  return e.mul(arith::CeilDivUIOp::create(e.b, e.loc, states, e.index(kTileN)),
               e.index(kTileN));
}

void mlir::sdp::gpu_lowering::launchTensorCoreForward(
    OpBuilder &rewriter, Location loc, const FactoredChain &chain) {
  Emitter e{rewriter, loc};
  Type f32 = rewriter.getF32Type();
  Value C = chain.C, one = e.index(1);
  Value paddedC = tensorCoreStates(e, C);
  Value kTiles = divui(e, paddedC, kTileK), nTiles = divui(e, paddedC, kTileN);

  // P in 8×16 tiles, tile (kt, nt) at rows (kt * nTiles + nt) * 8, as the
  // TF32 head and tail of each entry; zero beyond C.
  auto tilesType = MemRefType::get({kDyn, kTileN}, f32);
  Value tileRows = e.mul(e.mul(kTiles, nTiles), e.index(kTileK));
  DeviceBuffers split{e};
  Value head = split.alloc(tilesType, tileRows);
  Value tail = split.alloc(tilesType, tileRows);
  launchPerIndex(
      rewriter, loc, e.mul(paddedC, paddedC), [&](KernelEmitter &k, Value at) {
        Value i = arith::DivUIOp::create(rewriter, loc, at, paddedC);
        Value j = arith::RemUIOp::create(rewriter, loc, at, paddedC);
        Value inside = k.andi(k.cmpi(arith::CmpIPredicate::ult, i, C),
                              k.cmpi(arith::CmpIPredicate::ult, j, C));
        Value p = valueIf(
            k, inside,
            [&] {
              return k.load(chain.expTransitions, {i, j});
            },
            k.floatConst(f32, 0.0));
        Value hi = roundToTF32(k, p);
        Value lo = roundToTF32(k, k.subf(p, hi));
        Value tile =
            k.add(k.mul(divui(k, i, kTileK), nTiles), divui(k, j, kTileN));
        Value row = k.add(k.mul(tile, k.index(kTileK)), remui(k, i, kTileK));
        Value column = remui(k, j, kTileN);
        k.store(hi, head, {row, column});
        k.store(lo, tail, {row, column});
      });

  // The forward kernel: 16 sequences per block. Shared memory holds, per
  // block, alpha [16 × C'] row-major, the head and tail of exp(alpha -
  // shift) in 16×8 tiles, and the GEMM's product in 16×16 tiles: four
  // [16 × C'] f32 arrays.
  Value rowsBytes = e.mul(paddedC, e.index(kRows * 4));
  Value blocks =
      arith::CeilDivUIOp::create(rewriter, loc, chain.B, e.index(kRows));
  Value sharedBytes = e.toI32(e.mul(rowsBytes, e.index(4)));
  launchKernel(
      rewriter, loc, blocks, e.index(kThreads), sharedBytes,
      [&](KernelEmitter &k, Value block) {
        Value zero = k.index(0), minusInf = k.floatConst(f32, -INFINITY);
        auto workgroup = gpu::AddressSpaceAttr::get(
            rewriter.getContext(), gpu::AddressSpace::Workgroup);
        Value raw = gpu::DynamicSharedMemoryOp::create(
            rewriter, loc,
            MemRefType::get({kDyn}, rewriter.getI8Type(),
                            MemRefLayoutAttrInterface(), workgroup));
        Value alpha = memref::ViewOp::create(
            rewriter, loc,
            MemRefType::get({kDyn}, f32, MemRefLayoutAttrInterface(),
                            workgroup),
            raw, zero, ValueRange{k.mul(paddedC, k.index(kRows))});
        Value aRows = k.mul(kTiles, k.index(kRows));
        Value aHead = sharedTiles(k, raw, rowsBytes, aRows, kTileK);
        Value aTail =
            sharedTiles(k, raw, k.mul(rowsBytes, k.index(2)), aRows, kTileK);
        Value product = sharedTiles(k, raw, k.mul(rowsBytes, k.index(3)),
                                    k.mul(nTiles, k.index(kRows)), kTileN);

        // Thread (s, part) owns columns j = part + kParts * q of row s.
        Value s = divui(k, k.tid, kParts), part = remui(k, k.tid, kParts);
        Value warp = divui(k, k.tid, 32);
        Value firstSequence = k.mul(block, k.index(kRows));
        Value b = k.add(firstSequence, s);
        auto lengthOf = [&](Value sequence) {
          // Sequence length clamped to [1, T]; 0 for rows past the batch.
          return valueIf(
              k, k.cmpi(arith::CmpIPredicate::ult, sequence, chain.B),
              [&] {
                Value n = k.toIndex(k.load(chain.lengths, {sequence}));
                n = k.select(k.cmpi(arith::CmpIPredicate::slt, n, one), one, n);
                return k.minsi(n, chain.T);
              },
              zero);
        };
        Value n = lengthOf(b);
        Value active = k.cmpi(arith::CmpIPredicate::ult, b, chain.B);
        Value steps = k.fold(k.index(kRows), zero, [&](Value most, Value r) {
          return k.maxsi(most, lengthOf(k.add(firstSequence, r)));
        });
        auto column = [&](Value q) {
          return k.add(part, k.mul(q, k.index(kParts)));
        };
        auto alphaAt = [&](Value j) { return k.add(k.mul(s, paddedC), j); };
        auto inRange = [&](Value j) {
          return k.cmpi(arith::CmpIPredicate::ult, j, C);
        };
        auto maxOf = [&](Value x, Value y) { return k.maxf(x, y); };
        // exp(alpha - shift) of the thread's columns, split into the A tiles:
        // column j = part + 8q is tile q's column `part`.
        auto storeExpShifted = [&](Value shift) {
          k.loop(kTiles, [&](Value q) {
            Value x = k.exp(k.subf(k.load(alpha, {alphaAt(column(q))}), shift));
            Value hi = roundToTF32(k, x);
            Value row = k.add(k.mul(q, k.index(kRows)), s);
            k.store(hi, aHead, {row, part});
            k.store(roundToTF32(k, k.subf(x, hi)), aTail, {row, part});
          });
        };

        // alpha[s, j] = value(q, j) for the thread's columns, then the row's
        // shift (its maximum, by shuffles) and the exp-shifted A tiles; returns
        // the shift after a barrier.
        auto setRow = [&](function_ref<Value(Value, Value)> value) {
          Value rowMax = k.fold(kTiles, minusInf, [&](Value most, Value q) {
            Value j = column(q);
            Value a = value(q, j);
            k.store(a, alpha, {alphaAt(j)});
            return k.maxf(most, a);
          });
          Value shift = k.finiteShift(reduceRow(k, rowMax, maxOf));
          storeExpShifted(shift);
          k.barrier();
          return shift;
        };

        // Sequences of no step (T = 0) score 0̄.
        Value firstPart = k.cmpi(arith::CmpIPredicate::eq, part, zero);
        auto ifSteps = scf::IfOp::create(
            rewriter, loc, k.cmpi(arith::CmpIPredicate::sgt, chain.T, zero),
            /*withElseRegion=*/true);
        rewriter.setInsertionPointToStart(ifSteps.elseBlock());
        k.when(k.andi(active, firstPart),
               [&] { k.store(minusInf, chain.scores, {b}); });
        rewriter.setInsertionPointToStart(ifSteps.thenBlock());

        Value shift = setRow([&](Value, Value j) {
          return valueIf(
              k, k.andi(active, inRange(j)),
              [&] {
                return k.addf(k.load(chain.start, {j}),
                              k.load(chain.emissions, {b, zero, j}));
              },
              minusInf);
        });

        k.forLoop(one, steps, one, shift, [&](Value t, ValueRange carried) {
          Value shift = carried[0];
          // product[16 × C'] = exp-shifted alpha · P, one 16×16 tile per warp
          // at a time; the small products first.
          auto aType = gpu::MMAMatrixType::get({kRows, kTileK}, f32, "AOp");
          auto bType = gpu::MMAMatrixType::get({kTileK, kTileN}, f32, "BOp");
          auto cType = gpu::MMAMatrixType::get({kRows, kTileN}, f32, "COp");
          auto leading = [&](int64_t n) { return rewriter.getIndexAttr(n); };
          k.forLoop(
              warp, nTiles, k.index(kWarps), {}, [&](Value nt, ValueRange) {
                Value init = gpu::SubgroupMmaConstantMatrixOp::create(
                    rewriter, loc, cType, k.floatConst(f32, 0.0));
                Value sum = k.forLoop(
                    zero, kTiles, one, init, [&](Value kt, ValueRange acc) {
                      Value aRow = k.mul(kt, k.index(kRows));
                      Value bRow =
                          k.mul(k.add(k.mul(kt, nTiles), nt), k.index(kTileK));
                      auto loadA = [&](Value tiles) {
                        return gpu::SubgroupMmaLoadMatrixOp::create(
                            rewriter, loc, aType, tiles, ValueRange{aRow, zero},
                            leading(kTileK), UnitAttr());
                      };
                      auto loadB = [&](Value tiles) {
                        return gpu::SubgroupMmaLoadMatrixOp::create(
                            rewriter, loc, bType, tiles, ValueRange{bRow, zero},
                            leading(kTileN), UnitAttr());
                      };
                      Value aHi = loadA(aHead), aLo = loadA(aTail);
                      Value bHi = loadB(head), bLo = loadB(tail);
                      auto mma = [&](Value x, Value y, Value c) -> Value {
                        return gpu::SubgroupMmaComputeOp::create(
                            rewriter, loc, x, y, c, UnitAttr(), UnitAttr());
                      };
                      Value c = mma(aLo, bHi, acc[0]);
                      c = mma(aHi, bLo, c);
                      return SmallVector<Value>{mma(aHi, bHi, c)};
                    })[0];
                gpu::SubgroupMmaStoreMatrixOp::create(
                    rewriter, loc, sum, product,
                    ValueRange{k.mul(nt, k.index(kRows)), zero},
                    leading(kTileN), UnitAttr());
                return SmallVector<Value>();
              });
          k.barrier();

          // alpha' = log(product) + shift + colmax + emissions; sequences past
          // their length keep alpha.
          Value live = k.cmpi(arith::CmpIPredicate::slt, t, n);
          Value next = setRow([&](Value q, Value j) {
            Value old = k.load(alpha, {alphaAt(j)});
            return valueIf(
                k, k.andi(live, inRange(j)),
                [&] {
                  Value row = k.add(k.mul(divui(k, q, 2), k.index(kRows)), s);
                  Value col =
                      k.add(k.mul(remui(k, q, 2), k.index(kParts)), part);
                  Value sum = k.load(product, {row, col});
                  return k.addf(k.addf(k.log(sum), shift),
                                k.addf(k.load(chain.columnMax, {j}),
                                       k.load(chain.emissions, {b, t, j})));
                },
                old);
          });
          return SmallVector<Value>{next};
        });

        // log Σ_j exp(alpha[j] + end[j]), the row's lanes combining by
        // shuffles.
        auto final = [&](Value q, function_ref<Value(Value)> use,
                         Value outside) {
          Value j = column(q);
          return valueIf(
              k, inRange(j),
              [&] {
                return use(k.addf(k.load(alpha, {alphaAt(j)}),
                                  k.load(chain.end, {j})));
              },
              outside);
        };
        Value most = k.fold(kTiles, minusInf, [&](Value acc, Value q) {
          return k.maxf(acc, final(
                                 q, [](Value x) { return x; }, minusInf));
        });
        Value finalShift = k.finiteShift(reduceRow(k, most, maxOf));
        Value sum =
            k.fold(kTiles, k.floatConst(f32, 0.0), [&](Value acc, Value q) {
              return k.addf(
                  acc,
                  final(
                      q, [&](Value x) { return k.exp(k.subf(x, finalShift)); },
                      k.floatConst(f32, 0.0)));
            });
        sum = reduceRow(k, sum, [&](Value x, Value y) { return k.addf(x, y); });
        k.when(k.andi(active, firstPart), [&] {
          k.store(k.addf(k.log(sum), finalShift), chain.scores, {b});
        });
      });
  split.freeAll();
}
