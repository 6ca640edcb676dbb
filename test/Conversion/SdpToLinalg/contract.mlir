// RUN: sdp-opt %s --convert-sdp-to-linalg --split-input-file | FileCheck %s

// A log-semiring matrix product: result letters are parallel, the reduced
// letter is a reduction, the accumulator starts at 0̄ = -inf and the body is
// acc ⊕ (a ⊗ b) with one exp per term.

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[R:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func @log_matmul
// CHECK-SAME: (%[[ARG0:.*]]: tensor<?x?xf32>, %[[ARG1:.*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[D0:.*]] = tensor.dim %[[ARG0]], %[[C0]]
// CHECK-DAG: %[[D1:.*]] = tensor.dim %[[ARG1]], %[[C1]]
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[D0]], %[[D1]]) : tensor<?x?xf32>
// CHECK: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[FILL:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[EMPTY]] : tensor<?x?xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[R]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[ARG0]], %[[ARG1]] : tensor<?x?xf32>, tensor<?x?xf32>) outs(%[[FILL]] : tensor<?x?xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[PROD:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:   %[[HI:.*]] = arith.maximumf %[[ACC]], %[[PROD]]
// CHECK:   %[[LO:.*]] = arith.minimumf %[[ACC]], %[[PROD]]
// CHECK:   %[[DIFF:.*]] = arith.subf %[[LO]], %[[HI]]
// CHECK:   %[[EXP:.*]] = math.exp %[[DIFF]]
// CHECK-NOT: math.exp
// CHECK:   %[[LOG:.*]] = math.log1p %[[EXP]]
// CHECK:   %[[SUM:.*]] = arith.addf %[[HI]], %[[LOG]]
// CHECK:   %[[ISNEGINF:.*]] = arith.cmpf oeq, %[[HI]]
// CHECK:   %[[SEL:.*]] = arith.select %[[ISNEGINF]], %[[HI]], %[[SUM]]
// CHECK:   linalg.yield %[[SEL]] : f32
func.func @log_matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = sdp.contract "bk,kc->bc" %a, %b semiring(#sdp.log) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func @max_three_factors
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: ^bb0(%[[P:.*]]: f32, %[[T:.*]]: f32, %[[E:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[PT:.*]] = arith.addf %[[P]], %[[T]]
// CHECK:   %[[PTE:.*]] = arith.addf %[[PT]], %[[E]]
// CHECK:   %[[MAX:.*]] = arith.maximumf %[[ACC]], %[[PTE]]
// CHECK:   linalg.yield %[[MAX]]
func.func @max_three_factors(%p: tensor<?x?xf32>, %t: tensor<?x?xf32>, %e: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = sdp.contract "bk,kc,bc->bc" %p, %t, %e semiring(#sdp.max) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// CHECK-LABEL: func @min_reduce_all
// CHECK: %[[INF:.*]] = arith.constant 0x7FF0000000000000 : f64
// CHECK: linalg.fill ins(%[[INF]] : f64) outs(%{{.*}} : tensor<f64>)
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["reduction", "reduction"]}
// CHECK:   arith.minimumf
func.func @min_reduce_all(%a: tensor<3x5xf64>) -> tensor<f64> {
  %0 = sdp.contract "ij->" %a semiring(#sdp.min) : (tensor<3x5xf64>) -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

// CHECK-LABEL: func @real_matmul
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: linalg.fill ins(%[[ZERO]] : f32)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[M:.*]] = arith.mulf %[[X]], %[[Y]]
// CHECK:   %[[S:.*]] = arith.addf %[[ACC]], %[[M]]
// CHECK:   linalg.yield %[[S]]
func.func @real_matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.real) : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// A pure product writes every element, so it needs no 0̄ fill.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0) -> (d0)>
// CHECK-LABEL: func @bool_product
// CHECK-NOT: linalg.fill
// CHECK: %[[EMPTY:.*]] = tensor.empty() : tensor<4xi1>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel"]}
// CHECK-SAME: outs(%[[EMPTY]] : tensor<4xi1>)
// CHECK:   %[[AND:.*]] = arith.andi
// CHECK:   linalg.yield %[[AND]] : i1
func.func @bool_product(%p: tensor<4xi1>, %q: tensor<4xi1>) -> tensor<4xi1> {
  %0 = sdp.contract "i,i->i" %p, %q semiring(#sdp.bool) : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>
  return %0 : tensor<4xi1>
}

// -----

// CHECK-LABEL: func @bool_reachability
// CHECK: %[[FALSE:.*]] = arith.constant false
// CHECK: linalg.fill ins(%[[FALSE]] : i1)
// CHECK:   arith.andi
// CHECK:   arith.ori
func.func @bool_reachability(%p: tensor<4x4xi1>, %q: tensor<4x4xi1>) -> tensor<4x4xi1> {
  %0 = sdp.contract "ik,kj->ij" %p, %q semiring(#sdp.bool) : (tensor<4x4xi1>, tensor<4x4xi1>) -> tensor<4x4xi1>
  return %0 : tensor<4x4xi1>
}

// -----

// A repeated letter reads a diagonal; a transposed result permutes the map.
// CHECK-DAG: #[[DIAG:.*]] = affine_map<(d0) -> (d0, d0)>
// CHECK-LABEL: func @diagonal
// CHECK: linalg.generic {indexing_maps = [#[[DIAG]], #{{.*}}], iterator_types = ["parallel"]}
func.func @diagonal(%a: tensor<5x5xf32>) -> tensor<5xf32> {
  %0 = sdp.contract "ii->i" %a semiring(#sdp.real) : (tensor<5x5xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
