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

// The many-term log-sum (buildSemiringSum, here the three steps into a cell
// of sdp.alignment): a +inf term gives +inf, but a NaN term next to it
// stays NaN (the shift's maxnumf drops the NaN; the sum must not).
// RUN: %python -c "import sys; sys.path.insert(0, '%S/../Inputs'); import npyio; inf = float('inf'); nan = float('nan'); npyio.write('%t/diag.npy', '<f4', (2, 2, 2), [0, 0, 0, inf, 0, 0, 0, inf]); npyio.write('%t/down.npy', '<f4', (2, 2, 2), [0, 0, 0, 0, 0, 0, 0, inf]); npyio.write('%t/right.npy', '<f4', (2, 2, 2), [0, 0, 0, nan, 0, 0, 0, 0]); npyio.write('%t/n.npy', '<i4', (2,), [1, 1])"
// RUN: sdp-run %s --entry=log_alignment --input=%t/diag.npy --input=%t/down.npy --input=%t/right.npy --input=%t/n.npy --input=%t/n.npy | FileCheck %s --check-prefix=CELL
// CELL: result #0: f32[2] = [nan, inf]
func.func @log_alignment(%diagonal: tensor<?x?x?xf32>, %down: tensor<?x?x?xf32>, %right: tensor<?x?x?xf32>, %rows: tensor<?xi32>, %cols: tensor<?xi32>) -> tensor<?xf32> {
  %z = sdp.alignment %diagonal, %down, %right, %rows, %cols semiring(#sdp.log)
      : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}
