// A linear-chain CRF in the pytorch-crf convention, batch first:
//   emissions[b,t,y], transitions[y_prev,y_next], start[y], end[y],
//   lengths[b] >= 1 (i32). Positions at or past lengths[b] are ignored.
//
// Run one function on .npy inputs:
//   sdp-run examples/linear_chain_crf.mlir --entry=log_partition \
//     --input=emissions.npy --input=transitions.npy --input=start.npy \
//     --input=end.npy --input=lengths.npy

// log Z[b] = log Σ_y exp score(y).
func.func @log_partition(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.linear_chain %emissions, %transitions, %start, %end, %lengths semiring(#sdp.log)
            : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

// The best score and the best label sequence, -1 past each length.
func.func @viterbi(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %score, %path = sdp.linear_chain %emissions, %transitions, %start, %end, %lengths semiring(#sdp.max)
            : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score, %path : tensor<?xf32>, tensor<?x?xi32>
}

// Full edge potentials: edges[b, t-1, y_prev, y_next] scores the transition
// into position t of sequence b (in place of transitions[y_prev, y_next]).
func.func @log_partition_full(%emissions: tensor<?x?x?xf32>, %edges: tensor<?x?x?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.linear_chain %emissions, %edges, %start, %end, %lengths semiring(#sdp.log)
            : (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

func.func @viterbi_full(%emissions: tensor<?x?x?xf32>, %edges: tensor<?x?x?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %score, %path = sdp.linear_chain %emissions, %edges, %start, %end, %lengths semiring(#sdp.max)
            : (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score, %path : tensor<?xf32>, tensor<?x?xi32>
}

// Gradients, derived by the compiler (sdp.vjp, materialised by
// -sdp-generate-adjoints): the cotangents of emissions, transitions, start
// and end of Σ_b d[b] · log Z_b. Emission cotangents past a length are 0.
func.func @log_partition_vjp(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>, %d_log_partition: tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %d_em, %d_tr, %d_start, %d_end = sdp.vjp @log_partition(%emissions, %transitions, %start, %end, %lengths) cotangents(%d_log_partition)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>)
  return %d_em, %d_tr, %d_start, %d_end : tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>
}

func.func @log_partition_full_vjp(%emissions: tensor<?x?x?xf32>, %edges: tensor<?x?x?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>, %d: tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %d_em, %d_edges, %d_start, %d_end = sdp.vjp @log_partition_full(%emissions, %edges, %start, %end, %lengths) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>)
  return %d_em, %d_edges, %d_start, %d_end : tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>
}

// The same gradients keeping the forward state only every 64 positions
// (memory of T/64 + 64 states instead of T, for one more forward pass).
func.func @log_partition_vjp_checkpointed(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>, %d_log_partition: tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %d_em, %d_tr, %d_start, %d_end = sdp.vjp @log_partition(%emissions, %transitions, %start, %end, %lengths) cotangents(%d_log_partition) {checkpoint_every = 64 : i64}
      : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>)
  return %d_em, %d_tr, %d_start, %d_end : tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>
}

// Posterior marginals p(y_t = c) = ∂ log Z / ∂ emissions[b, t, c]: the
// gradient of Σ_b log Z_b. Rows sum to 1 inside each length, 0 past it.
func.func @marginals(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?x?x?xf32> {
  %c0 = arith.constant 0 : index
  %one = arith.constant 1.0 : f32
  %batch = tensor.dim %emissions, %c0 : tensor<?x?x?xf32>
  %empty = tensor.empty(%batch) : tensor<?xf32>
  %ones = linalg.fill ins(%one : f32) outs(%empty : tensor<?xf32>) -> tensor<?xf32>
  %p, %d_tr, %d_start, %d_end = sdp.vjp @log_partition(%emissions, %transitions, %start, %end, %lengths) cotangents(%ones)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>)
  return %p : tensor<?x?x?xf32>
}

// The best score's (sub)gradient: the best label sequence as an indicator
// (emissions), its transitions counted (transitions), its first and last
// labels (start, end).
func.func @viterbi_vjp(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>, %d_score: tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %d_em, %d_tr, %d_start, %d_end = sdp.vjp @viterbi(%emissions, %transitions, %start, %end, %lengths) cotangents(%d_score)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>)
  return %d_em, %d_tr, %d_start, %d_end : tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>
}
