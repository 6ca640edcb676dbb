// RUN: sdp-opt %s --sdp-decompose-named-ops --split-input-file | FileCheck %s

// Log semiring, factored potentials: three forms, chosen at run time.
//  1. While the spread of the finite transitions plus the widest spread of
//     one sequence's emissions fits the normal range: the scaled real form,
//     the state in real arithmetic and renormalised each step (a real
//     matrix product, a product with exp(emissions) taken before the scan,
//     the row max, one log per sequence).
//  2. Else, while each transition column's spread is small: the
//     exp-shifted real form (a max, one exp per state, a real matrix
//     product and one log per state).
//  3. Else the log-space contraction.

// CHECK-LABEL: func @log_factored
// CHECK-SAME: (%[[EM:.*]]: tensor<?x?x?xf32>, %[[TR:.*]]: tensor<?x?xf32>, %[[START:.*]]: tensor<?xf32>, %[[END:.*]]: tensor<?xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: %[[FIRST:.*]] = tensor.extract_slice %[[EM]][0, 0, 0] [%{{.*}}, 1, %{{.*}}] [1, 1, 1] : tensor<?x?x?xf32> to tensor<?x?xf32>
// CHECK: %[[ALPHA0:.*]] = sdp.contract "c,bc->bc" %[[START]], %[[FIRST]] semiring(#sdp.log)
// CHECK: %[[REST:.*]] = tensor.extract_slice %[[EM]][0, 1, 0]
// The guards' reductions have no gradient: an adjoint records no witness.
// CHECK: %[[TRCOLMAX:.*]] = sdp.contract "kc->c" %[[TR]] semiring(#sdp.max) {sdp.no_gradient}
// CHECK: sdp.contract "kc->c" %{{.*}} semiring(#sdp.min) {sdp.no_gradient}
// CHECK: %[[WIDEST:.*]] = sdp.contract "c->" %{{.*}} semiring(#sdp.max) {sdp.no_gradient}
// CHECK: %[[SPREAD:.*]] = tensor.extract %[[WIDEST]][]
// CHECK: %[[COLUMNS:.*]] = arith.cmpf ole, %[[SPREAD]], %{{.*}} : f32
// The largest transition, from the column maxima.
// CHECK: sdp.contract "c->" %[[TRCOLMAX]] semiring(#sdp.max) {sdp.no_gradient}
// Per sequence, over rows of T·C scores.
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[EM]] {{\[}}[0], [1, 2]]
// CHECK: %[[EMAX:.*]] = sdp.contract "bx->b" %[[ROWS]] semiring(#sdp.max) {sdp.no_gradient}
// CHECK: sdp.contract "bx->b" %[[ROWS]] semiring(#sdp.min) {sdp.no_gradient}
// CHECK: %[[TOTAL:.*]] = arith.addf
// CHECK: %[[SCALED:.*]] = arith.cmpf ole, %[[TOTAL]], %{{.*}} : f32
// CHECK: %[[ESHIFT:.*]] = linalg.generic {{.*}} ins(%[[EMAX]] :
// CHECK: %[[LOGZ:.*]] = scf.if %[[SCALED]] -> (tensor<?xf32>) {
// CHECK:   %[[P:.*]] = linalg.generic {{.*}} ins(%[[TR]] :
// CHECK:     math.exp
// CHECK:   %[[W:.*]] = linalg.generic {{.*}} ins(%[[REST]], %[[ESHIFT]] :
// CHECK:     math.exp
// CHECK:   %[[STATES:.*]]:2 = sdp.scan along 1 init(%{{.*}}, %{{.*}} : tensor<?x?xf32>, tensor<?xf32>) over(%[[W]] : tensor<?x?x?xf32>)
// CHECK:   ^bb0(%{{.*}}: index, %[[STATE:.*]]: tensor<?x?xf32>, %[[SCALE:.*]]: tensor<?xf32>, %[[WEIGHT:.*]]: tensor<?x?xf32>):
// CHECK:     %[[SUMS:.*]] = sdp.contract "bk,kc->bc" %[[STATE]], %[[P]] semiring(#sdp.real)
// CHECK:     %[[U:.*]] = linalg.generic {{.*}} ins(%[[SUMS]], %[[WEIGHT]] :
// CHECK:       arith.mulf
// CHECK:     %[[RMAX:.*]] = sdp.contract "bc->b" %[[U]] semiring(#sdp.max) {sdp.no_gradient}
// CHECK:     %[[INV:.*]] = linalg.generic {{.*}} ins(%[[RMAX]] :
// CHECK:       arith.divf
// CHECK:     %[[NEXT:.*]] = linalg.generic {{.*}} ins(%[[U]], %[[INV]], %[[STATE]], %[[LEN]] :
// CHECK:       arith.mulf
// CHECK:       arith.select
// CHECK:     %[[NEXTSCALE:.*]] = linalg.generic {{.*}} ins(%[[SCALE]], %[[RMAX]], %{{.*}}, %[[LEN]] :
// CHECK:       math.log
// CHECK:       arith.select
// CHECK:     sdp.yield %[[NEXT]], %[[NEXTSCALE]]
// CHECK:   %[[TOTALS:.*]] = sdp.contract "bc,c->b" %[[STATES]]#0, %{{.*}} semiring(#sdp.real)
// CHECK:   linalg.generic {{.*}} ins(%[[TOTALS]], %[[STATES]]#1 :
// CHECK:     math.log
// CHECK: } else {
// CHECK:   %[[TIER2:.*]] = scf.if %[[COLUMNS]] -> (tensor<?xf32>) {
// The shifts cancel in the result: marked for the adjoint to skip.
// CHECK:     %[[COLMAX:.*]] = sdp.contract "kc->c" %[[TR]] semiring(#sdp.max) {sdp.no_gradient}
// CHECK:     %[[COLSHIFT:.*]] = linalg.generic {{.*}} ins(%[[COLMAX]]
// CHECK:     %[[PROBS:.*]] = linalg.generic {{.*}} ins(%[[TR]], %[[COLSHIFT]]
// CHECK:       math.exp
// CHECK:     %[[REAL:.*]] = sdp.scan along 1 init(%[[ALPHA0]] : tensor<?x?xf32>) over(%[[REST]] : tensor<?x?x?xf32>)
// CHECK:     ^bb0(%[[T:.*]]: index, %[[PREV:.*]]: tensor<?x?xf32>, %[[EMIT:.*]]: tensor<?x?xf32>):
// CHECK:       %[[ROWMAX:.*]] = sdp.contract "bk->b" %[[PREV]] semiring(#sdp.max) {sdp.no_gradient}
// CHECK:       %[[ROWSHIFT:.*]] = linalg.generic {{.*}} ins(%[[ROWMAX]]
// CHECK:       %[[SHIFTED:.*]] = linalg.generic {{.*}} ins(%[[PREV]], %[[ROWSHIFT]]
// CHECK:         math.exp
// CHECK:       %[[PSUMS:.*]] = sdp.contract "bk,kc->bc" %[[SHIFTED]], %[[PROBS]] semiring(#sdp.real)
// CHECK:       %[[POS:.*]] = arith.addi %[[T]], %{{.*}} : index
// CHECK:       %[[POS32:.*]] = arith.index_cast %[[POS]] : index to i32
// CHECK:       %[[PNEXT:.*]] = linalg.generic {{.*}} ins(%[[PSUMS]], %[[ROWSHIFT]], %[[COLSHIFT]], %[[EMIT]], %[[PREV]], %[[LEN]]
// CHECK:         math.log
// CHECK:         %[[ACTIVE:.*]] = arith.cmpi slt, %[[POS32]]
// CHECK:         arith.select %[[ACTIVE]]
// CHECK:       sdp.yield %[[PNEXT]]
// CHECK:     sdp.contract "bc,c->b" %[[REAL]], %[[END]] semiring(#sdp.log)
// CHECK:   } else {
// CHECK:     sdp.contract "bk,kc,bc->bc" %{{.*}}, %[[TR]], %{{.*}} semiring(#sdp.log)
// CHECK:     sdp.contract "bc,c->b" %{{.*}}, %[[END]] semiring(#sdp.log)
// CHECK:   scf.yield %[[TIER2]]
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
