//===- sdp-run.cpp - JIT-compile an sdp module and run one function -------===//
//
//   sdp-run FILE.mlir --entry=NAME --input=A.npy [--input=B.npy ...]
//           [--output=R0.npy ...] [--target=cpu]
//
// Inputs bind to the function's arguments in order, outputs to its results.
// Without --output every result is printed.
//
//===----------------------------------------------------------------------===//

#include "sdp/JIT/JITModule.h"
#include "sdp/Runtime/Tensor.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>

using namespace llvm;
using mlir::sdp::Target;
using sdp::runtime::DType;
using sdp::runtime::Tensor;

static cl::OptionCategory category("sdp-run options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<module.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string>
    entry("entry", cl::Required,
          cl::desc("Public function to call (a leading @ is allowed)"),
          cl::value_desc("name"), cl::cat(category));
static cl::list<std::string>
    inputs("input", cl::desc("A .npy file for the next argument"),
           cl::value_desc("file.npy"), cl::cat(category));
static cl::list<std::string>
    outputs("output", cl::desc("A .npy file for the next result"),
            cl::value_desc("file.npy"), cl::cat(category));
static cl::opt<Target>
    target("target", cl::desc("Where to run"), cl::init(Target::CPU),
           cl::values(clEnumValN(Target::CPU, "cpu", "the host CPU (JIT)"),
                      clEnumValN(Target::GPU, "gpu",
                                 "an NVIDIA GPU (copies inputs in and "
                                 "results out)")),
           cl::cat(category));
static cl::opt<std::string>
    gpuChip("gpu-chip",
            cl::desc("GPU architecture the kernels are compiled for"),
            cl::init("sm_80"), cl::value_desc("sm_XY"), cl::cat(category));
static cl::opt<bool> gpuTensorCores(
    "gpu-tensor-cores",
    cl::desc("Factored log-semiring linear chains on tensor cores (3xTF32)"),
    cl::init(false), cl::cat(category));

static cl::opt<unsigned> batchThreads(
    "batch-threads",
    cl::desc("Threads a batch is split across (0: one per core); the "
             "sub-batches run the same code as a smaller batch would"),
    cl::init(0), cl::cat(category));

static int fail(const Twine &message) {
  errs() << "sdp-run: error: " << message << "\n";
  return 1;
}

static void printElement(const Tensor &t, int64_t i) {
  switch (t.dtype()) {
  case DType::F32:
    std::printf("%.9g", t.data<float>()[i]);
    break;
  case DType::F64:
    std::printf("%.17g", t.data<double>()[i]);
    break;
  case DType::I32:
    std::printf("%d", t.data<int32_t>()[i]);
    break;
  case DType::I64:
    std::printf("%lld", static_cast<long long>(t.data<int64_t>()[i]));
    break;
  }
}

/// Prints nested brackets, numpy style: [[1, 2], [3, 4]].
static void printValues(const Tensor &t, int64_t dim, int64_t &next) {
  if (dim == t.rank()) {
    printElement(t, next++);
    return;
  }
  std::printf("[");
  for (int64_t i = 0; i < t.shape()[dim]; ++i) {
    if (i)
      std::printf(", ");
    printValues(t, dim + 1, next);
  }
  std::printf("]");
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sdp-run: JIT-compile an sdp module and run "
                              "one of its functions on .npy tensors\n");

  auto source = MemoryBuffer::getFileOrSTDIN(inputFile);
  if (!source)
    return fail("cannot read " + inputFile + ": " +
                source.getError().message());

  std::vector<Tensor> arguments(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string error;
    if (!sdp::runtime::readNpy(inputs[i], arguments[i], error))
      return fail("--input #" + Twine(i) + ": " + error);
  }

  // `--entry=@f` names the function as MLIR prints it.
  if (StringRef(entry).starts_with("@"))
    entry = entry.substr(1);

  mlir::sdp::CompileOptions options;
  options.target = target;
  options.gpuChip = gpuChip;
  options.gpuTensorCores = gpuTensorCores;
  options.numThreads = batchThreads;
  options.entryPoints = {entry};
  auto module =
      mlir::sdp::JITModule::compile((*source)->getBuffer(), inputFile, options);
  if (!module)
    return fail(toString(module.takeError()));
  auto signature = (*module)->getSignature(entry);
  if (!signature)
    return fail(toString(signature.takeError()));
  if (!outputs.empty() && outputs.size() != signature->results.size())
    return fail("@" + entry + " returns " + Twine(signature->results.size()) +
                " results but " + Twine(outputs.size()) +
                " --output files were given");

  std::vector<const Tensor *> argumentPointers;
  for (const Tensor &t : arguments)
    argumentPointers.push_back(&t);
  auto results = (*module)->call(entry, argumentPointers);
  if (!results)
    return fail(toString(results.takeError()));

  for (size_t i = 0; i < results->size(); ++i) {
    const Tensor &result = (*results)[i];
    if (!outputs.empty()) {
      std::string error;
      if (!sdp::runtime::writeNpy(outputs[i], result, error))
        return fail("--output #" + Twine(i) + ": " + error);
      continue;
    }
    std::printf("result #%zu: %s = ", i, result.describe().c_str());
    int64_t next = 0;
    printValues(result, 0, next);
    std::printf("\n");
  }
  return 0;
}
