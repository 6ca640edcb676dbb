// Host code on the result of a device-resident function (device-resident.test).
func.func @f(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<?xf64> {
  %s = sdp.bleu %c, %r {weights = [1.0], smoothing = #sdp.smoothing<method0>,
         compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  %twice = arith.addf %s, %s : tensor<?xf64>
  return %twice : tensor<?xf64>
}
