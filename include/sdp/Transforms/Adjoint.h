//===- Adjoint.h - compiler-derived VJPs of the sdp core --------*- C++ -*-===//
//
// Reverse-mode differentiation of functions built from the sdp core
// (sdp.contract, sdp.scan), element-wise linalg.generic ops and tensor
// slicing. The adjoint is emitted as the core again, so every pipeline lowers
// it unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_TRANSFORMS_ADJOINT_H
#define SDP_TRANSFORMS_ADJOINT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Support/LLVM.h"

namespace mlir::sdp {

/// The attribute marking an adjoint function: the primal it differentiates.
/// The GPU pipeline compiles such functions for the host (their scans have
/// bodies the scan kernel does not take).
constexpr llvm::StringLiteral kAdjointOfAttrName = "sdp.adjoint_of";

/// Builds, next to `primal`, the private function `name` that computes the
/// vector-Jacobian product of `primal`: it takes the primal's arguments and
/// one cotangent per float tensor result, and returns one cotangent per float
/// tensor argument. Calls in `primal` are inlined and named ops decomposed
/// first. With `checkpointEvery` = K > 0, forward scans keep their carried
/// state only every K steps and the reverse re-runs each segment of K steps
/// from its checkpoint: memory of N/K + K states instead of N, for one more
/// forward pass. `batchMinorLabels` is -sdp-decompose-named-ops's option of
/// that name, for the decomposition of the copy. On failure a diagnostic
/// names the op that is not differentiable and nothing is left behind.
FailureOr<func::FuncOp> buildAdjointFunction(func::FuncOp primal,
                                             StringRef name,
                                             int64_t checkpointEvery = 0,
                                             int64_t batchMinorLabels = 0);

} // namespace mlir::sdp

#endif // SDP_TRANSFORMS_ADJOINT_H
