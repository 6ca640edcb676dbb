//===- BleuModule.cpp - the module behind sdp-bleu and sdp.bleu -----------===//

#include "sdp/JIT/BleuModule.h"

#include "Errors.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <cmath>
#include <cstdio>
#include <limits>

using namespace mlir;
using namespace mlir::sdp;
using ::sdp::runtime::DType;

/// An f64 literal MLIR parses back to the same value.
static std::string f64Literal(double value) {
  char buffer[40];
  std::snprintf(buffer, sizeof(buffer), "%.17e", value);
  return buffer;
}

llvm::Expected<std::vector<double>>
mlir::sdp::parseBleuWeights(llvm::StringRef list, OptionSpelling spelling) {
  std::string name =
      spelling == OptionSpelling::CommandLine ? "--weights" : "weights";
  std::vector<double> weights;
  if (list.trim().empty())
    return weights;
  llvm::SmallVector<llvm::StringRef> parts;
  list.split(parts, ',');
  for (llvm::StringRef part : parts) {
    double w;
    if (part.trim().getAsDouble(w))
      return makeError(name + ": '" + part.str() + "' is not a number");
    weights.push_back(w);
  }
  return weights;
}

llvm::Expected<std::string>
mlir::sdp::buildBleuModule(const BleuOptions &options, DType tokens,
                           bool multipleReferences, OptionSpelling spelling) {
  bool cli = spelling == OptionSpelling::CommandLine;
  // "--max-n" / "max_n", with "=value" when asked.
  auto name = [&](llvm::StringRef option) {
    std::string spelled = cli ? "--" + option.str() : option.str();
    if (!cli)
      std::replace(spelled.begin(), spelled.end(), '-', '_');
    return spelled;
  };
  auto quoted = [&](llvm::StringRef value) {
    return cli ? value.str() : "'" + value.str() + "'";
  };

  if (options.compat != "nltk" && options.compat != "sacrebleu")
    return makeError(name("compat") + " must be nltk or sacrebleu, got '" +
                     options.compat + "'");
  bool nltk = options.compat == "nltk";
  std::string method = options.smoothing.empty() ? (nltk ? "method1" : "exp")
                                                 : options.smoothing;
  static const char *nltkMethods[] = {"method0", "method1", "method2",
                                      "method3", "method4", "method5",
                                      "method6", "method7"};
  static const char *sacreMethods[] = {"exp", "floor", "add-k", "none"};
  bool known = false;
  for (const char *m : nltk ? llvm::ArrayRef<const char *>(nltkMethods)
                            : llvm::ArrayRef<const char *>(sacreMethods))
    known |= method == m;
  if (!known)
    return makeError(name("smoothing") + "=" + quoted(method) + " is not a " +
                     options.compat + " method (" +
                     (nltk ? "method0..method7" : "exp, floor, add-k, none") +
                     ")");

  // Orders past a sentence's length never match, and each order is code in
  // the module: a bound keeps a typo from asking for billions of them.
  constexpr int64_t kMaxOrder = 256;
  if (options.maxN && *options.maxN > kMaxOrder)
    return makeError(name("max-n") + "=" + std::to_string(*options.maxN) +
                     " is more n-gram orders than sdp compiles (at most " +
                     std::to_string(kMaxOrder) + ")");
  if (options.weights &&
      options.weights->size() > static_cast<size_t>(kMaxOrder))
    return makeError(name("weights") + " has " +
                     std::to_string(options.weights->size()) +
                     " entries, more n-gram orders than sdp compiles (at "
                     "most " +
                     std::to_string(kMaxOrder) + ")");
  std::vector<double> weights;
  if (options.weights) {
    weights = *options.weights;
    if (weights.empty())
      return makeError(name("weights") + " is empty: give at least one "
                                         "weight");
    for (double w : weights)
      if (!std::isfinite(w))
        return makeError(name("weights") + ": " + f64Literal(w) +
                         " is not a finite number");
    if (options.maxN && *options.maxN != static_cast<int64_t>(weights.size()))
      return makeError(name("max-n") + "=" + std::to_string(*options.maxN) +
                       " but " + name("weights") + " has " +
                       std::to_string(weights.size()) + " entries");
    if (!nltk)
      return makeError(name("weights") + " is an nltk option; sacrebleu "
                                         "weighs orders uniformly");
  } else {
    int64_t maxN = options.maxN.value_or(4);
    if (maxN < 1)
      return makeError(name("max-n") + " must be at least 1");
    weights.assign(maxN, 1.0 / maxN);
  }
  if (method == "method6" && weights.size() < 3)
    return makeError(name("smoothing") + "=method6 needs at least 3 n-gram "
                                         "orders");
  if (options.autoReweigh && !nltk)
    return makeError(name("auto-reweigh") + " is an nltk option");
  if (options.smoothValue && nltk)
    return makeError(name("smooth-value") + " is a sacrebleu option");
  if (options.smoothValue && !std::isfinite(*options.smoothValue))
    return makeError(name("smooth-value") + ": " +
                     f64Literal(*options.smoothValue) +
                     " is not a finite number");
  // sacreBLEU takes the log of the smoothed precision: a value <= 0 makes
  // it raise, where sdp would print NaN.
  if (options.smoothValue && *options.smoothValue <= 0 &&
      (method == "floor" || method == "add-k"))
    return makeError(name("smooth-value") + " must be positive for " + method +
                     " smoothing, got " + f64Literal(*options.smoothValue));
  if (tokens != DType::I32 && tokens != DType::I64)
    return makeError("token ids must be int32 or int64");
  if (tokens == DType::I32 &&
      (options.padId < std::numeric_limits<int32_t>::min() ||
       options.padId > std::numeric_limits<int32_t>::max()))
    return makeError(name("pad-id") + "=" + std::to_string(options.padId) +
                     " does not fit the int32 token ids");

  std::string token = tokens == DType::I32 ? "i32" : "i64";
  std::string candType = "tensor<?x?x" + token + ">";
  std::string refType = multipleReferences ? "tensor<?x?x?x" + token + ">"
                                           : "tensor<?x?x" + token + ">";
  std::string resultType = options.corpus ? "tensor<1xf64>" : "tensor<?xf64>";
  std::string attrs = "weights = [";
  for (size_t i = 0; i < weights.size(); ++i)
    attrs += (i ? ", " : "") + f64Literal(weights[i]);
  attrs += "], smoothing = #sdp.smoothing<" +
           (method == "add-k" ? std::string("add_k") : method) +
           ">, compat = #sdp.compat<" + options.compat +
           ">, pad_id = " + std::to_string(options.padId);
  if (options.corpus)
    attrs += ", corpus";
  if (options.autoReweigh)
    attrs += ", auto_reweigh";
  if (options.smoothValue)
    attrs += ", smooth_value = " + f64Literal(*options.smoothValue) + " : f64";
  return "func.func @bleu(%candidates: " + candType +
         ", %references: " + refType + ") -> " + resultType +
         " {\n  %s = sdp.bleu %candidates, " + "%references {" + attrs +
         "} : (" + candType + ", " + refType + ") -> " + resultType +
         "\n  return %s : " + resultType + "\n}\n";
}
