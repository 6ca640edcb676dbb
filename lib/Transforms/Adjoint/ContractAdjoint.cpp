//===- ContractAdjoint.cpp - adjoints of sdp.contract per semiring --------===//
//
// result[O] = ⊕_{reduced} ⊗_i x_i. The cotangent of input j sums, over the
// letters j does not index, the result's cotangent weighted by the term's
// share of the result:
//   #sdp.log   exp(Σ_i x_i - result)                   (the posterior)
//   #sdp.max/min [the reduced position is the witness]  (the selected term)
//   #sdp.real  Π_{i≠j} x_i                             (the derivative)
// Real cotangents are #sdp.real contractions; the others are one fused
// linalg.generic per input, so no per-term tensor is ever materialised.
//
//===----------------------------------------------------------------------===//

#include "AdjointEmitter.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::adjoint;

namespace {

enum class Rule { Posterior, Selected, Product, None };

Rule getRule(SemiringAttrInterface semiring, Type elementType) {
  if (!isa<FloatType>(elementType))
    return Rule::None;
  if (isa<LogSemiringAttr>(semiring))
    return Rule::Posterior;
  if (isa<RealSemiringAttr>(semiring))
    return Rule::Product;
  if (semiring.isSelective())
    return Rule::Selected;
  return Rule::None;
}

bool hasRepeatedLetter(StringRef letters) {
  for (size_t i = 0; i < letters.size(); ++i)
    if (letters.find(letters[i], i + 1) != StringRef::npos)
      return true;
  return false;
}

/// Scalar block arguments of the adjoint generic of input `j`: the inputs,
/// the result, its cotangent, then (if any) the witness.
struct TermArgs {
  ValueRange inputs;
  Value result, cotangent, witness;
};

/// Emits cotangent[j] = Σ_{letters not in j} term(...) as one linalg.generic
/// over the contraction's iteration space.
Value buildWeightedSum(
    Emitter &e, ContractOp op, Frame &frame, unsigned j, Value witness,
    llvm::function_ref<Value(OpBuilder &, Location, const TermArgs &)> term) {
  OpBuilder &b = e.builder();
  Location loc = e.getLoc();
  MLIRContext *ctx = op.getContext();
  ContractionSpec spec = op.getContractionSpec();
  SmallVector<Value> operands;
  SmallVector<AffineMap> maps;
  for (auto [i, input] : llvm::enumerate(op.getInputs())) {
    operands.push_back(frame.lookup(input));
    maps.push_back(spec.getInputMap(i, ctx));
  }
  operands.push_back(frame.lookup(op.getResult()));
  operands.push_back(frame.cotangents.lookup(op.getResult()));
  maps.append(2, spec.getOutputMap(ctx));
  if (witness) {
    operands.push_back(witness);
    maps.push_back(spec.getOutputMap(ctx));
  }
  Value inputJ = frame.lookup(op.getInputs()[j]);
  maps.push_back(spec.getInputMap(j, ctx));
  StringRef lettersJ = spec.getInput(j);
  SmallVector<utils::IteratorType> iterators;
  for (char letter : spec.getLoopLetters())
    iterators.push_back(lettersJ.contains(letter)
                            ? utils::IteratorType::parallel
                            : utils::IteratorType::reduction);
  // An input indexed by every letter (full edge potentials) gets one term
  // per element: written, not added to zeros (no fill, no read of it).
  bool sums = llvm::is_contained(iterators, utils::IteratorType::reduction);
  Value init = sums ? e.zerosLike(inputJ) : e.emptyLike(inputJ);
  unsigned numInputs = op.getInputs().size();
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), operands, init, maps, iterators,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        TermArgs termArgs{args.take_front(numInputs), args[numInputs],
                          args[numInputs + 1],
                          witness ? args[numInputs + 2] : Value()};
        Value value = term(nb, l, termArgs);
        if (sums)
          value = arith::AddFOp::create(nb, l, args.back(), value);
        linalg::YieldOp::create(nb, l, value);
      });
  return generic.getResult(0);
}

Value sumOf(OpBuilder &b, Location loc, ValueRange values) {
  Value sum = values.front();
  for (Value value : values.drop_front())
    sum = arith::AddFOp::create(b, loc, sum, value);
  return sum;
}

