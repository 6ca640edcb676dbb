//===- ArborescenceToSCF.cpp - sdp.max_arborescence as loops --------------===//
//
// Chu-Liu-Edmonds on dense matrices, one sentence at a time, with no
// recursion: every node picks its best incoming arc; if the picks close
// cycles, each cycle becomes one node and an arc u -> v entering a cycle
// is re-scored by subtracting the cycle arc it would replace into v; repeat
// on the smaller graph (a new "level") until no cycle is left. The top
// level's picks are then expanded downwards: a cycle node's chosen arc
// enters one member, which takes it, and the other members keep their
// cycle arcs.
//
// Scores are float64 (differences of differences stay exact enough) paired
// with an exact integer count of root arcs; pairs compare by fewer root
// arcs first, which gives a single root child whenever one is possible.
// CLE only needs an ordered group, and these pairs are one. An absent arc
// is -inf in the float part and is never re-scored, so no inf - inf arises.
//
// Per sentence of n + 1 nodes, at most n levels of O(n²) work each. Every
// buffer is allocated once for the batch, sized by N + 1.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToSCF.h"

#include "../Utils/Emitter.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "sdp/Dialect/SdpOps.h"

#include <cfloat>
#include <limits>

using namespace mlir;
using namespace mlir::sdp;
using arith::CmpFPredicate;
using arith::CmpIPredicate;

namespace {

constexpr int64_t kDyn = ShapedType::kDynamic;

struct ArborescenceLowering {
  MaxArborescenceOp op;
  PatternRewriter &rewriter;
  Location loc;
  Emitter e;

  /// Per level pair [2, N + 1, N + 1] (ping-pong between levels): the arc
  /// scores between the level's nodes, their root-arc counts, and the
  /// original arc (head, modifier) each one stands for.
  Value score, rootArcs, origHead, origMod;
  /// Per level [N + 2, N + 1]: each node's chosen incoming arc (its head at
  /// the level, and the original arc), the node it becomes one level up,
  /// whether a node is a contracted cycle, the level node holding each
  /// original node, and the arc each node finally takes.
  Value pick, pickHead, pickMod, up, isCycle, holder, finalHead, finalMod;
  /// Per level [N + 2]: its number of nodes.
  Value levelSize;
  /// Per node scratch [N + 1] of the cycle search and the renumbering.
  Value stamp, cycleOf, newIdOfCycle;

  ArborescenceLowering(MaxArborescenceOp op, PatternRewriter &rewriter)
      : op(op), rewriter(rewriter), loc(op.getLoc()), e{rewriter, loc} {}

  Value idx(Value memref, ValueRange at) { return e.load(memref, at); }
  Value eq(Value x, Value y) { return e.cmpi(CmpIPredicate::eq, x, y); }
  Value ne(Value x, Value y) { return e.cmpi(CmpIPredicate::ne, x, y); }
  Value lt(Value x, Value y) { return e.cmpi(CmpIPredicate::slt, x, y); }
  Value notOf(Value x) {
    return arith::XOrIOp::create(rewriter, loc, x, e.boolean(true));
  }
  Value f64(double v) { return e.f64(v); }
  Value minusInf() { return f64(-std::numeric_limits<double>::infinity()); }
  Value present(Value s) { return e.cmpf(CmpFPredicate::OGT, s, minusInf()); }
  /// (r, s) better than (bestR, bestS): fewer root arcs, then higher score.
  Value better(Value r, Value s, Value bestR, Value bestS) {
    return e.ori(lt(r, bestR),
                 e.andi(eq(r, bestR), e.cmpf(CmpFPredicate::OGT, s, bestS)));
  }

  Value indexBuffer(ArrayRef<Value> sizes) {
    SmallVector<int64_t> shape(sizes.size(), kDyn);
    return memref::AllocOp::create(
        rewriter, loc, MemRefType::get(shape, rewriter.getIndexType()), sizes);
  }

