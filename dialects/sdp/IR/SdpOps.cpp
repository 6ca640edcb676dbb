//===- SdpOps.cpp - sdp operations and their verifiers --------------------===//

#include "sdp/Dialect/SdpOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::sdp;

#define GET_OP_CLASSES
#include "sdp/SdpOps.cpp.inc"

//===----------------------------------------------------------------------===//
// ContractOp
//===----------------------------------------------------------------------===//

ContractionSpec ContractOp::getContractionSpec() {
  return cantFail(ContractionSpec::parse(getSpec()));
}

LogicalResult ContractOp::verify() {
  llvm::Expected<ContractionSpec> parsed = ContractionSpec::parse(getSpec());
  if (!parsed)
    return emitOpError() << llvm::toString(parsed.takeError());
  const ContractionSpec &spec = *parsed;

  if (getInputs().empty())
    return emitOpError("needs at least one input");
  if (spec.getNumInputs() != getInputs().size())
    return emitOpError() << "spec '" << getSpec() << "' names "
                         << spec.getNumInputs() << " inputs but the op has "
                         << getInputs().size();

  auto resultType = cast<RankedTensorType>(getResult().getType());
  Type elementType = resultType.getElementType();
  if (!getSemiring().isValidElementType(elementType))
    return emitOpError() << "semiring " << getSemiring()
                         << " does not accept element type " << elementType;

  // Bind every letter to one size; a dynamic size binds nothing yet.
  llvm::DenseMap<char, int64_t> letterSizes;
  auto bind = [&](char letter, int64_t size,
                  const llvm::Twine &where) -> LogicalResult {
    if (ShapedType::isDynamic(size))
      return success();
    auto [it, inserted] = letterSizes.try_emplace(letter, size);
    if (!inserted && it->second != size)
      return emitOpError() << "index '" << letter << "' has size " << size
                           << " in " << where << " but size " << it->second
                           << " elsewhere";
    return success();
  };

  for (auto [i, input] : llvm::enumerate(getInputs())) {
    auto type = cast<RankedTensorType>(input.getType());
    llvm::StringRef letters = spec.getInput(i);
    if (type.getRank() != static_cast<int64_t>(letters.size()))
      return emitOpError() << "input #" << i << " has rank " << type.getRank()
                           << " but spec '" << getSpec() << "' gives it "
                           << letters.size() << " indices";
    if (type.getElementType() != elementType)
      return emitOpError() << "input #" << i << " has element type "
                           << type.getElementType() << " but the result has "
                           << elementType;
    for (auto [dim, letter] : llvm::enumerate(letters))
      if (failed(
              bind(letter, type.getDimSize(dim), "input #" + llvm::Twine(i))))
        return failure();
  }

  if (resultType.getRank() != static_cast<int64_t>(spec.getOutput().size()))
    return emitOpError() << "result has rank " << resultType.getRank()
                         << " but spec '" << getSpec() << "' gives it "
                         << spec.getOutput().size() << " indices";
  for (auto [dim, letter] : llvm::enumerate(spec.getOutput()))
    if (failed(bind(letter, resultType.getDimSize(dim), "the result")))
      return failure();

  if (Value witness = getWitness()) {
    if (!getSemiring().isSelective())
      return emitOpError() << "semiring " << getSemiring()
                           << " does not select an operand, so it has no "
                           << "witness";
    if (spec.getNumReduced() != 1)
      return emitOpError() << "a witness needs exactly one reduced index, "
                           << "spec '" << getSpec() << "' reduces "
                           << spec.getNumReduced();
    auto witnessType = cast<RankedTensorType>(witness.getType());
    if (failed(verifyCompatibleShape(witnessType.getShape(),
                                     resultType.getShape())))
      return emitOpError() << "witness type " << witnessType
                           << " does not match the result shape " << resultType;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// GatherOp / ScatterOp
//===----------------------------------------------------------------------===//

/// Checks a gather spec "S,I->O" against the tensors it indexes: `full`
/// (indexed by S), `indices` (I) and `picked` (O), named for diagnostics.
static LogicalResult verifyGatherSpec(Operation *op, StringRef specText,
                                      RankedTensorType full, StringRef fullName,
                                      RankedTensorType indices,
                                      RankedTensorType picked,
                                      StringRef pickedName) {
  llvm::Expected<ContractionSpec> parsed = ContractionSpec::parse(specText);
  if (!parsed)
    return op->emitOpError() << llvm::toString(parsed.takeError());
  const ContractionSpec &spec = *parsed;
  if (spec.getNumInputs() != 2)
    return op->emitOpError()
           << "spec '" << specText << "' must name two operands (\"S,I->O\")";
  StringRef source = spec.getInput(0), index = spec.getInput(1);
  StringRef result = spec.getOutput();
  SmallVector<char> gathered;
  for (char c : source)
    if (spec.isReduced(c))
      gathered.push_back(c);
  if (gathered.size() != 1)
    return op->emitOpError()
           << "spec '" << specText
           << "' must leave exactly one letter of the first operand out of "
              "the result (the gathered letter), got "
           << gathered.size();
  if (index.contains(gathered.front()))
    return op->emitOpError() << "gathered letter '" << gathered.front()
                             << "' must not index the indices";
  for (char c : index)
    if (spec.isReduced(c))
      return op->emitOpError()
             << "letter '" << c << "' of the indices must appear in the result";
  llvm::DenseMap<char, int64_t> sizes;
  auto bind = [&](RankedTensorType type, StringRef letters,
                  StringRef name) -> LogicalResult {
    if (type.getRank() != static_cast<int64_t>(letters.size()))
      return op->emitOpError()
             << name << " has rank " << type.getRank() << " but spec '"
             << specText << "' gives it " << letters.size() << " indices";
    for (auto [dim, c] : llvm::enumerate(letters)) {
      int64_t size = type.getDimSize(dim);
      if (ShapedType::isDynamic(size))
        continue;
      auto [it, inserted] = sizes.try_emplace(c, size);
      if (!inserted && it->second != size)
        return op->emitOpError()
               << "index '" << c << "' has size " << size << " in " << name
               << " but size " << it->second << " elsewhere";
    }
    return success();
  };
  if (failed(bind(full, source, fullName)) ||
      failed(bind(indices, index, "indices")) ||
      failed(bind(picked, result, pickedName)))
    return failure();
  if (full.getElementType() != picked.getElementType())
    return op->emitOpError()
           << pickedName << " has element type " << picked.getElementType()
           << " but " << fullName << " has " << full.getElementType();
  return success();
}

/// The first operand letter absent from the result: the gathered one.
static unsigned gatheredDim(const ContractionSpec &spec) {
  StringRef full = spec.getInput(0);
  unsigned dim = 0;
  while (!spec.isReduced(full[dim]))
    ++dim;
  return dim;
}

ContractionSpec GatherOp::getGatherSpec() {
  return cantFail(ContractionSpec::parse(getSpec()));
}
unsigned GatherOp::getGatheredDim() { return gatheredDim(getGatherSpec()); }
ContractionSpec ScatterOp::getGatherSpec() {
  return cantFail(ContractionSpec::parse(getSpec()));
}
unsigned ScatterOp::getGatheredDim() { return gatheredDim(getGatherSpec()); }

LogicalResult GatherOp::verify() {
  return verifyGatherSpec(*this, getSpec(), getSource().getType(), "source",
                          getIndices().getType(), getResult().getType(),
                          "result");
}

LogicalResult ScatterOp::verify() {
  if (getInit().getType() != getResult().getType())
    return emitOpError() << "result type " << getResult().getType()
                         << " differs from init type " << getInit().getType();
  if (!getSemiring().isValidElementType(getInit().getType().getElementType()))
    return emitOpError() << "semiring " << getSemiring()
                         << " does not accept element type "
                         << getInit().getType().getElementType();
  return verifyGatherSpec(*this, getSpec(), getInit().getType(), "init",
                          getIndices().getType(), getValues().getType(),
                          "values");
}

//===----------------------------------------------------------------------===//
// LinearChainOp
//===----------------------------------------------------------------------===//

/// Checks that `type` has `rank` and, where both are static, the `expected`
/// sizes (kDynamic in `expected` accepts anything).
static LogicalResult checkShape(Operation *op, StringRef name,
                                RankedTensorType type,
                                ArrayRef<int64_t> expected, StringRef layout) {
  if (type.getRank() != static_cast<int64_t>(expected.size()))
    return op->emitOpError() << name << " must have rank " << expected.size()
                             << " (" << layout << "), got " << type;
  for (auto [dim, size] : llvm::enumerate(expected))
    if (!ShapedType::isDynamic(size) && !type.isDynamicDim(dim) &&
        type.getDimSize(dim) != size)
      return op->emitOpError()
             << name << " has size " << type.getDimSize(dim) << " in dimension "
             << dim << " but " << layout << " needs " << size;
  return success();
}

/// Checks that each named value has `elementType`, the element type of the
/// op's main operand `mainName` ("emissions have", "diagonal has").
static LogicalResult
checkElementTypes(Operation *op, Type elementType, StringRef mainName,
                  ArrayRef<std::pair<StringRef, Value>> values) {
  for (auto [name, value] : values)
    if (getElementTypeOrSelf(value.getType()) != elementType)
      return op->emitOpError() << name << " has element type "
                               << getElementTypeOrSelf(value.getType())
                               << " but " << mainName << " " << elementType;
  return success();
}

LogicalResult LinearChainOp::verify() {
  auto emissions = cast<RankedTensorType>(getEmissions().getType());
  if (emissions.getRank() != 3)
    return emitOpError() << "emissions must have rank 3 ([B, T, C]), got "
                         << emissions;
  Type elementType = emissions.getElementType();
  if (!getSemiring().isValidElementType(elementType))
    return emitOpError() << "semiring " << getSemiring()
                         << " does not accept element type " << elementType;
  int64_t B = emissions.getDimSize(0), T = emissions.getDimSize(1),
          C = emissions.getDimSize(2);
  int64_t edges = ShapedType::isDynamic(T) ? ShapedType::kDynamic : T - 1;

  auto transitions = cast<RankedTensorType>(getTransitions().getType());
  if (transitions.getRank() == 2) {
    if (failed(checkShape(*this, "transitions", transitions, {C, C}, "[C, C]")))
      return failure();
  } else if (transitions.getRank() == 4) {
    if (failed(checkShape(*this, "transitions", transitions, {B, edges, C, C},
                          "[B, T-1, C, C]")))
      return failure();
  } else {
    return emitOpError() << "transitions must have rank 2 ([C, C], factored) "
                         << "or 4 ([B, T-1, C, C], full), got " << transitions;
  }
  if (failed(checkShape(*this, "start",
                        cast<RankedTensorType>(getStart().getType()), {C},
                        "[C]")) ||
      failed(checkShape(*this, "end",
                        cast<RankedTensorType>(getEnd().getType()), {C},
                        "[C]")) ||
      failed(checkShape(*this, "lengths",
                        cast<RankedTensorType>(getLengths().getType()), {B},
                        "[B]")) ||
      failed(checkShape(*this, "score",
                        cast<RankedTensorType>(getScore().getType()), {B},
                        "[B]")))
    return failure();
  if (failed(checkElementTypes(*this, elementType, "emissions have",
                               {{"transitions", getTransitions()},
                                {"start", getStart()},
                                {"end", getEnd()},
                                {"score", getScore()}})))
    return failure();

  if (Value path = getPath()) {
    if (!getSemiring().isSelective())
      return emitOpError() << "a best path needs a selective semiring "
                           << "(#sdp.max or #sdp.min), not " << getSemiring();
    if (failed(checkShape(*this, "path", cast<RankedTensorType>(path.getType()),
                          {B, T}, "[B, T]")))
      return failure();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// SemiMarkovOp
//===----------------------------------------------------------------------===//

LogicalResult SemiMarkovOp::verify() {
  auto segments = cast<RankedTensorType>(getSegments().getType());
  if (segments.getRank() != 4)
    return emitOpError() << "segments must have rank 4 ([B, T, K, C]), got "
                         << segments;
  Type elementType = segments.getElementType();
  if (!getSemiring().isValidElementType(elementType))
    return emitOpError() << "semiring " << getSemiring()
                         << " does not accept element type " << elementType;
  int64_t B = segments.getDimSize(0), T = segments.getDimSize(1),
          C = segments.getDimSize(3);
  auto shapeOf = [](Value v) { return cast<RankedTensorType>(v.getType()); };
  if (failed(checkShape(*this, "transitions", shapeOf(getTransitions()), {C, C},
                        "[C, C]")) ||
      failed(checkShape(*this, "start", shapeOf(getStart()), {C}, "[C]")) ||
      failed(checkShape(*this, "end", shapeOf(getEnd()), {C}, "[C]")) ||
      failed(checkShape(*this, "lengths", shapeOf(getLengths()), {B}, "[B]")) ||
      failed(checkShape(*this, "score", shapeOf(getScore()), {B}, "[B]")))
    return failure();
  if (failed(checkElementTypes(*this, elementType, "segments have",
                               {{"transitions", getTransitions()},
                                {"start", getStart()},
                                {"end", getEnd()},
                                {"score", getScore()}})))
    return failure();

  ValueRange segmentation = getSegmentation();
  if (segmentation.empty())
    return success();
  if (segmentation.size() != 2)
    return emitOpError() << "returns the best segmentation as two tensors "
                            "(labels and seg_lengths), got "
                         << segmentation.size();
  if (!getSemiring().isSelective())
    return emitOpError() << "a best segmentation needs a selective semiring "
                         << "(#sdp.max or #sdp.min), not " << getSemiring();
  if (failed(checkShape(*this, "labels", shapeOf(segmentation[0]), {B, T},
                        "[B, T]")) ||
      failed(checkShape(*this, "seg_lengths", shapeOf(segmentation[1]), {B, T},
                        "[B, T]")))
    return failure();
  return success();
}

//===----------------------------------------------------------------------===//
// CtcOp
//===----------------------------------------------------------------------===//

LogicalResult CtcOp::verify() {
  auto logProbs = cast<RankedTensorType>(getLogProbs().getType());
  if (logProbs.getRank() != 3)
    return emitOpError() << "log_probs must have rank 3 ([B, T, V]), got "
                         << logProbs;
  Type elementType = logProbs.getElementType();
  if (!isa<LogSemiringAttr, MaxSemiringAttr>(getSemiring()))
    return emitOpError() << "semiring must be #sdp.log (the loss) or "
                            "#sdp.max (forced alignment), not "
                         << getSemiring();
  if (!getSemiring().isValidElementType(elementType))
    return emitOpError() << "semiring " << getSemiring()
                         << " does not accept element type " << elementType;
  int64_t B = logProbs.getDimSize(0), T = logProbs.getDimSize(1),
          V = logProbs.getDimSize(2);
  auto shapeOf = [](Value v) { return cast<RankedTensorType>(v.getType()); };
  if (failed(checkShape(*this, "targets", shapeOf(getTargets()),
                        {B, ShapedType::kDynamic}, "[B, S]")) ||
      failed(checkShape(*this, "input_lengths", shapeOf(getInputLengths()), {B},
                        "[B]")) ||
      failed(checkShape(*this, "target_lengths", shapeOf(getTargetLengths()),
                        {B}, "[B]")) ||
      failed(checkShape(*this, "score", shapeOf(getScore()), {B}, "[B]")))
    return failure();
  if (failed(checkElementTypes(*this, elementType, "log_probs have",
                               {{"score", getScore()}})))
    return failure();
  if (!ShapedType::isDynamic(V) && getBlank() >= static_cast<uint64_t>(V))
    return emitOpError() << "blank " << getBlank()
                         << " is not a symbol of a vocabulary of " << V;
  if (Value alignment = getAlignment()) {
    if (!isa<MaxSemiringAttr>(getSemiring()))
      return emitOpError() << "an alignment needs #sdp.max, not "
                           << getSemiring();
    if (failed(checkShape(*this, "alignment", shapeOf(alignment), {B, T},
                          "[B, T]")))
      return failure();
  }
  if (getZeroInfinity() && !isa<LogSemiringAttr>(getSemiring()))
    return emitOpError("zero_infinity applies to the loss (#sdp.log) only");
  return success();
}

//===----------------------------------------------------------------------===//
// Tree structures
//===----------------------------------------------------------------------===//

/// The checks the chart structures share: `chart` (named `name`, of
/// `layout`) has `rank`, an element type its semiring accepts and square
/// dimensions 1 and 2; lengths and score are [B]; the optional structure
/// result (`resultName`) needs a selective semiring and `resultLayout`.
static LogicalResult
verifyChartStructure(Operation *op, StringRef name, StringRef layout,
                     Value chart, int64_t rank, Value lengths, Value score,
                     SemiringAttrInterface semiring, Value result,
                     StringRef resultName, StringRef resultLayout) {
  auto type = cast<RankedTensorType>(chart.getType());
  if (type.getRank() != rank)
    return op->emitOpError() << name << " must have rank " << rank << " ("
                             << layout << "), got " << type;
  Type elementType = type.getElementType();
  if (!semiring.isValidElementType(elementType))
    return op->emitOpError() << "semiring " << semiring
                             << " does not accept element type " << elementType;
  int64_t B = type.getDimSize(0), N = type.getDimSize(1);
  if (!ShapedType::isDynamic(N) && !type.isDynamicDim(2) &&
      type.getDimSize(2) != N)
    return op->emitOpError()
           << name << " must be square in dimensions 1 and 2 (" << layout
           << "), got " << type;
  auto shapeOf = [](Value v) { return cast<RankedTensorType>(v.getType()); };
  if (failed(checkShape(op, "lengths", shapeOf(lengths), {B}, "[B]")) ||
      failed(checkShape(op, "score", shapeOf(score), {B}, "[B]")) ||
      failed(checkElementTypes(op, elementType, (name + " have").str(),
                               {{"score", score}})))
    return failure();
  if (!result)
    return success();
  if (!semiring.isSelective())
    return op->emitOpError() << "a best " << resultName
                             << " needs a selective semiring (#sdp.max or "
                                "#sdp.min), not "
                             << semiring;
  SmallVector<int64_t> expected{B, N};
  if (rank == 4)
    expected.push_back(N);
  return checkShape(op, resultName, shapeOf(result), expected, resultLayout);
}

LogicalResult CkyOp::verify() {
  return verifyChartStructure(*this, "spans", "[B, N, N, L]", getSpans(), 4,
                              getLengths(), getScore(), getSemiring(),
                              getLabels(), "labels", "[B, N, N]");
}

LogicalResult EisnerOp::verify() {
  return verifyChartStructure(*this, "arcs", "[B, N+1, N+1]", getArcs(), 3,
                              getLengths(), getScore(), getSemiring(),
                              getHeads(), "heads", "[B, N+1]");
}

LogicalResult MatrixTreeOp::verify() {
  SemiringAttrInterface semiring = getSemiring();
  if (!isa<LogSemiringAttr, MaxSemiringAttr, MinSemiringAttr>(semiring))
    return emitOpError() << "computes log Z (#sdp.log) or the best tree "
                            "(#sdp.max, #sdp.min), not "
                         << semiring;
  return verifyChartStructure(*this, "arcs", "[B, N+1, N+1]", getArcs(), 3,
                              getLengths(), getScore(), semiring, getHeads(),
                              "heads", "[B, N+1]");
}

/// matrices [B, N, N] of floats, and `result` ([B], or [B, N, N] when
/// `resultIsMatrix`) with their element type.
static LogicalResult verifyBatchedSquare(Operation *op, Value matrices,
                                         Value result, bool resultIsMatrix) {
  auto type = cast<RankedTensorType>(matrices.getType());
  if (type.getRank() != 3)
    return op->emitOpError()
           << "matrices must have rank 3 ([B, N, N]), got " << type;
  int64_t B = type.getDimSize(0), N = type.getDimSize(1);
  if (!ShapedType::isDynamic(N) && !type.isDynamicDim(2) &&
      type.getDimSize(2) != N)
    return op->emitOpError()
           << "matrices must be square in dimensions 1 and 2 ([B, N, N]), got "
           << type;
  if (ShapedType::isDynamic(N))
    N = type.getDimSize(2);
  auto resultType = cast<RankedTensorType>(result.getType());
  SmallVector<int64_t> expected{B};
  if (resultIsMatrix)
    expected.append({N, N});
  if (failed(checkShape(op, "result", resultType, expected,
                        resultIsMatrix ? "[B, N, N]" : "[B]")))
    return failure();
  return checkElementTypes(op, type.getElementType(), "matrices have",
                           {{"result", result}});
}

LogicalResult LogDetOp::verify() {
  return verifyBatchedSquare(*this, getMatrices(), getResult(), false);
}

LogicalResult InverseOp::verify() {
  return verifyBatchedSquare(*this, getMatrices(), getResult(), true);
}

LogicalResult MaxArborescenceOp::verify() {
  auto arcs = cast<RankedTensorType>(getArcs().getType());
  if (arcs.getRank() != 3)
    return emitOpError() << "arcs must have rank 3 ([B, N+1, N+1]), got "
                         << arcs;
  int64_t B = arcs.getDimSize(0), N1 = arcs.getDimSize(1);
  if (!ShapedType::isDynamic(N1) && !arcs.isDynamicDim(2) &&
      arcs.getDimSize(2) != N1)
    return emitOpError()
           << "arcs must be square in dimensions 1 and 2 ([B, N+1, N+1]), got "
           << arcs;
  if (ShapedType::isDynamic(N1))
    N1 = arcs.getDimSize(2);
  if (N1 == 0)
    return emitOpError() << "arcs need the root: size N+1 >= 1, got " << arcs;
  auto shapeOf = [](Value v) { return cast<RankedTensorType>(v.getType()); };
  if (failed(checkShape(*this, "lengths", shapeOf(getLengths()), {B}, "[B]")))
    return failure();
  return checkShape(*this, "heads", shapeOf(getHeads()), {B, N1}, "[B, N+1]");
}

LogicalResult PcfgOp::verify() {
  auto terms = cast<RankedTensorType>(getTerms().getType());
  auto rules = cast<RankedTensorType>(getRules().getType());
  if (terms.getRank() != 3)
    return emitOpError() << "terms must have rank 3 ([B, N, P]), got " << terms;
  Type elementType = terms.getElementType();
  if (!getSemiring().isValidElementType(elementType))
    return emitOpError() << "semiring " << getSemiring()
                         << " does not accept element type " << elementType;
  int64_t B = terms.getDimSize(0), P = terms.getDimSize(2);
  int64_t NT =
      rules.getRank() == 3 ? rules.getDimSize(0) : ShapedType::kDynamic;
  int64_t S = ShapedType::isDynamic(NT) || ShapedType::isDynamic(P)
                  ? ShapedType::kDynamic
                  : NT + P;
  auto shapeOf = [](Value v) { return cast<RankedTensorType>(v.getType()); };
  if (failed(checkShape(*this, "rules", rules, {NT, S, S},
                        "[NT, NT + P, NT + P]")) ||
      failed(checkShape(*this, "roots", shapeOf(getRoots()), {NT}, "[NT]")) ||
      failed(checkShape(*this, "lengths", shapeOf(getLengths()), {B}, "[B]")) ||
      failed(checkShape(*this, "score", shapeOf(getScore()), {B}, "[B]")))
    return failure();
  if (!rules.isDynamicDim(1) && !rules.isDynamicDim(2) &&
      rules.getDimSize(1) != rules.getDimSize(2))
    return emitOpError() << "rules must be square in dimensions 1 and 2 "
                            "([NT, NT + P, NT + P]), got "
                         << rules;
  return checkElementTypes(
      *this, elementType, "terms have",
      {{"rules", getRules()}, {"roots", getRoots()}, {"score", getScore()}});
}

//===----------------------------------------------------------------------===//
// AlignmentOp
//===----------------------------------------------------------------------===//

LogicalResult AlignmentOp::verify() {
  auto diagonal = cast<RankedTensorType>(getDiagonal().getType());
  if (diagonal.getRank() != 3)
    return emitOpError() << "diagonal must have rank 3 ([B, N+1, M+1]), got "
                         << diagonal;
  Type elementType = diagonal.getElementType();
  if (!getSemiring().isValidElementType(elementType))
    return emitOpError() << "semiring " << getSemiring()
                         << " does not accept element type " << elementType;
  int64_t B = diagonal.getDimSize(0);
  ArrayRef<int64_t> grid = diagonal.getShape();
  for (auto [name, value] :
       {std::pair<StringRef, Value>{"down", getDown()}, {"right", getRight()}})
    if (failed(checkShape(*this, name, cast<RankedTensorType>(value.getType()),
                          grid, "[B, N+1, M+1] like diagonal")))
      return failure();
  if (failed(checkShape(*this, "rows",
                        cast<RankedTensorType>(getRows().getType()), {B},
                        "[B]")) ||
      failed(checkShape(*this, "cols",
                        cast<RankedTensorType>(getCols().getType()), {B},
                        "[B]")) ||
      failed(checkShape(*this, "score",
                        cast<RankedTensorType>(getScore().getType()), {B},
                        "[B]")))
    return failure();
  return checkElementTypes(
      *this, elementType, "diagonal has",
      {{"down", getDown()}, {"right", getRight()}, {"score", getScore()}});
}

//===----------------------------------------------------------------------===//
// ScanOp
//===----------------------------------------------------------------------===//

YieldOp ScanOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

RankedTensorType ScanOp::getSliceType(RankedTensorType sequenceType,
                                      int64_t along) {
  SmallVector<int64_t> shape(sequenceType.getShape());
  shape.erase(shape.begin() + along);
  return RankedTensorType::get(shape, sequenceType.getElementType());
}

void ScanOp::build(OpBuilder &builder, OperationState &state, ValueRange inits,
                   ValueRange sequences, int64_t along, bool reverse) {
  build(builder, state, inits.getTypes(), inits, sequences,
        builder.getI64IntegerAttr(along),
        reverse ? builder.getUnitAttr() : UnitAttr(),
        /*write_once=*/DenseI64ArrayAttr());
  Block *body = new Block();
  state.regions.front()->push_back(body);
  body->addArgument(builder.getIndexType(), state.location);
  for (Value init : inits)
    body->addArgument(init.getType(), state.location);
  for (Value sequence : sequences)
    body->addArgument(
        getSliceType(cast<RankedTensorType>(sequence.getType()), along),
        state.location);
}

bool ScanOp::isWriteOnce(unsigned i) {
  std::optional<ArrayRef<int64_t>> tables = getWriteOnce();
  return tables && llvm::is_contained(*tables, static_cast<int64_t>(i));
}

LogicalResult ScanOp::verifyRegions() {
  int64_t along = getAlong();
  if (getInits().empty())
    return emitOpError("needs at least one carried value in 'init'");
  if (std::optional<ArrayRef<int64_t>> tables = getWriteOnce()) {
    llvm::SmallDenseSet<int64_t> seen;
    for (int64_t i : *tables) {
      if (i < 0 || i >= static_cast<int64_t>(getNumCarried()))
        return emitOpError() << "write_once names carried value #" << i
                             << " but there are " << getNumCarried();
      if (!seen.insert(i).second)
        return emitOpError()
               << "write_once names carried value #" << i << " twice";
    }
  }
  if (getSequences().empty())
    return emitOpError("needs at least one sequence in 'over'");

  // All sequences share the scanned axis.
  int64_t numSteps = ShapedType::kDynamic;
  for (auto [i, sequence] : llvm::enumerate(getSequences())) {
    auto type = cast<RankedTensorType>(sequence.getType());
    if (along >= type.getRank())
      return emitOpError() << "axis " << along << " is out of range for "
                           << "sequence #" << i << " of rank "
                           << type.getRank();
    int64_t size = type.getDimSize(along);
    if (ShapedType::isDynamic(size))
      continue;
    if (!ShapedType::isDynamic(numSteps) && numSteps != size)
      return emitOpError() << "sequence #" << i << " has " << size
                           << " steps along axis " << along
                           << " but an earlier sequence has " << numSteps;
    numSteps = size;
  }

  // Block signature: (index, carried..., slices...).
  Block &body = getBody().front();
  unsigned numCarried = getNumCarried();
  unsigned expectedArgs = 1 + numCarried + getSequences().size();
  if (body.getNumArguments() != expectedArgs)
    return emitOpError() << "body must take " << expectedArgs
                         << " arguments (step index, " << numCarried
                         << " carried, " << getSequences().size()
                         << " slices) but takes " << body.getNumArguments();
  if (!getStepIndex().getType().isIndex())
    return emitOpError() << "body argument #0 (the step index) must be "
                         << "'index', not " << getStepIndex().getType();
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip_equal(getInits(), getCarriedArgs()))) {
    auto [init, arg] = pair;
    if (init.getType() != arg.getType())
      return emitOpError() << "carried body argument #" << i << " has type "
                           << arg.getType() << " but its init has type "
                           << init.getType();
  }
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip_equal(getSequences(), getSliceArgs()))) {
    auto [sequence, arg] = pair;
    RankedTensorType sliceType =
        getSliceType(cast<RankedTensorType>(sequence.getType()), along);
    if (arg.getType() != sliceType)
      return emitOpError() << "slice body argument #" << i << " has type "
                           << arg.getType() << " but sequence #" << i
                           << " sliced along axis " << along << " gives "
                           << sliceType;
  }

  // The yield and the results both match the carried values.
  YieldOp yield = getYield();
  if (yield.getValues().size() != numCarried)
    return yield.emitOpError() << "yields " << yield.getValues().size()
                               << " values but the scan carries " << numCarried;
  if (getNumResults() != numCarried)
    return emitOpError() << "has " << getNumResults() << " results but carries "
                         << numCarried << " values";
  for (auto [i, values] : llvm::enumerate(
           llvm::zip_equal(getInits(), yield.getValues(), getResults()))) {
    auto [init, next, result] = values;
    if (next.getType() != init.getType())
      return yield.emitOpError()
             << "yields " << next.getType() << " for carried value #" << i
             << " of type " << init.getType();
    if (result.getType() != init.getType())
      return emitOpError() << "result #" << i << " has type "
                           << result.getType() << " but carried value #" << i
                           << " has type " << init.getType();
  }
  return success();
}

