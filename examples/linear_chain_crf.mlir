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
