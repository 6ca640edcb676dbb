// RUN: sdp-opt %s --convert-sdp-to-gpu="device-resident" --split-input-file --verify-diagnostics

// The tensors of a device-resident function are GPU memory: host code that
// reads one would dereference a device pointer.
func.func @host_read(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> f64 {
  %s = sdp.bleu %c, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<method1>,
         compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  %i = arith.constant 0 : index
  // expected-error @+1 {{'tensor.extract' op would compute on the host, but the tensors of device-resident function '@host_read' live in GPU memory; keep only kernel ops (sdp.linear_chain, sdp.alignment, sdp.bleu, sdp.contract) on its tensors}}
  %x = tensor.extract %s[%i] : tensor<?xf64>
  return %x : f64
}

// -----

// A constant tensor is host memory.
func.func @constant_operand(%e: tensor<?x?x?xf32>, %s: tensor<?xf32>, %l: tensor<?xi32>) -> tensor<?xf32> {
  // expected-error @+1 {{'arith.constant' op would compute on the host}}
  %w = arith.constant dense<0.0> : tensor<4x4xf32>
  %z = sdp.linear_chain %e, %w, %s, %s, %l semiring(#sdp.log)
      : (tensor<?x?x?xf32>, tensor<4x4xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}

// -----

// sdp.bleu_score on its own runs on the host.
func.func @score_alone(%m: tensor<4x?xi64>, %t: tensor<4x?xi64>, %h: tensor<?xi32>, %r: tensor<?x?xi32>) -> tensor<?xf64> {
  // expected-error @+1 {{'sdp.bleu_score' op would compute on the host}}
  %s = sdp.bleu_score %m, %t, %h, %r {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>}
       : (tensor<4x?xi64>, tensor<4x?xi64>, tensor<?xi32>, tensor<?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}

// -----

// The caller frees what a device-resident function returns: not an input.
func.func @returns_argument(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> (tensor<?xf64>, tensor<?x?xi32>) {
  %s = sdp.bleu %c, %r {weights = [1.0], smoothing = #sdp.smoothing<method0>,
         compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  // expected-error @+1 {{'func.return' op result #1 of device-resident function '@returns_argument' is one of its arguments; the caller frees its results, so return kernel results only}}
  return %s, %c : tensor<?xf64>, tensor<?x?xi32>
}

// -----

// Nor the same buffer twice.
func.func @returned_twice(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> (tensor<?xf64>, tensor<?xf64>) {
  // expected-error @+1 {{'sdp.bleu' op result #0 must be returned by device-resident function '@returned_twice', once, and used by nothing else: the caller owns and frees it}}
  %s = sdp.bleu %c, %r {weights = [1.0], smoothing = #sdp.smoothing<method0>,
         compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %s, %s : tensor<?xf64>, tensor<?xf64>
}

// -----

// A result that is not returned would never be freed.
func.func @path_dropped(%e: tensor<?x?x?xf32>, %w: tensor<?x?xf32>, %s: tensor<?xf32>, %l: tensor<?xi32>) -> tensor<?xf32> {
  // expected-error @+1 {{'sdp.linear_chain' op result #1 must be returned}}
  %score, %path = sdp.linear_chain %e, %w, %s, %s, %l semiring(#sdp.max)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score : tensor<?xf32>
}