  void lower() {
    Value arcs = e.buffer(op.getArcs());
    Value lengths = e.buffer(op.getLengths());
    Value B = e.dim(arcs, 0), nodes = e.dim(arcs, 1);
    Value levels = e.add(nodes, e.index(1));
    auto headsType = cast<RankedTensorType>(op.getHeads().getType());
    SmallVector<Value> headSizes;
    if (headsType.isDynamicDim(0))
      headSizes.push_back(B);
    if (headsType.isDynamicDim(1))
      headSizes.push_back(nodes);
    Value heads = e.alloc(headsType, headSizes);

    score = memref::AllocOp::create(
        rewriter, loc, MemRefType::get({2, kDyn, kDyn}, rewriter.getF64Type()),
        ValueRange{nodes, nodes});
    auto pairIndexBuffer = [&] {
      return memref::AllocOp::create(
          rewriter, loc,
          MemRefType::get({2, kDyn, kDyn}, rewriter.getIndexType()),
          ValueRange{nodes, nodes});
    };
    rootArcs = pairIndexBuffer();
    origHead = pairIndexBuffer();
    origMod = pairIndexBuffer();
    for (Value *buffer : {&pick, &pickHead, &pickMod, &up, &isCycle, &holder,
                          &finalHead, &finalMod})
      *buffer = indexBuffer({levels, nodes});
    levelSize = indexBuffer({levels});
    stamp = indexBuffer({nodes});
    cycleOf = indexBuffer({nodes});
    newIdOfCycle = indexBuffer({nodes});

    Value minusOne = e.i32(-1);
    e.loop(B, [&](Value b) {
      e.loop(nodes, [&](Value m) { e.store(minusOne, heads, {b, m}); });
      // n = lengths[b] clamped to [1, N]; nothing to do without words (N =
      // 0) or without even the root (the verifier rejects a static 0).
      Value last = e.sub(nodes, e.index(1));
      Value n =
          e.minsi(e.maxsi(e.toIndex(e.load(lengths, {b})), e.index(1)), last);
      e.when(e.cmpi(CmpIPredicate::sgt, nodes, e.index(0)),
             [&] { lowerSentence(arcs, b, e.add(n, e.index(1)), heads); });
    });
    Value result = e.tensorOf(heads, headsType);
    // Buffer deallocation (after bufferization) frees the scratch buffers.
    rewriter.replaceOp(op, result);
  }

  /// Level 0: the sentence's arcs (nodes 0..V-1) in float64.
  void loadArcs(Value arcs, Value b, Value V) {
    Value zero = e.index(0), one = e.index(1);
    Value largest = f64(FLT_MAX);
    bool multiRoot = op.getMultiRoot();
    e.loopNest({V, V}, [&](ArrayRef<Value> hm) {
      Value h = hm[0], m = hm[1];
      Value a = e.load(arcs, {b, h, m});
      if (!a.getType().isF64())
        a = arith::ExtFOp::create(rewriter, loc, rewriter.getF64Type(), a);
      a = e.select(e.cmpf(CmpFPredicate::OEQ, a,
                          f64(std::numeric_limits<double>::infinity())),
                   largest, a);
      Value valid = e.andi(e.andi(e.cmpi(CmpIPredicate::sge, m, one), ne(h, m)),
                           present(a));
      e.store(e.select(valid, a, minusInf()), score, {zero, h, m});
      Value fromRoot = multiRoot ? e.boolean(false) : eq(h, zero);
      e.store(e.select(fromRoot, one, zero), rootArcs, {zero, h, m});
      e.store(h, origHead, {zero, h, m});
      e.store(m, origMod, {zero, h, m});
    });
    e.loop(V, [&](Value o) { e.store(o, holder, {zero, o}); });
  }

