//===- ElementwiseAdjoint.cpp - adjoints of element-wise linalg.generic ---===//
//
// For a linalg.generic whose loops are all parallel, the cotangent of input
// i is, at each point, Σ_r cotangent_r · ∂yield_r/∂arg_i, summed over the
// loops input i does not index (it was broadcast). The partial derivative is
// derived by forward-mode differentiation of the scalar body, emitted inside
// one new linalg.generic per input next to a copy of the primal body.
//
//===----------------------------------------------------------------------===//

#include "AdjointEmitter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::adjoint;

namespace {

/// Forward-mode derivative of a scalar body with respect to one argument.
class TangentBuilder {
public:
  TangentBuilder(Emitter &e, OpBuilder &b, Location loc)
      : e(e), b(b), loc(loc) {}

  /// Uses `value` for `op`'s result instead of recomputing it.
  void reuse(Operation *op, Value value) { reused[op] = value; }

  /// Clones `op` (operands through `mapping`) and records its tangent.
  LogicalResult step(Operation &op, IRMapping &mapping) {
    Value out;
    if (Value value = reused.lookup(&op)) {
      mapping.map(op.getResult(0), value);
      out = value;
    } else {
      Operation *copy = b.clone(op, mapping);
      out = copy->getNumResults() == 1 ? copy->getResult(0) : Value();
    }
    bool anyTangent = llvm::any_of(
        op.getOperands(), [&](Value v) { return tangents.contains(v); });
    if (!anyTangent || op.getNumResults() != 1 ||
        !isa<FloatType>(op.getResult(0).getType()))
      return success();
    Value t = rule(op, out, mapping);
    if (!t)
      return op.emitOpError("is not differentiable: no derivative rule for it");
    tangents[op.getResult(0)] = t;
    return success();
  }

  Value tangentOf(Value primal) { return tangents.lookup(primal); }
  void seed(Value primal, Value tangent) { tangents[primal] = tangent; }

private:
  /// A missing tangent is 0.
  Value tan(Value primal) {
    if (Value t = tangents.lookup(primal))
      return t;
    return e.floatConstant(b, primal.getType(), 0.0);
  }
  Value mul(Value x, Value y) { return arith::MulFOp::create(b, loc, x, y); }
  Value addT(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }

  Value rule(Operation &op, Value out, IRMapping &mapping) {
    auto in = [&](unsigned i) { return mapping.lookup(op.getOperand(i)); };
    Value a = op.getNumOperands() > 0 ? op.getOperand(0) : Value();
    Value c = op.getNumOperands() > 1 ? op.getOperand(1) : Value();
    if (isa<arith::AddFOp>(op))
      return addT(tan(a), tan(c));
    if (isa<arith::SubFOp>(op))
      return arith::SubFOp::create(b, loc, tan(a), tan(c));
    if (isa<arith::NegFOp>(op))
      return arith::NegFOp::create(b, loc, tan(a));
    if (isa<arith::MulFOp>(op))
      return addT(mul(tan(a), in(1)), mul(in(0), tan(c)));
    if (isa<arith::DivFOp>(op)) {
      // (ta - out · tc) / c
      Value numerator = arith::SubFOp::create(b, loc, tan(a), mul(out, tan(c)));
      return arith::DivFOp::create(b, loc, numerator, in(1));
    }
    if (isa<math::ExpOp>(op))
      return mul(tan(a), out);
    if (isa<math::LogOp>(op))
      return arith::DivFOp::create(b, loc, tan(a), in(0));
    if (isa<math::Log1pOp>(op)) {
      Value one = e.floatConstant(b, out.getType(), 1.0);
      return arith::DivFOp::create(b, loc, tan(a), addT(one, in(0)));
    }
    if (isa<math::SqrtOp>(op)) {
      Value two = e.floatConstant(b, out.getType(), 2.0);
      return arith::DivFOp::create(b, loc, tan(a), mul(two, out));
    }
    if (isa<math::TanhOp>(op)) {
      Value one = e.floatConstant(b, out.getType(), 1.0);
      return mul(tan(a), arith::SubFOp::create(b, loc, one, mul(out, out)));
    }
    if (auto select = dyn_cast<arith::SelectOp>(op))
      return arith::SelectOp::create(b, loc, in(0), tan(select.getTrueValue()),
                                     tan(select.getFalseValue()));
    // max/min: the operand that was selected (the first on ties).
    if (isa<arith::MaximumFOp, arith::MaxNumFOp>(op)) {
      Value first = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UGE,
                                          in(0), in(1));
      return arith::SelectOp::create(b, loc, first, tan(a), tan(c));
    }
    if (isa<arith::MinimumFOp, arith::MinNumFOp>(op)) {
      Value first = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ULE,
                                          in(0), in(1));
      return arith::SelectOp::create(b, loc, first, tan(a), tan(c));
    }
    if (isa<arith::ExtFOp>(op))
      return arith::ExtFOp::create(b, loc, out.getType(), tan(a));
    if (isa<arith::TruncFOp>(op))
      return arith::TruncFOp::create(b, loc, out.getType(), tan(a));
    return Value();
  }

  Emitter &e;
  OpBuilder &b;
  Location loc;
  llvm::DenseMap<Value, Value> tangents;
  llvm::DenseMap<Operation *, Value> reused;
};

