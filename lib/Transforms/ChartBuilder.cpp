//===- ChartBuilder.cpp - span charts of the tree structures --------------===//

#include "ChartBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;

ChartBuilder::ChartBuilder(OpBuilder &b, Location loc, Attribute semiring,
                           Type elementType, Value batch, Value positions,
                           Value symbols)
    : StructureBuilder(b, loc, semiring, elementType), batch(batch),
      positions(positions), symbols(symbols) {}

SmallVector<OpFoldResult> ChartBuilder::chartSizes() {
  SmallVector<OpFoldResult> sizes{batch, positions, positions};
  if (symbols)
    sizes.push_back(symbols);
  return sizes;
}

Chart ChartBuilder::emptyChart(bool withStart, bool withEnd) {
  Chart chart;
  if (withStart)
    chart.byStart = fill(zeroElement(b, loc), chartSizes());
  if (withEnd)
    chart.byEnd = fill(zeroElement(b, loc), chartSizes());
  return chart;
}

Chart ChartBuilder::setWidth(Chart chart, Value w, Value values) {
  Value spans = arith::SubIOp::create(b, loc, positions, w);
  SmallVector<OpFoldResult> rowOffsets{attr(0), attr(0)};
  SmallVector<OpFoldResult> rowSizes{batch, spans};
  SmallVector<OpFoldResult> sizes{batch, attr(1), spans};
  if (symbols) {
    rowOffsets.push_back(attr(0));
    rowSizes.push_back(symbols);
    sizes.push_back(symbols);
  }
  Value row = slice(values, rowOffsets, rowSizes);
  auto at = [&](OpFoldResult widthIndex, OpFoldResult position) {
    SmallVector<OpFoldResult> offsets{attr(0), widthIndex, position};
    if (symbols)
      offsets.push_back(attr(0));
    return offsets;
  };
  if (chart.byStart)
    chart.byStart = insert(row, chart.byStart, at(w, attr(0)), sizes);
  if (chart.byEnd) {
    Value reversed = arith::SubIOp::create(b, loc, spans, index(1));
    chart.byEnd = insert(row, chart.byEnd, at(reversed, w), sizes);
  }
  return chart;
}

Value ChartBuilder::splitSum(const Chart &left, const Chart &right, Value w,
                             Value lo, Value hi, int64_t delta, StringRef spec,
                             unsigned rank) {
  assert(left.byStart && right.byEnd && "splitSum reads these layouts");
  Value spans = arith::SubIOp::create(b, loc, positions, w);
  Value count = arith::SubIOp::create(b, loc, hi, lo);
  // right(s + k + delta, s + w) has width w - k - delta: row
  // P - 1 - w + delta + k of byEnd, column s + w.
  Value first = arith::AddIOp::create(
      b, loc, arith::SubIOp::create(b, loc, spans, index(1 - delta)), lo);
  SmallVector<OpFoldResult> sizes{batch, count, spans};
  SmallVector<OpFoldResult> leftAt{attr(0), lo, attr(0)};
  SmallVector<OpFoldResult> rightAt{attr(0), first, w};
  if (symbols) {
    sizes.push_back(symbols);
    leftAt.push_back(attr(0));
    rightAt.push_back(attr(0));
  }
  Value lefts = slice(left.byStart, leftAt, sizes);
  Value rights = slice(right.byEnd, rightAt, sizes);
  return contract(spec, {lefts, rights}, rank);
}

Value ChartBuilder::diagonals(Value x, bool transposed) {
  Type i32Type = b.getI32Type();
  Value grid = fill(i32(0), {positions, positions});
  Value offsets =
      elementwise({grid}, {"ws"}, i32Type,
                  [&](OpBuilder &nb, Location l, ValueRange) -> Value {
                    Value sum = arith::AddIOp::create(
                        nb, l, linalg::IndexOp::create(nb, l, 0),
                        linalg::IndexOp::create(nb, l, 1));
                    return arith::IndexCastOp::create(nb, l, i32Type, sum);
                  });
  StringRef spec = transposed ? "bts,ws->bws" : "bst,ws->bws";
  return GatherOp::create(b, loc, dynamicType(3), b.getStringAttr(spec),
                          castToDynamicShape(b, loc, x), offsets);
}

