// RUN: sdp-opt %s --sdp-hoist-vector-accumulators --canonicalize --split-input-file | FileCheck %s

// The inner loop of a tiled `bk,kc->bc` reduction: the output tile's slice
// and its vector read and write do not depend on k, so the accumulator is
// read once before the loop, carried as a vector, and written once after.
// CHECK-LABEL: func @row_times_matrix
// CHECK-SAME: (%[[X:.*]]: tensor<?x?xf32>, %[[P:.*]]: tensor<?x?xf32>, %[[OUT:.*]]: tensor<?x?xf32>, %[[B:.*]]: index, %[[C:.*]]: index)
// CHECK: %[[TILE:.*]] = tensor.extract_slice %[[OUT]][%[[B]], %[[C]]] [1, 16] [1, 1]
// CHECK: %[[INIT:.*]] = vector.transfer_read %[[TILE]]
// CHECK: %[[LOOP:.*]] = scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[INIT]]) -> (vector<16xf32>)
// CHECK-NOT: tensor.insert_slice
// CHECK-NOT: vector.transfer_write
// CHECK:   %[[SUM:.*]] = arith.addf %[[ACC]], %{{.*}} : vector<16xf32>
// CHECK:   scf.yield %[[SUM]] : vector<16xf32>
// CHECK: %[[W:.*]] = vector.transfer_write %[[LOOP]], %[[TILE]]
// CHECK: tensor.insert_slice %[[W]] into %[[OUT]][%[[B]], %[[C]]] [1, 16] [1, 1]
func.func @row_times_matrix(%x: tensor<?x?xf32>, %p: tensor<?x?xf32>, %out: tensor<?x?xf32>, %b: index, %c: index) -> tensor<?x?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %k_end = tensor.dim %x, %c1 : tensor<?x?xf32>
  %r = scf.for %k = %c0 to %k_end step %c1 iter_args(%acc_tensor = %out) -> (tensor<?x?xf32>) {
    %xs = tensor.extract_slice %x[%b, %k] [1, 1] [1, 1] : tensor<?x?xf32> to tensor<1x1xf32>
    %ps = tensor.extract_slice %p[%k, %c] [1, 16] [1, 1] : tensor<?x?xf32> to tensor<1x16xf32>
    %tile = tensor.extract_slice %acc_tensor[%b, %c] [1, 16] [1, 1] : tensor<?x?xf32> to tensor<1x16xf32>
    %xv = vector.transfer_read %xs[%c0, %c0], %pad {in_bounds = [true], permutation_map = affine_map<(d0, d1) -> (0)>} : tensor<1x1xf32>, vector<16xf32>
    %pv = vector.transfer_read %ps[%c0, %c0], %pad {in_bounds = [true]} : tensor<1x16xf32>, vector<16xf32>
    %acc = vector.transfer_read %tile[%c0, %c0], %pad {in_bounds = [true]} : tensor<1x16xf32>, vector<16xf32>
    %prod = arith.mulf %xv, %pv : vector<16xf32>
    %sum = arith.addf %acc, %prod : vector<16xf32>
    %written = vector.transfer_write %sum, %tile[%c0, %c0] {in_bounds = [true]} : vector<16xf32>, tensor<1x16xf32>
    %next = tensor.insert_slice %written into %acc_tensor[%b, %c] [1, 16] [1, 1] : tensor<1x16xf32> into tensor<?x?xf32>
    scf.yield %next : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}

// -----

// A loop-invariant mask is hoisted with its transfers (masked-off lanes are
// neither read nor written in any iteration).
// CHECK-LABEL: func @invariant_mask
// CHECK: %[[INIT:.*]] = vector.transfer_read %{{.*}}, %{{.*}}, %[[M:.*]] {in_bounds = [true]}
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (vector<16xf32>)
// CHECK: vector.transfer_write %{{.*}}, %[[M]] {in_bounds = [true]}
func.func @invariant_mask(%v: vector<16xf32>, %out: tensor<1x16xf32>, %n: index, %m: vector<16xi1>) -> tensor<1x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%tile = %out) -> (tensor<1x16xf32>) {
    %acc = vector.transfer_read %tile[%c0, %c0], %pad, %m {in_bounds = [true]} : tensor<1x16xf32>, vector<16xf32>
    %sum = arith.addf %acc, %v : vector<16xf32>
    %written = vector.transfer_write %sum, %tile[%c0, %c0], %m {in_bounds = [true]} : vector<16xf32>, tensor<1x16xf32>
    scf.yield %written : tensor<1x16xf32>
  }
  return %r : tensor<1x16xf32>
}

// -----

// The partial last tile of a row: its mask is computed in the body (where
// tiling puts it) but from loop-invariant values, so it moves out first and
// the masked tile is carried in a register like a full one.
// CHECK-LABEL: func @mask_made_in_body
// CHECK: %[[M:.*]] = vector.create_mask %{{.*}} : vector<16xi1>
// CHECK: %[[INIT:.*]] = vector.transfer_read %{{.*}}, %{{.*}}, %[[M]] {in_bounds = [true]}
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]]) -> (vector<16xf32>)
// CHECK: vector.transfer_write %{{.*}}, %[[M]] {in_bounds = [true]}
func.func @mask_made_in_body(%v: vector<16xf32>, %out: tensor<1x16xf32>, %n: index, %valid: index) -> tensor<1x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%tile = %out) -> (tensor<1x16xf32>) {
    %m = vector.create_mask %valid : vector<16xi1>
    %acc = vector.transfer_read %tile[%c0, %c0], %pad, %m {in_bounds = [true]} : tensor<1x16xf32>, vector<16xf32>
    %sum = arith.addf %acc, %v : vector<16xf32>
    %written = vector.transfer_write %sum, %tile[%c0, %c0], %m {in_bounds = [true]} : vector<16xf32>, tensor<1x16xf32>
    scf.yield %written : tensor<1x16xf32>
  }
  return %r : tensor<1x16xf32>
}

