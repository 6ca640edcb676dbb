// Bare sdp.contract ops, each a GPU kernel of its own (ptx.test,
// ptxas.test, contract.test).

// Log-semiring matrix product: exp-shifted (a max pass, then one sum of
// exps and one log per result element).
func.func @log_matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.log)
         : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}

// One forward step of an HMM: three inputs, one reduced letter.
func.func @forward_step(%prev: tensor<?x?xf32>, %trans: tensor<?x?xf32>, %emit: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %next = sdp.contract "bk,kc,bc->bc" %prev, %trans, %emit semiring(#sdp.log)
            : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %next : tensor<?x?xf32>
}

// Row maxima and their positions (witnesses), f64.
func.func @row_argmax(%x: tensor<?x?xf64>) -> (tensor<?xf64>, tensor<?xi32>) {
  %m, %at = sdp.contract "bk->b" %x semiring(#sdp.max)
              : (tensor<?x?xf64>) -> (tensor<?xf64>, tensor<?xi32>)
  return %m, %at : tensor<?xf64>, tensor<?xi32>
}

// Min-plus product (shortest two-hop paths).
func.func @min_plus(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.min)
         : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}

// The trace: a repeated letter reads the diagonal, a scalar result.
func.func @trace(%a: tensor<?x?xf32>) -> tensor<f32> {
  %t = sdp.contract "ii->" %a semiring(#sdp.real) : (tensor<?x?xf32>) -> tensor<f32>
  return %t : tensor<f32>
}
