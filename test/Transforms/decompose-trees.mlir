// RUN: sdp-opt %s --sdp-decompose-named-ops --split-input-file | FileCheck %s

// CKY: the label sum, the chart's diagonals (one gather), then one scan
// over widths 1..N-1 carrying the chart by start and by end ([B, width,
// position], so that the spans of one width are a contiguous row); each
// step is one contraction over split points and one ⊗ with the width's
// spans, written into both layouts. log Z is the chart at (0, n - 1).

// CHECK-LABEL: func @cky_log_partition
// CHECK-SAME: (%[[SPANS:.*]]: tensor<?x?x?x?xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: %[[S:.*]] = sdp.contract "bijl->bij" %[[SPANS]] semiring(#sdp.log)
// CHECK: %[[D:.*]] = sdp.gather "bst,ws->bws" %[[S]], %{{.*}} : (tensor<?x?x?xf32>, tensor<?x?xi32>) -> tensor<?x?x?xf32>
// CHECK: %[[ROWS:.*]] = tensor.extract_slice %[[D]][0, 1, 0]
// CHECK: %[[CHART:.*]]:2 = sdp.scan along 1 init(%{{.*}}, %{{.*}} : tensor<?x?x?xf32>, tensor<?x?x?xf32>) over(%[[ROWS]] : tensor<?x?x?xf32>)
// CHECK: ^bb0(%{{.*}}: index, %[[BYSTART:[a-z0-9_]+]]: tensor<?x?x?xf32>, %[[BYEND:[a-z0-9_]+]]: tensor<?x?x?xf32>, %[[ROW:[a-z0-9_]+]]: tensor<?x?xf32>):
// CHECK:   %[[LEFT:.*]] = tensor.extract_slice %[[BYSTART]][0, %{{.*}}, 0]
// CHECK:   %[[RIGHT:.*]] = tensor.extract_slice %[[BYEND]][0, %{{.*}}, %{{.*}}]
// CHECK:   %[[SPLITS:.*]] = sdp.contract "bks,bks->bs" %[[LEFT]], %[[RIGHT]] semiring(#sdp.log)
// CHECK:   %[[OWN:.*]] = tensor.extract_slice %[[ROW]][0, 0]
// CHECK:   %[[VAL:.*]] = sdp.contract "bs,bs->bs" %[[SPLITS]], %[[OWN]] semiring(#sdp.log)
// CHECK:   tensor.insert_slice %{{.*}} into %[[BYSTART]]
// CHECK:   tensor.insert_slice %{{.*}} into %[[BYEND]]
// CHECK:   sdp.yield
// CHECK: %[[FIRST:.*]] = tensor.extract_slice %[[CHART]]#0[0, 0, %{{.*}}]
// CHECK: sdp.gather "bw,b->b" %[[FIRST]], %{{.*}} : (tensor<?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
func.func @cky_log_partition(%spans: tensor<?x?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.cky %spans, %lengths semiring(#sdp.log) : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// The best tree is the best score's subgradient: a private function with
// the max-semiring chart, an sdp.vjp of it with a cotangent of ones, and
// the label whose indicator is 1 (-1 where none is).

// CHECK-LABEL: func.func private @cky_argmax_cky_best_score
// CHECK-SAME: (%{{.*}}: tensor<?x?x?x?xf32>, %{{.*}}: tensor<?xi32>) -> tensor<?xf32>
// CHECK: sdp.scan
// CHECK-LABEL: func @cky_argmax
// CHECK: sdp.scan
// CHECK: %[[ONES:.*]] = linalg.fill
// CHECK: %[[IND:.*]] = sdp.vjp @cky_argmax_cky_best_score(%{{.*}}, %{{.*}}) cotangents(%[[ONES]])
// CHECK: sdp.contract "bijl->bij" %[[IND]] semiring(#sdp.max) : (tensor<?x?x?x?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?x?xi32>)
// CHECK: linalg.generic
// CHECK:   arith.cmpf ogt
// CHECK:   arith.select
func.func @cky_argmax(%spans: tensor<?x?x?x?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?x?xi32>) {
  %0, %1 = sdp.cky %spans, %lengths semiring(#sdp.max) : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?x?xi32>)
  return %0, %1 : tensor<?xf32>, tensor<?x?x?xi32>
}

// -----

// Eisner: the arcs' diagonals both ways, one scan over widths carrying
// complete spans (both layouts, both directions) and incomplete ones (the
// layout each is read in); each step: split points of complete spans, ⊗
// the arcs of both directions, then the complete spans from incomplete
// ones. One root: ⊕_m arcs[0, m] ⊗ C←[1, m] ⊗ C→[m, n].

// CHECK-LABEL: func @projective
// CHECK-SAME: (%[[ARCS:.*]]: tensor<?x?x?xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: %[[HEADFIRST:.*]] = sdp.gather "bst,ws->bws" %[[ARCS]]
// CHECK: %[[HEADLAST:.*]] = sdp.gather "bts,ws->bws" %[[ARCS]]
// CHECK: %[[CHARTS:.*]]:6 = sdp.scan along 1
// CHECK:   sdp.contract "bks,bks->bs"
// CHECK:   sdp.contract "bs,bs->bs"
// CHECK:   sdp.contract "bs,bs->bs"
// CHECK:   sdp.contract "bks,bks->bs"
// CHECK:   sdp.contract "bks,bks->bs"
// CHECK:   sdp.yield
// CHECK: %[[ROOTARCS:.*]] = tensor.extract_slice %[[ARCS]][0, 0, 1]
// CHECK: %[[ENDROW:.*]] = sdp.gather "brt,b->br"
// CHECK: %[[RIGHT:.*]] = sdp.gather "bw,bj->bj" %[[ENDROW]]
// CHECK: sdp.contract "bj,bj,bj->b" %{{.*}}, %{{.*}}, %[[RIGHT]] semiring(#sdp.log)
func.func @projective(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.eisner %arcs, %lengths semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// multi_root: the complete span from the root to n.

// CHECK-LABEL: func @projective_multi_root
// CHECK: %[[CHARTS:.*]]:6 = sdp.scan along 1
// CHECK: %[[FROMROOT:.*]] = tensor.extract_slice %[[CHARTS]]#0[0, 0, %{{.*}}]
// CHECK: sdp.gather "bw,b->b" %[[FROMROOT]]
// CHECK-NOT: sdp.contract "bj,bj,bj->b"
func.func @projective_multi_root(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.eisner %arcs, %lengths semiring(#sdp.log) {multi_root} : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// PCFG: the CKY chart with a trailing symbol dimension; width 0 holds the
// preterminals (a gather of terms at symbol - NT, 0̄ for nonterminals);
// each step pairs the symbols of every split point, then applies the
// rules; the roots weigh the whole sentence's nonterminals.

// CHECK-LABEL: func @pcfg
// CHECK-SAME: (%[[TERMS:.*]]: tensor<?x?x?xf32>, %[[RULES:.*]]: tensor<?x?x?xf32>, %[[ROOTS:.*]]: tensor<?xf32>, %{{.*}}: tensor<?xi32>)
// CHECK: sdp.gather "bip,x->bix" %[[TERMS]]
// CHECK: sdp.scan along 1 init(%{{.*}}, %{{.*}} : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>)
// CHECK:   %[[PAIRS:.*]] = sdp.contract "bksx,bksy->bsxy"
// CHECK:   sdp.contract "bsxy,axy->bsa" %[[PAIRS]], %[[RULES]] semiring(#sdp.log)
// CHECK:   sdp.yield
// CHECK: sdp.gather "bwx,b->bx"
// CHECK: sdp.contract "ba,a->b" %{{.*}}, %[[ROOTS]] semiring(#sdp.log)
func.func @pcfg(%terms: tensor<?x?x?xf32>, %rules: tensor<?x?x?xf32>, %roots: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.pcfg %terms, %rules, %roots, %lengths semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// The matrix-tree theorem: shifted arc weights, in-weight column sums, the
// word matrix (root row first for one root, identity past n), its
// sdp.logdet, and n c added back.

// CHECK-LABEL: func @nonprojective
// CHECK: sdp.contract "bhm->bh" %{{.*}} semiring(#sdp.max)
// CHECK: math.exp
// CHECK: sdp.contract "bhm->bm" %{{.*}} semiring(#sdp.real)
// CHECK: %[[LAPLACIAN:.*]] = linalg.generic
// CHECK: %[[LOGDET:.*]] = sdp.logdet %[[LAPLACIAN]] : tensor<?x?x?xf32> -> tensor<?xf32>
// CHECK: linalg.generic {{.*}} ins(%[[LOGDET]],
// CHECK: arith.sitofp
func.func @nonprojective(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.matrix_tree %arcs, %lengths semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// The best non-projective tree: sdp.max_arborescence of the arcs (negated
// under #sdp.min), then the score gathers the tree's arcs and sums them
// (#sdp.real) over the words; a -1 head (no tree) contributes 0̄ (+inf).
// CHECK-LABEL: func @nonprojective_best
// CHECK-SAME: (%[[ARCS:.*]]: tensor<?x?x?xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: arith.negf
// CHECK: %[[HEADS:.*]] = sdp.max_arborescence %{{.*}}, %{{.*}} {multi_root} : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?x?xi32>
// CHECK: %[[PICKED:.*]] = sdp.gather "bhm,bm->bm" %[[ARCS]], %[[HEADS]]
// CHECK: linalg.generic {{.*}} ins(%[[PICKED]], %[[HEADS]], %{{.*}} :
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: arith.select %{{.*}}, %[[INF]], %{{.*}} : f32
// CHECK: sdp.contract "bm->b" %{{.*}} semiring(#sdp.real)
// A NaN arc of the sentence makes the score NaN.
// CHECK: arith.cmpf uno
// CHECK: return %{{.*}}, %[[HEADS]]
func.func @nonprojective_best(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %0, %1 = sdp.matrix_tree %arcs, %lengths semiring(#sdp.min) {multi_root} : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %0, %1 : tensor<?xf32>, tensor<?x?xi32>
}