  /// Every non-root node of `level` (k nodes, pair slot p) picks its best
  /// incoming arc; false when some node has none.
  Value pickIncoming(Value level, Value k, Value p) {
    Value one = e.index(1);
    // The root picks nothing; 0 keeps reads of its pick in bounds.
    e.store(e.index(0), pick, {level, e.index(0)});
    return e.forLoop(
        one, k, one, {e.boolean(true)},
        [&](Value v, ValueRange feasible) -> SmallVector<Value> {
          SmallVector<Value> best = e.forLoop(
              e.index(0), k, one, {minusInf(), e.index(0), e.index(-1)},
              [&](Value u, ValueRange acc) -> SmallVector<Value> {
                Value s = idx(score, {p, u, v});
                Value r = idx(rootArcs, {p, u, v});
                Value none = lt(acc[2], e.index(0));
                Value take = e.andi(e.andi(ne(u, v), present(s)),
                                    e.ori(none, better(r, s, acc[1], acc[0])));
                return {e.select(take, s, acc[0]), e.select(take, r, acc[1]),
                        e.select(take, u, acc[2])};
              });
          Value found = e.cmpi(CmpIPredicate::sge, best[2], e.index(0));
          Value head = e.maxsi(best[2], e.index(0));
          e.store(head, pick, {level, v});
          e.store(idx(origHead, {p, head, v}), pickHead, {level, v});
          e.store(idx(origMod, {p, head, v}), pickMod, {level, v});
          return {e.andi(feasible[0], found)};
        })[0];
  }

  /// Marks the cycles of the picks (cycleOf[v] = its cycle's number, -1
  /// off cycles); returns how many there are.
  Value findCycles(Value level, Value k) {
    Value minusOne = e.index(-1), one = e.index(1);
    e.loop(k, [&](Value x) {
      e.store(minusOne, stamp, {x});
      e.store(minusOne, cycleOf, {x});
    });
    e.store(k, stamp, {e.index(0)});
    return e.forLoop(
        one, k, one, {e.index(0)},
        [&](Value v, ValueRange count) -> SmallVector<Value> {
          // Follow the picks from v until a node stamped before (by v: a new
          // cycle; by an earlier walk or the root: none).
          auto walk = scf::WhileOp::create(
              rewriter, loc, TypeRange{rewriter.getIndexType()}, ValueRange{v},
              [&](OpBuilder &nb, Location l, ValueRange x) {
                Emitter be{nb, l};
                scf::ConditionOp::create(nb, l,
                                         be.cmpi(CmpIPredicate::slt,
                                                 be.load(stamp, {x[0]}),
                                                 be.index(0)),
                                         x);
              },
              [&](OpBuilder &nb, Location l, ValueRange x) {
                Emitter be{nb, l};
                be.store(v, stamp, {x[0]});
                scf::YieldOp::create(nb, l,
                                     ValueRange{be.load(pick, {level, x[0]})});
              });
          Value x = walk.getResult(0);
          Value closes = eq(idx(stamp, {x}), v);
          auto ifCycle = scf::IfOp::create(
              rewriter, loc, TypeRange{rewriter.getIndexType()}, closes,
              /*withElseRegion=*/true);
          {
            OpBuilder::InsertionGuard guard(rewriter);
            rewriter.setInsertionPointToStart(ifCycle.thenBlock());
            // Number the cycle's members: y = x; do { mark y; y = pick[y] }
            // while (y != x).
            scf::WhileOp::create(
                rewriter, loc, TypeRange{rewriter.getIndexType()},
                ValueRange{x},
                [&](OpBuilder &nb, Location l, ValueRange y) {
                  Emitter be{nb, l};
                  be.store(count[0], cycleOf, {y[0]});
                  Value next = be.load(pick, {level, y[0]});
                  scf::ConditionOp::create(nb, l,
                                           be.cmpi(CmpIPredicate::ne, next, x),
                                           ValueRange{next});
                },
                [&](OpBuilder &nb, Location l, ValueRange y) {
                  scf::YieldOp::create(nb, l, y);
                });
            scf::YieldOp::create(rewriter, loc,
                                 ValueRange{e.add(count[0], one)});
            rewriter.setInsertionPointToStart(ifCycle.elseBlock());
            scf::YieldOp::create(rewriter, loc, ValueRange{count[0]});
          }
          return {ifCycle.getResult(0)};
        })[0];
  }

