//===- NgramOps.cpp - token n-gram ops and their verifiers ----------------===//

#include "sdp/Dialect/NgramOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::sdp;

#define GET_OP_CLASSES
#include "sdp/NgramOps.cpp.inc"

void SdpDialect::registerNgramOps() {
  addOperations<
#define GET_OP_LIST
#include "sdp/NgramOps.cpp.inc"
      >();
}

static RankedTensorType rankedType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

/// `type` has `leading` as its leading dimensions (where both are static)
/// and `extra` more dimensions.
static LogicalResult checkLeadingDims(Operation *op, StringRef name,
                                      RankedTensorType type,
                                      ArrayRef<int64_t> leading, int64_t extra,
                                      StringRef layout) {
  if (type.getRank() != static_cast<int64_t>(leading.size()) + extra)
    return op->emitOpError()
           << name << " must have rank " << leading.size() + extra << " ("
           << layout << "), got " << type;
  for (auto [d, size] : llvm::enumerate(leading))
    if (!ShapedType::isDynamic(size) && !type.isDynamicDim(d) &&
        type.getDimSize(d) != size)
      return op->emitOpError()
             << name << " has size " << type.getDimSize(d) << " in dimension "
             << d << " but " << layout << " needs " << size;
  return success();
}

static ArrayRef<int64_t> dropLast(RankedTensorType t, unsigned n = 1) {
  return t.getShape().drop_back(n);
}

LogicalResult SequenceLengthsOp::verify() {
  RankedTensorType tokens = rankedType(getTokens());
  if (tokens.getRank() < 1)
    return emitOpError("tokens must have at least one dimension");
  return checkLeadingDims(*this, "lengths", rankedType(getLengths()),
                          dropLast(tokens), 0, "the tokens' leading dims");
}

LogicalResult NgramExtractOp::verify() {
  RankedTensorType tokens = rankedType(getTokens());
  RankedTensorType windows = rankedType(getWindows());
  if (tokens.getRank() < 1)
    return emitOpError("tokens must have at least one dimension");
  if (failed(checkLeadingDims(*this, "lengths", rankedType(getLengths()),
                              dropLast(tokens), 0,
                              "the tokens' leading dims")) ||
      failed(checkLeadingDims(*this, "windows", windows, tokens.getShape(), 1,
                              "tokens shape x n")))
    return failure();
  if (windows.isDynamicDim(windows.getRank() - 1) || getOrder() < 1)
    return emitOpError() << "the n-gram order (last windows dimension) must "
                         << "be a static size of at least 1, got " << windows;
  if (windows.getElementType() != tokens.getElementType())
    return emitOpError() << "windows have element type "
                         << windows.getElementType() << " but tokens have "
                         << tokens.getElementType();
  return success();
}

/// The lengths and results of a dictionary op (sdp.ngram_dict,
/// sdp.ngram_chain) whose candidate positions are [B, Lc] and reference
/// positions [B, R, Lr].
template <typename DictOp>
static LogicalResult verifyDictionaryShapes(DictOp op,
                                            ArrayRef<int64_t> candidate,
                                            ArrayRef<int64_t> reference) {
  int64_t B = candidate[0], R = reference[1];
  if (failed(checkLeadingDims(op, "candidate lengths",
                              rankedType(op.getCandidateLengths()), {B}, 0,
                              "[B]")) ||
      failed(checkLeadingDims(op, "reference lengths",
                              rankedType(op.getReferenceLengths()), {B, R}, 0,
                              "[B, R]")) ||
      failed(checkLeadingDims(op, "candidate ids",
                              rankedType(op.getCandidateIds()), candidate, 0,
                              "[B, Lc]")) ||
      failed(checkLeadingDims(op, "reference ids",
                              rankedType(op.getReferenceIds()), reference, 0,
                              "[B, R, Lr]")) ||
      failed(checkLeadingDims(op, "num_unique", rankedType(op.getNumUnique()),
                              {B}, 0, "[B]")))
    return failure();
  return success();
}

