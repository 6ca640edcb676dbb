// Tree structures, batch first; lengths[b] counts the words (i32).
//
//   CKY (labelled binary bracketings): spans[b, i, j, l] scores span i..j
//   (words i to j inclusive, i <= j) with label l; spans [B, N, N, L].
//   Dependency trees: arcs[b, h, m] scores head h taking modifier m;
//   position 0 is the root, the words are 1..n; arcs [B, N + 1, N + 1].
//
//   PCFG (Chomsky normal form, shared grammar): terms[b, i, p] scores
//   preterminal p over word i; rules[A, X, Y] the rule A -> X Y (symbols
//   < NT are nonterminals, NT + p is preterminal p); roots[A].
//
// Run one function on .npy inputs:
//   sdp-run examples/trees.mlir --entry=cky_log_partition \
//     --input=spans.npy --input=lengths.npy

// log Z[b] = log Σ over bracketings and labels of exp score.
func.func @cky_log_partition(%spans: tensor<?x?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.cky %spans, %lengths semiring(#sdp.log)
            : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

// The best tree's score, and its labelled spans: labels[b, i, j] is the
// label of span i..j when the best tree has it, -1 otherwise.
func.func @cky_argmax(%spans: tensor<?x?x?x?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?x?xi32>) {
  %score, %labels = sdp.cky %spans, %lengths semiring(#sdp.max)
            : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?x?xi32>)
  return %score, %labels : tensor<?xf32>, tensor<?x?x?xi32>
}

// d[b] times the labelled span marginals p(span i..j with label l in the
// tree), derived by the compiler.
func.func @cky_log_partition_vjp(%spans: tensor<?x?x?x?xf32>, %lengths: tensor<?xi32>, %d: tensor<?xf32>) -> tensor<?x?x?x?xf32> {
  %d_spans = sdp.vjp @cky_log_partition(%spans, %lengths) cotangents(%d)
      : (tensor<?x?x?x?xf32>, tensor<?xi32>), (tensor<?xf32>) -> (tensor<?x?x?x?xf32>)
  return %d_spans : tensor<?x?x?x?xf32>
}

// log Z[b] = log Σ over derivations of exp score (-inf for one word).
func.func @pcfg_log_partition(%terms: tensor<?x?x?xf32>, %rules: tensor<?x?x?xf32>, %roots: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.pcfg %terms, %rules, %roots, %lengths semiring(#sdp.log)
            : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

// Gradients of Σ_b d[b] · log Z_b: expected preterminal, rule and root
// counts.
func.func @pcfg_log_partition_vjp(%terms: tensor<?x?x?xf32>, %rules: tensor<?x?x?xf32>, %roots: tensor<?xf32>, %lengths: tensor<?xi32>, %d: tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>) {
  %d_terms, %d_rules, %d_roots = sdp.vjp @pcfg_log_partition(%terms, %rules, %roots, %lengths) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>, tensor<?xi32>), (tensor<?xf32>)
        -> (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>)
  return %d_terms, %d_rules, %d_roots : tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>
}

// log Z[b] over projective dependency trees whose root has one child.
func.func @projective_log_partition(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.eisner %arcs, %lengths semiring(#sdp.log)
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

// The best projective tree's score and heads (heads[b, 0] = -1, -1 past n).
func.func @projective_argmax(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %score, %heads = sdp.eisner %arcs, %lengths semiring(#sdp.max)
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score, %heads : tensor<?xf32>, tensor<?x?xi32>
}

// d[b] times the arc marginals p(h -> m in the tree).
func.func @projective_log_partition_vjp(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>, %d: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %d_arcs = sdp.vjp @projective_log_partition(%arcs, %lengths) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?xi32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>)
  return %d_arcs : tensor<?x?x?xf32>
}

// The same with any number of the root's children (multi_root).
func.func @projective_multi_root_log_partition(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.eisner %arcs, %lengths semiring(#sdp.log) {multi_root}
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

func.func @projective_multi_root_argmax(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %score, %heads = sdp.eisner %arcs, %lengths semiring(#sdp.max) {multi_root}
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score, %heads : tensor<?xf32>, tensor<?x?xi32>
}

// log Z[b] over non-projective dependency trees whose root has one child
// (the matrix-tree theorem: a log-determinant in the core).
func.func @nonprojective_log_partition(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.matrix_tree %arcs, %lengths semiring(#sdp.log)
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

// The best non-projective tree (Chu-Liu-Edmonds) and its score; heads as
// in @projective_argmax.
func.func @nonprojective_argmax(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %score, %heads = sdp.matrix_tree %arcs, %lengths semiring(#sdp.max)
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score, %heads : tensor<?xf32>, tensor<?x?xi32>
}

// d[b] times the non-projective arc marginals.
func.func @nonprojective_log_partition_vjp(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>, %d: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %d_arcs = sdp.vjp @nonprojective_log_partition(%arcs, %lengths) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?xi32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>)
  return %d_arcs : tensor<?x?x?xf32>
}

// The same with any number of the root's children.
func.func @nonprojective_multi_root_log_partition(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %logz = sdp.matrix_tree %arcs, %lengths semiring(#sdp.log) {multi_root}
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %logz : tensor<?xf32>
}

// The best non-projective tree with any number of the root's children.
func.func @nonprojective_multi_root_argmax(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %score, %heads = sdp.matrix_tree %arcs, %lengths semiring(#sdp.max) {multi_root}
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score, %heads : tensor<?xf32>, tensor<?x?xi32>
}

// The gradient of the best score: the best tree's arcs (an indicator).
func.func @nonprojective_max_score(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %score = sdp.matrix_tree %arcs, %lengths semiring(#sdp.max)
            : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %score : tensor<?xf32>
}
func.func @nonprojective_max_score_vjp(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>, %d: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %d_arcs = sdp.vjp @nonprojective_max_score(%arcs, %lengths) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?xi32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>)
  return %d_arcs : tensor<?x?x?xf32>
}