SmallVector<Chart> ChartBuilder::fillByWidth(
    ArrayRef<Chart> charts, ArrayRef<Value> perWidth,
    llvm::function_ref<SmallVector<Chart>(Value, ArrayRef<Chart>,
                                          ArrayRef<Value>)>
        step) {
  // Flattened as (byStart?, byEnd?) per chart, in order.
  auto flatten = [](ArrayRef<Chart> cs) {
    SmallVector<Value> values;
    for (const Chart &c : cs) {
      if (c.byStart)
        values.push_back(c.byStart);
      if (c.byEnd)
        values.push_back(c.byEnd);
    }
    return values;
  };
  auto unflatten = [&](ValueRange values) {
    SmallVector<Chart> cs;
    unsigned k = 0;
    for (const Chart &c : charts) {
      Chart next;
      if (c.byStart)
        next.byStart = values[k++];
      if (c.byEnd)
        next.byEnd = values[k++];
      cs.push_back(next);
    }
    return cs;
  };
  // Widths 1 .. P - 1 (none when P = 1).
  Value widths = arith::SubIOp::create(b, loc, positions, index(1));
  SmallVector<Value> sequences;
  for (Value x : perWidth) {
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
    sizes[1] = widths;
    SmallVector<OpFoldResult> offsets(sizes.size(), attr(0));
    offsets[1] = attr(1);
    sequences.push_back(slice(x, offsets, sizes));
  }
  SmallVector<Value> inits = flatten(charts);
  auto scanOp = cast<ScanOp>(scan(inits, sequences, /*along=*/1));
  // Every chart cell is written once, by the step of its width, and a step
  // reads only shorter spans or its own width's: the adjoint needs no
  // per-step copy of the charts.
  scanOp.setWriteOnce(llvm::to_vector(llvm::seq<int64_t>(0, inits.size())));
  {
    OpBuilder::InsertionGuard guard(b);
    Block &body = scanOp.getBody().front();
    b.setInsertionPointToStart(&body);
    Value w = arith::AddIOp::create(b, loc, body.getArgument(0), index(1));
    SmallVector<Chart> next = step(
        w, unflatten(body.getArguments().slice(1, inits.size())),
        SmallVector<Value>(body.getArguments().drop_front(1 + inits.size())));
    YieldOp::create(b, loc, flatten(next));
  }
  return unflatten(scanOp.getResults());
}

Value ChartBuilder::pickPerBatch(Value x, Value idx) {
  return GatherOp::create(b, loc, dynamicType(1), b.getStringAttr("bw,b->b"), x,
                          idx);
}

Value ChartBuilder::spansFrom(const Chart &chart, Value s) {
  SmallVector<OpFoldResult> offsets{attr(0), attr(0), s};
  SmallVector<OpFoldResult> sizes{batch, positions, attr(1)};
  if (symbols) {
    offsets.push_back(attr(0));
    sizes.push_back(symbols);
  }
  return slice(chart.byStart, offsets, sizes, {2});
}

Value ChartBuilder::wholeSentence(const Chart &chart, Value lengths) {
  Type i32Type = b.getI32Type();
  Value lastWidth = elementwise(
      {lengths}, {"b"}, i32Type,
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        return arith::SubIOp::create(
            nb, l, args[0], arith::ConstantIntOp::create(nb, l, i32Type, 1));
      });
  StringRef spec = symbols ? "bwx,b->bx" : "bw,b->b";
  return GatherOp::create(b, loc, dynamicType(symbols ? 2 : 1),
                          b.getStringAttr(spec), spansFrom(chart, index(0)),
                          lastWidth);
}

Value mlir::sdp::buildBestIndicator(
    OpBuilder &b, Operation *anchor, StringRef name, ValueRange inputs,
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)> buildScore) {
  Location loc = anchor->getLoc();
  auto parent = anchor->getParentOfType<func::FuncOp>();
  Operation *symbolScope = SymbolTable::getNearestSymbolTable(parent);
  OpBuilder detached(b.getContext());
  auto helper = func::FuncOp::create(
      detached, loc, name, detached.getFunctionType(inputs.getTypes(), {}));
  helper.setPrivate();
  Block *entry = helper.addEntryBlock();
  OpBuilder hb = OpBuilder::atBlockBegin(entry);
  Value score = buildScore(hb, loc, entry->getArguments());
  func::ReturnOp::create(hb, loc, score);
  helper.setFunctionType(
      hb.getFunctionType(inputs.getTypes(), {score.getType()}));
  SymbolTable(symbolScope).insert(helper, Block::iterator(parent));

  auto floatType = cast<FloatType>(getElementTypeOrSelf(score.getType()));
  Value batch = tensor::DimOp::create(b, loc, inputs[0], 0);
  Value one = arith::ConstantOp::create(b, loc, floatType,
                                        b.getFloatAttr(floatType, 1.0));
  Value empty =
      tensor::EmptyOp::create(b, loc, {OpFoldResult(batch)}, floatType);
  Value ones =
      castTo(b, loc, linalg::FillOp::create(b, loc, one, empty).getResult(0),
             score.getType());
  auto vjp =
      VjpOp::create(b, loc, TypeRange{inputs[0].getType()},
                    FlatSymbolRefAttr::get(helper.getSymNameAttr()), inputs,
                    ValueRange{ones}, /*checkpoint_every=*/nullptr);
  return vjp.getResult(0);
}

Value mlir::sdp::indicatorToIndex(StructureBuilder &sb, Value indicator,
                                  StringRef spec, unsigned rank) {
  SmallVector<Value> best = sb.contractWithWitness(
      spec, {indicator}, rank, MaxSemiringAttr::get(sb.b.getContext()));
  StringRef letters = spec.split("->").second;
  return sb.elementwise(
      best, {letters, letters}, sb.b.getI32Type(),
      [&](OpBuilder &nb, Location l, ValueRange args) -> Value {
        Value half = arith::ConstantOp::create(
            nb, l, args[0].getType(), nb.getFloatAttr(args[0].getType(), 0.5));
        Value chosen = arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT,
                                             args[0], half);
        Value none = arith::ConstantIntOp::create(nb, l, nb.getI32Type(), -1);
        return arith::SelectOp::create(nb, l, chosen, args[1], none);
      });
}
