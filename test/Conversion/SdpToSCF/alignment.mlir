// RUN: sdp-opt %s --convert-sdp-to-scf --split-input-file | FileCheck %s

// Float grids go in strips of 16 rows (f32): row 0 first (steps right only),
// then per strip a skewed sweep in which lane k holds cell (first + k, t - k)
// at step t. The weights of 64 steps at a time are staged first: each group
// of 8 lanes reads its rows in pieces of 8 columns, and an 8 x 8 transpose
// (three rounds of shuffles) turns the pieces into one vector per step
// (masked loads where the pieces could run past the grids' end). In the
// sweep the cell above is lane k-1 of the step before (a shuffle that brings
// in the last row of the previous strip for lane 0), the cell to the left is
// the same lane of the step before. The strip's bottom row is written back
// to the row buffer behind the sweep. Under #sdp.min, ⊕ is minimumf (NaN-
// propagating: a NaN weight a cell reads reaches the score).
// CHECK-LABEL: func @edit_distance
// CHECK-SAME: (%[[D:.*]]: tensor<?x?x?xf32>, %[[V:.*]]: tensor<?x?x?xf32>, %[[H:.*]]: tensor<?x?x?xf32>, %[[N:.*]]: tensor<?xi32>, %[[M:.*]]: tensor<?xi32>)
// CHECK: %[[SCORES:.*]] = memref.alloc(%{{.*}}) : memref<?xf32>
// A grid without cells scores 0̄ (+inf under min).
// CHECK: scf.if
// CHECK:   arith.constant 0x7F800000 : f32
// CHECK: } else {
// CHECK-DAG: %[[DF:.*]] = memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2]] : memref<?x?x?xf32> into memref<?xf32>
// CHECK-DAG: %[[ROW:.*]] = memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK-DAG: %[[STAGED:.*]] = memref.alloc() : memref<1024xf32>
// CHECK:   scf.for %[[B:.*]] =
// Lengths clamped to the grid.
// CHECK:     arith.maxsi
// CHECK:     arith.minsi
// CHECK:     scf.for {{.*}} -> (f32)
// CHECK:       memref.store %{{.*}}, %[[ROW]]
// CHECK:     scf.for %{{.*}} step %c16
// CHECK:       scf.for {{.*}} step %c64 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, f32)
// CHECK:         scf.if
// CHECK:           scf.for {{.*}} step %c8
// CHECK-COUNT-8:     vector.load %[[DF]][{{.*}}] : memref<?xf32>, vector<8xf32>
// CHECK:             vector.shuffle {{.*}} [0, 8, 2, 10, 4, 12, 6, 14]
// CHECK:             vector.shuffle {{.*}} [0, 1, 8, 9, 4, 5, 12, 13]
// CHECK:             vector.shuffle {{.*}} [0, 1, 2, 3, 8, 9, 10, 11]
// CHECK:             vector.store %{{.*}}, %[[STAGED]]
// CHECK:         } else {
// CHECK:           vector.create_mask
// CHECK:           vector.maskedload %[[DF]]
// CHECK:         scf.for {{.*}} iter_args(%[[PREV:.*]] = %{{.*}}, %[[PREV2:.*]] = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<16xf32>, vector<16xf32>, f32)
// CHECK:           memref.load %[[ROW]]
// CHECK:           %[[UP:.*]] = vector.shuffle %[[PREV]], %{{.*}} [16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
// CHECK:           vector.shuffle %[[PREV2]]
// CHECK:           vector.load %[[STAGED]]{{.*}} : memref<1024xf32>, vector<16xf32>
// CHECK:           arith.minimumf {{.*}} fastmath<nsz> : vector<16xf32>
// CHECK:           arith.minimumf {{.*}} fastmath<nsz> : vector<16xf32>
// CHECK:           %[[CELLS:.*]] = arith.select
// CHECK:           scf.if
// CHECK:             vector.extract %[[CELLS]]
// CHECK:             memref.store %{{.*}}, %[[ROW]]
// CHECK:           scf.yield %[[CELLS]], %[[PREV]]
// CHECK:     memref.store %{{.*}}, %[[SCORES]]
// CHECK-NOT: sdp.alignment
func.func @edit_distance(%d: tensor<?x?x?xf32>, %v: tensor<?x?x?xf32>, %h: tensor<?x?x?xf32>, %n: tensor<?xi32>, %m: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.alignment %d, %v, %h, %n, %m semiring(#sdp.min) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// f64 strips are 8 rows, read in pieces of 4 columns (two 4 x 4 transposes
// per piece of the strip); under #sdp.log the three-term ⊕ is one
// exp-shifted sum on whole vectors (SemiringAttrInterface::buildSum): three
// exps, a log.
// CHECK-LABEL: func @soft_dtw
// CHECK: scf.for {{.*}} step %c8
// CHECK:   scf.for {{.*}} -> (vector<8xf64>, vector<8xf64>, f64)
// CHECK:     vector.load {{.*}} : memref<{{.*}}xf64>, vector<4xf64>
// CHECK:     vector.shuffle {{.*}} [0, 4, 2, 6]
// CHECK:     vector.shuffle {{.*}} [0, 1, 4, 5]
// CHECK:     scf.for {{.*}} -> (vector<8xf64>, vector<8xf64>, f64)
// CHECK-COUNT-3: math.exp {{.*}} : vector<8xf64>
// CHECK:     math.log {{.*}} : vector<8xf64>
func.func @soft_dtw(%w: tensor<2x5x7xf64>, %n: tensor<2xi32>) -> tensor<2xf64> {
  %0 = sdp.alignment %w, %w, %w, %n, %n semiring(#sdp.log) : (tensor<2x5x7xf64>, tensor<2x5x7xf64>, tensor<2x5x7xf64>, tensor<2xi32>, tensor<2xi32>) -> tensor<2xf64>
  return %0 : tensor<2xf64>
}

// -----

// Other element types (i1 under #sdp.bool: is there a path?) go row by row,
// one row of D in a buffer, the left and upper-left cells loop-carried.
// CHECK-LABEL: func @reachable
// CHECK: %[[ROW:.*]] = memref.alloc(%{{.*}}) : memref<?xi1>
// CHECK: scf.for {{.*}} -> (i1, i1)
// CHECK:   %[[UP:.*]] = memref.load %[[ROW]]
// CHECK:   arith.ori
// CHECK:   %[[CELL:.*]] = arith.ori
// CHECK:   memref.store %[[CELL]], %[[ROW]]
// CHECK:   scf.yield %[[UP]], %[[CELL]]
func.func @reachable(%w: tensor<?x?x?xi1>, %n: tensor<?xi32>) -> tensor<?xi1> {
  %0 = sdp.alignment %w, %w, %w, %n, %n semiring(#sdp.bool) : (tensor<?x?x?xi1>, tensor<?x?x?xi1>, tensor<?x?x?xi1>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xi1>
  return %0 : tensor<?xi1>
}
