//===- TileAndVectorize.cpp - vectors along the contiguous axis ----------===//

#include "VectorReductions.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Affine/Utils.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "sdp/Transforms/Passes.h"

namespace mlir::sdp {
#define GEN_PASS_DEF_TILEANDVECTORIZEPASS
#include "sdp/TransformsPasses.h.inc"
} // namespace mlir::sdp

using namespace mlir;

namespace {

/// The loop to run innermost (and vectorize): the one that walks the
/// contiguous (last) dimension of the most data. Each operand votes for the
/// loop of its last dimension with its rank (a proxy for its size); the
/// result wins ties. So the largest operand is read with unit stride, and a
/// contraction whose inputs share a contiguous reduced index (an adjoint's
/// "bc,kc->bk") reduces along vectors instead of gathering with a stride.
static std::optional<unsigned> contiguousLoop(linalg::LinalgOp op) {
  llvm::SmallDenseMap<unsigned, int64_t> votes;
  std::optional<unsigned> resultLoop;
  auto vote = [&](OpOperand &operand, bool isResult) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (map.getNumResults() == 0)
      return;
    auto dim = dyn_cast<AffineDimExpr>(map.getResults().back());
    if (!dim)
      return;
    votes[dim.getPosition()] += map.getNumResults();
    if (isResult && !resultLoop)
      resultLoop = dim.getPosition();
  };
  for (OpOperand &operand : op.getDpsInitsMutable())
    vote(operand, /*isResult=*/true);
  for (OpOperand *operand : op.getDpsInputOperands())
    vote(*operand, /*isResult=*/false);
  std::optional<unsigned> loop;
  int64_t best = 0;
  for (auto [candidate, count] : votes)
    if (count > best || (count == best && candidate == resultLoop)) {
      best = count;
      loop = candidate;
    }
  return loop;
}

/// After peeling, every tile of `mainLoop` is `width` wide. Upstream's
/// peeling simplifies the tile-size `affine.min`s only when it can prove
/// that from the bounds' affine forms, which fails when the loop's range is
/// itself a computed sub-range (the narrow part of a split); the tile size
/// is then still min(width, ub - iv), so the tiles stay masked. Any
/// `affine.min` inside the main loop that reads its induction variable and
/// has `width` among its results is that tile size: it is `width`.
static void assumeFullTiles(RewriterBase &rewriter, scf::ForOp mainLoop,
                            int64_t width) {
  Value iv = mainLoop.getInductionVar();
  SmallVector<affine::AffineMinOp> sizes;
  mainLoop.walk([&](affine::AffineMinOp min) {
    bool hasWidth = llvm::any_of(min.getMap().getResults(), [&](AffineExpr e) {
      auto constant = dyn_cast<AffineConstantExpr>(e);
      return constant && constant.getValue() == width;
    });
    if (hasWidth && llvm::is_contained(min.getOperands(), iv))
      sizes.push_back(min);
  });
  for (affine::AffineMinOp min : sizes) {
    rewriter.setInsertionPoint(min);
    rewriter.replaceOpWithNewOp<arith::ConstantIndexOp>(min, width);
  }
}

/// The loops of an op with `iterators`, parallel ones first: tiled in this
/// order, each output tile accumulates over all of the reduction inside.
static SmallVector<int64_t>
parallelThenReductions(ArrayRef<utils::IteratorType> iterators) {
  SmallVector<int64_t> order;
  for (utils::IteratorType kind :
       {utils::IteratorType::parallel, utils::IteratorType::reduction})
    for (auto [i, iterator] : llvm::enumerate(iterators))
      if (iterator == kind)
        order.push_back(i);
  return order;
}

/// Splits `op` along `loop` where its last whole multiple of `multiple`
/// ends: (the whole multiples, the rest); either may be null.
static std::pair<TilingInterface, TilingInterface>
splitAtMultiple(RewriterBase &rewriter, TilingInterface op, unsigned loop,
                int64_t multiple) {
  rewriter.setInsertionPoint(op);
  Range range = op.getIterationDomain(rewriter)[loop];
  AffineExpr size = rewriter.getAffineSymbolExpr(0);
  OpFoldResult splitPoint = affine::makeComposedFoldedAffineApply(
      rewriter, op.getLoc(), size.floorDiv(multiple) * multiple, {range.size});
  return linalg::splitOp(rewriter, op, loop, splitPoint);
}

