// RUN: sdp-opt %s --convert-sdp-to-gpu --canonicalize --cse | FileCheck %s

// sdp.bleu: one kernel computes every order's statistics (block per
// sentence, candidate n-grams claimed in a shared-memory hash table by
// compare-and-swap, references counted against it, maxima and clipped sums
// per slot); the statistics come back to the host for sdp.bleu_score.
// CHECK-LABEL: func @sentence_bleu
// CHECK-SAME: (%[[C:.*]]: tensor<?x?xi32>, %[[R:.*]]: tensor<?x?xi32>)
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1], [2]]
// CHECK: gpu.alloc ({{.*}}) : memref<3x?xi64>
// CHECK: gpu.launch {{.*}} dynamic_shared_memory_size
// CHECK:   gpu.dynamic_shared_memory
// First pads by atomic minimum.
// CHECK:   memref.atomic_rmw mins
// CHECK:   gpu.barrier
// Order 1, then 2, then 3: insertion by compare-and-swap, counting.
// CHECK-COUNT-3: memref.generic_atomic_rmw
// CHECK:   memref.atomic_rmw addi
// CHECK:   arith.minsi
// CHECK:   gpu.terminator
// CHECK-NOT: gpu.launch
// CHECK: gpu.dealloc
// CHECK: %[[S:.*]] = sdp.bleu_score {{.*}} {compat = #sdp.compat<nltk>, smoothing = #sdp.smoothing<method1>, weights = [{{.*}}]} : (tensor<3x?xi64>, tensor<3x?xi64>, tensor<?xi32>, tensor<?x?xi32>) -> tensor<?xf64>
// The host copies of the statistics are freed once the score has read them.
// CHECK-COUNT-4: memref.dealloc
// CHECK: return %[[S]]
func.func @sentence_bleu(%c: tensor<?x?xi32>, %r: tensor<?x?xi32>) -> tensor<?xf64> {
  %s = sdp.bleu %c, %r {weights = [0.5, 0.25, 0.25],
         smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>}
       : (tensor<?x?xi32>, tensor<?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}
