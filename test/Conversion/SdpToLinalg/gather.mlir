// RUN: sdp-opt %s --convert-sdp-to-linalg | FileCheck %s

// One parallel generic over the result's letters: the indices are its
// input, the source is read with tensor.extract at the clamped position.

// CHECK-LABEL: func @gather
// CHECK-SAME: (%[[SRC:[a-z0-9_]+]]: tensor<?x?x?xf32>, %[[IDX:[a-z0-9_]+]]: tensor<?x?xi32>)
// CHECK: %[[V:[a-z0-9_]+]] = tensor.dim %[[SRC]], %c2 : tensor<?x?x?xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDX]] : tensor<?x?xi32>)
// CHECK: ^bb0(%[[I:[a-z0-9_]+]]: i32, %{{.*}}: f32):
// CHECK:   %[[B:[a-z0-9_]+]] = linalg.index 0 : index
// CHECK:   %[[T:[a-z0-9_]+]] = linalg.index 1 : index
// CHECK:   %[[POS:[a-z0-9_]+]] = arith.index_cast %[[I]] : i32 to index
// CHECK:   %[[LOW:[a-z0-9_]+]] = arith.maxsi %[[POS]], %{{.*}} : index
// CHECK:   %[[LAST:[a-z0-9_]+]] = arith.subi %[[V]], %{{.*}} : index
// CHECK:   %[[CLAMPED:[a-z0-9_]+]] = arith.minsi %[[LOW]], %[[LAST]] : index
// CHECK:   %[[X:[a-z0-9_]+]] = tensor.extract %[[SRC]][%[[B]], %[[T]], %[[CLAMPED]]] : tensor<?x?x?xf32>
// CHECK:   linalg.yield %[[X]] : f32
func.func @gather(%source: tensor<?x?x?xf32>, %indices: tensor<?x?xi32>) -> tensor<?x?x?xf32> {
  %0 = sdp.gather "btv,bs->bts" %source, %indices : (tensor<?x?x?xf32>, tensor<?x?xi32>) -> tensor<?x?x?xf32>
  return %0 : tensor<?x?x?xf32>
}
