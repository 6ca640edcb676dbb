//===- FunctionAnalysis.cpp - what the JIT knows about a function ---------===//

#include "FunctionAnalysis.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"
#include "sdp/Dialect/ContractionSpec.h"
#include "sdp/Dialect/NgramOps.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {
enum class Role { Unused, Batched, Shared };

/// Collects roles and shape rules of the arguments a function hands to
/// named ops; gives up (`valid = false`) on anything else.
struct ArgumentRoles {
  explicit ArgumentRoles(func::FuncOp func)
      : func(func), roles(func.getNumArguments(), Role::Unused) {}

  /// The argument number of `value`, if it is an argument of `func`.
  std::optional<unsigned> argument(Value value) {
    auto arg = dyn_cast<BlockArgument>(value);
    if (!arg || arg.getOwner()->getParentOp() != func)
      return std::nullopt;
    return arg.getArgNumber();
  }

  void assign(Value value, Role role) {
    std::optional<unsigned> arg = argument(value);
    if (!arg) {
      valid = false;
      return;
    }
    Role &current = roles[*arg];
    if (current != Role::Unused && current != role)
      valid = false;
    current = role;
  }

  /// shape(value)[dim] == shape(other)[otherDim] + offset, when both are
  /// arguments and the sizes are not already fixed by their types.
  void requireEqual(Value value, unsigned dim, Value other, unsigned otherDim,
                    int64_t offset = 0) {
    std::optional<unsigned> a = argument(value), b = argument(other);
    if (a && b)
      constraints.push_back({*a, dim, static_cast<int>(*b), otherDim, offset});
  }

  void requireAtLeast(Value value, unsigned dim, int64_t minimum) {
    if (std::optional<unsigned> a = argument(value))
      constraints.push_back({*a, dim, -1, 0, minimum});
  }

  /// Values of `value` in [minimum, size `boundDim` of `bound` + offset].
  void requireValuesIn(Value value, int64_t minimum, Value bound,
                       unsigned boundDim, int64_t offset = 0) {
    std::optional<unsigned> a = argument(value), b = argument(bound);
    if (a && b)
      valueConstraints.push_back(
          {*a, minimum, static_cast<int>(*b), boundDim, offset});
  }

  func::FuncOp func;
  std::vector<Role> roles;
  std::vector<DimConstraint> constraints;
  std::vector<ValueConstraint> valueConstraints;
  bool valid = true;
};

void analyzeLinearChain(LinearChainOp op, ArgumentRoles &args) {
  Value em = op.getEmissions(), tr = op.getTransitions();
  args.assign(em, Role::Batched);
  args.assign(op.getLengths(), Role::Batched);
  args.assign(tr, op.hasFullPotentials() ? Role::Batched : Role::Shared);
  args.assign(op.getStart(), Role::Shared);
  args.assign(op.getEnd(), Role::Shared);

  // emissions [B, T, C] with T, C >= 1.
  args.requireAtLeast(em, 1, 1);
  args.requireAtLeast(em, 2, 1);
  if (op.hasFullPotentials()) {
    args.requireEqual(tr, 0, em, 0);
    args.requireEqual(tr, 1, em, 1, -1);
    args.requireEqual(tr, 2, em, 2);
    args.requireEqual(tr, 3, em, 2);
  } else {
    args.requireEqual(tr, 0, em, 2);
    args.requireEqual(tr, 1, em, 2);
  }
  args.requireEqual(op.getStart(), 0, em, 2);
  args.requireEqual(op.getEnd(), 0, em, 2);
  args.requireEqual(op.getLengths(), 0, em, 0);
}
void analyzeAlignment(AlignmentOp op, ArgumentRoles &args) {
  Value grid = op.getDiagonal();
  for (Value v : op->getOperands())
    args.assign(v, Role::Batched);
  // diagonal, down, right [B, N+1, M+1] with N+1, M+1 >= 1; rows, cols [B].
  args.requireAtLeast(grid, 1, 1);
  args.requireAtLeast(grid, 2, 1);
  for (Value weights : {op.getDown(), op.getRight()})
    for (unsigned d = 0; d < 3; ++d)
      args.requireEqual(weights, d, grid, d);
  args.requireEqual(op.getRows(), 0, grid, 0);
  args.requireEqual(op.getCols(), 0, grid, 0);
}

void analyzeSemiMarkov(SemiMarkovOp op, ArgumentRoles &args) {
  Value seg = op.getSegments(), tr = op.getTransitions();
  args.assign(seg, Role::Batched);
  args.assign(op.getLengths(), Role::Batched);
  args.assign(tr, Role::Shared);
  args.assign(op.getStart(), Role::Shared);
  args.assign(op.getEnd(), Role::Shared);
  // segments [B, T, K, C] with T, K, C >= 1.
  for (unsigned d = 1; d < 4; ++d)
    args.requireAtLeast(seg, d, 1);
  args.requireEqual(tr, 0, seg, 3);
  args.requireEqual(tr, 1, seg, 3);
  args.requireEqual(op.getStart(), 0, seg, 3);
  args.requireEqual(op.getEnd(), 0, seg, 3);
  args.requireEqual(op.getLengths(), 0, seg, 0);
}

