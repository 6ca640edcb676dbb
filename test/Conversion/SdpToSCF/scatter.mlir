// RUN: sdp-opt %s --convert-sdp-to-scf | FileCheck %s

// A loop nest over the values threads the result through: read the index,
// clamp it, ⊕-add the value into the element it selects.

// CHECK-LABEL: func @scatter_add
// CHECK-SAME: (%[[VALS:[a-z0-9_]+]]: tensor<?x?x?xf32>, %[[IDX:[a-z0-9_]+]]: tensor<?x?xi32>, %[[INIT:[a-z0-9_]+]]: tensor<?x?x?xf32>)
// CHECK: scf.for %[[B:[a-z0-9_]+]] = {{.*}} iter_args(%{{.*}} = %[[INIT]])
// CHECK:   scf.for %[[T:[a-z0-9_]+]] =
// CHECK:     scf.for %[[S:[a-z0-9_]+]] = {{.*}} iter_args(%[[ACC:[a-z0-9_]+]] = %{{.*}})
// CHECK:       %[[I:[a-z0-9_]+]] = tensor.extract %[[IDX]][%[[B]], %[[S]]] : tensor<?x?xi32>
// CHECK:       %[[V:[a-z0-9_]+]] = arith.minsi
// CHECK:       %[[X:[a-z0-9_]+]] = tensor.extract %[[VALS]][%[[B]], %[[T]], %[[S]]]
// CHECK:       %[[OLD:[a-z0-9_]+]] = tensor.extract %[[ACC]][%[[B]], %[[T]], %[[V]]]
// CHECK:       %[[NEW:[a-z0-9_]+]] = arith.addf %[[OLD]], %[[X]] fastmath<contract> : f32
// CHECK:       %[[W:[a-z0-9_]+]] = tensor.insert %[[NEW]] into %[[ACC]][%[[B]], %[[T]], %[[V]]]
// CHECK:       scf.yield %[[W]]
func.func @scatter_add(%values: tensor<?x?x?xf32>, %indices: tensor<?x?xi32>, %init: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %0 = sdp.scatter "btv,bs->bts" %values, %indices into %init semiring(#sdp.real) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}

// Under #sdp.max the largest value wins.
// CHECK-LABEL: func @scatter_max
// CHECK: arith.maxnumf
func.func @scatter_max(%values: tensor<4x3xf32>, %indices: tensor<3xi64>, %init: tensor<4x7xf32>) -> tensor<4x7xf32> {
  %0 = sdp.scatter "bv,s->bs" %values, %indices into %init semiring(#sdp.max) : (tensor<4x3xf32>, tensor<3xi64>, tensor<4x7xf32>) -> tensor<4x7xf32>
  return %0 : tensor<4x7xf32>
}
