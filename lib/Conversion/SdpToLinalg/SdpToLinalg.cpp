//===- SdpToLinalg.cpp - sdp.contract to linalg.generic -------------------===//
//
// Three forms, chosen by what the semiring allows:
//  * plain:   acc ⊕= ⊗ inputs, one linalg.generic on a 0̄-filled result;
//  * witness: the same with a second i32 output recording the selected
//             position of the reduced index (argmax backpointers);
//  * exp-shifted (semirings with admitsExpShiftedReduction, i.e. log):
//             m = max of products, s = Σ exp(product - m), result = m + log s,
//             so each term costs one exp and each result element one log.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToLinalg.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "sdp/Dialect/SdpOps.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_CONVERTSDPTOLINALGPASS
#include "sdp/ConversionPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;
using namespace mlir::sdp;

namespace {

/// Builds an empty tensor of the result's shape and `elementType`, reading
/// each dynamic size from an input dimension that carries the same letter.
static Value buildEmptyResult(OpBuilder &b, Location loc, ContractOp op,
                              const ContractionSpec &spec, Type elementType) {
  auto resultType = cast<RankedTensorType>(op.getResult().getType());
  SmallVector<Value> dynamicSizes;
  for (auto [dim, letter] : llvm::enumerate(spec.getOutput())) {
    if (!resultType.isDynamicDim(dim))
      continue;
    for (auto [i, input] : llvm::enumerate(op.getInputs())) {
      size_t pos = spec.getInput(i).find(letter);
      if (pos == llvm::StringRef::npos)
        continue;
      dynamicSizes.push_back(tensor::DimOp::create(b, loc, input, pos));
      break;
    }
  }
  return tensor::EmptyOp::create(b, loc, resultType.getShape(), elementType,
                                 dynamicSizes);
}

static Value fill(OpBuilder &b, Location loc, Value value, Value dest) {
  return linalg::FillOp::create(b, loc, value, dest).getResult(0);
}

/// The iteration space of a contraction: its indexing maps (inputs, then
/// the result map `extraOutputs + 1` times) and iterator types.
struct IterationSpace {
  SmallVector<AffineMap> maps;
  SmallVector<utils::IteratorType> iterators;
};

static IterationSpace getIterationSpace(const ContractionSpec &spec,
                                        MLIRContext *ctx, unsigned numOutputs) {
  IterationSpace space;
  for (unsigned i = 0, e = spec.getNumInputs(); i < e; ++i)
    space.maps.push_back(spec.getInputMap(i, ctx));
  space.maps.append(numOutputs, spec.getOutputMap(ctx));
  for (char letter : spec.getLoopLetters())
    space.iterators.push_back(spec.isReduced(letter)
                                  ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
  return space;
}

/// ⊗ of all block arguments standing for inputs.
static Value buildProduct(OpBuilder &b, Location loc,
                          SemiringAttrInterface semiring, ValueRange factors) {
  Value product = factors.front();
  for (Value factor : factors.drop_front())
    product = semiring.buildMul(b, loc, product, factor);
  return product;
}

struct ContractToGeneric : OpRewritePattern<ContractOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ContractOp op,
                                PatternRewriter &rewriter) const override {
    ContractionSpec spec = op.getContractionSpec();
    SemiringAttrInterface semiring = op.getSemiring();
    if (op.getWitness())
      return lowerWithWitness(op, spec, semiring, rewriter);
    if (spec.getNumReduced() > 0 && semiring.admitsExpShiftedReduction())
      return lowerExpShifted(op, spec, rewriter);
    return lowerPlain(op, spec, semiring, rewriter);
  }

private:
  LogicalResult lowerPlain(ContractOp op, const ContractionSpec &spec,
                           SemiringAttrInterface semiring,
                           PatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    Type elementType = getElementTypeOrSelf(op.getResult().getType());
    bool reduces = spec.getNumReduced() > 0;
    // A pure product needs no accumulator: every result element is written.
    Value init = buildEmptyResult(rewriter, loc, op, spec, elementType);
    if (reduces)
      init = fill(rewriter, loc, semiring.buildZero(rewriter, loc, elementType),
                  init);
    IterationSpace space = getIterationSpace(spec, op.getContext(), 1);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, op.getResult().getType(), op.getInputs(), init,
        space.maps, space.iterators,
        [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value product = buildProduct(b, bodyLoc, semiring, args.drop_back());
          Value result =
              reduces ? semiring.buildAdd(b, bodyLoc, args.back(), product)
                      : product;
          linalg::YieldOp::create(b, bodyLoc, result);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }

  LogicalResult lowerWithWitness(ContractOp op, const ContractionSpec &spec,
                                 SemiringAttrInterface semiring,
                                 PatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    Type elementType = getElementTypeOrSelf(op.getResult().getType());
    Value values =
        fill(rewriter, loc, semiring.buildZero(rewriter, loc, elementType),
             buildEmptyResult(rewriter, loc, op, spec, elementType));
    Value zeroIndex = arith::ConstantIntOp::create(rewriter, loc, 0, 32);
    Value positions =
        fill(rewriter, loc, zeroIndex,
             buildEmptyResult(rewriter, loc, op, spec, rewriter.getI32Type()));
    // The verifier guarantees exactly one reduced letter.
    unsigned reducedLoop = spec.getOutput().size();
    IterationSpace space = getIterationSpace(spec, op.getContext(), 2);
    auto generic = linalg::GenericOp::create(
        rewriter, loc,
        TypeRange{op.getResult().getType(), op.getWitness().getType()},
        op.getInputs(), ValueRange{values, positions}, space.maps,
        space.iterators, [&](OpBuilder &b, Location bodyLoc, ValueRange args) {
          Value acc = args[args.size() - 2], accPos = args.back();
          Value product = buildProduct(b, bodyLoc, semiring, args.drop_back(2));
          Value next = semiring.buildAdd(b, bodyLoc, acc, product);
          // ⊕ selected the new term iff it changed the accumulator; ties
          // keep the earlier position.
          Value kept =
              elementType.isInteger(1)
                  ? arith::CmpIOp::create(b, bodyLoc, arith::CmpIPredicate::eq,
                                          next, acc)
                        .getResult()
                  : arith::CmpFOp::create(b, bodyLoc, arith::CmpFPredicate::OEQ,
                                          next, acc)
                        .getResult();
          Value pos = arith::IndexCastOp::create(
              b, bodyLoc, b.getI32Type(),
              linalg::IndexOp::create(b, bodyLoc, reducedLoop));
          Value nextPos =
              arith::SelectOp::create(b, bodyLoc, kept, accPos, pos);
          linalg::YieldOp::create(b, bodyLoc, ValueRange{next, nextPos});
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }

  LogicalResult lowerExpShifted(ContractOp op, const ContractionSpec &spec,
                                PatternRewriter &rewriter) const {
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    Type elementType = resultType.getElementType();
    // The product in log space is a sum; the shift is the largest product.
    auto logProduct = [](OpBuilder &b, Location l, ValueRange factors) {
      Value sum = factors.front();
      for (Value f : factors.drop_front())
        sum = arith::AddFOp::create(b, l, sum, f);
      return sum;
    };
    Value negInf = arith::ConstantOp::create(
        rewriter, loc, elementType,
        rewriter.getFloatAttr(
            elementType,
            APFloat::getInf(cast<FloatType>(elementType).getFloatSemantics(),
                            /*Negative=*/true)));
    Value posInf = arith::ConstantOp::create(
        rewriter, loc, elementType,
        rewriter.getFloatAttr(
            elementType,
            APFloat::getInf(cast<FloatType>(elementType).getFloatSemantics(),
                            /*Negative=*/false)));
    Value zero = arith::ConstantOp::create(
        rewriter, loc, elementType, rewriter.getFloatAttr(elementType, 0.0));
    Value empty = buildEmptyResult(rewriter, loc, op, spec, elementType);
    IterationSpace space = getIterationSpace(spec, ctx, 1);

    // Pass 1: max over the reduced indices.
    auto maxOp = linalg::GenericOp::create(
        rewriter, loc, resultType, op.getInputs(),
        fill(rewriter, loc, negInf, empty), space.maps, space.iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value product = logProduct(b, l, args.drop_back());
          linalg::YieldOp::create(
              b, l,
              arith::MaxNumFOp::create(b, l, args.back(), product).getResult());
        });
    // An infinite shift is the sum itself (-inf: every term is 0̄; +inf: a
    // term is +inf, or overflowed to it); shift by 0 there so that exp sees
    // ±inf, never inf - inf = NaN, and shift + log(sum) is that infinity.
    AffineMap identity =
        AffineMap::getMultiDimIdentityMap(resultType.getRank(), ctx);
    SmallVector<utils::IteratorType> parallel(resultType.getRank(),
                                              utils::IteratorType::parallel);
    auto shiftOp = linalg::GenericOp::create(
        rewriter, loc, resultType, maxOp.getResult(0), empty,
        SmallVector<AffineMap>{identity, identity}, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value isNegInf = arith::CmpFOp::create(
              b, l, arith::CmpFPredicate::OEQ, args[0], negInf);
          Value isPosInf = arith::CmpFOp::create(
              b, l, arith::CmpFPredicate::OEQ, args[0], posInf);
          Value infinite = arith::OrIOp::create(b, l, isNegInf, isPosInf);
          linalg::YieldOp::create(
              b, l,
              arith::SelectOp::create(b, l, infinite, zero, args[0])
                  .getResult());
        });
    Value shift = shiftOp.getResult(0);

    // Pass 2: Σ exp(product - shift), one exp per term.
    SmallVector<Value> sumInputs(op.getInputs());
    sumInputs.push_back(shift);
    SmallVector<AffineMap> sumMaps(space.maps.begin(), space.maps.end() - 1);
    sumMaps.push_back(spec.getOutputMap(ctx)); // shift
    sumMaps.push_back(spec.getOutputMap(ctx)); // accumulator
    auto sumOp = linalg::GenericOp::create(
        rewriter, loc, resultType, sumInputs, fill(rewriter, loc, zero, empty),
        sumMaps, space.iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value product = logProduct(b, l, args.drop_back(2));
          Value shifted =
              arith::SubFOp::create(b, l, product, args[args.size() - 2]);
          Value term = math::ExpOp::create(b, l, shifted);
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, args.back(), term).getResult());
        });

    // Pass 3: shift + log(sum); log(0) = -inf where nothing was reachable.
    auto resultOp = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{shift, sumOp.getResult(0)}, empty,
        SmallVector<AffineMap>{identity, identity, identity}, parallel,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value log = math::LogOp::create(b, l, args[1]);
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, args[0], log).getResult());
        });
    rewriter.replaceOp(op, resultOp.getResults());
    return success();
  }
};

struct ConvertSdpToLinalgPass
    : mlir::sdp::impl::ConvertSdpToLinalgPassBase<ConvertSdpToLinalgPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateSdpToLinalgConversionPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};

} // namespace

void mlir::sdp::populateSdpToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ContractToGeneric>(patterns.getContext());
  populateGatherToLinalgPatterns(patterns);
}