void analyzeCtc(CtcOp op, ArgumentRoles &args) {
  Value lp = op.getLogProbs();
  for (Value v : op->getOperands())
    args.assign(v, Role::Batched);
  // log_probs [B, T, V] with T, V >= 1; targets [B, S]; lengths [B].
  args.requireAtLeast(lp, 1, 1);
  args.requireAtLeast(lp, 2, 1);
  args.requireEqual(op.getTargets(), 0, lp, 0);
  args.requireEqual(op.getInputLengths(), 0, lp, 0);
  args.requireEqual(op.getTargetLengths(), 0, lp, 0);
  // input_lengths in [1, T], target_lengths in [0, S].
  args.requireValuesIn(op.getInputLengths(), 1, lp, 1);
  args.requireValuesIn(op.getTargetLengths(), 0, op.getTargets(), 1);
}

void analyzeCky(CkyOp op, ArgumentRoles &args) {
  Value spans = op.getSpans();
  args.assign(spans, Role::Batched);
  args.assign(op.getLengths(), Role::Batched);
  // spans [B, N, N, L] with N, L >= 1; lengths [B] in [1, N].
  args.requireAtLeast(spans, 1, 1);
  args.requireEqual(spans, 2, spans, 1);
  args.requireAtLeast(spans, 3, 1);
  args.requireEqual(op.getLengths(), 0, spans, 0);
  args.requireValuesIn(op.getLengths(), 1, spans, 1);
}

/// sdp.eisner and sdp.matrix_tree.
void analyzeArcs(Value arcs, Value lengths, ArgumentRoles &args) {
  args.assign(arcs, Role::Batched);
  args.assign(lengths, Role::Batched);
  // arcs [B, N + 1, N + 1] with N >= 1; lengths [B] in [1, N].
  args.requireAtLeast(arcs, 1, 2);
  args.requireEqual(arcs, 2, arcs, 1);
  args.requireEqual(lengths, 0, arcs, 0);
  args.requireValuesIn(lengths, 1, arcs, 1, /*offset=*/-1);
}

void analyzePcfg(PcfgOp op, ArgumentRoles &args) {
  Value terms = op.getTerms(), rules = op.getRules();
  args.assign(terms, Role::Batched);
  args.assign(op.getLengths(), Role::Batched);
  args.assign(rules, Role::Shared);
  args.assign(op.getRoots(), Role::Shared);
  // terms [B, N, P], rules [NT, S, S] (S = NT + P), roots [NT], lengths [B]
  // in [1, N].
  args.requireAtLeast(terms, 1, 1);
  args.requireAtLeast(rules, 0, 1);
  args.requireEqual(rules, 2, rules, 1);
  args.requireEqual(op.getRoots(), 0, rules, 0);
  args.requireEqual(op.getLengths(), 0, terms, 0);
  args.requireValuesIn(op.getLengths(), 1, terms, 1);
}

/// Records the rules of a named structure op; false for other ops.
bool analyzeStructure(Operation &op, ArgumentRoles &args) {
  if (auto chain = dyn_cast<LinearChainOp>(op))
    analyzeLinearChain(chain, args);
  else if (auto alignment = dyn_cast<AlignmentOp>(op))
    analyzeAlignment(alignment, args);
  else if (auto semiMarkov = dyn_cast<SemiMarkovOp>(op))
    analyzeSemiMarkov(semiMarkov, args);
  else if (auto ctc = dyn_cast<CtcOp>(op))
    analyzeCtc(ctc, args);
  else if (auto cky = dyn_cast<CkyOp>(op))
    analyzeCky(cky, args);
  else if (auto eisner = dyn_cast<EisnerOp>(op))
    analyzeArcs(eisner.getArcs(), eisner.getLengths(), args);
  else if (auto pcfg = dyn_cast<PcfgOp>(op))
    analyzePcfg(pcfg, args);
  else if (auto matrixTree = dyn_cast<MatrixTreeOp>(op))
    analyzeArcs(matrixTree.getArcs(), matrixTree.getLengths(), args);
  else if (auto arborescence = dyn_cast<MaxArborescenceOp>(op))
    analyzeArcs(arborescence.getArcs(), arborescence.getLengths(), args);
  else
    return false;
  return true;
}

