//===- ContractToGPU.cpp - sdp.contract as a GPU kernel -------------------===//
//
// One thread per result element (blocks of kMaxThreads): the thread folds
// ⊕ over the reduced letters' index space, reading each input at the
// coordinates its letters name. Under #sdp.log the fold is exp-shifted (a
// max pass, then one sum of exps and one log); under a selective semiring
// with one reduced letter it also keeps the witness. Contracts in an
// sdp.scan body become steps of the scan's kernel (ScanToGPU.cpp), which
// emits their elements with the same ContractionKernel.
//
//===----------------------------------------------------------------------===//

#include "KernelEmitter.h"
#include "sdp/Dialect/SdpOps.h"

using namespace mlir;
using namespace mlir::sdp;
using namespace mlir::sdp::gpu_lowering;

ContractionKernel::ContractionKernel(Emitter &e, ContractOp op,
                                     function_ref<Value(unsigned, int64_t)> dim)
    : resultType(cast<RankedTensorType>(op.getResult().getType())),
      hasWitness(static_cast<bool>(op.getWitness())),
      spec(op.getContractionSpec()),
      semiring(cast<SemiringAttrInterface>(op.getSemiring())),
      element(resultType.getElementType()) {
  // Each letter's size: that of the first input dimension it names (the
  // verifier makes them agree).
  sizes.resize(spec.getNumLoops());
  for (unsigned i = 0; i < spec.getNumInputs(); ++i)
    for (auto [d, letter] : llvm::enumerate(spec.getInput(i)))
      if (!sizes[spec.getLoop(letter)])
        sizes[spec.getLoop(letter)] = dim(i, d);
  auto product = [&](StringRef letters) {
    Value n = e.index(1);
    for (char letter : letters)
      n = e.mul(n, sizes[spec.getLoop(letter)]);
    return n;
  };
  numResults = product(spec.getOutput());
  numTerms = product(spec.getLoopLetters().drop_front(spec.getOutput().size()));
}

SmallVector<Value> ContractionKernel::resultSizes() const {
  SmallVector<Value> dynamic;
  for (auto [d, letter] : llvm::enumerate(spec.getOutput()))
    if (resultType.isDynamicDim(d))
      dynamic.push_back(sizes[spec.getLoop(letter)]);
  return dynamic;
}

void ContractionKernel::emitElement(
    KernelEmitter &k, Value flat,
    function_ref<Value(unsigned, ValueRange)> read,
    function_ref<void(Value, Value, ValueRange)> write) const {
  OpBuilder &b = k.b;
  Location loc = k.loc;
  StringRef output = spec.getOutput();
  StringRef reduced = spec.getLoopLetters().drop_front(output.size());
  SmallVector<Value> coords(spec.getNumLoops());
  // Row-major coordinates of `at` over `letters` (`at` is below the
  // letters' product: the first letter's coordinate is what remains).
  auto unflatten = [&](Value at, StringRef letters) {
    for (char letter : llvm::reverse(letters.drop_front())) {
      Value size = sizes[spec.getLoop(letter)];
      coords[spec.getLoop(letter)] = arith::RemUIOp::create(b, loc, at, size);
      at = arith::DivUIOp::create(b, loc, at, size);
    }
    if (!letters.empty())
      coords[spec.getLoop(letters.front())] = at;
  };
  unflatten(flat, output);
  SmallVector<Value> resultAt;
  for (char letter : output)
    resultAt.push_back(coords[spec.getLoop(letter)]);
  // ⊗ of the inputs at reduced position r.
  auto term = [&](Value r) {
    unflatten(r, reduced);
    Value value;
    for (unsigned i = 0; i < spec.getNumInputs(); ++i) {
      SmallVector<Value> indices;
      for (char letter : spec.getInput(i))
        indices.push_back(coords[spec.getLoop(letter)]);
      Value x = read(i, indices);
      value = value ? semiring.buildMul(b, loc, value, x) : x;
    }
    return value;
  };

  if (spec.getNumReduced() == 0) {
    // Nothing to fold: the product itself (as on the CPU: no 0̄ ⊕ x, which
    // would drop a NaN under max/min).
    write(term(k.index(0)), hasWitness ? k.i32(0) : Value(), resultAt);
  } else if (semiring.admitsExpShiftedReduction()) {
    write(k.logSumExp(element, numTerms, term), Value(), resultAt);
  } else if (hasWitness) {
    auto [best, from] = k.foldWithWitness(semiring, element, numTerms, term);
    write(best, k.toI32(from), resultAt);
  } else {
    write(k.fold(numTerms, semiring.buildZero(b, loc, element),
                 [&](Value acc, Value r) {
                   return semiring.buildAdd(b, loc, acc, term(r));
                 }),
          Value(), resultAt);
  }
}

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
    auto resultType = cast<RankedTensorType>(op.getResult().getType());
    Type element = resultType.getElementType();
    if (!hasKernelElementType(element))
      return rewriter.notifyMatchFailure(op, "no kernel for this element type");

    DeviceBuffers device{e, options.deviceResident};
    SmallVector<Value> inputs;
    for (Value input : op.getInputs())
      inputs.push_back(device.copyIn(input));
    ContractionKernel contraction(
        e, op, [&](unsigned i, int64_t d) { return e.dim(inputs[i], d); });
    SmallVector<Value> resultSizes = contraction.resultSizes();
    Value result = device.alloc(MemRefType::get(resultType.getShape(), element),
                                resultSizes);
    Value witness;
    if (op.getWitness())
      witness = device.alloc(
          MemRefType::get(resultType.getShape(), rewriter.getI32Type()),
          resultSizes);

    launchPerIndex(rewriter, loc, contraction.numResults,
                   [&](KernelEmitter &k, Value at) {
                     contraction.emitElement(
                         k, at,
                         [&](unsigned i, ValueRange indices) {
                           return k.load(inputs[i], indices);
                         },
                         [&](Value value, Value position, ValueRange indices) {
                           k.store(value, result, indices);
                           if (position)
                             k.store(position, witness, indices);
                         });
                   });

    SmallVector<Value> results = {result};
    if (witness)
      results.push_back(witness);
    device.replaceOp(rewriter, op, results);
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
