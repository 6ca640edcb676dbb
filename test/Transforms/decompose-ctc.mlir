// RUN: sdp-opt %s --sdp-decompose-named-ops --split-input-file | FileCheck %s

// The loss: the extended target's log-probabilities gathered once, then one
// scan over frames whose step is one element-wise pass over alpha,
// alpha >> 1 and alpha >> 2 (a max-shifted log-sum-exp of the three, the
// third times the skip weights), masked past each input length; the end
// states picked by an indicator, then negated.

// CHECK-LABEL: func @loss
// CHECK-SAME: (%[[LP:.*]]: tensor<?x?x?xf32>, %[[TG:.*]]: tensor<?x?xi32>
// CHECK: %[[EMIT:.*]] = sdp.gather "btv,bs->bts" %[[LP]], %{{.*}} : (tensor<?x?x?xf32>, tensor<?x?xi32>) -> tensor<?x?x?xf32>
// CHECK: %[[A0:.*]] = sdp.contract "bs,bs->bs" {{.*}} semiring(#sdp.log)
// CHECK: %[[SCAN:.*]] = sdp.scan along 1 init(%[[A0]] : tensor<?x?xf32>)
// CHECK: ^bb0(%{{.*}}: index, %[[PREV:.*]]: tensor<?x?xf32>, %[[E:.*]]: tensor<?x?xf32>):
// CHECK:   %[[MOVED1:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 1]
// CHECK:   %[[ONCE:.*]] = tensor.insert_slice %{{.*}} into %[[MOVED1]][0, 0]
// CHECK:   %[[MOVED2:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 1]
// CHECK:   %[[TWICE:.*]] = tensor.insert_slice %{{.*}} into %[[MOVED2]][0, 0]
// CHECK:   %[[KEPT:.*]] = linalg.generic {{.*}} ins(%[[PREV]], %[[ONCE]], %[[TWICE]], %{{.*}}, %[[E]], %{{.*}} :
// CHECK:     math.exp
// CHECK:     math.log
// CHECK:   sdp.yield %[[KEPT]] : tensor<?x?xf32>
// CHECK: %[[LIK:.*]] = sdp.contract "bs,bs->b" %[[SCAN]], %{{.*}} semiring(#sdp.log)
// CHECK: linalg.generic {{.*}} ins(%[[LIK]]
// CHECK:   arith.negf
func.func @loss(%lp: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %il: tensor<?xi32>, %tl: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.ctc %lp, %targets, %il, %tl semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Forced alignment: the step's witness (0: stay, 1: advance, 2: skip) is
// recorded per frame and a reverse scan walks it back.

// CHECK-LABEL: func @forced_align
// CHECK: sdp.scan along 1 init({{.*}} : tensor<?x?xf32>, tensor<?x?x?xi32>)
// CHECK:   %{{.*}}, %{{.*}} = sdp.contract "pbs,pbs,bs->bs" {{.*}} semiring(#sdp.max) {{.*}} -> (tensor<?x?xf32>, tensor<?x?xi32>)
// CHECK: %{{.*}}, %[[END:.*]] = sdp.contract "bs,bs->b" {{.*}} semiring(#sdp.max)
// CHECK: sdp.scan reverse along 1 init(%[[END]], {{.*}} : tensor<?xi32>, tensor<?x?xi32>)
func.func @forced_align(%lp: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %il: tensor<?xi32>, %tl: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %0, %1 = sdp.ctc %lp, %targets, %il, %tl semiring(#sdp.max) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %0, %1 : tensor<?xf32>, tensor<?x?xi32>
}
