//===- ConversionPasses.td - sdp conversions ----------*- tablegen -*-===//

#ifndef SDP_CONVERSION_PASSES_TD
#define SDP_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSdpToLinalgPass : Pass<"convert-sdp-to-linalg"> {
  let summary = "Lower sdp.contract to linalg.generic";
  let description = [{
    Rewrites every `sdp.contract` into a `linalg.generic` on a result that is
    first filled with the semiring's 0̄: result letters become parallel
    iterators, reduced letters become reduction iterators, and the body is
    `acc ⊕ (in_0 ⊗ in_1 ⊗ ...)` as materialised by the semiring attribute.
    Dynamic result sizes are read from an input that carries the same letter.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def ConvertSdpToSCFPass : Pass<"convert-sdp-to-scf"> {
  let summary = "Lower sdp.scan to scf.for";
  let description = [{
    Rewrites every `sdp.scan` into an `scf.for` over the steps of its axis.
    Carried values become loop-carried values; per-step outputs are inserted
    into loop-carried tensors of the stacked shape; each step extracts a
    rank-reduced slice of every sequence and inlines the body. A `reverse`
    scan iterates `t = N-1-i`.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

#endif // SDP_CONVERSION_PASSES_TD
