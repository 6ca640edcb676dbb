// RUN: sdp-opt %s --convert-sdp-to-gpu --split-input-file --verify-diagnostics

func.func @bleu(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<?xf64> {
  // expected-error @+1 {{'sdp.bleu' op has no GPU lowering yet; compile for the CPU}}
  %s = sdp.bleu %c, %r {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}

// -----

func.func @f64(%e: tensor<?x?x?xf64>, %w: tensor<?x?xf64>, %s: tensor<?xf64>, %t: tensor<?xf64>, %l: tensor<?xi32>) -> tensor<?xf64> {
  // expected-error @+1 {{'sdp.linear_chain' op has no GPU lowering yet for element type 'f64'; compile for the CPU}}
  %z = sdp.linear_chain %e, %w, %s, %t, %l semiring(#sdp.log)
      : (tensor<?x?x?xf64>, tensor<?x?xf64>, tensor<?xf64>, tensor<?xf64>, tensor<?xi32>) -> tensor<?xf64>
  return %z : tensor<?xf64>
}
