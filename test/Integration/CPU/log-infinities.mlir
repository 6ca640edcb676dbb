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
