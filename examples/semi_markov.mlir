// A semi-Markov CRF (segmentation), batch first:
//   segments[b, s, k, c] scores a segment starting at position s, of length
//   k + 1 and label c; transitions[c_prev, c_next], start[c], end[c];
//   lengths[b] >= 1 (i32). Segments that would end past lengths[b] never
//   count.
//
// Run one function on .npy inputs:
//   sdp-run examples/semi_markov.mlir --entry=log_partition \
//     --input=segments.npy --input=transitions.npy --input=start.npy \
//     --input=end.npy --input=lengths.npy

// log Z[b] = log Σ over segmentations and labels of exp score.
func.func @log_partition(%segments: tensor<?x?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.semi_markov %segments, %transitions, %start, %end, %lengths semiring(#sdp.log)
            : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

// The best score and the best segmentation: per position the label of the
// covering segment, and the segment's length where it starts (0 inside a
// segment); -1 past each length.
func.func @viterbi(%segments: tensor<?x?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>) {
  %score, %labels, %seg_lengths = sdp.semi_markov %segments, %transitions, %start, %end, %lengths semiring(#sdp.max)
            : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>)
  return %score, %labels, %seg_lengths : tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>
}

// Gradients of Σ_b d[b] · log Z_b, derived by the compiler: the segment
// marginals p(segment (s, k, c) in the segmentation) times d (segments),
// the expected transition counts (transitions), the first and last labels'
// marginals (start, end).
func.func @log_partition_vjp(%segments: tensor<?x?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>, %d: tensor<?xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %d_seg, %d_tr, %d_start, %d_end = sdp.vjp @log_partition(%segments, %transitions, %start, %end, %lengths) cotangents(%d)
      : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>)
  return %d_seg, %d_tr, %d_start, %d_end : tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>
}

// The best score's subgradient: the best segmentation as an indicator.
func.func @viterbi_score_vjp(%segments: tensor<?x?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>, %d: tensor<?xf32>) -> (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>) {
  %d_seg, %d_tr, %d_start, %d_end = sdp.vjp @best_score(%segments, %transitions, %start, %end, %lengths) cotangents(%d)
      : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>)
  return %d_seg, %d_tr, %d_start, %d_end : tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>
}

func.func @best_score(%segments: tensor<?x?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %score = sdp.semi_markov %segments, %transitions, %start, %end, %lengths semiring(#sdp.max)
            : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %score : tensor<?xf32>
}