/// A copy of `value` (indexed by `letters`, updated to the copy's order)
/// whose letters of `output` come last and in `output`'s order, made once
/// before the enclosing reverse scan; null when `value` is read in a
/// suitable order already or is not loop-invariant. The cotangent of one
/// factor of a product reads the other transposed ("bc,kc->bk" for
/// "bk,kc->bc"), which would reduce along each row's contiguous elements
/// (a horizontal sum per result); the copy makes it a broadcast product
/// along contiguous rows, like the forward.
Value transposeInvariantForOutput(Emitter &e, Value value, std::string &letters,
                                  StringRef output) {
  std::string reordered;
  for (char letter : letters)
    if (output.find(letter) == StringRef::npos)
      reordered += letter;
  for (char letter : output)
    if (letters.find(letter) != std::string::npos)
      reordered += letter;
  if (reordered == letters || reordered.size() != letters.size())
    return Value();
  OpBuilder &b = e.builder();
  auto loop = dyn_cast_or_null<ScanOp>(b.getInsertionBlock()->getParentOp());
  if (!loop || loop->isAncestor(value.getParentRegion()->getParentOp()))
    return Value();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(loop);
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape;
  for (char letter : reordered)
    shape.push_back(type.getDimSize(letters.find(letter)));
  Value transposed =
      ContractOp::create(
          b, e.getLoc(),
          TypeRange{RankedTensorType::get(shape, type.getElementType())},
          ValueRange{value},
          {b.getNamedAttr("spec", b.getStringAttr(letters + "->" + reordered)),
           b.getNamedAttr("semiring", RealSemiringAttr::get(b.getContext()))})
          .getResult();
  letters = reordered;
  return transposed;
}

/// The real adjoint as an #sdp.real contraction "O,others->j", when every
/// letter of j is indexed by the result or another input.
Value buildRealContraction(Emitter &e, ContractOp op, Frame &frame,
                           unsigned j) {
  ContractionSpec spec = op.getContractionSpec();
  std::string letters(spec.getOutput());
  SmallVector<Value> inputs{frame.cotangents.lookup(op.getResult())};
  std::string adjointSpec(spec.getOutput());
  for (auto [i, input] : llvm::enumerate(op.getInputs())) {
    if (i == j)
      continue;
    std::string inputLetters = spec.getInput(i).str();
    Value value = frame.lookup(input);
    if (Value transposed = transposeInvariantForOutput(e, value, inputLetters,
                                                       spec.getInput(j)))
      value = transposed;
    adjointSpec += "," + inputLetters;
    letters += inputLetters;
    inputs.push_back(value);
  }
  for (char letter : spec.getInput(j))
    if (letters.find(letter) == std::string::npos)
      return Value();
  adjointSpec += "->" + spec.getInput(j).str();
  OpBuilder &b = e.builder();
  Type type = op.getInputs()[j].getType();
  return ContractOp::create(
             b, e.getLoc(), TypeRange{type}, inputs,
             {b.getNamedAttr("spec", b.getStringAttr(adjointSpec)),
              b.getNamedAttr("semiring", op.getSemiring())})
      .getResult();
}

} // namespace

LogicalResult adjoint::emitContractForward(Emitter &e, ContractOp op,
                                           Frame &frame) {
  OpBuilder &b = e.builder();
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  bool needsWitness = !op.getWitness() && e.isActive(op.getResult()) &&
                      getRule(op.getSemiring(), resultType.getElementType()) ==
                          Rule::Selected &&
                      op.getContractionSpec().getNumReduced() == 1;
  if (!needsWitness) {
    e.cloneForward(*op, frame);
    return success();
  }
  SmallVector<Value> inputs;
  for (Value input : op.getInputs())
    inputs.push_back(frame.lookup(input));
  auto witnessType =
      RankedTensorType::get(resultType.getShape(), b.getI32Type());
  auto copy =
      ContractOp::create(b, op.getLoc(), TypeRange{resultType, witnessType},
                         inputs, op->getAttrs());
  frame.forward.map(op.getResult(), copy.getResult());
  frame.witnesses[op] = copy.getWitness();
  return success();
}