/// Tiles `op` by `sizes` (loops in `order`, when given) and replaces it
/// with the tiled loops.
static FailureOr<scf::SCFTilingResult> tileInPlace(RewriterBase &rewriter,
                                                   TilingInterface op,
                                                   ArrayRef<OpFoldResult> sizes,
                                                   ArrayRef<int64_t> order) {
  scf::SCFTilingOptions options;
  options.setTileSizes(sizes);
  if (!order.empty())
    options.setInterchange(order);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, op, options);
  if (succeeded(tiled))
    rewriter.replaceOp(op, tiled->replacements);
  return tiled;
}

/// The split half `part` as a linalg op, if there is one.
static linalg::LinalgOp asLinalg(TilingInterface part) {
  return dyn_cast_or_null<linalg::LinalgOp>(part ? part.getOperation()
                                                 : nullptr);
}

/// Vectorizes the tiles `tiles` of an op with `numLoops` loops, `sizes`
/// elements per loop (1 but for the tiled ones).
static LogicalResult vectorizeTiles(RewriterBase &rewriter,
                                    ArrayRef<Operation *> tiles,
                                    ArrayRef<int64_t> sizes) {
  for (Operation *tile : tiles) {
    rewriter.setInsertionPoint(tile);
    // Spell out "not scalable" for every dimension: an empty list makes the
    // vectorizer build mask types that differ from the ones it verifies.
    SmallVector<bool> scalable(sizes.size(), false);
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, tile, sizes, scalable);
    if (failed(vectorized))
      return failure(); // the scalar tile is still correct
    if (!vectorized->replacements.empty())
      rewriter.replaceOp(tile, vectorized->replacements);
    else
      rewriter.eraseOp(tile);
  }
  return success();
}

/// Tiles an accumulating op (its contiguous loop last, reductions inside)
/// whose contiguous loop's range is a multiple of `width` and whose
/// `rowLoop` range is a multiple of `rows` into `rows` x `width` tiles, the
/// reductions inside them, and vectorizes those without masks.
static LogicalResult tileAndVectorizeRowBlocks(RewriterBase &rewriter,
                                               linalg::LinalgOp op,
                                               unsigned rowLoop, int64_t width,
                                               int64_t rows) {
  unsigned numLoops = op.getNumLoops();
  auto tileable = cast<TilingInterface>(op.getOperation());
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> sizes(numLoops, 1);
  sizes[rowLoop] = rows;
  sizes.back() = width;
  if (failed(linalg::vectorizeOpPrecondition(
          op, sizes, SmallVector<bool>(numLoops, false))))
    return failure();
  SmallVector<OpFoldResult> tileSizes;
  for (int64_t size : sizes)
    tileSizes.push_back(rewriter.getIndexAttr(size));
  SmallVector<int64_t> loopOrder = parallelThenReductions(iterators);
  FailureOr<scf::SCFTilingResult> tiled =
      tileInPlace(rewriter, tileable, tileSizes, loopOrder);
  if (failed(tiled))
    return failure();
  for (auto [position, loop] : llvm::enumerate(loopOrder)) {
    if (position >= tiled->loops.size() ||
        (loop != rowLoop && loop != numLoops - 1))
      continue;
    if (auto tileLoop =
            dyn_cast<scf::ForOp>(tiled->loops[position].getOperation()))
      assumeFullTiles(rewriter, tileLoop, loop == rowLoop ? rows : width);
  }
  return vectorizeTiles(rewriter, tiled->tiledOps, sizes);
}

