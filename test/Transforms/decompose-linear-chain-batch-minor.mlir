// RUN: sdp-opt %s --sdp-decompose-named-ops=batch-minor-labels=16 | FileCheck %s
// RUN: sdp-opt %s --sdp-decompose-named-ops | FileCheck %s --check-prefix=DEFAULT

// With batch-minor-labels=16, both real-arithmetic forms (the scaled one
// and the exp-shifted one) pick their layout at run time: fewer than 16
// labels with at least 16 sequences (or at most 8 labels with at least 8
// sequences) carry the state label-major ([C, B]), from emissions
// transposed once (the scaled form takes their exp in the same pass); the
// rest keep the batch-major recursion. The log-space fallback is unchanged.

// CHECK-LABEL: func @log_factored
// CHECK-SAME: (%[[EM:.*]]: tensor<?x?x?xf32>, %[[TR:.*]]: tensor<?x?xf32>, %[[START:.*]]: tensor<?xf32>, %[[END:.*]]: tensor<?xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: %[[BATCH:.*]] = tensor.dim %[[EM]], %{{.*}}
// CHECK: tensor.dim %[[EM]], %{{.*}}
// CHECK: %[[LABELS:.*]] = tensor.dim %[[EM]], %{{.*}}
// CHECK: %[[ALPHA0:.*]] = sdp.contract "c,bc->bc" %[[START]]
// CHECK: %[[REST:.*]] = tensor.extract_slice %[[EM]][0, 1, 0]
// CHECK: %[[COLUMNS:.*]] = arith.cmpf ole
// CHECK: %[[SCALEDOK:.*]] = arith.cmpf ole
// CHECK: %[[LOGZ:.*]] = scf.if %[[SCALEDOK]] -> (tensor<?xf32>) {
// CHECK:   %[[C15:.*]] = arith.constant 15 : index
// CHECK:   %[[FEW:.*]] = arith.cmpi ule, %[[LABELS]], %[[C15]] : index
// CHECK:   %[[C16:.*]] = arith.constant 16 : index
// CHECK:   %[[FULL:.*]] = arith.cmpi uge, %[[BATCH]], %[[C16]] : index
// CHECK:   %[[C8:.*]] = arith.constant 8 : index
// CHECK:   %[[HALF:.*]] = arith.cmpi uge, %[[BATCH]], %[[C8]] : index
// CHECK:   %[[C8B:.*]] = arith.constant 8 : index
// CHECK:   %[[VERYFEW:.*]] = arith.cmpi ule, %[[LABELS]], %[[C8B]] : index
// CHECK:   %[[SMALL:.*]] = arith.andi %[[VERYFEW]], %[[HALF]] : i1
// CHECK:   %[[WIDE:.*]] = arith.ori %[[FULL]], %[[SMALL]] : i1
// CHECK:   %[[MINOR:.*]] = arith.andi %[[FEW]], %[[WIDE]] : i1
// CHECK:   %[[FORM:.*]] = scf.if %[[MINOR]] -> (tensor<?xf32>) {
// CHECK:     %[[P:.*]] = linalg.generic {{.*}} ins(%[[TR]] :
// CHECK:       math.exp
// CHECK:     sdp.contract "bc->cb" %[[ALPHA0]] semiring(#sdp.real)
// CHECK:     %[[BYLABEL:.*]] = linalg.generic {{.*}} ins(%[[REST]], %{{.*}} : tensor<?x?x?xf32>, tensor<?xf32>)
// CHECK:       math.exp
// CHECK:     %[[SCAN:.*]]:2 = sdp.scan along 1 init(%{{.*}}, %{{.*}} : tensor<?x?xf32>, tensor<?xf32>) over(%[[BYLABEL]] : tensor<?x?x?xf32>)
// CHECK:     ^bb0(%{{.*}}: index, %[[STATE:.*]]: tensor<?x?xf32>, %{{.*}}: tensor<?xf32>, %[[WEIGHT:.*]]: tensor<?x?xf32>):
// CHECK:       %[[SUMS:.*]] = sdp.contract "kb,kc->cb" %[[STATE]], %[[P]] semiring(#sdp.real)
// CHECK:       %[[U:.*]] = linalg.generic {{.*}} ins(%[[SUMS]], %[[WEIGHT]] :
// CHECK:       sdp.contract "cb->b" %[[U]] semiring(#sdp.max) {sdp.no_gradient}
// CHECK:     %[[BACK:.*]] = sdp.contract "cb->bc" %[[SCAN]]#0 semiring(#sdp.real)
// CHECK:     sdp.contract "bc,c->b" %[[BACK]], %{{.*}} semiring(#sdp.real)
// CHECK:   } else {
// CHECK:     sdp.contract "bk,kc->bc" {{.*}} semiring(#sdp.real)
// CHECK:   scf.yield %[[FORM]]
// CHECK: } else {
// CHECK:   scf.if %[[COLUMNS]] -> (tensor<?xf32>) {
// CHECK:     scf.if %{{.*}} -> (tensor<?xf32>) {
// CHECK:       sdp.contract "btc->ctb" %[[REST]] semiring(#sdp.real)
// CHECK:       sdp.contract "kb,kc->cb" {{.*}} semiring(#sdp.real)
// CHECK:     } else {
// CHECK:       sdp.contract "bk,kc->bc" {{.*}} semiring(#sdp.real)
// CHECK:   } else {
// CHECK:     sdp.contract "bk,kc,bc->bc" %{{.*}}, %[[TR]], %{{.*}} semiring(#sdp.log)
// CHECK: return %[[LOGZ]]

// DEFAULT-LABEL: func @log_factored
// DEFAULT-NOT: "kb,kc->cb"
// DEFAULT: sdp.contract "bk,kc->bc"
// DEFAULT-NOT: "kb,kc->cb"
func.func @log_factored(%em: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %len: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.linear_chain %em, %tr, %start, %end, %len semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
