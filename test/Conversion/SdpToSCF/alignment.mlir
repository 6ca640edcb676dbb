// RUN: sdp-opt %s --convert-sdp-to-scf --split-input-file | FileCheck %s

// Per pair: row 0 (steps right only), then each row from the one before,
// carried in one buffer of M+1 entries; the left and upper-left cells travel
// as loop-carried scalars. Under #sdp.min, ⊕ is minnumf and ⊗ addf.
// CHECK-LABEL: func @edit_distance
// CHECK-SAME: (%[[D:.*]]: tensor<?x?x?xf32>, %[[V:.*]]: tensor<?x?x?xf32>, %[[H:.*]]: tensor<?x?x?xf32>, %[[N:.*]]: tensor<?xi32>, %[[M:.*]]: tensor<?xi32>)
// CHECK-DAG: %[[DB:.*]] = bufferization.to_buffer %[[D]] read_only
// CHECK-DAG: %[[VB:.*]] = bufferization.to_buffer %[[V]] read_only
// CHECK-DAG: %[[HB:.*]] = bufferization.to_buffer %[[H]] read_only
// CHECK: %[[SCORES:.*]] = memref.alloc(%{{.*}}) : memref<?xf32>
// A grid without cells scores 0̄ (+inf under min).
// CHECK: scf.if
// CHECK:   arith.constant 0x7F800000 : f32
// CHECK: } else {
// CHECK:   %[[ROW:.*]] = memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK:   scf.for %[[B:.*]] =
// Lengths clamped to the grid.
// CHECK:     arith.maxsi
// CHECK:     arith.minsi
// CHECK:     %[[FIRST:.*]] = scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32)
// CHECK:       memref.load %[[HB]]
// CHECK:       arith.addf
// CHECK:     scf.for
// CHECK:       memref.load %[[VB]]
// CHECK:       scf.for {{.*}} -> (f32, f32)
// CHECK:         %[[UP:.*]] = memref.load %[[ROW]]
// CHECK:         memref.load %[[DB]]
// CHECK:         memref.load %[[VB]]
// CHECK:         memref.load %[[HB]]
// CHECK:         arith.minnumf
// CHECK:         %[[CELL:.*]] = arith.minnumf
// CHECK:         memref.store %[[CELL]], %[[ROW]]
// CHECK:         scf.yield %[[UP]], %[[CELL]]
// CHECK:     memref.store %{{.*}}, %[[SCORES]]
// CHECK-NOT: sdp.alignment
func.func @edit_distance(%d: tensor<?x?x?xf32>, %v: tensor<?x?x?xf32>, %h: tensor<?x?x?xf32>, %n: tensor<?xi32>, %m: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.alignment %d, %v, %h, %n, %m semiring(#sdp.min) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Under #sdp.log the pair is swept by anti-diagonals, 8 cells of f64 per
// step: weights gathered from the flattened grid (stride M), neighbours
// loaded from the previous two diagonals, the three-term ⊕ as one
// exp-shifted sum on whole vectors (SemiringAttrInterface::buildSum).
// CHECK-LABEL: func @soft_dtw
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : memref<2x5x7xf64> into memref<70xf64>
// CHECK: %[[DIAGONALS:.*]] = memref.alloc(%{{.*}}) : memref<?xf64>
// CHECK: scf.for
// CHECK:   scf.for %[[D:.*]] =
// CHECK:     scf.for {{.*}} step %c8
// CHECK:       %[[MASK:.*]] = vector.create_mask %{{.*}} : vector<8xi1>
// CHECK:       vector.maskedload %[[DIAGONALS]]
// CHECK:       vector.gather %[[FLAT]][%{{.*}}] [%{{.*}}], %[[MASK]]
// CHECK-COUNT-3: math.exp {{.*}} : vector<8xf64>
// CHECK:       math.log {{.*}} : vector<8xf64>
// CHECK:       vector.maskedstore %[[DIAGONALS]][%{{.*}}], %[[MASK]]
func.func @soft_dtw(%w: tensor<2x5x7xf64>, %n: tensor<2xi32>) -> tensor<2xf64> {
  %0 = sdp.alignment %w, %w, %w, %n, %n semiring(#sdp.log) : (tensor<2x5x7xf64>, tensor<2x5x7xf64>, tensor<2x5x7xf64>, tensor<2xi32>, tensor<2xi32>) -> tensor<2xf64>
  return %0 : tensor<2xf64>
}