/// Tiles `op` by `width` along its contiguous loop and vectorizes it. When
/// that loop is parallel and reductions run inside it (a GEMM's shape), the
/// range of the contiguous loop is split: up to the last multiple of
/// `accumulatorTiles` vectors, tiles that many vectors wide (as many
/// independent accumulators hide the latency of the reduction's adds); the
/// rest the same way with half as many vectors per tile, down to one.
/// `fullTiles`: the contiguous loop's range is known to be a multiple of
/// `width` (the wide part of a split), so it has no partial tile to peel.
static LogicalResult tileAndVectorize(RewriterBase &rewriter,
                                      linalg::LinalgOp op, int64_t width,
                                      int64_t accumulatorTiles,
                                      int64_t accumulatorRows,
                                      bool fullTiles = false) {
  unsigned numLoops = op.getNumLoops();
  if (numLoops == 0 || !op.hasPureTensorSemantics())
    return failure();
  std::optional<unsigned> inner = contiguousLoop(op);
  if (!inner)
    return failure();
  // Leave ops the vectorizer cannot handle (e.g. reductions with several
  // outputs) as they are rather than splitting them into scalar tiles.
  SmallVector<int64_t> vectorSizes(numLoops, 1);
  vectorSizes.back() = width;
  if (failed(linalg::vectorizeOpPrecondition(
          op, vectorSizes, SmallVector<bool>(numLoops, false))))
    return failure();

  // Make the contiguous loop the innermost one.
  if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      generic && *inner != numLoops - 1) {
    SmallVector<unsigned> order;
    for (unsigned i = 0; i < numLoops; ++i)
      if (i != *inner)
        order.push_back(i);
    order.push_back(*inner);
    rewriter.setInsertionPoint(generic);
    FailureOr<linalg::GenericOp> interchanged =
        linalg::interchangeGenericOp(rewriter, generic, order);
    if (failed(interchanged))
      return failure();
    op = *interchanged;
  } else if (*inner != numLoops - 1) {
    return failure();
  }

  // When the vector walks a parallel dimension, the reduction loops run
  // inside it: each output vector then accumulates over the whole reduction
  // in registers (see sdp-hoist-vector-accumulators) instead of being loaded
  // and stored once per term, as a GEMM's inner kernel does.
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  bool accumulates =
      iterators.back() == utils::IteratorType::parallel &&
      llvm::is_contained(iterators, utils::IteratorType::reduction);
  auto tileable = dyn_cast<TilingInterface>(op.getOperation());
  if (!tileable)
    return failure();
  if (accumulates && accumulatorTiles > 1) {
    // Split the contiguous loop's range where its wide tiles end: wide
    // vectors below, single ones above (so a small dimension does not pay
    // for masked lanes of a wide vector).
    int64_t wide = width * accumulatorTiles;
    auto [wideOp, narrowOp] =
        splitAtMultiple(rewriter, tileable, numLoops - 1, wide);
    LogicalResult result = success();
    if (linalg::LinalgOp wideLinalg = asLinalg(wideOp))
      result = tileAndVectorize(rewriter, wideLinalg, wide, 1, accumulatorRows,
                                /*fullTiles=*/true);
    if (linalg::LinalgOp narrowLinalg = asLinalg(narrowOp))
      if (failed(tileAndVectorize(rewriter, narrowLinalg, width,
                                  accumulatorTiles / 2, /*accumulatorRows=*/1)))
        result = failure();
    return result;
  }

  // Full-width accumulating tiles also take `accumulatorRows` rows of the
  // innermost other parallel loop (a GEMM kernel's register block): each
  // vector of the reduced operand loaded per term then feeds that many
  // accumulators, so the kernel is bound by its multiply-adds, not by its
  // loads. The rows past the last whole block run one at a time.
  std::optional<unsigned> rowLoop;
  if (accumulates && fullTiles && accumulatorRows > 1)
    for (unsigned i = 0; i + 1 < numLoops; ++i)
      if (iterators[i] == utils::IteratorType::parallel)
        rowLoop = i;
  if (rowLoop) {
    auto [blockOp, restOp] =
        splitAtMultiple(rewriter, tileable, *rowLoop, accumulatorRows);
    LogicalResult result = success();
    if (linalg::LinalgOp blocks = asLinalg(blockOp))
      result = tileAndVectorizeRowBlocks(rewriter, blocks, *rowLoop, width,
                                         accumulatorRows);
    if (linalg::LinalgOp rest = asLinalg(restOp))
      if (failed(tileAndVectorize(rewriter, rest, width, 1,
                                  /*accumulatorRows=*/1, /*fullTiles=*/true)))
        result = failure();
    return result;
  }

  SmallVector<OpFoldResult> tileSizes(numLoops, rewriter.getIndexAttr(1));
  tileSizes.back() = rewriter.getIndexAttr(width);
  SmallVector<int64_t> loopOrder;
  if (accumulates)
    loopOrder = parallelThenReductions(iterators);
  FailureOr<scf::SCFTilingResult> tiled =
      tileInPlace(rewriter, tileable, tileSizes, loopOrder);
  if (failed(tiled))
    return failure();

  // Peel the partial last tile off the contiguous loop: the main loop's
  // tiles are then full, so their transfers need no mask. Masked stores are
  // slow on some CPUs (microcoded on AMD Zen) and keep LLVM from promoting
  // an accumulator to a register; only the remainder tile pays for them.
  SmallVector<Operation *> tiles(tiled->tiledOps);
  size_t vectorLoop = tiled->loops.size() - 1;
  if (!loopOrder.empty())
    vectorLoop = llvm::find(loopOrder, numLoops - 1) - loopOrder.begin();
  if (vectorLoop < tiled->loops.size())
    if (auto inner =
            dyn_cast<scf::ForOp>(tiled->loops[vectorLoop].getOperation())) {
      scf::ForOp partial;
      if (fullTiles) {
        // A range of whole tiles has no remainder loop to emit (it would
        // never run, but would still be compiled).
        assumeFullTiles(rewriter, inner, width);
      } else if (succeeded(scf::peelForLoopAndSimplifyBounds(rewriter, inner,
                                                             partial)) &&
                 partial) {
        assumeFullTiles(rewriter, inner, width);
        partial.walk([&](linalg::LinalgOp tile) {
          tiles.push_back(tile.getOperation());
        });
      }
    }

  return vectorizeTiles(rewriter, tiles, vectorSizes);
}

