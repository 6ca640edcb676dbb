// Log-semiring sums with infinite terms: a +inf term, or products that
// overflow f32 to +inf, give +inf (not inf - inf = NaN); all -inf terms give
// -inf; finite terms are unaffected.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import sys; sys.path.insert(0, '%S/../Inputs'); import npyio; inf = float('inf'); npyio.write('%t/x.npy', '<f4', (4, 2), [inf, 1.0, 3e38, 3e38, -inf, -inf, 1.0, 2.0]); npyio.write('%t/y.npy', '<f4', (4, 2), [0, 0, 3e38, 0, 0, 0, 0.5, 0])"
// RUN: sdp-run %s --entry=log_sum --input=%t/x.npy --input=%t/y.npy | FileCheck %s
// CHECK: result #0: f32[4] = [inf, inf, -inf, 2.4740{{[0-9]*}}]
func.func @log_sum(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = sdp.contract "bi,bi->b" %x, %y semiring(#sdp.log) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// The pairwise log-sum (LogSemiringAttr::buildAdd, here through a log
// scatter that ⊕-accumulates two values into one slot): +inf with +inf is
// +inf, -inf with -inf is -inf, a NaN stays NaN (maxnumf alone would drop
// it), finite values are log(e^a + e^b).
// RUN: %python -c "import sys; sys.path.insert(0, '%S/../Inputs'); import npyio; inf = float('inf'); nan = float('nan'); npyio.write('%t/v.npy', '<f4', (4, 2), [inf, inf, -inf, -inf, nan, 1.0, 0.0, 0.0]); npyio.write('%t/i.npy', '<i4', (4, 2), [0] * 8); npyio.write('%t/z.npy', '<f4', (4, 1), [-inf] * 4)"
// RUN: sdp-run %s --entry=log_scatter --input=%t/v.npy --input=%t/i.npy --input=%t/z.npy | FileCheck %s --check-prefix=PAIRWISE
// PAIRWISE: result #0: f32[4x1] = {{\[}}[inf], [-inf], [nan], [0.6931{{[0-9]*}}]]
func.func @log_scatter(%v: tensor<?x?xf32>, %i: tensor<?x?xi32>, %z: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = sdp.scatter "bj,bi->bi" %v, %i into %z semiring(#sdp.log) : (tensor<?x?xf32>, tensor<?x?xi32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
