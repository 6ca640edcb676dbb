// RUN: sdp-opt %s --convert-sdp-to-scf --split-input-file | FileCheck %s

// log|det| eliminates a copy of the matrices: per matrix and pivot column,
// the largest |x[i, k]| (i >= k) is the pivot; a zero pivot skips the
// elimination (log 0 = -inf); rows below k lose a multiple of row k, 16
// lanes at a time, then a scalar tail.
// CHECK-LABEL: func @logdet
// CHECK: %[[X:.*]] = memref.alloc(%{{.*}}, %{{.*}}, %{{.*}}) : memref<?x?x?xf32>
// CHECK: memref.copy %{{.*}}, %[[X]]
// CHECK: scf.for %[[B:.*]] =
// CHECK:   scf.for %[[K:.*]] = {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (f32)
// CHECK:     scf.for {{.*}} -> (f32, index)
// CHECK:       math.absf
// CHECK:     arith.cmpf one
// CHECK:     scf.if
// CHECK:       scf.for
// CHECK:         arith.divf
// CHECK:         vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK:         scf.for
// CHECK:           vector.load %[[X]][%[[B]], %[[K]], %{{.*}}] : memref<?x?x?xf32>, vector<16xf32>
// CHECK:           arith.mulf %{{.*}} : vector<16xf32>
// CHECK:           arith.subf %{{.*}} : vector<16xf32>
// CHECK:           vector.store
// CHECK:         scf.for
// CHECK:           memref.load
// CHECK:     math.log
// CHECK: bufferization.to_tensor
func.func @logdet(%a: tensor<?x?x?xf32>) -> tensor<?xf32> {
  %r = sdp.logdet %a : tensor<?x?x?xf32> -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// The inverse: Gauss-Jordan on the copy and on an identity that receives
// the same row swaps, scalings and updates (8 lanes of f64).
// CHECK-LABEL: func @inverse
// CHECK: %[[X:.*]] = memref.alloc() : memref<2x5x5xf64>
// CHECK: memref.copy
// CHECK: %[[INV:.*]] = memref.alloc() : memref<2x5x5xf64>
// CHECK: arith.cmpi eq
// CHECK: memref.store %{{.*}}, %[[INV]]
// CHECK: scf.for
// CHECK:   scf.for %[[K:.*]] =
// CHECK:     scf.if
// CHECK:     arith.divf
// CHECK:     scf.if
// CHECK:       vector.load %[[X]]{{.*}} : memref<2x5x5xf64>, vector<8xf64>
// CHECK:       vector.load %[[INV]]{{.*}} : memref<2x5x5xf64>, vector<8xf64>
// CHECK: bufferization.to_tensor %[[INV]]
func.func @inverse(%a: tensor<2x5x5xf64>) -> tensor<2x5x5xf64> {
  %r = sdp.inverse %a : tensor<2x5x5xf64> -> tensor<2x5x5xf64>
  return %r : tensor<2x5x5xf64>
}
