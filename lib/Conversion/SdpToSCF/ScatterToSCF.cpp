//===- ScatterToSCF.cpp - sdp.scatter to an scf.for nest ------------------===//
//
// A loop nest over the values threads the result tensor through: each
// iteration reads the index, clamps it, and ⊕-adds the value into the
// element it selects (tensor.extract / tensor.insert, in place once
// bufferized). Duplicate indices accumulate in order.
//
//===----------------------------------------------------------------------===//

#include "sdp/Conversion/SdpToSCF.h"

#include "../Utils/Emitter.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"
#include "sdp/Dialect/ContractionSpec.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;

namespace {

struct ScatterToLoops : OpRewritePattern<ScatterOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ScatterOp op,
                                PatternRewriter &rewriter) const override {
    ContractionSpec spec = op.getGatherSpec();
    StringRef fullLetters = spec.getInput(0);
    StringRef indexLetters = spec.getInput(1);
    StringRef valueLetters = spec.getOutput();
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    unsigned gathered = op.getGatheredDim();
    Value gatheredSize =
        tensor::DimOp::create(rewriter, loc, op.getInit(), gathered);

    SmallVector<Value> lower, upper, steps;
    for (unsigned dim = 0; dim < valueLetters.size(); ++dim) {
      lower.push_back(e.index(0));
      upper.push_back(
          tensor::DimOp::create(rewriter, loc, op.getValues(), dim));
      steps.push_back(e.index(1));
    }
    auto semiring = op.getSemiring();
    Value values = op.getValues(), indices = op.getIndices();
    scf::LoopNest nest = scf::buildLoopNest(
        rewriter, loc, lower, upper, steps, ValueRange{op.getInit()},
        [&](OpBuilder &b, Location l, ValueRange ivs,
            ValueRange acc) -> scf::ValueVector {
          Emitter le{b, l};
          auto at = [&](StringRef letters) {
            SmallVector<Value> coords;
            for (char c : letters)
              coords.push_back(ivs[valueLetters.find(c)]);
            return coords;
          };
          Value position =
              tensor::ExtractOp::create(b, l, indices, at(indexLetters));
          SmallVector<Value> target;
          for (auto [dim, c] : llvm::enumerate(fullLetters))
            target.push_back(dim == gathered
                                 ? le.clampedIndex(position, gatheredSize)
                                 : ivs[valueLetters.find(c)]);
          Value value =
              tensor::ExtractOp::create(b, l, values, at(valueLetters));
          Value current = tensor::ExtractOp::create(b, l, acc[0], target);
          Value sum = semiring.buildAdd(b, l, current, value);
          return {tensor::InsertOp::create(b, l, sum, acc[0], target)};
        });
    rewriter.replaceOp(op, nest.results);
    return success();
  }
};

} // namespace

void mlir::sdp::populateScatterToSCFPatterns(RewritePatternSet &patterns) {
  patterns.add<ScatterToLoops>(patterns.getContext());
}
