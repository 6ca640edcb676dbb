// sdp.logdet, sdp.inverse and their compiler-derived VJPs, run by
// linear_algebra_oracle.py against numpy in float64.
func.func @logdet(%a: tensor<?x?x?xf32>) -> tensor<?xf32> {
  %r = sdp.logdet %a : tensor<?x?x?xf32> -> tensor<?xf32>
  return %r : tensor<?xf32>
}
func.func @inverse(%a: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %r = sdp.inverse %a : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  return %r : tensor<?x?x?xf32>
}
func.func @logdet_vjp(%a: tensor<?x?x?xf32>, %d: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %g = sdp.vjp @logdet(%a) cotangents(%d) : (tensor<?x?x?xf32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>)
  return %g : tensor<?x?x?xf32>
}
func.func @inverse_vjp(%a: tensor<?x?x?xf32>, %c: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %g = sdp.vjp @inverse(%a) cotangents(%c) : (tensor<?x?x?xf32>), (tensor<?x?x?xf32>) -> (tensor<?x?x?xf32>)
  return %g : tensor<?x?x?xf32>
}
func.func @logdet_f64(%a: tensor<?x?x?xf64>) -> tensor<?xf64> {
  %r = sdp.logdet %a : tensor<?x?x?xf64> -> tensor<?xf64>
  return %r : tensor<?xf64>
}
func.func @inverse_f64(%a: tensor<?x?x?xf64>) -> tensor<?x?x?xf64> {
  %r = sdp.inverse %a : tensor<?x?x?xf64> -> tensor<?x?x?xf64>
  return %r : tensor<?x?x?xf64>
}
