//===- Lowering.h - sdp modules lowered for the host ------------*- C++ -*-===//
//
// The front half shared by the JIT and the AOT compiler: parse a module,
// record the signatures of its public functions, and lower it to the LLVM
// dialect with a C interface (`_mlir_ciface_NAME`) for each of them.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_JIT_LOWERING_H
#define SDP_JIT_LOWERING_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "sdp/JIT/JITModule.h"
#include "llvm/Target/TargetMachine.h"

namespace mlir::sdp {

struct LoweredModule {
  std::unique_ptr<MLIRContext> context;
  OwningOpRef<ModuleOp> module;
  llvm::StringMap<FunctionSignature> signatures;
  /// Public function names in source order.
  std::vector<std::string> functions;
};

/// Parses `source` and lowers it with sdp-cpu-pipeline. Parse and lowering
/// diagnostics come back in the error.
llvm::Expected<LoweredModule> lowerForHost(llvm::StringRef source,
                                           llvm::StringRef bufferName,
                                           const CompileOptions &options);

/// Initializes LLVM's native target and asm printer once per process.
void initializeHostTarget();

/// A target machine for the host CPU (its features, -O3), position-
/// independent when `pic`. Initializes LLVM's native target on first use.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(bool pic);

} // namespace mlir::sdp

#endif // SDP_JIT_LOWERING_H