/// The batch-first input of the structure op that defines `result`.
Value batchSourceOf(Value result) {
  Operation *def = result.getDefiningOp();
  if (auto chain = dyn_cast_or_null<LinearChainOp>(def))
    return chain.getEmissions();
  if (auto alignment = dyn_cast_or_null<AlignmentOp>(def))
    return alignment.getDiagonal();
  if (auto semiMarkov = dyn_cast_or_null<SemiMarkovOp>(def))
    return semiMarkov.getSegments();
  if (auto ctc = dyn_cast_or_null<CtcOp>(def))
    return ctc.getLogProbs();
  if (auto cky = dyn_cast_or_null<CkyOp>(def))
    return cky.getSpans();
  if (auto eisner = dyn_cast_or_null<EisnerOp>(def))
    return eisner.getArcs();
  if (auto pcfg = dyn_cast_or_null<PcfgOp>(def))
    return pcfg.getTerms();
  if (auto matrixTree = dyn_cast_or_null<MatrixTreeOp>(def))
    return matrixTree.getArcs();
  if (auto arborescence = dyn_cast_or_null<MaxArborescenceOp>(def))
    return arborescence.getArcs();
  return Value();
}

void analyzeBleu(BleuOp op, ArgumentRoles &args) {
  args.assign(op.getCandidates(), Role::Batched);
  args.assign(op.getReferences(), Role::Batched);
  args.requireEqual(op.getReferences(), 0, op.getCandidates(), 0);
  // A corpus score is not batch-first: it cannot be split.
  if (op.getCorpus())
    args.valid = false;
}
/// Where size `dim` of `value` comes from: an argument of the function that
/// defines `value` and one of its dimensions, when the size is that
/// argument's size. Followed through the core's contractions (a result
/// letter's size is that of an input with the letter), scans (results have
/// their inits' shapes), casts, slices whose size is a `tensor.dim`, and
/// calls; anything else is unknown.
std::optional<std::pair<unsigned, unsigned>> traceDim(Value value, unsigned dim,
                                                      unsigned depth = 0) {
  if (depth > 64)
    return std::nullopt;
  if (auto arg = dyn_cast<BlockArgument>(value)) {
    if (isa<func::FuncOp>(arg.getOwner()->getParentOp()))
      return std::make_pair(arg.getArgNumber(), dim);
    return std::nullopt;
  }
  Operation *def = value.getDefiningOp();
  unsigned resultNo = cast<OpResult>(value).getResultNumber();
  if (auto contract = dyn_cast<ContractOp>(def)) {
    ContractionSpec spec = contract.getContractionSpec();
    if (dim >= spec.getOutput().size())
      return std::nullopt;
    char letter = spec.getOutput()[dim];
    for (unsigned i = 0; i < spec.getNumInputs(); ++i)
      if (size_t at = spec.getInput(i).find(letter); at != StringRef::npos)
        if (auto found = traceDim(contract.getInputs()[i], at, depth + 1))
          return found;
    return std::nullopt;
  }
  if (auto scan = dyn_cast<ScanOp>(def))
    return resultNo < scan.getNumCarried()
               ? traceDim(scan.getInits()[resultNo], dim, depth + 1)
               : std::nullopt;
  if (auto castOp = dyn_cast<tensor::CastOp>(def))
    return traceDim(castOp.getSource(), dim, depth + 1);
  if (auto slice = dyn_cast<tensor::ExtractSliceOp>(def)) {
    llvm::SmallBitVector dropped = slice.getDroppedDims();
    unsigned seen = 0;
    for (unsigned d = 0; d < slice.getSourceType().getRank(); ++d) {
      if (dropped.test(d) || seen++ != dim)
        continue;
      auto size = dyn_cast<Value>(slice.getMixedSizes()[d]);
      auto dimOp = size ? size.getDefiningOp<tensor::DimOp>() : nullptr;
      std::optional<int64_t> index =
          dimOp ? dimOp.getConstantIndex() : std::nullopt;
      return index ? traceDim(dimOp.getSource(), *index, depth + 1)
                   : std::nullopt;
    }
    return std::nullopt;
  }
  if (auto call = dyn_cast<func::CallOp>(def)) {
    auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
        call, call.getCalleeAttr());
    if (!callee || callee.isExternal())
      return std::nullopt;
    auto ret = cast<func::ReturnOp>(callee.getBody().front().getTerminator());
    auto inner = traceDim(ret.getOperand(resultNo), dim, depth + 1);
    return inner ? traceDim(call.getOperand(inner->first), inner->second,
                            depth + 1)
                 : std::nullopt;
  }
  return std::nullopt;
}

