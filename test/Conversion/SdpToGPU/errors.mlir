// RUN: sdp-opt %s --convert-sdp-to-gpu --split-input-file --verify-diagnostics

func.func @contract(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'sdp.contract' op has no GPU lowering yet; compile for the CPU}}
  %c = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.max) : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  return %c : tensor<4x3xf32>
}

// -----

// f16 has no kernel under any semiring.
func.func @linear_chain_f16(%e: tensor<?x?x?xf16>, %w: tensor<?x?xf16>, %s: tensor<?xf16>, %l: tensor<?xi32>) -> tensor<?xf16> {
  // expected-error @+1 {{'sdp.linear_chain' op has no GPU lowering yet for element type 'f16' under #sdp.max; compile for the CPU}}
  %z = sdp.linear_chain %e, %w, %s, %s, %l semiring(#sdp.max)
      : (tensor<?x?x?xf16>, tensor<?x?xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xi32>) -> tensor<?xf16>
  return %z : tensor<?xf16>
}
