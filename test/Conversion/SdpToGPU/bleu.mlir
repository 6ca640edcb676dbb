// RUN: sdp-opt %s --convert-sdp-to-gpu --canonicalize --cse | FileCheck %s

// sdp.bleu: one kernel computes every order's statistics (block per
// sentence, candidate n-grams claimed in a shared-memory hash table by
// compare-and-swap, references counted against it, maxima and clipped sums
// per slot), then the block's first thread scores its sentence in float64;
// only the scores come back to the host.
// CHECK-LABEL: func @sentence_bleu
// CHECK-SAME: (%[[C:.*]]: tensor<?x?xi32>, %[[R:.*]]: tensor<?x?xi32>)
// CHECK: tensor.expand_shape %[[R]] {{\[\[}}0, 1], [2]]
// CHECK: gpu.alloc ({{.*}}) : memref<3x?xi64>
// CHECK: %[[SCORES:.*]] = gpu.alloc ({{.*}}) : memref<?xf64>
// CHECK: gpu.launch {{.*}} dynamic_shared_memory_size
// CHECK:   gpu.dynamic_shared_memory
// First pads by atomic minimum.
// CHECK:   memref.atomic_rmw mins
// CHECK:   gpu.barrier
// One loop over the orders (n = row + 1): each hashes and compares its n
// tokens in loops, inserts by compare-and-swap and counts; the code does
// not grow with max_n.
// CHECK:   scf.for %[[ROW:.*]] = %c0{{.*}} to %c3
// CHECK:     %[[N:.*]] = arith.addi %[[ROW]], %c1
// CHECK:     scf.for {{.*}} to %[[N]] {{.*}} -> (i64)
// CHECK:     memref.generic_atomic_rmw
// CHECK:     scf.for {{.*}} to %[[N]] {{.*}} -> (i1)
// CHECK:     memref.atomic_rmw addi
// CHECK:     arith.minsi
// CHECK-NOT: memref.generic_atomic_rmw
// The score: brevity penalty, then a loop over the orders of precisions
// and their logs, the exponential of the weighted sum.
// CHECK:   math.exp
// CHECK:   scf.for {{.*}} to %c3 {{.*}} -> (f64)
// CHECK:     arith.divf {{.*}} : f64
// CHECK:     math.log
// CHECK:   math.exp
// CHECK:   memref.store {{.*}}, %[[SCORES]]
// CHECK:   gpu.terminator
// CHECK-NOT: gpu.launch
// CHECK-NOT: sdp.bleu_score
// CHECK: %[[HOST:.*]] = memref.alloc({{.*}}) : memref<?xf64>
// CHECK: gpu.memcpy %[[HOST]], %[[SCORES]]
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[HOST]]
// CHECK-COUNT-7: gpu.dealloc
// CHECK-NOT: gpu.dealloc
// CHECK: return %[[T]]
func.func @sentence_bleu(%c: tensor<?x?xi32>, %r: tensor<?x?xi32>) -> tensor<?xf64> {
  %s = sdp.bleu %c, %r {weights = [0.5, 0.25, 0.25],
         smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>}
       : (tensor<?x?xi32>, tensor<?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}

// A corpus score: the statistics kernel, then one block sums the per-sentence
// terms (2 × 4 orders + the two lengths) in shared memory, a loop over the
// orders and one over the lengths, and its first thread scores them (a loop
// over the orders again); an empty corpus scores 0.
// CHECK-LABEL: func @corpus_bleu
// CHECK: %[[SCORE:.*]] = gpu.alloc () : memref<1xf64>
// CHECK: gpu.launch
// CHECK-NOT: memref.store {{.*}}, %[[SCORE]]
// CHECK: gpu.terminator
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads({{.*}}) in ({{.*}} = %c256{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) dynamic_shared_memory_size %c80_i32
// CHECK: scf.for {{.*}} to %c4
// CHECK:   scf.for {{.*}} -> (i64, i64)
// CHECK-COUNT-2: memref.atomic_rmw addi
// CHECK: scf.for {{.*}} -> (i64, i64)
// CHECK-COUNT-2: memref.atomic_rmw addi
// CHECK: gpu.barrier
// CHECK: scf.if
// CHECK:   math.exp
// CHECK:   scf.for {{.*}} to %c4 {{.*}} -> (f64)
// CHECK:   math.exp
// CHECK: memref.store {{.*}}, %[[SCORE]]
// CHECK: gpu.terminator
// CHECK: gpu.memcpy {{.*}}, %[[SCORE]]
func.func @corpus_bleu(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<1xf64> {
  %s = sdp.bleu %c, %r {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method0>, compat = #sdp.compat<nltk>, corpus}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<1xf64>
  return %s : tensor<1xf64>
}

// NLTK's method5 adds a 5-gram row after max_n = 2 orders: the order loop
// runs over three rows, row k counting (k+1)-grams below the weights' count
// and 5-grams on the extra row.
// CHECK-LABEL: func @method5_extra_row
// CHECK: gpu.alloc ({{.*}}) : memref<3x?xi64>
// CHECK: gpu.launch
// CHECK:   scf.for %[[ROW:.*]] = %c0{{.*}} to %c3
// CHECK:     %[[NEXT:.*]] = arith.addi %[[ROW]], %c1
// CHECK:     %[[BELOW:.*]] = arith.cmpi ult, %[[ROW]], %c2
// CHECK:     arith.select %[[BELOW]], %[[NEXT]], %c5
func.func @method5_extra_row(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<?xf64> {
  %s = sdp.bleu %c, %r {weights = [0.5, 0.5],
         smoothing = #sdp.smoothing<method5>, compat = #sdp.compat<nltk>}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}
