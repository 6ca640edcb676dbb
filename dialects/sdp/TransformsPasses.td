//===- TransformsPasses.td - sdp transforms ----------------*- tablegen -*-===//

#ifndef SDP_TRANSFORMS_PASSES_TD
#define SDP_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DecomposeNamedOpsPass : Pass<"sdp-decompose-named-ops"> {
  let summary = "Rewrite named structure ops into the sdp core";
  let description = [{
    Rewrites `sdp.linear_chain` into `sdp.scan` over `sdp.contract`s (plus
    element-wise `linalg.generic`s for ragged-length masking):

    * the forward recursion under the op's semiring, with factored or full
      edge potentials; steps at or beyond a sequence's length keep its state;
    * with a `path` result, contraction witnesses recorded as backpointers
      and a reverse scan that follows them;
    * under a semiring with `admitsExpShiftedReduction` (log) and factored
      potentials, the real-arithmetic form: `P = exp(transitions - colmax)`
      once, then per step `m = max_k alpha`, `s = exp(alpha - m) · P` (a real
      matrix product) and `alpha' = log s + m + colmax + emissions`.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

#endif // SDP_TRANSFORMS_PASSES_TD