//===----------------------------------------------------------------------===//
// VjpOp
//===----------------------------------------------------------------------===//

/// Float tensors carry cotangents; integers (lengths, paths) do not.
static bool isDifferentiableType(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor && isa<FloatType>(tensor.getElementType());
}

LogicalResult VjpOp::verifySymbolUses(SymbolTableCollection &symbolTable) {
  auto callee = symbolTable.lookupNearestSymbolFrom<FunctionOpInterface>(
      *this, getCalleeAttr());
  if (!callee)
    return emitOpError() << "'" << getCallee() << "' does not name a function";
  auto type = dyn_cast<FunctionType>(callee.getFunctionType());
  if (!type)
    return emitOpError() << "'" << getCallee() << "' has no function type";
  if (TypeRange(type.getInputs()) != TypeRange(getPrimals().getTypes()))
    return emitOpError() << "primal types " << getPrimals().getTypes()
                         << " do not match the arguments of '" << getCallee()
                         << "' " << type.getInputs();

  SmallVector<Type> floatResults, floatArgs;
  for (Type result : type.getResults()) {
    if (isDifferentiableType(result))
      floatResults.push_back(result);
    else if (isa<FloatType>(result))
      return emitOpError() << "'" << getCallee() << "' returns a scalar "
                           << result << "; only tensors are differentiated";
  }
  if (floatResults.empty())
    return emitOpError() << "'" << getCallee()
                         << "' is not differentiable: it has no float tensor "
                            "result";
  for (Type arg : type.getInputs()) {
    if (isDifferentiableType(arg))
      floatArgs.push_back(arg);
    else if (isa<FloatType>(arg))
      return emitOpError() << "'" << getCallee() << "' takes a scalar " << arg
                           << "; only tensors are differentiated";
  }
  if (getCotangents().size() != floatResults.size())
    return emitOpError() << "expects " << floatResults.size()
                         << " cotangents (one per float result of '"
                         << getCallee() << "'), got " << getCotangents().size();
  for (auto [i, pair] :
       llvm::enumerate(llvm::zip(getCotangents().getTypes(), floatResults)))
    if (std::get<0>(pair) != std::get<1>(pair))
      return emitOpError() << "cotangent #" << i << " has type "
                           << std::get<0>(pair) << " but the float result it "
                           << "pairs with has type " << std::get<1>(pair);
  if (TypeRange(getGradients().getTypes()) != TypeRange(floatArgs))
    return emitOpError() << "result types " << getGradients().getTypes()
                         << " must be the float arguments' types "
                         << TypeRange(floatArgs);
  return success();
}
