// RUN: sdp-opt %s --convert-sdp-to-linalg --split-input-file | FileCheck %s

// A log-semiring matrix product is computed exp-shifted: the max of the
// products, then Σ exp(product - max) with one exp per term, then
// max + log(sum). An infinite max shifts by 0 (the sum is that infinity). Result letters are parallel, the reduced letter reduces.

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[R:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func @log_matmul
// CHECK-SAME: (%[[ARG0:.*]]: tensor<?x?xf32>, %[[ARG1:.*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-DAG: %[[POSINF:.*]] = arith.constant 0x7F800000 : f32
// CHECK-DAG: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[D0:.*]] = tensor.dim %[[ARG0]], %[[C0]]
// CHECK-DAG: %[[D1:.*]] = tensor.dim %[[ARG1]], %[[C1]]
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[D0]], %[[D1]]) : tensor<?x?xf32>
// CHECK: %[[MAXINIT:.*]] = linalg.fill ins(%[[NEGINF]] : f32) outs(%[[EMPTY]] : tensor<?x?xf32>)
// CHECK: %[[MAX:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[R]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[ARG0]], %[[ARG1]] : tensor<?x?xf32>, tensor<?x?xf32>) outs(%[[MAXINIT]] : tensor<?x?xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[PROD:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:   %[[M:.*]] = arith.maxnumf %[[ACC]], %[[PROD]]
// CHECK:   linalg.yield %[[M]]
// CHECK: %[[SHIFT:.*]] = linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[MAX]] : tensor<?x?xf32>)
// CHECK:   %[[ISNEGINF:.*]] = arith.cmpf oeq, %{{.*}}, %[[NEGINF]]
// CHECK:   %[[ISPOSINF:.*]] = arith.cmpf oeq, %{{.*}}, %[[POSINF]]
// CHECK:   %[[INFINITE:.*]] = arith.ori %[[ISNEGINF]], %[[ISPOSINF]]
// CHECK:   arith.select %[[INFINITE]], %[[ZERO]], %{{.*}}
// CHECK: %[[SUMINIT:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[EMPTY]] : tensor<?x?xf32>)
// CHECK: %[[SUM:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[R]], #[[R]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[ARG0]], %[[ARG1]], %[[SHIFT]] : {{.*}}) outs(%[[SUMINIT]] : tensor<?x?xf32>)
// CHECK: ^bb0(%[[X2:.*]]: f32, %[[Y2:.*]]: f32, %[[S:.*]]: f32, %[[ACC2:.*]]: f32):
// CHECK:   %[[PROD2:.*]] = arith.addf %[[X2]], %[[Y2]] : f32
// CHECK:   %[[SHIFTED:.*]] = arith.subf %[[PROD2]], %[[S]]
// CHECK:   %[[EXP:.*]] = math.exp %[[SHIFTED]]
// CHECK-NOT: math.exp
// CHECK:   %[[NEXT:.*]] = arith.addf %[[ACC2]], %[[EXP]]
// CHECK:   linalg.yield %[[NEXT]]
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]} ins(%[[SHIFT]], %[[SUM]] : {{.*}})
// CHECK:   %[[LOG:.*]] = math.log
// CHECK:   arith.addf %{{.*}}, %[[LOG]]
// CHECK-NOT: math.exp
// CHECK: return
func.func @log_matmul(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %0 = sdp.contract "bk,kc->bc" %a, %b semiring(#sdp.log) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %0 : tensor<?x?xf32>
}

// -----

// A log-semiring product without reduction is a plain sum.
// CHECK-LABEL: func @log_no_reduction
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic
// CHECK:   arith.addf
// CHECK-NOT: math.exp
func.func @log_no_reduction(%a: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = sdp.contract "bc,c->bc" %a, %b semiring(#sdp.log) : (tensor<4x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A witness is a second i32 output: the reduced position that ⊕ selected.
// CHECK-LABEL: func @max_with_witness
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[VALS:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK: %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK: %[[POS:.*]] = linalg.fill ins(%[[ZERO]] : i32)
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: outs(%[[VALS]], %[[POS]] : tensor<?x?xf32>, tensor<?x?xi32>)
// CHECK: ^bb0(%[[P:.*]]: f32, %[[T:.*]]: f32, %[[ACC:.*]]: f32, %[[ACCPOS:.*]]: i32):
// CHECK:   %[[PROD:.*]] = arith.addf %[[P]], %[[T]]
// CHECK:   %[[NEXT:.*]] = arith.maxnumf %[[ACC]], %[[PROD]]
// CHECK:   %[[KEPT:.*]] = arith.cmpf oeq, %[[NEXT]], %[[ACC]]
// CHECK:   %[[K:.*]] = linalg.index 2 : index
// CHECK:   %[[K32:.*]] = arith.index_cast %[[K]] : index to i32
// CHECK:   %[[NEXTPOS:.*]] = arith.select %[[KEPT]], %[[ACCPOS]], %[[K32]]
// CHECK:   linalg.yield %[[NEXT]], %[[NEXTPOS]] : f32, i32
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @max_with_witness(%p: tensor<?x?xf32>, %t: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xi32>) {
  %0, %1 = sdp.contract "bk,kc->bc" %p, %t semiring(#sdp.max) : (tensor<?x?xf32>, tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xi32>)
  return %0, %1 : tensor<?x?xf32>, tensor<?x?xi32>
}

// -----

// CHECK-LABEL: func @max_three_factors
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: ^bb0(%[[P:.*]]: f32, %[[T:.*]]: f32, %[[E:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[PT:.*]] = arith.addf %[[P]], %[[T]]
// CHECK:   %[[PTE:.*]] = arith.addf %[[PT]], %[[E]]
// CHECK:   %[[MAX:.*]] = arith.maxnumf %[[ACC]], %[[PTE]]
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
// CHECK:   arith.minnumf
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
