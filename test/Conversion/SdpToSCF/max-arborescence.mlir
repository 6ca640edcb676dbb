// RUN: sdp-opt %s --convert-sdp-to-scf | FileCheck %s

// Chu-Liu-Edmonds as loops: scratch buffers for the whole batch (float64
// scores and index root-arc counts per pair of levels, per-level picks),
// then per sentence the arcs in float64 (+inf capped at the largest f32,
// -inf and NaN absent), one scf.while iteration per level (best incoming
// arcs, cycle search, contraction when a cycle exists and every node has
// an incoming arc), and the expansion from the top level down.
// CHECK-LABEL: func @single
// CHECK-SAME: (%[[ARCS:.*]]: tensor<?x?x?xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: %[[HEADS:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xi32>
// CHECK: %[[SCORE:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<2x?x?xf64>
// CHECK: %[[ROOTS:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<2x?x?xindex>
// CHECK: scf.for %[[B:.*]] =
// Heads start at -1 (the root, past n, no tree).
// CHECK:   memref.store %c-1_i32, %[[HEADS]][%[[B]], %{{.*}}]
// CHECK:   arith.constant 3.4028234663852886E+38 : f64
// CHECK:   arith.extf %{{.*}} : f32 to f64
// CHECK:   arith.cmpf ogt
// CHECK:   memref.store %{{.*}}, %[[SCORE]][%c0{{.*}}, %{{.*}}, %{{.*}}] : memref<2x?x?xf64>
// CHECK:   scf.while (%{{.*}} = %c0{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %true) : (index, index, i1) -> (index, index, i1)
// The best incoming arc of each node: fewest root arcs, then highest score.
// CHECK:     scf.for {{.*}} -> (f64, index, index)
// The cycle search follows the picks.
// CHECK:     scf.while
// CHECK:     scf.if %{{.*}} -> (index, index)
// An arc into a cycle loses the cycle arc it replaces.
// CHECK:       arith.subf %{{.*}}, %{{.*}} : f64
// CHECK:       arith.subi
// CHECK:     scf.condition
// CHECK:   scf.if
// Single root: the tree is kept only with one root child.
// CHECK:     arith.cmpi eq, %{{.*}}, %c1
// CHECK:       arith.index_cast %{{.*}} : index to i32
// CHECK:       memref.store %{{.*}}, %[[HEADS]][%[[B]], %{{.*}}] : memref<?x?xi32>
// CHECK: bufferization.to_tensor %[[HEADS]]
func.func @single(%arcs: tensor<?x?x?xf32>, %lengths: tensor<?xi32>) -> tensor<?x?xi32> {
  %h = sdp.max_arborescence %arcs, %lengths : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?x?xi32>
  return %h : tensor<?x?xi32>
}

// With any number of root children no arc counts as a root arc, and f64
// arcs are read as they are.
// CHECK-LABEL: func @multi
// CHECK-NOT: arith.extf
// CHECK-NOT: arith.cmpi eq, %{{.*}}, %c1
// CHECK: return
func.func @multi(%arcs: tensor<?x?x?xf64>, %lengths: tensor<?xi32>) -> tensor<?x?xi32> {
  %h = sdp.max_arborescence %arcs, %lengths {multi_root} : (tensor<?x?x?xf64>, tensor<?xi32>) -> tensor<?x?xi32>
  return %h : tensor<?x?xi32>
}