/// The shape rules of a VJP request: the callee's rules on its arguments
/// hold for the primals, and each cotangent has its result's shape where
/// that shape can be traced to the callee's arguments.
/// Returns true when the VJP splits along the batch like its callee: the
/// callee is structure ops returning batch-first results. Then the
/// request's arguments take the callee's roles, and `summed` marks the
/// VJP's results that are gradients of float arguments the examples share
/// (or do not read): each is a sum over the batch of one term per example,
/// so sub-batches' results add up to the whole batch's.
bool analyzeVjp(VjpOp op, ArgumentRoles &args, SmallVectorImpl<bool> &summed) {
  auto callee = SymbolTable::lookupNearestSymbolFrom<func::FuncOp>(
      op, op.getCalleeAttr());
  if (!callee || callee.isExternal())
    return false;
  ArgumentRoles inner(callee);
  bool splits = true;
  for (Operation &calleeOp : callee.getBody().front()) {
    if (analyzeStructure(calleeOp, inner))
      continue;
    if (auto ret = dyn_cast<func::ReturnOp>(calleeOp)) {
      for (Value v : ret.getOperands())
        splits &= static_cast<bool>(batchSourceOf(v));
      continue;
    }
    splits = false;
  }
  ValueRange primals = op.getPrimals();
  for (const ValueConstraint &c : inner.valueConstraints)
    args.requireValuesIn(primals[c.argument], c.minimum, primals[c.bound],
                         c.boundDim, c.boundOffset);
  // One cotangent per float primal, in order.
  summed.clear();
  for (auto [i, role] : llvm::enumerate(inner.roles))
    if (isa<FloatType>(getElementTypeOrSelf(primals[i].getType())))
      summed.push_back(role != Role::Batched);
  splits &= inner.valid;
  for (const DimConstraint &c : inner.constraints) {
    if (c.other < 0)
      args.requireAtLeast(primals[c.argument], c.dim, c.offset);
    else
      args.requireEqual(primals[c.argument], c.dim, primals[c.other],
                        c.otherDim, c.offset);
  }
  auto ret = cast<func::ReturnOp>(callee.getBody().front().getTerminator());
  unsigned cotangent = 0;
  for (Value result : ret.getOperands()) {
    auto type = dyn_cast<RankedTensorType>(result.getType());
    if (!type || !isa<FloatType>(type.getElementType()))
      continue;
    Value batchSource = batchSourceOf(result);
    Value d = op.getCotangents()[cotangent];
    if (batchSource) {
      if (std::optional<unsigned> arg = inner.argument(batchSource))
        args.requireEqual(d, 0, primals[*arg], 0);
    } else {
      // A recurrence written with the core: each dynamic size of the
      // result that comes from an argument.
      for (unsigned dim = 0; dim < type.getRank(); ++dim)
        if (type.isDynamicDim(dim))
          if (auto source = traceDim(result, dim))
            args.requireEqual(d, dim, primals[source->first], source->second);
    }
    ++cotangent;
  }
  if (!splits)
    return false;
  for (auto [i, role] : llvm::enumerate(inner.roles))
    if (role != Role::Unused)
      args.assign(primals[i], role);
  for (Value d : op.getCotangents())
    args.assign(d, Role::Batched);
  return true;
}
} // namespace

void mlir::sdp::analyzeFunction(func::FuncOp func,
                                FunctionSignature &signature) {
  ArgumentRoles args(func);
  bool onlyNamedOps = true;
  llvm::DenseMap<Operation *, SmallVector<bool>> summedVjpResults;
  SmallVector<bool> summedResults;
  for (Operation &op : func.getBody().front()) {
    if (analyzeStructure(op, args))
      continue;
    if (auto bleu = dyn_cast<BleuOp>(op)) {
      analyzeBleu(bleu, args);
      continue;
    }
    if (auto vjp = dyn_cast<VjpOp>(op)) {
      onlyNamedOps &= analyzeVjp(vjp, args, summedVjpResults[vjp]);
      continue;
    }
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands()) {
        onlyNamedOps &= batchSourceOf(v) || v.getDefiningOp<BleuOp>() ||
                        v.getDefiningOp<VjpOp>();
        bool summed = false;
        if (auto vjp = v.getDefiningOp<VjpOp>()) {
          ArrayRef<bool> flags = summedVjpResults[vjp];
          unsigned k = cast<OpResult>(v).getResultNumber();
          summed = k < flags.size() && flags[k];
        }
        summedResults.push_back(summed);
      }
      continue;
    }
    onlyNamedOps = false;
  }
  // Shape rules hold whatever else the function does.
  signature.constraints = args.constraints;
  signature.valueConstraints = args.valueConstraints;
  // Splitting the batch needs every argument either batched or shared and
  // every result batch-first.
  signature.batchParallel = onlyNamedOps && args.valid &&
                            !signature.results.empty() &&
                            llvm::is_contained(args.roles, Role::Batched);
  signature.batchedArguments.clear();
  for (Role role : args.roles)
    signature.batchedArguments.push_back(role == Role::Batched);
  signature.summedResults.clear();
  if (llvm::is_contained(summedResults, true))
    signature.summedResults.assign(summedResults.begin(), summedResults.end());
}