/// vector.mask %m { vector.multi_reduction <k>, %v, %acc }
///   -> vector.multi_reduction <k>, select(%m, %v, identity(k)), %acc
/// The tail mask of a tiled reduction otherwise reaches LLVM as a
/// vector-predicated reduction, which x86 expands one lane at a time (an
/// extract and a compare per lane); the select keeps it a plain tree
/// reduction.
struct UnmaskReduction : OpRewritePattern<vector::MaskOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::MaskOp mask,
                                PatternRewriter &rewriter) const override {
    auto reduction =
        dyn_cast_or_null<vector::MultiDimReductionOp>(mask.getMaskableOp());
    if (!reduction || mask.hasPassthru() ||
        reduction.getSourceVectorType().getShape() !=
            mask.getMask().getType().getShape())
      return failure();
    VectorType sourceType = reduction.getSourceVectorType();
    TypedAttr identity = sdp::getReductionIdentity(reduction.getKind(),
                                                   sourceType.getElementType());
    if (!identity)
      return failure();
    Location loc = reduction.getLoc();
    rewriter.setInsertionPoint(mask);
    Value neutral =
        arith::ConstantOp::create(rewriter, loc, sourceType,
                                  SplatElementsAttr::get(sourceType, identity));
    Value source = arith::SelectOp::create(rewriter, loc, mask.getMask(),
                                           reduction.getSource(), neutral);
    rewriter.replaceOpWithNewOp<vector::MultiDimReductionOp>(
        mask, reduction.getType(), reduction.getKindAttr(), source,
        reduction.getAcc(), reduction.getReductionDimsAttr());
    return success();
  }
};

struct TileAndVectorizePass
    : mlir::sdp::impl::TileAndVectorizePassBase<TileAndVectorizePass> {
  using TileAndVectorizePassBase::TileAndVectorizePassBase;

  void runOnOperation() override {
    for (auto [name, value] :
         {std::pair<StringRef, int64_t>{"vector-size", vectorSize},
          {"accumulator-tiles", accumulatorTiles},
          {"accumulator-rows", accumulatorRows}}) {
      if (value >= 1)
        continue;
      getOperation()->emitError() << "sdp-tile-and-vectorize: " << name
                                  << " must be at least 1, got " << value;
      return signalPassFailure();
    }
    SmallVector<linalg::LinalgOp> targets;
    getOperation()->walk([&](linalg::LinalgOp op) {
      if (isa<linalg::GenericOp, linalg::FillOp>(op))
        targets.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    // An op that cannot be tiled or vectorized stays scalar; it is still
    // correct, only slower.
    for (linalg::LinalgOp op : targets)
      (void)tileAndVectorize(rewriter, op, vectorSize, accumulatorTiles,
                             accumulatorRows);

    // Tiles are 1 x ... x 1 x width; drop the unit dimensions so that the
    // arithmetic and the transfers act on plain 1-D vectors.
    RewritePatternSet patterns(&getContext());
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    vector::populateDropUnitDimWithShapeCastPatterns(patterns);
    vector::populateVectorTransferDropUnitDimsPatterns(patterns);
    vector::MaskOp::getCanonicalizationPatterns(patterns, &getContext());
    patterns.add<UnmaskReduction>(&getContext());
    vector::ShapeCastOp::getCanonicalizationPatterns(patterns, &getContext());
    vector::BroadcastOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