LogicalResult NgramDictOp::verify() {
  RankedTensorType cw = rankedType(getCandidateWindows());
  RankedTensorType rw = rankedType(getReferenceWindows());
  if (cw.getRank() != 3)
    return emitOpError() << "candidate windows must have rank 3 ([B, Lc, n]), "
                         << "got " << cw;
  int64_t B = cw.getDimSize(0), n = cw.getDimSize(2);
  if (failed(checkLeadingDims(*this, "reference windows", rw, {B}, 3,
                              "[B, R, Lr, n]")))
    return failure();
  if (rw.getDimSize(3) != n || ShapedType::isDynamic(n))
    return emitOpError() << "candidate and reference windows must have the "
                         << "same static n-gram order, got " << cw << " and "
                         << rw;
  if (cw.getElementType() != rw.getElementType())
    return emitOpError() << "candidate tokens are " << cw.getElementType()
                         << " but reference tokens are " << rw.getElementType();
  if (failed(verifyDictionaryShapes(*this, dropLast(cw), dropLast(rw))))
    return failure();
  if (static_cast<bool>(getCandidatePrefixIds()) !=
      static_cast<bool>(getReferencePrefixIds()))
    return emitOpError("needs both candidate and reference prefix ids or "
                       "neither");
  if (getCandidatePrefixIds()) {
    if (n < 2)
      return emitOpError("prefix ids need n-grams of order 2 or more");
    if (failed(checkLeadingDims(*this, "candidate prefix ids",
                                rankedType(getCandidatePrefixIds()),
                                dropLast(cw), 0, "[B, Lc]")) ||
        failed(checkLeadingDims(*this, "reference prefix ids",
                                rankedType(getReferencePrefixIds()),
                                dropLast(rw), 0, "[B, R, Lr]")))
      return failure();
  }
  return success();
}

LogicalResult NgramChainOp::verify() {
  APInt order;
  if (matchPattern(getOrder(), m_ConstantInt(&order)) && order.slt(2))
    return emitOpError() << "chains orders of 2 or more (an n-gram's prefix "
                            "is an (n-1)-gram), got order "
                         << order.getSExtValue();
  RankedTensorType cp = rankedType(getCandidatePrefixIds());
  RankedTensorType rp = rankedType(getReferencePrefixIds());
  if (cp.getRank() != 2)
    return emitOpError() << "candidate prefix ids must have rank 2 ([B, Lc]), "
                         << "got " << cp;
  int64_t B = cp.getDimSize(0);
  if (failed(checkLeadingDims(*this, "reference prefix ids", rp, {B}, 2,
                              "[B, R, Lr]")))
    return failure();
  return verifyDictionaryShapes(*this, cp.getShape(), rp.getShape());
}

LogicalResult NgramCountOp::verify() {
  RankedTensorType ids = rankedType(getIds());
  if (ids.getRank() < 2)
    return emitOpError() << "ids must have rank 2 or more ([B, ..., L]), got "
                         << ids;
  if (failed(checkLeadingDims(*this, "num_unique", rankedType(getNumUnique()),
                              {ids.getDimSize(0)}, 0, "[B]")) ||
      failed(checkLeadingDims(*this, "counts", rankedType(getCounts()),
                              dropLast(ids), 1, "[B, ..., U]")))
    return failure();
  return success();
}

LogicalResult NgramClipOp::verify() {
  RankedTensorType cand = rankedType(getCandidateCounts());
  if (cand.getRank() != 2)
    return emitOpError() << "candidate counts must have rank 2 ([B, U]), got "
                         << cand;
  int64_t B = cand.getDimSize(0), U = cand.getDimSize(1);
  RankedTensorType refs = rankedType(getReferenceCounts());
  if (failed(checkLeadingDims(*this, "reference counts", refs, {B}, 2,
                              "[B, R, U]")))
    return failure();
  if (!ShapedType::isDynamic(U) && !refs.isDynamicDim(2) &&
      refs.getDimSize(2) != U)
    return emitOpError() << "reference counts have " << refs.getDimSize(2)
                         << " ids but candidate counts have " << U;
  if (failed(checkLeadingDims(*this, "matches", rankedType(getMatches()), {B},
                              0, "[B]")) ||
      failed(checkLeadingDims(*this, "totals", rankedType(getTotals()), {B}, 0,
                              "[B]")))
    return failure();
  return success();
}

