//===- ContractToGPU.cpp - sdp.contract as a GPU kernel -------------------===//
//
// One thread per result element (blocks of kMaxThreads): the thread folds
// ⊕ over the reduced letters' index space, reading each input at the
// coordinates its letters name. Under #sdp.log the fold is exp-shifted (a
// max pass, then one sum of exps and one log); under a selective semiring
// with one reduced letter it also keeps the witness. A contract inside an
// sdp.scan body is left to the scan (which has no GPU lowering yet).
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

namespace {

struct ContractToGPU : OpRewritePattern<ContractOp> {
  ContractToGPU(MLIRContext *context, const KernelOptions &options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(ContractOp op,
                                PatternRewriter &rewriter) const override {
    if (op->getParentOfType<ScanOp>())
      return rewriter.notifyMatchFailure(op, "part of a scan body");
    Location loc = op.getLoc();
    Emitter e{rewriter, loc};
    auto semiring = cast<SemiringAttrInterface>(op.getSemiring());
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    Type element = resultType.getElementType();
    if (!hasKernelElementType(semiring, element))
      return rewriter.notifyMatchFailure(op, "no kernel for this element type");
    ContractionSpec spec = op.getContractionSpec();
    unsigned numLoops = spec.getNumLoops();
    StringRef output = spec.getOutput();

    DeviceBuffers device{e, options.deviceResident};
    SmallVector<Value> inputs;
    for (Value input : op.getInputs())
      inputs.push_back(device.copyIn(input));
    // Each letter's size: that of the first input dimension it names (the
    // verifier makes them agree).
    SmallVector<Value> sizes(numLoops);
    for (auto [i, input] : llvm::enumerate(inputs))
      for (auto [d, letter] : llvm::enumerate(spec.getInput(i)))
        if (!sizes[spec.getLoop(letter)])
          sizes[spec.getLoop(letter)] = e.dim(input, d);
    SmallVector<Value> resultSizes;
    for (auto [d, letter] : llvm::enumerate(output))
      if (resultType.isDynamicDim(d))
        resultSizes.push_back(sizes[spec.getLoop(letter)]);
    Value result = device.alloc(MemRefType::get(resultType.getShape(), element),
                                resultSizes);
    Value witness;
    if (op.getWitness())
      witness = device.alloc(
          MemRefType::get(resultType.getShape(), rewriter.getI32Type()),
          resultSizes);
    auto product = [&](Emitter &k, StringRef letters) {
      Value n = k.index(1);
      for (char letter : letters)
        n = k.mul(n, sizes[spec.getLoop(letter)]);
      return n;
    };
    StringRef reducedLetters = spec.getLoopLetters().drop_front(output.size());
    Value numResults = product(e, output);
    Value numTerms = product(e, reducedLetters);

    launchPerIndex(rewriter, loc, numResults, [&](KernelEmitter &k, Value at) {
      // Row-major coordinates of `flat` over `letters` into `coords`.
      SmallVector<Value> coords(numLoops);
      // (flat is below the letters' product: the first letter's coordinate
      // is what remains.)
      auto unflatten = [&](Value flat, StringRef letters) {
        for (char letter : llvm::reverse(letters.drop_front())) {
          Value size = sizes[spec.getLoop(letter)];
          coords[spec.getLoop(letter)] =
              arith::RemUIOp::create(rewriter, loc, flat, size);
          flat = arith::DivUIOp::create(rewriter, loc, flat, size);
        }
        if (!letters.empty())
          coords[spec.getLoop(letters.front())] = flat;
      };
      unflatten(at, output);
      SmallVector<Value> resultAt;
      for (char letter : output)
        resultAt.push_back(coords[spec.getLoop(letter)]);
      // ⊗ of the inputs at reduced position r.
      auto term = [&](Value r) {
        unflatten(r, reducedLetters);
        Value value;
        for (auto [i, input] : llvm::enumerate(inputs)) {
          SmallVector<Value> indices;
          for (char letter : spec.getInput(i))
            indices.push_back(coords[spec.getLoop(letter)]);
          Value x = k.load(input, indices);
          value = value ? semiring.buildMul(rewriter, loc, value, x) : x;
        }
        return value;
      };

      Value sum;
      if (semiring.admitsExpShiftedReduction()) {
        Value shift = k.finiteShift(
            k.fold(numTerms, k.floatConst(element, -INFINITY),
                   [&](Value acc, Value r) { return k.maxf(acc, term(r)); }));
        Value exps = k.fold(numTerms, k.floatConst(element, 0.0),
                            [&](Value acc, Value r) {
                              return k.addf(acc, k.exp(k.subf(term(r), shift)));
                            });
        sum = k.addf(k.log(exps), shift);
      } else if (witness) {
        auto [best, from] =
            k.foldWithWitness(semiring, element, numTerms, term);
        k.store(k.toI32(from), witness, resultAt);
        sum = best;
      } else {
        sum = k.fold(numTerms, semiring.buildZero(rewriter, loc, element),
                     [&](Value acc, Value r) {
                       return semiring.buildAdd(rewriter, loc, acc, term(r));
                     });
      }
      k.store(sum, result, resultAt);
    });

    SmallVector<Value> results = {device.copyOut(result, resultType)};
    if (witness)
      results.push_back(device.copyOut(
          witness, cast<RankedTensorType>(op.getWitness().getType())));
    device.freeAll();
    rewriter.replaceOp(op, results);
    return success();
  }

private:
  KernelOptions options;
};

} // namespace

void mlir::sdp::gpu_lowering::populateContractToGPUPatterns(
    RewritePatternSet &patterns, const KernelOptions &options) {
  patterns.add<ContractToGPU>(patterns.getContext(), options);
}