/// Whether the derivative of `op` reads its own result and recomputing it
/// costs more than reading the forward sweep's copy: exp, tanh and sqrt.
bool derivativeReadsCostlyResult(Operation *op) {
  return isa<math::ExpOp, math::TanhOp, math::SqrtOp>(op);
}

/// True when some yielded value depends on block argument `arg`.
bool yieldsDependOn(Block &body, BlockArgument arg) {
  llvm::DenseSet<Value> depends{arg};
  for (Operation &op : body) {
    bool reads = llvm::any_of(op.getOperands(),
                              [&](Value v) { return depends.contains(v); });
    if (!reads)
      continue;
    if (isa<linalg::YieldOp>(op))
      return true;
    for (Value result : op.getResults())
      depends.insert(result);
  }
  return false;
}

} // namespace

LogicalResult adjoint::emitGenericAdjoint(Emitter &e, linalg::GenericOp op,
                                          Frame &frame) {
  if (op.getNumReductionLoops() != 0)
    return op.emitOpError("is not differentiable: only element-wise "
                          "linalg.generic ops (all loops parallel) have "
                          "adjoints");
  Block &body = *op.getBlock();
  for (BlockArgument out : op.getRegionOutputArgs())
    if (!out.use_empty())
      return op.emitOpError("is not differentiable: its body reads its "
                            "outputs");
  // A float read from a tensor defined outside the body (tensor.extract)
  // would need a scatter of its cotangent; use sdp.gather for that.
  for (Operation &bodyOp : body)
    if (auto extract = dyn_cast<tensor::ExtractOp>(bodyOp))
      if (isDifferentiable(extract.getTensor().getType()))
        return op.emitOpError("is not differentiable: its body reads a float "
                              "tensor with tensor.extract (use sdp.gather)");
  OpBuilder &b = e.builder();
  Location loc = e.getLoc();

  SmallVector<Value> cotangents;
  SmallVector<AffineMap> cotangentMaps;
  SmallVector<unsigned> cotangentResults;
  for (OpResult result : op->getResults()) {
    Value cotangent = frame.cotangents.lookup(result);
    if (!cotangent)
      continue;
    cotangents.push_back(cotangent);
    cotangentMaps.push_back(op.getIndexingMapMatchingResult(result));
    cotangentResults.push_back(result.getResultNumber());
  }
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  SmallVector<Value> inputs;
  SmallVector<AffineMap> inputMaps;
  for (OpOperand *operand : op.getDpsInputOperands()) {
    inputs.push_back(frame.lookup(operand->get()));
    inputMaps.push_back(op.getMatchingIndexingMap(operand));
  }

  // A yielded exp (tanh, sqrt) is read back from the forward sweep, which
  // computed it, rather than recomputed: its derivative is its value.
  SmallVector<Value> forwardResults;
  SmallVector<AffineMap> forwardMaps;
  SmallVector<Operation *> reusedOps;
  for (OpResult result : op->getResults()) {
    Operation *producer =
        yield.getOperand(result.getResultNumber()).getDefiningOp();
    if (!producer || producer->getBlock() != &body ||
        !derivativeReadsCostlyResult(producer) ||
        llvm::is_contained(reusedOps, producer))
      continue;
    forwardResults.push_back(frame.lookup(result));
    forwardMaps.push_back(op.getIndexingMapMatchingResult(result));
    reusedOps.push_back(producer);
  }

  // Σ_r cotangent_r · ∂yield_r/∂arg at one point, in a body whose block
  // arguments are `args` (inputs, cotangents, then reused forward results).
  LogicalResult status = success();
  auto cotangentTerm = [&](OpBuilder &nb, Location l, ValueRange args,
                           BlockArgument arg) -> Value {
    // The body may read scalars from above (a step index, say).
    IRMapping mapping = frame.forward;
    for (auto [k, primalArg] : llvm::enumerate(op.getRegionInputArgs()))
      mapping.map(primalArg, args[k]);
    TangentBuilder tangents(e, nb, l);
    for (auto [k, reusedOp] : llvm::enumerate(reusedOps))
      tangents.reuse(reusedOp, args[inputs.size() + cotangents.size() + k]);
    tangents.seed(arg, e.floatConstant(nb, arg.getType(), 1.0));
    for (Operation &bodyOp : body.without_terminator())
      if (failed(tangents.step(bodyOp, mapping)))
        status = failure();
    Value total;
    for (auto [k, r] : llvm::enumerate(cotangentResults)) {
      Value partial = tangents.tangentOf(yield.getOperand(r));
      if (!partial)
        continue;
      Value term = e.strongProduct(nb, args[inputs.size() + k], partial);
      total = total ? arith::AddFOp::create(nb, l, total, term) : term;
    }
    return total ? total : e.floatConstant(nb, arg.getType(), 0.0);
  };

  // Inputs indexed by every loop get their cotangents from one generic
  // (one re-computation of the body, shared by all); broadcast inputs sum
  // over the loops they miss, one generic each.
  SmallVector<unsigned> full, broadcast;
  for (auto [i, operand] : llvm::enumerate(op.getDpsInputOperands())) {
    if (!e.isActive(operand->get()) ||
        !yieldsDependOn(body, op.getMatchingBlockArgument(operand)))
      continue;
    AffineMap map = inputMaps[i];
    if (!map.isProjectedPermutation())
      return op.emitOpError()
             << "is not differentiable: input #" << i << " is indexed by "
             << AffineMapAttr::get(map) << ", not a projected permutation";
    (map.isPermutation() ? full : broadcast).push_back(i);
  }
  SmallVector<Value> operands(inputs);
  llvm::append_range(operands, cotangents);
  llvm::append_range(operands, forwardResults);
  SmallVector<AffineMap> operandMaps(inputMaps);
  llvm::append_range(operandMaps, cotangentMaps);
  llvm::append_range(operandMaps, forwardMaps);
  auto inputArg = [&](unsigned i) {
    return op.getMatchingBlockArgument(op.getDpsInputOperand(i));
  };

  if (!full.empty()) {
    SmallVector<Value> inits;
    SmallVector<Type> types;
    SmallVector<AffineMap> maps(operandMaps);
    for (unsigned i : full) {
      Type type = op.getDpsInputOperand(i)->get().getType();
      inits.push_back(e.emptyOfType(cast<RankedTensorType>(type), inputs[i]));
      types.push_back(type);
      maps.push_back(inputMaps[i]);
    }
    SmallVector<utils::IteratorType> parallel(op.getNumLoops(),
                                              utils::IteratorType::parallel);
    auto adjointOp = linalg::GenericOp::create(
        b, loc, types, operands, inits, maps, parallel,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          SmallVector<Value> totals;
          for (unsigned i : full)
            totals.push_back(cotangentTerm(nb, l, args, inputArg(i)));
          linalg::YieldOp::create(nb, l, totals);
        });
    if (failed(status))
      return failure();
    for (auto [k, i] : llvm::enumerate(full))
      e.accumulate(frame, op.getDpsInputOperand(i)->get(),
                   adjointOp.getResult(k));
  }

  for (unsigned i : broadcast) {
    AffineMap map = inputMaps[i];
    SmallVector<AffineMap> maps(operandMaps);
    maps.push_back(map);
    SmallVector<utils::IteratorType> iterators;
    for (unsigned loop = 0; loop < op.getNumLoops(); ++loop)
      iterators.push_back(map.isFunctionOfDim(loop)
                              ? utils::IteratorType::parallel
                              : utils::IteratorType::reduction);
    Value init = e.zerosLike(inputs[i]);
    auto adjointOp = linalg::GenericOp::create(
        b, loc, init.getType(), operands, init, maps, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value total = cotangentTerm(nb, l, args.drop_back(), inputArg(i));
          linalg::YieldOp::create(
              nb, l,
              arith::AddFOp::create(nb, l, args.back(), total).getResult());
        });
    if (failed(status))
      return failure();
    e.accumulate(frame, op.getDpsInputOperand(i)->get(),
                 adjointOp.getResult(0));
  }
  return success();
}
