// RUN: sdp-opt %s --convert-sdp-to-gpu --canonicalize --cse | FileCheck %s

// A bare contraction: one thread per result element. Its flat index gives
// the result coordinates (row-major), the thread folds over the reduced
// letters reading each input at its letters' coordinates; under #sdp.log a
// max pass, then one sum of exps and one log.
// CHECK-LABEL: func @log_matmul
// CHECK-COUNT-2: gpu.memcpy
// CHECK-DAG: %[[N:.*]] = arith.muli %[[I:.*]], %[[J:.*]] : index
// CHECK-DAG: %[[OUT:.*]] = gpu.alloc (%[[I]], %[[J]]) : memref<?x?xf32>
// CHECK: %[[BLOCKS:.*]] = arith.ceildivui %[[N]], %c256
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %[[BLOCKS]], {{.*}}) threads({{.*}}) in ({{.*}} = %c256
// CHECK:   scf.if
// CHECK:     %[[COL:.*]] = arith.remui %{{.*}}, %[[J]]
// CHECK:     %[[ROW:.*]] = arith.divui %{{.*}}, %[[J]]
// CHECK:     scf.for
// CHECK:       arith.addf
// CHECK:       arith.maxnumf
// CHECK:     scf.for
// CHECK:       math.exp
// CHECK:     math.log
// CHECK:     memref.store %{{.*}}, %[[OUT]][%[[ROW]], %[[COL]]]
// CHECK: gpu.memcpy %{{.*}}, %[[OUT]]
func.func @log_matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %c = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.log)
         : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %c : tensor<?x?xf32>
}

// A selective semiring with one reduced letter keeps the witness: the first
// position that reached the maximum.
// CHECK-LABEL: func @row_argmax
// CHECK: %[[M:.*]] = gpu.alloc ({{.*}}) : memref<?xf64>
// CHECK: %[[W:.*]] = gpu.alloc ({{.*}}) : memref<?xi32>
// CHECK: gpu.launch
// CHECK:   scf.for {{.*}} iter_args({{.*}}) -> (f64, index)
// CHECK:     arith.maxnumf
// CHECK:     arith.cmpf oeq
// CHECK:     arith.select
// CHECK:   memref.store {{.*}}, %[[M]]
// CHECK:   memref.store {{.*}}, %[[W]]
// CHECK-COUNT-2: gpu.memcpy
func.func @row_argmax(%x: tensor<?x?xf64>) -> (tensor<?xf64>, tensor<?xi32>) {
  %m, %at = sdp.contract "bk->b" %x semiring(#sdp.max)
              : (tensor<?x?xf64>) -> (tensor<?xf64>, tensor<?xi32>)
  return %m, %at : tensor<?xf64>, tensor<?xi32>
}

// A repeated letter reads the diagonal; a scalar result is one thread's.
// CHECK-LABEL: func @trace
// CHECK: %[[T:.*]] = gpu.alloc () : memref<f32>
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1
// CHECK:   scf.for %[[K:.*]] = {{.*}} iter_args
// CHECK:     memref.load %{{.*}}[%[[K]], %[[K]]]
// CHECK:     arith.addf
// CHECK:   memref.store %{{.*}}, %[[T]][]
func.func @trace(%a: tensor<?x?xf32>) -> tensor<f32> {
  %t = sdp.contract "ii->" %a semiring(#sdp.real) : (tensor<?x?xf32>) -> tensor<f32>
  return %t : tensor<f32>
}

// Nothing reduced: each element is the bare product (no fold from 0̄, so a
// NaN stays NaN under max as on the CPU).
// CHECK-LABEL: func @pointwise
// CHECK: gpu.launch
// CHECK-NOT: scf.for
// CHECK-NOT: arith.maxnumf
// CHECK: arith.addf
// CHECK: memref.store
// CHECK: gpu.terminator
func.func @pointwise(%a: tensor<?xf32>, %b: tensor<?xf32>) -> tensor<?xf32> {
  %c = sdp.contract "b,b->b" %a, %b semiring(#sdp.max) : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
  return %c : tensor<?xf32>
}