// -----

// A mask that changes with the loop keeps the tile in memory.
// CHECK-LABEL: func @moving_mask
// CHECK: scf.for {{.*}} -> (tensor<1x16xf32>)
// CHECK:   vector.create_mask
// CHECK:   vector.transfer_read
// CHECK:   vector.transfer_write
func.func @moving_mask(%v: vector<16xf32>, %out: tensor<1x16xf32>, %n: index) -> tensor<1x16xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = ub.poison : f32
  %r = scf.for %k = %c0 to %n step %c1 iter_args(%tile = %out) -> (tensor<1x16xf32>) {
    %m = vector.create_mask %k : vector<16xi1>
    %acc = vector.transfer_read %tile[%c0, %c0], %pad, %m {in_bounds = [true]} : tensor<1x16xf32>, vector<16xf32>
    %sum = arith.addf %acc, %v : vector<16xf32>
    %written = vector.transfer_write %sum, %tile[%c0, %c0], %m {in_bounds = [true]} : vector<16xf32>, tensor<1x16xf32>
    scf.yield %written : tensor<1x16xf32>
  }
  return %r : tensor<1x16xf32>
}

// -----

// A read and a write whose position moves with the loop are no accumulator.
// CHECK-LABEL: func @moving_position
// CHECK: scf.for {{.*}} -> (tensor<1x64xf32>)
// CHECK:   vector.transfer_read
// CHECK:   vector.transfer_write
func.func @moving_position(%v: vector<16xf32>, %out: tensor<1x64xf32>) -> tensor<1x64xf32> {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %pad = ub.poison : f32
  %r = scf.for %i = %c0 to %c64 step %c16 iter_args(%tile = %out) -> (tensor<1x64xf32>) {
    %acc = vector.transfer_read %tile[%c0, %i], %pad {in_bounds = [true]} : tensor<1x64xf32>, vector<16xf32>
    %sum = arith.addf %acc, %v : vector<16xf32>
    %written = vector.transfer_write %sum, %tile[%c0, %i] {in_bounds = [true]} : vector<16xf32>, tensor<1x64xf32>
    scf.yield %written : tensor<1x64xf32>
  }
  return %r : tensor<1x64xf32>
}

// -----

// A dot product along the vector loop: instead of reducing 16 lanes into
// the scalar accumulator in every iteration (16 dependent adds), the loop
// carries 16 partial sums, and one reassociating reduction after the loop
// adds them to the accumulator.
// CHECK-LABEL: func @dot
// CHECK-DAG: %[[ZEROS:.*]] = arith.constant dense<-0.000000e+00> : vector<16xf32>
// CHECK: %[[LANES:.*]] = scf.for {{.*}} iter_args(%[[L:.*]] = %[[ZEROS]]) -> (vector<16xf32>)
// CHECK-NOT: vector.multi_reduction
// CHECK:   %[[P:.*]] = arith.mulf
// CHECK:   %[[S:.*]] = arith.addf %[[P]], %[[L]] : vector<16xf32>
// CHECK:   scf.yield %[[S]]
// CHECK: %[[ACC:.*]] = vector.extract %{{.*}}[0] : f32 from vector<1xf32>
// CHECK: vector.reduction <add>, %[[LANES]], %[[ACC]] fastmath<reassoc> : vector<16xf32> into f32
func.func @dot(%a: tensor<?xf32>, %b: tensor<?xf32>, %init: vector<1xf32>) -> vector<1xf32> {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %pad = ub.poison : f32
  %n = tensor.dim %a, %c0 : tensor<?xf32>
  %r = scf.for %i = %c0 to %n step %c16 iter_args(%acc = %init) -> (vector<1xf32>) {
    %x = vector.transfer_read %a[%i], %pad {in_bounds = [true]} : tensor<?xf32>, vector<16xf32>
    %y = vector.transfer_read %b[%i], %pad {in_bounds = [true]} : tensor<?xf32>, vector<16xf32>
    %p = arith.mulf %x, %y : vector<16xf32>
    %p2 = vector.shape_cast %p : vector<16xf32> to vector<1x16xf32>
    %sum = vector.multi_reduction <add>, %p2, %acc [1] : vector<1x16xf32> to vector<1xf32>
    scf.yield %sum : vector<1xf32>
  }
  return %r : vector<1xf32>
}

// -----

// The lanes of a maximum start at its identity, NaN for maxnumf.
// CHECK-LABEL: func @row_max
// CHECK-DAG: %[[NAN:.*]] = arith.constant dense<0x7FC00000> : vector<16xf32>
// CHECK: scf.for {{.*}} iter_args(%[[L:.*]] = %[[NAN]]) -> (vector<16xf32>)
// CHECK:   arith.maxnumf %{{.*}}, %[[L]] : vector<16xf32>
// CHECK: vector.reduction <maxnumf>
func.func @row_max(%a: tensor<?xf32>, %init: f32) -> f32 {
  %c0 = arith.constant 0 : index
  %c16 = arith.constant 16 : index
  %pad = ub.poison : f32
  %n = tensor.dim %a, %c0 : tensor<?xf32>
  %r = scf.for %i = %c0 to %n step %c16 iter_args(%acc = %init) -> (f32) {
    %x = vector.transfer_read %a[%i], %pad {in_bounds = [true]} : tensor<?xf32>, vector<16xf32>
    %m = vector.multi_reduction <maxnumf>, %x, %acc [0] : vector<16xf32> to f32
    scf.yield %m : f32
  }
  return %r : f32
}