LogicalResult adjoint::emitContractAdjoint(Emitter &e, ContractOp op,
                                           Frame &frame) {
  if (!frame.cotangents.lookup(op.getResult()))
    return success();
  ContractionSpec spec = op.getContractionSpec();
  SemiringAttrInterface semiring = op.getSemiring();
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  Type elementType = resultType.getElementType();
  Rule rule = getRule(semiring, elementType);
  if (rule == Rule::None)
    return op.emitOpError() << "is not differentiable: semiring " << semiring
                            << " on " << elementType << " has no adjoint";
  Value witness;
  if (rule == Rule::Selected && spec.getNumReduced() > 0) {
    witness = op.getWitness() ? frame.lookup(op.getWitness())
                              : frame.witnesses.lookup(op);
    if (!witness)
      return op.emitOpError()
             << "is not differentiable: under " << semiring
             << " the adjoint follows the selected term, which needs exactly "
                "one reduced index, not "
             << spec.getNumReduced();
  }
  unsigned reducedLoop = spec.getOutput().size();

  // Under #sdp.log, when one input is indexed by every letter (full edge
  // potentials), its cotangent is the weight of each term: compute it once
  // (one exp per term) and sum it for the other inputs instead of
  // recomputing the exps per input.
  Value termWeights;
  std::optional<unsigned> fullInput;
  if (rule == Rule::Posterior)
    for (auto [j, input] : llvm::enumerate(op.getInputs()))
      if (e.isActive(input) && spec.getInput(j).size() == spec.getNumLoops() &&
          !hasRepeatedLetter(spec.getInput(j))) {
        fullInput = j;
        break;
      }

  SmallVector<unsigned> order;
  if (fullInput)
    order.push_back(*fullInput);
  for (unsigned j = 0; j < op.getInputs().size(); ++j)
    if (!fullInput || j != *fullInput)
      order.push_back(j);
  for (unsigned j : order) {
    Value input = op.getInputs()[j];
    if (!e.isActive(input))
      continue;
    if (hasRepeatedLetter(spec.getInput(j)))
      return op.emitOpError()
             << "is not differentiable: input #" << j
             << " repeats an index (a diagonal), which has no adjoint yet";
    Value cotangent;
    switch (rule) {
    case Rule::Product:
      cotangent = buildRealContraction(e, op, frame, j);
      if (!cotangent)
        cotangent = buildWeightedSum(
            e, op, frame, j, Value(),
            [&](OpBuilder &nb, Location l, const TermArgs &args) {
              Value product = args.cotangent;
              for (auto [i, x] : llvm::enumerate(args.inputs))
                if (i != j)
                  product = arith::MulFOp::create(nb, l, product, x);
              return product;
            });
      break;
    case Rule::Posterior:
      if (termWeights) {
        // Σ over the letters input j lacks, of the weights in the full
        // input's layout.
        OpBuilder &b = e.builder();
        std::string sumSpec =
            spec.getInput(*fullInput).str() + "->" + spec.getInput(j).str();
        cotangent =
            ContractOp::create(
                b, e.getLoc(), TypeRange{input.getType()},
                ValueRange{termWeights},
                {b.getNamedAttr("spec", b.getStringAttr(sumSpec)),
                 b.getNamedAttr("semiring",
                                RealSemiringAttr::get(op.getContext()))})
                .getResult();
        break;
      }
      cotangent = buildWeightedSum(
          e, op, frame, j, Value(),
          [&](OpBuilder &nb, Location l, const TermArgs &args) {
            Value logTerm = sumOf(nb, l, args.inputs);
            Value zero = e.floatConstant(nb, elementType, 0.0);
            Value negInf = semiring.buildZero(nb, l, elementType);
            Value impossible = arith::CmpFOp::create(
                nb, l, arith::CmpFPredicate::OEQ, logTerm, negInf);
            Value share = math::ExpOp::create(
                nb, l, arith::SubFOp::create(nb, l, logTerm, args.result));
            Value weighted = e.strongProduct(nb, args.cotangent, share);
            return arith::SelectOp::create(nb, l, impossible, zero, weighted)
                .getResult();
          });
      break;
    case Rule::Selected:
      cotangent = buildWeightedSum(
          e, op, frame, j, witness,
          [&](OpBuilder &nb, Location l, const TermArgs &args) {
            Value zero = e.floatConstant(nb, elementType, 0.0);
            // No term survives when the result is 0̄ (nothing reachable).
            Value none = semiring.buildZero(nb, l, elementType);
            Value selected = arith::CmpFOp::create(
                nb, l, arith::CmpFPredicate::UNE, args.result, none);
            if (args.witness) {
              Value position = arith::IndexCastOp::create(
                  nb, l, nb.getI32Type(),
                  linalg::IndexOp::create(nb, l, reducedLoop));
              Value chosen = arith::CmpIOp::create(
                  nb, l, arith::CmpIPredicate::eq, position, args.witness);
              selected = arith::AndIOp::create(nb, l, selected, chosen);
            }
            return arith::SelectOp::create(nb, l, selected, args.cotangent,
                                           zero)
                .getResult();
          });
      break;
    case Rule::None:
      llvm_unreachable("handled above");
    }
    if (fullInput && j == *fullInput)
      termWeights = cotangent;
    e.accumulate(frame, input, cotangent);
  }
  return success();
}
