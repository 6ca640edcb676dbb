//===- AOT.h - ahead-of-time compilation to C functions ---------*- C++ -*-===//

#ifndef SDP_JIT_AOT_H
#define SDP_JIT_AOT_H

#include "sdp/JIT/JITModule.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::sdp {

enum class AOTOutput { LLVMIR, Object, PTX };

/// Compiles `source` (host code for the CPU; kernels, for Target::GPU, as
/// PTX embedded in it) and writes LLVM IR or a position-independent object
/// file to `out`, or, for AOTOutput::PTX, the kernels' PTX alone. Each public
/// function NAME becomes the C function `sdp_NAME` taking memref descriptors
/// (everything else gets internal linkage). Returns the C header that declares
/// them, guarded by `headerGuard`. The code needs only libc, libm and the sdp
/// runtime (buffer allocation, memrefCopy, and the mgpu* CUDA driver shim for
/// the GPU).
llvm::Expected<std::string>
compileAOT(llvm::StringRef source, llvm::StringRef bufferName,
           const CompileOptions &options, AOTOutput output,
           llvm::raw_pwrite_stream &out, llvm::StringRef headerGuard);

} // namespace mlir::sdp

#endif // SDP_JIT_AOT_H
