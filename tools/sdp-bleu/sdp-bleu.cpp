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

#include "sdp/JIT/JITModule.h"
#include "sdp/Runtime/Tensor.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/raw_ostream.h"

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

  if (compat != "nltk" && compat != "sacrebleu")
    return fail("--compat must be nltk or sacrebleu, got '" + compat + "'");
  bool nltk = compat == "nltk";
  std::string method =
      smoothing.empty() ? (nltk ? "method1" : "exp") : std::string(smoothing);
  static const char *nltkMethods[] = {"method0", "method1", "method2",
                                      "method3", "method4", "method5",
                                      "method6", "method7"};
  static const char *sacreMethods[] = {"exp", "floor", "add-k", "none"};
  bool known = false;
  for (const char *m : nltk ? ArrayRef<const char *>(nltkMethods)
                            : ArrayRef<const char *>(sacreMethods))
    known |= method == m;
  if (!known)
    return fail("--smoothing=" + method + " is not a " + compat + " method (" +
                (nltk ? "method0..method7" : "exp, floor, add-k, none") + ")");

  std::vector<double> weights;
  if (!weightsOption.empty()) {
    SmallVector<StringRef> parts;
    StringRef(weightsOption).split(parts, ',');
    for (StringRef part : parts) {
      double w;
      if (part.trim().getAsDouble(w))
        return fail("--weights: '" + part + "' is not a number");
      weights.push_back(w);
    }
    if (maxN.getNumOccurrences() && maxN != weights.size())
      return fail("--max-n=" + Twine(maxN) + " but --weights has " +
                  Twine(weights.size()) + " entries");
    if (!nltk)
      return fail("--weights is an nltk option; sacrebleu weighs orders "
                  "uniformly");
  } else {
    if (maxN < 1)
      return fail("--max-n must be at least 1");
    weights.assign(maxN, 1.0 / maxN);
  }
  if (method == "method6" && weights.size() < 3)
    return fail("--smoothing=method6 needs at least 3 n-gram orders");
  if (autoReweigh && !nltk)
    return fail("--auto-reweigh is an nltk option");
  if (smoothValue.getNumOccurrences() && nltk)
    return fail("--smooth-value is a sacrebleu option");

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

  // The module: one function around one sdp.bleu op.
  std::string token = candidates.dtype() == DType::I32 ? "i32" : "i64";
  std::string refType = references.rank() == 3 ? "tensor<?x?x?x" + token + ">"
                                               : "tensor<?x?x" + token + ">";
  std::string candType = "tensor<?x?x" + token + ">";
  std::string resultType = corpus ? "tensor<1xf64>" : "tensor<?xf64>";
  std::string attrs = "weights = [";
  for (size_t i = 0; i < weights.size(); ++i) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.17g", weights[i]);
    std::string w = buffer;
    if (w.find_first_of(".eEn") == std::string::npos)
      w += ".0";
    attrs += (i ? ", " : "") + w;
  }
  attrs += "], smoothing = #sdp.smoothing<" +
           (method == "add-k" ? std::string("add_k") : method) +
           ">, compat = #sdp.compat<" + std::string(compat) +
           ">, pad_id = " + std::to_string(padId);
  if (corpus)
    attrs += ", corpus";
  if (autoReweigh)
    attrs += ", auto_reweigh";
  if (smoothValue.getNumOccurrences()) {
    char buffer[32];
    std::snprintf(buffer, sizeof(buffer), "%.17e", double(smoothValue));
    attrs += ", smooth_value = " + std::string(buffer) + " : f64";
  }
  std::string source = "func.func @bleu(%candidates: " + candType +
                       ", %references: " + refType + ") -> " + resultType +
                       " {\n  %s = sdp.bleu %candidates, %references {" +
                       attrs + "} : (" + candType + ", " + refType + ") -> " +
                       resultType + "\n  return %s : " + resultType + "\n}\n";

  mlir::sdp::CompileOptions options;
  options.target = target;
  auto module = mlir::sdp::JITModule::getOrCompile(source, "sdp-bleu", options);
  if (!module)
    return fail(toString(module.takeError()));
  auto scores = (*module)->call("bleu", {&candidates, &references});
  if (!scores)
    return fail(toString(scores.takeError()));
  const Tensor &result = (*scores)[0];
  if (!outputFile.empty()) {
    if (!sdp::runtime::writeNpy(outputFile, result, error))
      return fail(error);
    return 0;
  }
  for (int64_t i = 0; i < result.numElements(); ++i)
    std::printf("%.17g\n", result.data<double>()[i]);
  return 0;
}
