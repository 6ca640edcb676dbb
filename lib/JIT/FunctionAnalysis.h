//===- FunctionAnalysis.h - what the JIT knows about a function -*- C++ -*-===//

#ifndef SDP_LIB_JIT_FUNCTIONANALYSIS_H
#define SDP_LIB_JIT_FUNCTIONANALYSIS_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "sdp/JIT/JITModule.h"

namespace mlir::sdp {

/// Fills `signature.batchParallel`, `batchedArguments` and `constraints` from
/// the named ops of `func` that read its arguments directly.
void analyzeFunction(func::FuncOp func, FunctionSignature &signature);

} // namespace mlir::sdp

#endif // SDP_LIB_JIT_FUNCTIONANALYSIS_H
