//===- ContractionSpec.h - einsum specs of sdp.contract ---------*- C++ -*-===//
//
// The index algebra of a semiring contraction, kept apart from the IR so that
// the verifier and every lowering read a spec the same way.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_DIALECT_CONTRACTIONSPEC_H
#define SDP_DIALECT_CONTRACTIONSPEC_H

#include "mlir/IR/AffineMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <string>

namespace mlir::sdp {

/// A parsed einsum spec such as "bk,kc,bc->bc". Letters are numbered in order
/// of first appearance: result letters first, then the reduced letters. That
/// numbering is the loop order of the iteration space.
class ContractionSpec {
public:
  /// Parses `spec`; the error message says what is malformed.
  static llvm::Expected<ContractionSpec> parse(llvm::StringRef spec);

  unsigned getNumInputs() const { return inputs.size(); }
  /// Letters of input `i`, in dimension order.
  llvm::StringRef getInput(unsigned i) const { return inputs[i]; }
  llvm::StringRef getOutput() const { return output; }
  /// All distinct letters, result letters first then reduced ones.
  llvm::StringRef getLoopLetters() const { return loopLetters; }
  unsigned getNumLoops() const { return loopLetters.size(); }
  /// Loop position of `letter`.
  unsigned getLoop(char letter) const { return loopLetters.find(letter); }
  bool isReduced(char letter) const {
    return output.find(letter) == std::string::npos;
  }
  unsigned getNumReduced() const { return loopLetters.size() - output.size(); }

  /// Indexing maps from the loop space to input `i` and to the result.
  AffineMap getInputMap(unsigned i, MLIRContext *ctx) const;
  AffineMap getOutputMap(MLIRContext *ctx) const;

private:
  AffineMap getMap(llvm::StringRef letters, MLIRContext *ctx) const;

  llvm::SmallVector<std::string> inputs;
  std::string output;
  std::string loopLetters;
};

} // namespace mlir::sdp

#endif // SDP_DIALECT_CONTRACTIONSPEC_H
