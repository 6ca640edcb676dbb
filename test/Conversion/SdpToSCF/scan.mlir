// RUN: sdp-opt %s --convert-sdp-to-scf --split-input-file | FileCheck %s

// CHECK-LABEL: func @forward
// CHECK-SAME: (%[[INIT:.*]]: tensor<?x?xf32>, %[[XS:.*]]: tensor<?x?x?xf32>, %[[T:.*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[N:.*]] = tensor.dim %[[XS]], %[[C1]]
// CHECK: %[[R:.*]] = scf.for %[[IV:.*]] = %[[C0]] to %[[N]] step %[[C1]] iter_args(%[[PREV:.*]] = %[[INIT]]) -> (tensor<?x?xf32>) {
// CHECK:   %[[SLICE:.*]] = tensor.extract_slice %[[XS]][0, %[[IV]], 0] [%{{.*}}, 1, %{{.*}}] [1, 1, 1] : tensor<?x?x?xf32> to tensor<?x?xf32>
// CHECK:   %[[NEXT:.*]] = sdp.contract "bk,kc,bc->bc" %[[PREV]], %[[T]], %[[SLICE]]
// CHECK:   scf.yield %[[NEXT]] : tensor<?x?xf32>
// CHECK: }
// CHECK: return %[[R]]
func.func @forward(%alpha0: tensor<?x?xf32>, %emissions: tensor<?x?x?xf32>, %trans: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %alpha = sdp.scan along 1 init(%alpha0 : tensor<?x?xf32>) over(%emissions : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %trans, %emit semiring(#sdp.log) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  return %alpha : tensor<?x?xf32>
}

// -----

// A reverse scan visits t = N-1-i and passes t to the body.
// CHECK-LABEL: func @reverse_with_index
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK: %[[N:.*]] = tensor.dim %{{.*}}, %{{.*}} : tensor<10x3xf32>
// CHECK: %[[LAST:.*]] = arith.subi %[[N]], %[[C1]]
// CHECK: scf.for %[[IV:.*]] = %[[C0]] to %[[N]] step %[[C1]] iter_args(%[[S:.*]] = %{{.*}}, %[[K:.*]] = %{{.*}}) -> (tensor<3xf32>, tensor<10xindex>)
// CHECK:   %[[STEP:.*]] = arith.subi %[[LAST]], %[[IV]]
// CHECK:   %[[X:.*]] = tensor.extract_slice %{{.*}}[%[[STEP]], 0] [1, 3] [1, 1] : tensor<10x3xf32> to tensor<3xf32>
// CHECK:   sdp.contract "i,i->i" %[[S]], %[[X]]
// CHECK:   tensor.insert %[[STEP]] into %[[K]][%[[STEP]]]
// CHECK:   scf.yield
func.func @reverse_with_index(%s0: tensor<3xf32>, %k0: tensor<10xindex>, %xs: tensor<10x3xf32>) -> (tensor<3xf32>, tensor<10xindex>) {
  %r:2 = sdp.scan reverse along 0 init(%s0, %k0 : tensor<3xf32>, tensor<10xindex>) over(%xs : tensor<10x3xf32>) -> (tensor<3xf32>, tensor<10xindex>) {
  ^bb0(%t: index, %s: tensor<3xf32>, %k: tensor<10xindex>, %x: tensor<3xf32>):
    %n = sdp.contract "i,i->i" %s, %x semiring(#sdp.real) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    %k2 = tensor.insert %t into %k[%t] : tensor<10xindex>
    sdp.yield %n, %k2 : tensor<3xf32>, tensor<10xindex>
  }
  return %r#0, %r#1 : tensor<3xf32>, tensor<10xindex>
}

// -----

// Nested scans lower from the inside out.
// CHECK-LABEL: func @nested
// CHECK: scf.for
// CHECK:   scf.for
// CHECK-NOT: sdp.scan
func.func @nested(%s0: tensor<3xf32>, %xs: tensor<4x5x3xf32>) -> tensor<3xf32> {
  %r = sdp.scan along 0 init(%s0 : tensor<3xf32>) over(%xs : tensor<4x5x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %s: tensor<3xf32>, %row: tensor<5x3xf32>):
    %inner = sdp.scan along 0 init(%s : tensor<3xf32>) over(%row : tensor<5x3xf32>) -> (tensor<3xf32>) {
    ^bb1(%u: index, %si: tensor<3xf32>, %x: tensor<3xf32>):
      %n = sdp.contract "i,i->i" %si, %x semiring(#sdp.max) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
      sdp.yield %n : tensor<3xf32>
    }
    sdp.yield %inner : tensor<3xf32>
  }
  return %r : tensor<3xf32>
}
