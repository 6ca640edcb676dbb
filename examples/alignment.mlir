// Alignment of pairs of sequences: the same 2-D recurrence under three
// semirings. diagonal/down/right are the weights of the step into cell
// (i, j) from (i-1, j-1), (i-1, j) and (i, j-1), each [B, N+1, M+1];
// rows/cols are the lengths n <= N and m <= M of each pair.
//
//   sdp-run examples/alignment.mlir --entry=edit_distance \
//     --input=diag.npy --input=down.npy --input=right.npy \
//     --input=rows.npy --input=cols.npy --output=d.npy

// Cheapest path (#sdp.min): with a 0/1 diagonal (mismatch) and unit down and
// right weights, the edit distance.
func.func @edit_distance(%diagonal: tensor<?x?x?xf32>, %down: tensor<?x?x?xf32>,
                         %right: tensor<?x?x?xf32>, %rows: tensor<?xi32>,
                         %cols: tensor<?xi32>) -> tensor<?xf32> {
  %d = sdp.alignment %diagonal, %down, %right, %rows, %cols semiring(#sdp.min)
         : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
            tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %d : tensor<?xf32>
}

// Best-scoring path (#sdp.max): Needleman-Wunsch global alignment.
func.func @best_alignment(%diagonal: tensor<?x?x?xf32>, %down: tensor<?x?x?xf32>,
                          %right: tensor<?x?x?xf32>, %rows: tensor<?xi32>,
                          %cols: tensor<?xi32>) -> tensor<?xf32> {
  %s = sdp.alignment %diagonal, %down, %right, %rows, %cols semiring(#sdp.max)
         : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
            tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %s : tensor<?xf32>
}

// Log-sum over all paths (#sdp.log): with every weight -cost/gamma, -gamma
// times the result is soft-DTW.
func.func @log_partition(%diagonal: tensor<?x?x?xf32>, %down: tensor<?x?x?xf32>,
                         %right: tensor<?x?x?xf32>, %rows: tensor<?xi32>,
                         %cols: tensor<?xi32>) -> tensor<?xf32> {
  %z = sdp.alignment %diagonal, %down, %right, %rows, %cols semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
            tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}

// Gradients, derived by the compiler from the recurrence: the cotangents of
// the three weight tensors of Σ_b d[b] · score_b. Under #sdp.log, the
// expected alignment split by step kind (soft-DTW's gradient); under
// #sdp.min, the cheapest path's steps as indicators.
func.func @log_partition_vjp(%diagonal: tensor<?x?x?xf32>, %down: tensor<?x?x?xf32>,
                             %right: tensor<?x?x?xf32>, %rows: tensor<?xi32>,
                             %cols: tensor<?xi32>, %d: tensor<?xf32>)
    -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %g0, %g1, %g2 = sdp.vjp @log_partition(%diagonal, %down, %right, %rows, %cols) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return %g0, %g1, %g2 : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>
}

func.func @edit_distance_vjp(%diagonal: tensor<?x?x?xf32>, %down: tensor<?x?x?xf32>,
                             %right: tensor<?x?x?xf32>, %rows: tensor<?xi32>,
                             %cols: tensor<?xi32>, %d: tensor<?xf32>)
    -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) {
  %g0, %g1, %g2 = sdp.vjp @edit_distance(%diagonal, %down, %right, %rows, %cols) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
  return %g0, %g1, %g2 : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>
}