  /// Builds level + 1 from `level` (k nodes, `cycles` cycles, pair slot p):
  /// renumbers the nodes (each cycle one node), re-scores the arcs into
  /// cycles and keeps the best arc between each pair of new nodes. Returns
  /// the new number of nodes.
  Value contract(Value level, Value k, Value cycles, Value p, Value V) {
    Value zero = e.index(0), one = e.index(1), minusOne = e.index(-1);
    Value nextLevel = e.add(level, one);
    Value q = e.sub(one, p);
    e.loop(k, [&](Value w) { e.store(zero, isCycle, {nextLevel, w}); });
    e.loop(cycles, [&](Value c) { e.store(minusOne, newIdOfCycle, {c}); });
    // New numbers in order of first appearance, so a node's number never
    // exceeds its old one; the root stays 0.
    Value next = e.forLoop(
        zero, k, one, {zero},
        [&](Value v, ValueRange acc) -> SmallVector<Value> {
          Value c = idx(cycleOf, {v});
          Value onCycle = e.cmpi(CmpIPredicate::sge, c, zero);
          Value slot = e.maxsi(c, zero);
          Value known = idx(newIdOfCycle, {slot});
          Value fresh = e.ori(notOf(onCycle), lt(known, zero));
          Value id = e.select(fresh, acc[0], known);
          e.when(e.andi(onCycle, fresh),
                 [&] { e.store(acc[0], newIdOfCycle, {slot}); });
          e.when(onCycle, [&] { e.store(one, isCycle, {nextLevel, id}); });
          e.store(id, up, {level, v});
          return {e.add(acc[0], e.select(fresh, one, zero))};
        })[0];
    e.loopNest({next, next}, [&](ArrayRef<Value> uw) {
      e.store(minusInf(), score, {q, uw[0], uw[1]});
    });
    e.loopNest({k, k}, [&](ArrayRef<Value> uv) {
      Value u = uv[0], v = uv[1];
      Value U = idx(up, {level, u}), W = idx(up, {level, v});
      Value s = idx(score, {p, u, v});
      Value r = idx(rootArcs, {p, u, v});
      // An arc into a cycle replaces the cycle arc into its modifier.
      Value intoCycle = e.cmpi(CmpIPredicate::sge, idx(cycleOf, {v}), zero);
      Value replaced = idx(pick, {level, v});
      s = e.select(intoCycle, e.sub(s, idx(score, {p, replaced, v})), s);
      r = e.select(intoCycle, e.sub(r, idx(rootArcs, {p, replaced, v})), r);
      Value bestS = idx(score, {q, U, W});
      Value bestR = idx(rootArcs, {q, U, W});
      Value keep =
          e.andi(e.andi(ne(U, W), present(idx(score, {p, u, v}))),
                 e.ori(notOf(present(bestS)), better(r, s, bestR, bestS)));
      e.when(keep, [&] {
        e.store(s, score, {q, U, W});
        e.store(r, rootArcs, {q, U, W});
        e.store(idx(origHead, {p, u, v}), origHead, {q, U, W});
        e.store(idx(origMod, {p, u, v}), origMod, {q, U, W});
      });
    });
    e.loop(V, [&](Value o) {
      e.store(idx(up, {level, idx(holder, {level, o})}), holder,
              {nextLevel, o});
    });
    return next;
  }

