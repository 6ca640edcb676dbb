//===- sdp-bleu.cpp - token-id BLEU from the command line -----------------===//
//
//   sdp-bleu --candidates=C.npy --references=R.npy [--pad-id=0] [--max-n=4]
//            [--weights=w1,...] [--smoothing=METHOD] [--compat=nltk|sacrebleu]
//            [--corpus] [--auto-reweigh] [--smooth-value=V] [--output=S.npy]
//
// Builds a module around one sdp.bleu op for the options and the token type,
// JIT-compiles it and prints one score per line (%.17g) or writes a float64
// .npy.
//
//===----------------------------------------------------------------------===//

#include "sdp/JIT/BleuModule.h"
#include "sdp/JIT/JITModule.h"
#include "sdp/Runtime/Tensor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstdio>

using namespace llvm;
using mlir::sdp::Target;
using sdp::runtime::DType;
using sdp::runtime::Tensor;

static cl::OptionCategory category("sdp-bleu options");
static cl::opt<std::string>
    candidatesFile("candidates", cl::Required,
                   cl::desc("[B, Lc] int32/int64 token ids"),
                   cl::value_desc("C.npy"), cl::cat(category));
static cl::opt<std::string> referencesFile(
    "references", cl::Required,
    cl::desc("[B, R, Lr] or [B, Lr] token ids of the candidates' type"),
    cl::value_desc("R.npy"), cl::cat(category));
static cl::opt<int64_t> padId("pad-id", cl::init(0),
                              cl::desc("Token id that ends a sentence"),
                              cl::cat(category));
static cl::opt<unsigned> maxN("max-n", cl::init(4),
                              cl::desc("Largest n-gram order (uniform "
                                       "weights)"),
                              cl::cat(category));
static cl::opt<std::string>
    weightsOption("weights",
                  cl::desc("Comma-separated weights; their count "
                           "is the largest n-gram order"),
                  cl::value_desc("w1,w2,..."), cl::cat(category));
static cl::opt<std::string> smoothing(
    "smoothing",
    cl::desc("nltk: method0..method7 (default method1); sacrebleu: exp "
             "(default), floor, add-k, none"),
    cl::cat(category));
static cl::opt<std::string> compat("compat", cl::init("nltk"),
                                   cl::desc("nltk or sacrebleu"),
                                   cl::cat(category));
static cl::opt<bool> corpus("corpus",
                            cl::desc("One corpus score instead of one score "
                                     "per sentence"),
                            cl::cat(category));
static cl::opt<bool> autoReweigh("auto-reweigh",
                                 cl::desc("nltk: auto_reweigh=True"),
                                 cl::cat(category));
static cl::opt<double> smoothValue(
    "smooth-value", cl::init(-1),
    cl::desc("sacrebleu: the floor or add-k value (default 0.1 / 1)"),
    cl::cat(category));
static cl::opt<std::string> outputFile("output",
                                       cl::desc("Write the scores here"),
                                       cl::value_desc("S.npy"),
                                       cl::cat(category));
static cl::opt<Target>
    target("target", cl::desc("Where to run"), cl::init(Target::CPU),
           cl::values(clEnumValN(Target::CPU, "cpu", "the host CPU (JIT)"),
                      clEnumValN(Target::GPU, "gpu", "an NVIDIA GPU")),
           cl::cat(category));

static int fail(const Twine &message) {
  errs() << "sdp-bleu: error: " << message << "\n";
  return 1;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sdp-bleu: BLEU on token ids, NLTK- or "
                              "sacreBLEU-exact\n");

  mlir::sdp::BleuOptions bleu;
  bleu.padId = padId;
  if (maxN.getNumOccurrences())
    bleu.maxN = maxN;
  if (weightsOption.getNumOccurrences()) {
    auto weights = mlir::sdp::parseBleuWeights(
        weightsOption, mlir::sdp::OptionSpelling::CommandLine);
    if (!weights)
      return fail(toString(weights.takeError()));
    bleu.weights = std::move(*weights);
  }
  bleu.smoothing = smoothing;
  bleu.compat = compat;
  bleu.corpus = corpus;
  bleu.autoReweigh = autoReweigh;
  if (smoothValue.getNumOccurrences())
    bleu.smoothValue = smoothValue;
  // Options are checked before any file is read.
  if (auto valid = mlir::sdp::buildBleuModule(
          bleu, DType::I64, /*multipleReferences=*/false,
          mlir::sdp::OptionSpelling::CommandLine);
      !valid)
    return fail(toString(valid.takeError()));

  Tensor candidates, references;
  std::string error;
  if (!sdp::runtime::readNpy(candidatesFile, candidates, error) ||
      !sdp::runtime::readNpy(referencesFile, references, error))
    return fail(error);
  auto isTokens = [](const Tensor &t) {
    return t.dtype() == DType::I32 || t.dtype() == DType::I64;
  };
  if (!isTokens(candidates) || candidates.rank() != 2)
    return fail("--candidates must be a [B, Lc] int32 or int64 array, got " +
                candidates.describe());
  if (!isTokens(references) ||
      (references.rank() != 2 && references.rank() != 3))
    return fail("--references must be a [B, R, Lr] or [B, Lr] int32 or "
                "int64 array, got " +
                references.describe());
  if (references.dtype() != candidates.dtype())
    return fail("--references are " + references.describe() +
                " but --candidates are " + candidates.describe() +
                "; both must have the same integer type");
  if (references.shape()[0] != candidates.shape()[0])
    return fail("--references has " + Twine(references.shape()[0]) +
                " rows but --candidates has " + Twine(candidates.shape()[0]));

  auto source = mlir::sdp::buildBleuModule(
      bleu, candidates.dtype(), references.rank() == 3,
      mlir::sdp::OptionSpelling::CommandLine);
  if (!source)
    return fail(toString(source.takeError()));

  mlir::sdp::CompileOptions options;
  options.target = target;
  auto module =
      mlir::sdp::JITModule::getOrCompile(*source, "sdp-bleu", options);
  if (!module)
    return fail(toString(module.takeError()));
  auto scores = (*module)->call("bleu", {&candidates, &references});
  if (!scores)
    return fail(toString(scores.takeError()));
  const Tensor &result = (*scores)[0];
  // NLTK raises where method6 divides by a zero trigram precision; sdp
  // scores those sentences NaN and says so.
  int64_t nanScores = 0;
  for (int64_t i = 0; i < result.numElements(); ++i)
    nanScores += std::isnan(result.data<double>()[i]);
  if (nanScores && compat == "nltk" && smoothing == "method6")
    llvm::errs() << "sdp-bleu: warning: " << nanScores << " of "
                 << result.numElements()
                 << " scores are NaN: NLTK's method6 is undefined without a "
                    "trigram match (NLTK raises AssertionError there); "
                    "choose another --smoothing for those sentences\n";
  if (!outputFile.empty()) {
    if (!sdp::runtime::writeNpy(outputFile, result, error))
      return fail(error);
    return 0;
  }
  for (int64_t i = 0; i < result.numElements(); ++i)
    std::printf("%.17g\n", result.data<double>()[i]);
  return 0;
}
