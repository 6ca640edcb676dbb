// RUN: sdp-opt %s --convert-sdp-to-gpu --split-input-file --verify-diagnostics

// A scan is reported as a whole; its body's witness has no home on the GPU.
func.func @scan(%init: tensor<4x8xf32>, %xs: tensor<4x5x8xf32>, %w: tensor<8x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{'sdp.scan' op has no GPU lowering yet for this body (a body of sdp.contract ops without witnesses, in f32 or f64, has one); compile for the CPU}}
  %r = sdp.scan along 1 init(%init : tensor<4x8xf32>) over(%xs : tensor<4x5x8xf32>) -> (tensor<4x8xf32>) {
  ^bb0(%t: index, %prev: tensor<4x8xf32>, %x: tensor<4x8xf32>):
    %next, %from = sdp.contract "bk,kc->bc" %prev, %w semiring(#sdp.max)
              : (tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xi32>)
    sdp.yield %next : tensor<4x8xf32>
  }
  return %r : tensor<4x8xf32>
}

// -----

// f16 has no contraction kernel.
func.func @contract_f16(%a: tensor<4x8xf16>, %b: tensor<8x3xf16>) -> tensor<4x3xf16> {
  // expected-error @+1 {{'sdp.contract' op has no GPU lowering yet for element type 'f16' under #sdp.max; compile for the CPU}}
  %c = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.max) : (tensor<4x8xf16>, tensor<8x3xf16>) -> tensor<4x3xf16>
  return %c : tensor<4x3xf16>
}

// -----

// f16 has no kernel under any semiring.
func.func @linear_chain_f16(%e: tensor<?x?x?xf16>, %w: tensor<?x?xf16>, %s: tensor<?xf16>, %l: tensor<?xi32>) -> tensor<?xf16> {
  // expected-error @+1 {{'sdp.linear_chain' op has no GPU lowering yet for element type 'f16' under #sdp.max; compile for the CPU}}
  %z = sdp.linear_chain %e, %w, %s, %s, %l semiring(#sdp.max)
      : (tensor<?x?x?xf16>, tensor<?x?xf16>, tensor<?xf16>, tensor<?xf16>, tensor<?xi32>) -> tensor<?xf16>
  return %z : tensor<?xf16>
}
