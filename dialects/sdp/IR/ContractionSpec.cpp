//===- ContractionSpec.cpp - einsum specs of sdp.contract -----------------===//

#include "sdp/Dialect/ContractionSpec.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::sdp;

static llvm::Error specError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

llvm::Expected<ContractionSpec> ContractionSpec::parse(llvm::StringRef spec) {
  auto [lhs, rhs] = spec.split("->");
  if (lhs.size() == spec.size())
    return specError("spec '" + spec + "' has no '->'");
  if (rhs.contains("->"))
    return specError("spec '" + spec + "' has more than one '->'");

  ContractionSpec result;
  llvm::SmallVector<llvm::StringRef> operandLetters;
  lhs.split(operandLetters, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/true);
  for (llvm::StringRef letters : operandLetters) {
    for (char c : letters)
      if (!llvm::isAlpha(c))
        return specError("spec '" + spec + "' has '" + llvm::Twine(c) +
                         "' where an index letter (a-z, A-Z) was expected");
    result.inputs.push_back(letters.str());
  }
  for (char c : rhs) {
    if (!llvm::isAlpha(c))
      return specError("spec '" + spec + "' has '" + llvm::Twine(c) +
                       "' where an index letter (a-z, A-Z) was expected");
    if (result.output.find(c) != std::string::npos)
      return specError("result letter '" + llvm::Twine(c) +
                       "' appears twice in spec '" + spec + "'");
    if (!lhs.contains(c))
      return specError("result letter '" + llvm::Twine(c) +
                       "' appears in no input of spec '" + spec + "'");
    result.output.push_back(c);
  }
  result.loopLetters = result.output;
  for (const std::string &letters : result.inputs)
    for (char c : letters)
      if (result.loopLetters.find(c) == std::string::npos)
        result.loopLetters.push_back(c);
  return result;
}

AffineMap ContractionSpec::getMap(llvm::StringRef letters,
                                  MLIRContext *ctx) const {
  llvm::SmallVector<AffineExpr> exprs;
  for (char c : letters)
    exprs.push_back(getAffineDimExpr(getLoop(c), ctx));
  return AffineMap::get(getNumLoops(), /*symbolCount=*/0, exprs, ctx);
}

AffineMap ContractionSpec::getInputMap(unsigned i, MLIRContext *ctx) const {
  return getMap(inputs[i], ctx);
}

AffineMap ContractionSpec::getOutputMap(MLIRContext *ctx) const {
  return getMap(output, ctx);
}
