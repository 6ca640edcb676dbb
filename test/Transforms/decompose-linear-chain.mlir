// RUN: sdp-opt %s --sdp-decompose-named-ops --split-input-file | FileCheck %s

// Log semiring, factored potentials: the real-arithmetic form. exp of the
// transitions is computed once, outside the scan; each step is a max, one
// exp per state, a real matrix product and one log per state.

// CHECK-LABEL: func @log_factored
// CHECK-SAME: (%[[EM:.*]]: tensor<?x?x?xf32>, %[[TR:.*]]: tensor<?x?xf32>, %[[START:.*]]: tensor<?xf32>, %[[END:.*]]: tensor<?xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: %[[FIRST:.*]] = tensor.extract_slice %[[EM]][0, 0, 0] [%{{.*}}, 1, %{{.*}}] [1, 1, 1] : tensor<?x?x?xf32> to tensor<?x?xf32>
// CHECK: %[[ALPHA0:.*]] = sdp.contract "c,bc->bc" %[[START]], %[[FIRST]] semiring(#sdp.log)
// CHECK: %[[REST:.*]] = tensor.extract_slice %[[EM]][0, 1, 0]
// The widest spread of a transition column picks the form at run time.
// CHECK: sdp.contract "kc->c" %[[TR]] semiring(#sdp.max)
// CHECK: sdp.contract "kc->c" %{{.*}} semiring(#sdp.min)
// CHECK: %[[WIDEST:.*]] = sdp.contract "c->" %{{.*}} semiring(#sdp.max)
// CHECK: %[[SPREAD:.*]] = tensor.extract %[[WIDEST]][]
// CHECK: %[[EXACT:.*]] = arith.cmpf ole, %[[SPREAD]], %{{.*}} : f32
// CHECK: %[[ALPHA:.*]] = scf.if %[[EXACT]] -> (tensor<?x?xf32>) {
// The shifts cancel in the result: marked for the adjoint to skip.
// CHECK: %[[COLMAX:.*]] = sdp.contract "kc->c" %[[TR]] semiring(#sdp.max) {sdp.no_gradient}
// CHECK: %[[COLSHIFT:.*]] = linalg.generic {{.*}} ins(%[[COLMAX]]
// CHECK: %[[P:.*]] = linalg.generic {{.*}} ins(%[[TR]], %[[COLSHIFT]]
// CHECK:   math.exp
// CHECK: %[[REAL:.*]] = sdp.scan along 1 init(%[[ALPHA0]] : tensor<?x?xf32>) over(%[[REST]] : tensor<?x?x?xf32>)
// CHECK: ^bb0(%[[T:.*]]: index, %[[PREV:.*]]: tensor<?x?xf32>, %[[EMIT:.*]]: tensor<?x?xf32>):
// CHECK:   %[[ROWMAX:.*]] = sdp.contract "bk->b" %[[PREV]] semiring(#sdp.max) {sdp.no_gradient}
// CHECK:   %[[ROWSHIFT:.*]] = linalg.generic {{.*}} ins(%[[ROWMAX]]
// CHECK:   %[[SCALED:.*]] = linalg.generic {{.*}} ins(%[[PREV]], %[[ROWSHIFT]]
// CHECK:     math.exp
// CHECK:   %[[SUMS:.*]] = sdp.contract "bk,kc->bc" %[[SCALED]], %[[P]] semiring(#sdp.real)
// CHECK:   %[[POS:.*]] = arith.addi %[[T]], %{{.*}} : index
// CHECK:   %[[POS32:.*]] = arith.index_cast %[[POS]] : index to i32
// CHECK:   %[[NEXT:.*]] = linalg.generic {{.*}} ins(%[[SUMS]], %[[ROWSHIFT]], %[[COLSHIFT]], %[[EMIT]], %[[PREV]], %[[LEN]]
// CHECK:     math.log
// CHECK:     %[[ACTIVE:.*]] = arith.cmpi slt, %[[POS32]]
// CHECK:     arith.select %[[ACTIVE]]
// CHECK:   sdp.yield %[[NEXT]]
// CHECK: scf.yield %[[REAL]]
// CHECK: } else {
// CHECK:   sdp.contract "bk,kc,bc->bc" %{{.*}}, %[[TR]], %{{.*}} semiring(#sdp.log)
// CHECK: %[[LOGZ:.*]] = sdp.contract "bc,c->b" %[[ALPHA]], %[[END]] semiring(#sdp.log)
// CHECK: return %[[LOGZ]]
func.func @log_factored(%em: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %len: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.linear_chain %em, %tr, %start, %end, %len semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Full potentials: each step scans the edges too and contracts them directly.
// CHECK-LABEL: func @log_full
// CHECK-SAME: (%[[EM:.*]]: tensor<?x?x?xf32>, %[[EDGES:.*]]: tensor<?x?x?x?xf32>
// CHECK-NOT: "kc->c"
// CHECK: sdp.scan along 1 init(%{{.*}} : tensor<?x?xf32>) over(%{{.*}}, %[[EDGES]] : tensor<?x?x?xf32>, tensor<?x?x?x?xf32>)
// CHECK: ^bb0(%{{.*}}: index, %[[PREV:.*]]: tensor<?x?xf32>, %[[EMIT:.*]]: tensor<?x?xf32>, %[[EDGE:.*]]: tensor<?x?x?xf32>):
// CHECK:   sdp.contract "bk,bkc,bc->bc" %[[PREV]], %[[EDGE]], %[[EMIT]] semiring(#sdp.log)
// CHECK:   linalg.generic
// CHECK:     arith.select
// CHECK:   sdp.yield
// CHECK: sdp.contract "bc,c->b" {{.*}} semiring(#sdp.log)
func.func @log_full(%em: tensor<?x?x?xf32>, %edges: tensor<?x?x?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %len: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.linear_chain %em, %edges, %start, %end, %len semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Any other semiring keeps the generic recursion, static shapes included.
// CHECK-LABEL: func @min_static
// CHECK: tensor.cast %{{.*}} : tensor<2x5x3xf32> to tensor<?x?x?xf32>
// CHECK: sdp.scan along 1
// CHECK:   sdp.contract "bk,kc,bc->bc" {{.*}} semiring(#sdp.min)
// CHECK: %[[R:.*]] = sdp.contract "bc,c->b" {{.*}} semiring(#sdp.min)
// A sequence that reads a NaN score gets a NaN score (min drops NaN
// operands): i1 flags or-reduced under #sdp.bool, then a select.
// CHECK: arith.cmpf uno
// CHECK: sdp.contract "btc->b" {{.*}} semiring(#sdp.bool)
// CHECK: %[[FLAGGED:.*]] = linalg.generic {{.*}} ins(%[[R]],
// CHECK:   arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
// CHECK: tensor.cast %[[FLAGGED]] : tensor<?xf32> to tensor<2xf32>
func.func @min_static(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf32>, %start: tensor<3xf32>, %end: tensor<3xf32>, %len: tensor<2xi32>) -> tensor<2xf32> {
  %0 = sdp.linear_chain %em, %tr, %start, %end, %len semiring(#sdp.min)
         : (tensor<2x5x3xf32>, tensor<3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Viterbi: witnesses become backpointers (identity past a sequence's end),
// then a reverse scan follows them and writes -1 past each length.
// CHECK-LABEL: func @viterbi
// CHECK: %[[BPS:.*]] = tensor.empty(%{{.*}}, %{{.*}}, %{{.*}}) : tensor<?x?x?xi32>
// CHECK: %[[FWD:.*]]:2 = sdp.scan along 1 init(%{{.*}}, %[[BPS]] : tensor<?x?xf32>, tensor<?x?x?xi32>)
// CHECK:   %[[STEP:.*]], %[[ARGMAX:.*]] = sdp.contract "bk,kc,bc->bc" {{.*}} semiring(#sdp.max) : {{.*}} -> (tensor<?x?xf32>, tensor<?x?xi32>)
// CHECK:   linalg.generic {{.*}} ins(%[[ARGMAX]]
// CHECK:     linalg.index 1
// CHECK:   tensor.insert_slice
// CHECK: %[[BEST:.*]], %[[LAST:.*]] = sdp.contract "bc,c->b" %[[FWD]]#0, %{{.*}} semiring(#sdp.max) : {{.*}} -> (tensor<?xf32>, tensor<?xi32>)
// CHECK: %[[MINUS1:.*]] = arith.constant -1 : i32
// CHECK: %[[PATH0:.*]] = linalg.fill ins(%[[MINUS1]] : i32)
// CHECK: %[[BACK:.*]]:2 = sdp.scan reverse along 1 init(%[[LAST]], %[[PATH0]] : tensor<?xi32>, tensor<?x?xi32>)
// CHECK:     tensor.extract
// CHECK: %[[PATH:.*]] = tensor.insert_slice %[[BACK]]#0 into %[[BACK]]#1[0, %{{.*}}] [%{{.*}}, 1] [1, 1] : tensor<?xi32> into tensor<?x?xi32>
// CHECK: %[[FLAGGED:.*]] = linalg.generic {{.*}} ins(%[[BEST]],
// CHECK: return %[[FLAGGED]], %[[PATH]]
func.func @viterbi(%em: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %len: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %0, %1 = sdp.linear_chain %em, %tr, %start, %end, %len semiring(#sdp.max)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %0, %1 : tensor<?xf32>, tensor<?x?xi32>
}
