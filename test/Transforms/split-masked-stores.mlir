// RUN: sdp-opt %s --sdp-split-masked-stores --split-input-file | FileCheck %s

// A 16-lane f32 write under a prefix mask of %n lanes: the bound clamped to
// [0, 16], each 8-lane piece stored whole when the prefix covers it, the
// lanes after the last whole piece stored one by one.
// CHECK-LABEL: func @prefix_f32
// CHECK-SAME: (%[[V:.*]]: vector<16xf32>, %[[M:.*]]: memref<?x?xf32>, %[[I:.*]]: index, %[[J:.*]]: index, %[[N:.*]]: index)
// CHECK: %[[LO:.*]] = arith.maxsi %[[N]], %c0
// CHECK: %[[LANES:.*]] = arith.minsi %[[LO]], %c16
// CHECK: %[[FIRST:.*]] = arith.cmpi sge, %[[LANES]], %c8
// CHECK: scf.if %[[FIRST]] {
// CHECK:   %[[P0:.*]] = vector.extract_strided_slice %[[V]] {offsets = [0], sizes = [8], strides = [1]}
// CHECK:   vector.transfer_write %[[P0]], %[[M]][%[[I]], %{{.*}}] {in_bounds = [true]} : vector<8xf32>, memref<?x?xf32>
// CHECK: }
// CHECK: %[[SECOND:.*]] = arith.cmpi sge, %[[LANES]], %c16
// CHECK: scf.if %[[SECOND]] {
// CHECK:   vector.extract_strided_slice %[[V]] {offsets = [8], sizes = [8], strides = [1]}
// CHECK:   vector.transfer_write
// CHECK: }
// CHECK: %[[WHOLE:.*]] = arith.divui %[[LANES]], %c8
// CHECK: %[[TAIL:.*]] = arith.muli %[[WHOLE]], %c8
// CHECK: scf.for %[[K:.*]] = %[[TAIL]] to %[[LANES]]
// CHECK:   %[[E:.*]] = vector.extract %[[V]][%[[K]]] : f32 from vector<16xf32>
// CHECK:   %[[AT:.*]] = arith.addi %[[J]], %[[K]]
// CHECK:   memref.store %[[E]], %[[M]][%[[I]], %[[AT]]]
// CHECK-NOT: vector.transfer_write
func.func @prefix_f32(%v: vector<16xf32>, %m: memref<?x?xf32>, %i: index, %j: index, %n: index) {
  %mask = vector.create_mask %n : vector<16xi1>
  vector.transfer_write %v, %m[%i, %j], %mask {in_bounds = [true]} : vector<16xf32>, memref<?x?xf32>
  return
}

// -----

// f64 pieces are 4 lanes: an 8-lane write has two.
// CHECK-LABEL: func @prefix_f64
// CHECK-COUNT-2: vector.transfer_write {{.*}} : vector<4xf64>, memref<?xf64>
// CHECK: scf.for
// CHECK:   memref.store
func.func @prefix_f64(%v: vector<8xf64>, %m: memref<?xf64>, %j: index, %n: index) {
  %mask = vector.create_mask %n : vector<8xi1>
  vector.transfer_write %v, %m[%j], %mask {in_bounds = [true]} : vector<8xf64>, memref<?xf64>
  return
}

// -----

// Left alone: unmasked writes, masks that are not a create_mask prefix,
// writes that may run out of bounds, writes into tensors.
// CHECK-LABEL: func @untouched
// CHECK-COUNT-4: vector.transfer_write
// CHECK-NOT: scf.for
func.func @untouched(%v: vector<16xf32>, %m: memref<?xf32>, %j: index, %n: index, %mask: vector<16xi1>, %t: tensor<?xf32>) -> tensor<?xf32> {
  vector.transfer_write %v, %m[%j] {in_bounds = [true]} : vector<16xf32>, memref<?xf32>
  vector.transfer_write %v, %m[%j], %mask {in_bounds = [true]} : vector<16xf32>, memref<?xf32>
  %prefix = vector.create_mask %n : vector<16xi1>
  vector.transfer_write %v, %m[%j], %prefix : vector<16xf32>, memref<?xf32>
  %r = vector.transfer_write %v, %t[%j], %prefix {in_bounds = [true]} : vector<16xf32>, tensor<?xf32>
  return %r : tensor<?xf32>
}
