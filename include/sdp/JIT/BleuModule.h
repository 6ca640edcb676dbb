//===- BleuModule.h - the module behind sdp-bleu and sdp.bleu ---*- C++ -*-===//
//
// Every BLEU front end (the sdp-bleu tool, the Python package) builds the
// same module around one sdp.bleu op from the same options, validated here
// once, so that they agree on defaults, semantics and error messages.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_JIT_BLEUMODULE_H
#define SDP_JIT_BLEUMODULE_H

#include "sdp/Runtime/Tensor.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <vector>

namespace mlir::sdp {

struct BleuOptions {
  /// The token id that ends a sentence.
  int64_t padId = 0;
  /// Largest n-gram order with uniform weights; when `weights` is given it
  /// must agree with their count. Unset means 4 (or the weights' count).
  std::optional<int64_t> maxN;
  /// Per-order weights (nltk only); empty means uniform over maxN.
  std::optional<std::vector<double>> weights;
  /// nltk: method0..method7 (default method1); sacrebleu: exp (default),
  /// floor, add-k, none. Empty means the default.
  std::string smoothing;
  /// "nltk" or "sacrebleu".
  std::string compat = "nltk";
  bool corpus = false;
  /// nltk's auto_reweigh.
  bool autoReweigh = false;
  /// sacrebleu's floor or add-k value.
  std::optional<double> smoothValue;
};

/// How option names appear in error messages.
enum class OptionSpelling {
  CommandLine, // --max-n=3
  Python       // max_n=3
};

/// The per-order weights of a comma-separated list ("0.25,0.25,0.5"), as
/// the command line spells them; an empty list is no weights (which
/// buildBleuModule rejects). An entry that is not a number is an error
/// naming the option.
llvm::Expected<std::vector<double>> parseBleuWeights(llvm::StringRef list,
                                                     OptionSpelling spelling);

/// The text of a module with one public function
///   @bleu(%candidates: [B, Lc], %references: [B, R, Lr] or [B, Lr])
///       -> tensor<?xf64> (tensor<1xf64> for a corpus score)
/// for token ids of type `tokens` (I32 or I64). Invalid options are an error
/// naming the option in `spelling`.
llvm::Expected<std::string> buildBleuModule(const BleuOptions &options,
                                            ::sdp::runtime::DType tokens,
                                            bool multipleReferences,
                                            OptionSpelling spelling);

} // namespace mlir::sdp

#endif // SDP_JIT_BLEUMODULE_H