  /// The arcs the nodes of level 0 take: the top level's picks, and below
  /// it, each cycle member keeps its pick unless its cycle's arc enters it.
  void expand(Value top, Value topSize) {
    Value one = e.index(1);
    e.forLoop(one, topSize, one, {}, [&](Value v, ValueRange) {
      e.store(idx(pickHead, {top, v}), finalHead, {top, v});
      e.store(idx(pickMod, {top, v}), finalMod, {top, v});
      return SmallVector<Value>();
    });
    e.loop(top, [&](Value i) {
      Value level = e.sub(e.sub(top, i), one);
      Value above = e.add(level, one);
      e.forLoop(
          one, idx(levelSize, {level}), one, {}, [&](Value v, ValueRange) {
            Value c = idx(up, {level, v});
            Value head = idx(finalHead, {above, c});
            Value mod = idx(finalMod, {above, c});
            Value keepsPick = e.andi(ne(idx(isCycle, {above, c}), e.index(0)),
                                     ne(idx(holder, {level, mod}), v));
            e.store(e.select(keepsPick, idx(pickHead, {level, v}), head),
                    finalHead, {level, v});
            e.store(e.select(keepsPick, idx(pickMod, {level, v}), mod),
                    finalMod, {level, v});
            return SmallVector<Value>();
          });
    });
  }

  void lowerSentence(Value arcs, Value b, Value V, Value heads) {
    Value zero = e.index(0), one = e.index(1);
    loadArcs(arcs, b, V);
    Type indexType = rewriter.getIndexType(), i1 = rewriter.getI1Type();
    auto levels = scf::WhileOp::create(
        rewriter, loc, TypeRange{indexType, indexType, i1},
        ValueRange{zero, V, e.boolean(true)},
        [&](OpBuilder &nb, Location l, ValueRange args) {
          OpBuilder::InsertionGuard guard(rewriter);
          rewriter.setInsertionPoint(nb.getInsertionBlock(),
                                     nb.getInsertionPoint());
          Value level = args[0], k = args[1];
          Value p = arith::RemUIOp::create(rewriter, loc, level, e.index(2));
          e.store(k, levelSize, {level});
          Value feasible = pickIncoming(level, k, p);
          Value cycles = findCycles(level, k);
          Value again =
              e.andi(feasible, e.cmpi(CmpIPredicate::sgt, cycles, zero));
          auto ifAgain =
              scf::IfOp::create(rewriter, loc, TypeRange{indexType, indexType},
                                again, /*withElseRegion=*/true);
          rewriter.setInsertionPointToStart(ifAgain.thenBlock());
          Value smaller = contract(level, k, cycles, p, V);
          scf::YieldOp::create(rewriter, loc,
                               ValueRange{e.add(level, one), smaller});
          rewriter.setInsertionPointToStart(ifAgain.elseBlock());
          scf::YieldOp::create(rewriter, loc, ValueRange{level, k});
          rewriter.setInsertionPointAfter(ifAgain);
          scf::ConditionOp::create(
              rewriter, loc, again,
              ValueRange{ifAgain.getResult(0), ifAgain.getResult(1), feasible});
        },
        [&](OpBuilder &nb, Location l, ValueRange args) {
          scf::YieldOp::create(nb, l, args);
        });
    Value top = levels.getResult(0), topSize = levels.getResult(1);
    Value feasible = levels.getResult(2);
    e.when(feasible, [&] {
      expand(top, topSize);
      Value rootChildren =
          e.forLoop(one, V, one, {zero}, [&](Value v, ValueRange acc) {
            Value fromRoot = eq(idx(finalHead, {zero, v}), zero);
            return SmallVector<Value>{
                e.add(acc[0], e.select(fromRoot, one, zero))};
          })[0];
      Value valid = op.getMultiRoot() ? e.boolean(true) : eq(rootChildren, one);
      e.when(valid, [&] {
        e.forLoop(one, V, one, {}, [&](Value v, ValueRange) {
          e.store(e.toI32(idx(finalHead, {zero, v})), heads, {b, v});
          return SmallVector<Value>();
        });
      });
    });
  }
};

struct MaxArborescenceToLoops : OpRewritePattern<MaxArborescenceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxArborescenceOp op,
                                PatternRewriter &rewriter) const override {
    ArborescenceLowering(op, rewriter).lower();
    return success();
  }
};

} // namespace

void mlir::sdp::populateArborescenceToSCFPatterns(RewritePatternSet &patterns) {
  patterns.add<MaxArborescenceToLoops>(patterns.getContext());
}
