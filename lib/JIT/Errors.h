//===- Errors.h - errors of the host API ------------------------*- C++ -*-===//

#ifndef SDP_LIB_JIT_ERRORS_H
#define SDP_LIB_JIT_ERRORS_H

#include "llvm/Support/Error.h"

namespace mlir::sdp {

/// The host API reports every failure as an llvm::Error with a message.
inline llvm::Error makeError(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

} // namespace mlir::sdp

#endif // SDP_LIB_JIT_ERRORS_H
