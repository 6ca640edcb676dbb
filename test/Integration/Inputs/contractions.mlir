// sdp.contract ops and scans of them, each a GPU kernel of its own
// (ptx.test, ptxas.test, contract.test).

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

// Scans of contractions: one kernel each, the time loop inside it.

// The HMM forward recursion (log semiring), batch first.
func.func @forward_scan(%init: tensor<?x?xf32>, %xs: tensor<?x?x?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%xs : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %w, %x semiring(#sdp.log)
              : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}

// Backwards, two carried values that swap roles (a yield reads the other
// carried value), two contractions per step, max-plus.
func.func @swap_scan(%a0: tensor<?x?xf32>, %b0: tensor<?x?xf32>, %xs: tensor<?x?x?xf32>, %w: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %r:2 = sdp.scan reverse along 1 init(%a0, %b0 : tensor<?x?xf32>, tensor<?x?xf32>) over(%xs : tensor<?x?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  ^bb0(%t: index, %a: tensor<?x?xf32>, %b: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    %s = sdp.contract "bk,kc,bc->bc" %a, %w, %x semiring(#sdp.max)
           : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    %n = sdp.contract "bc,bc->bc" %s, %b semiring(#sdp.max)
           : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %n, %a : tensor<?x?xf32>, tensor<?x?xf32>
  }
  return %r#0, %r#1 : tensor<?x?xf32>, tensor<?x?xf32>
}

// Yields that are not contractions: the step's slice and a tensor from
// above the scan.
func.func @carry_scan(%a0: tensor<?x?xf32>, %b0: tensor<?x?xf32>, %xs: tensor<?x?x?xf32>, %c: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %r:2 = sdp.scan along 1 init(%a0, %b0 : tensor<?x?xf32>, tensor<?x?xf32>) over(%xs : tensor<?x?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  ^bb0(%t: index, %a: tensor<?x?xf32>, %b: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    sdp.yield %x, %c : tensor<?x?xf32>, tensor<?x?xf32>
  }
  return %r#0, %r#1 : tensor<?x?xf32>, tensor<?x?xf32>
}