/// Checks the scoring attributes shared by sdp.bleu and sdp.bleu_score.
static LogicalResult verifyScoring(Operation *op, ArrayAttr weights,
                                   BleuSmoothing smoothing, BleuCompat compat,
                                   bool autoReweigh,
                                   std::optional<llvm::APFloat> smoothValue) {
  if (weights.empty())
    return op->emitOpError("needs at least one weight (the maximum n-gram "
                           "order is the number of weights)");
  bool sacre = compat == BleuCompat::sacrebleu;
  bool sacreMethod = smoothing >= BleuSmoothing::exp;
  if (sacre != sacreMethod)
    return op->emitOpError()
           << "smoothing '" << stringifyBleuSmoothing(smoothing)
           << "' is not a " << stringifyBleuCompat(compat)
           << " method (nltk: method0..method7; sacrebleu: exp, floor, "
              "add_k, none)";
  if (sacre) {
    double w = 1.0 / weights.size();
    for (Attribute a : weights)
      if (std::abs(cast<FloatAttr>(a).getValueAsDouble() - w) > 1e-12)
        return op->emitOpError("sacrebleu compatibility uses uniform weights");
    if (autoReweigh)
      return op->emitOpError("auto_reweigh is an nltk option");
  } else if (smoothValue) {
    return op->emitOpError("smooth_value is a sacrebleu option");
  }
  if (smoothing == BleuSmoothing::method6 && weights.size() < 3)
    return op->emitOpError("method6 needs at least 3 n-gram orders");
  return success();
}

LogicalResult BleuScoreOp::verify() {
  if (failed(verifyScoring(*this, getWeights(), getSmoothing(), getCompat(),
                           getAutoReweigh(), getSmoothValue())))
    return failure();
  RankedTensorType hyp = rankedType(getHypLengths());
  if (hyp.getRank() != 1)
    return emitOpError() << "hyp_lengths must have rank 1 ([B]), got " << hyp;
  int64_t B = hyp.getDimSize(0);
  int64_t N =
      getWeights().size() + (getSmoothing() == BleuSmoothing::method5 ||
                                     getSmoothing() == BleuSmoothing::method7
                                 ? 1
                                 : 0);
  if (failed(checkLeadingDims(*this, "matches", rankedType(getMatches()),
                              {N, B}, 0, "[orders, B]")) ||
      failed(checkLeadingDims(*this, "totals", rankedType(getTotals()), {N, B},
                              0, "[orders, B]")) ||
      failed(checkLeadingDims(*this, "ref_lengths", rankedType(getRefLengths()),
                              {B}, 1, "[B, R]")))
    return failure();
  return checkLeadingDims(*this, "scores", rankedType(getScores()),
                          {getCorpus() ? 1 : B}, 0,
                          getCorpus() ? "[1] (corpus)" : "[B]");
}

SmallVector<int64_t> BleuOp::getOrders() {
  SmallVector<int64_t> orders;
  for (size_t n = 1; n <= getWeights().size(); ++n)
    orders.push_back(n);
  // NLTK's method5 (and method7, which applies it) always appends the
  // 5-gram precision.
  if (getSmoothing() == BleuSmoothing::method5 ||
      getSmoothing() == BleuSmoothing::method7)
    orders.push_back(5);
  return orders;
}

LogicalResult BleuOp::verify() {
  if (failed(verifyScoring(*this, getWeights(), getSmoothing(), getCompat(),
                           getAutoReweigh(), getSmoothValue())))
    return failure();
  RankedTensorType cand = rankedType(getCandidates());
  RankedTensorType refs = rankedType(getReferences());
  if (cand.getRank() != 2)
    return emitOpError() << "candidates must have rank 2 ([B, Lc]), got "
                         << cand;
  if (refs.getRank() != 2 && refs.getRank() != 3)
    return emitOpError() << "references must have rank 3 ([B, R, Lr]) or 2 "
                         << "([B, Lr]), got " << refs;
  if (cand.getElementType() != refs.getElementType())
    return emitOpError() << "candidates are " << cand.getElementType()
                         << " but references are " << refs.getElementType();
  int64_t B = cand.getDimSize(0);
  if (failed(checkLeadingDims(*this, "references", refs, {B},
                              refs.getRank() - 1, "[B, ...]")))
    return failure();
  return checkLeadingDims(*this, "scores", rankedType(getScores()),
                          {getCorpus() ? 1 : B}, 0,
                          getCorpus() ? "[1] (corpus)" : "[B]");
}

LogicalResult VectorCompressOp::verify() {
  if (cast<VectorType>(getValues().getType()).isScalable())
    return emitOpError() << "needs a fixed-length vector";
  return success();
}
