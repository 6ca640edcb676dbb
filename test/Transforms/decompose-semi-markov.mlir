// RUN: sdp-opt %s --sdp-decompose-named-ops --split-input-file | FileCheck %s

// Log semiring: one scan over start positions 1..T-1 carrying the window of
// K partial sums and the scores at each sequence's end. Each step pushes
// entry 0 through the transitions, extends it by the segments starting
// there and folds that into the shifted window; nothing [B, T, K, C, C].

// CHECK-LABEL: func @log_partition
// CHECK-SAME: (%[[SEG:.*]]: tensor<?x?x?x?xf32>, %[[TR:.*]]: tensor<?x?xf32>, %[[START:.*]]: tensor<?xf32>, %[[END:.*]]: tensor<?xf32>, %[[LEN:.*]]: tensor<?xi32>)
// CHECK: %[[FIRST:.*]] = tensor.extract_slice %[[SEG]][0, 0, 0, 0] [%{{.*}}, 1, %{{.*}}, %{{.*}}] [1, 1, 1, 1] : tensor<?x?x?x?xf32> to tensor<?x?x?xf32>
// CHECK: %[[W0:.*]] = sdp.contract "c,bkc->bkc" %[[START]], %[[FIRST]] semiring(#sdp.log)
// CHECK: %[[REST:.*]] = tensor.extract_slice %[[SEG]][0, 1, 0, 0]
// CHECK: %[[SCAN:.*]]:2 = sdp.scan along 1 init(%[[W0]], %{{.*}} : tensor<?x?x?xf32>, tensor<?x?xf32>) over(%[[REST]] : tensor<?x?x?x?xf32>)
// CHECK: ^bb0(%{{.*}}: index, %[[W:.*]]: tensor<?x?x?xf32>, %[[F:.*]]: tensor<?x?xf32>, %[[S:.*]]: tensor<?x?x?xf32>):
// CHECK:   %[[ALPHA:.*]] = tensor.extract_slice %[[W]][0, 0, 0]
// CHECK:   %[[M:.*]] = sdp.contract "bk,kc->bc" %[[ALPHA]], %[[TR]] semiring(#sdp.log)
// CHECK:   %[[NEW:.*]] = sdp.contract "bc,bkc->bkc" %[[M]], %[[S]] semiring(#sdp.log)
// CHECK:   %[[TAIL:.*]] = tensor.extract_slice %[[W]][0, 1, 0]
// CHECK:   %[[MOVED:.*]] = tensor.insert_slice %[[TAIL]] into %{{.*}}[0, 0, 0]
// CHECK:   %[[SHIFTED:.*]] = tensor.insert_slice %{{.*}} into %[[MOVED]]
// CHECK:   %[[PAIR0:.*]] = tensor.insert_slice %[[SHIFTED]] into %{{.*}}[0, 0, 0, 0]
// CHECK:   %[[PAIR:.*]] = tensor.insert_slice %[[NEW]] into %[[PAIR0]][1, 0, 0, 0]
// CHECK:   %[[NEXT:.*]] = sdp.contract "pbkc->bkc" %[[PAIR]] semiring(#sdp.log)
// CHECK:   sdp.yield %[[NEXT]], %{{.*}} : tensor<?x?x?xf32>, tensor<?x?xf32>
// CHECK: sdp.contract "bc,c->b" %{{.*}}, %[[END]] semiring(#sdp.log)
func.func @log_partition(%segments: tensor<?x?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.semi_markov %segments, %transitions, %start, %end, %lengths semiring(#sdp.log)
         : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Max semiring with the segmentation: witnesses of the push and of the
// fold, per-window start positions and predecessor labels, tables of them
// per end position, and a reverse scan that walks them back.

// CHECK-LABEL: func @viterbi
// CHECK: sdp.scan along 1 init({{.*}} : tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xi32>, tensor<?x?x?xi32>, tensor<?x?x?xi32>, tensor<?x?x?xi32>)
// CHECK:   %{{.*}}, %[[FROM:.*]] = sdp.contract "bk,kc->bc" {{.*}} semiring(#sdp.max) {{.*}} -> (tensor<?x?xf32>, tensor<?x?xi32>)
// CHECK:   %{{.*}}, %[[WHICH:.*]] = sdp.contract "pbkc->bkc" {{.*}} semiring(#sdp.max) {{.*}} -> (tensor<?x?x?xf32>, tensor<?x?x?xi32>)
// CHECK: %{{.*}}, %[[LAST:.*]] = sdp.contract "bc,c->b" {{.*}} semiring(#sdp.max)
// CHECK: sdp.scan reverse along 1 init(%[[LAST]], {{.*}} : tensor<?xi32>, tensor<?xi32>, tensor<?xi32>, tensor<?x?xi32>, tensor<?x?xi32>)
func.func @viterbi(%segments: tensor<?x?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>) {
  %0, %1, %2 = sdp.semi_markov %segments, %transitions, %start, %end, %lengths semiring(#sdp.max)
         : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>)
  return %0, %1, %2 : tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>
}
