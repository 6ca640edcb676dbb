// RUN: sdp-opt %s --sdp-decompose-named-ops --split-input-file | FileCheck %s
// RUN: sdp-opt %s --sdp-decompose-named-ops=bleu-batch-tile=0 --split-input-file | FileCheck %s --check-prefix=UNTILED
// RUN: not sdp-opt %s --sdp-decompose-named-ops=bleu-batch-tile=-1 --split-input-file 2>&1 | FileCheck %s --check-prefix=BADTILE

// Lengths once for the whole batch; then, for each tile of 32 examples, per
// order: dictionary, counts, clipping, whose statistics go to columns of
// the [orders, B] rows that sdp.bleu_score reads.
// CHECK-LABEL: func @bleu
// CHECK-SAME: (%[[C:.*]]: tensor<?x?xi32>, %[[R:.*]]: tensor<?x?x?xi32>)
// CHECK: %[[CL:.*]] = sdp.sequence_lengths %[[C]] {pad_id = 0 : i64}
// CHECK: %[[RL:.*]] = sdp.sequence_lengths %[[R]] {pad_id = 0 : i64}
// CHECK: %[[B:.*]] = tensor.dim %[[C]], %{{.*}} : tensor<?x?xi32>
// CHECK: %[[EMPTY:.*]] = tensor.empty(%[[B]]) : tensor<2x?xi64>
// CHECK: %[[TILE:.*]] = arith.constant 32 : index
// CHECK: %[[STATS:.*]]:2 = scf.for %[[FIRST:.*]] = %{{.*}} to %[[B]] step %[[TILE]] iter_args(%[[M:.*]] = %[[EMPTY]], %[[T:.*]] = %[[EMPTY]])
// CHECK:   %[[SIZE:.*]] = arith.minui %[[TILE]]
// CHECK-DAG:   %[[RLT:.*]] = tensor.extract_slice %[[RL]][%[[FIRST]], 0] [%[[SIZE]], %{{.*}}] [1, 1]
// CHECK-DAG:   %[[RT:.*]] = tensor.extract_slice %[[R]][%[[FIRST]], 0, 0] [%[[SIZE]], %{{.*}}, %{{.*}}] [1, 1, 1]
// CHECK-DAG:   %[[CLT:.*]] = tensor.extract_slice %[[CL]][%[[FIRST]]] [%[[SIZE]]] [1]
// CHECK-DAG:   %[[CT:.*]] = tensor.extract_slice %[[C]][%[[FIRST]], 0] [%[[SIZE]], %{{.*}}] [1, 1]
// CHECK:   %[[CW1:.*]] = sdp.ngram_extract %[[CT]], %[[CLT]] : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x1xi32>
// CHECK:   %[[RW1:.*]] = sdp.ngram_extract %[[RT]], %[[RLT]] : {{.*}} -> tensor<?x?x?x1xi32>
// CHECK:   %[[CID:.*]], %[[RID:.*]], %[[NUM:.*]] = sdp.ngram_dict %[[CW1]], %[[CLT]], %[[RW1]], %[[RLT]]
// CHECK:   %[[CC:.*]] = sdp.ngram_count %[[CID]], %[[NUM]]
// CHECK:   %[[RC:.*]] = sdp.ngram_count %[[RID]], %[[NUM]]
// CHECK:   %[[M1:.*]], %[[T1:.*]] = sdp.ngram_clip %[[CC]], %[[RC]]
// CHECK:   %[[MR:.*]] = tensor.insert_slice %[[M1]] into %[[M]][0, %[[FIRST]]] [1, %{{.*}}] [1, 1]
// CHECK:   %[[TR:.*]] = tensor.insert_slice %[[T1]] into %[[T]][0, %[[FIRST]]] [1, %{{.*}}] [1, 1]
// Orders 2.. chain on the order before in one loop over the orders (one
// copy of the code for any max_n): keys are (prefix id, suffix id), the
// order a run-time index, the statistics rows dynamic.
// CHECK:   %[[ORDERS:.*]]:4 = scf.for %[[ROW:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[PC:.*]] = %[[CID]], %[[PR:.*]] = %[[RID]], %[[M1L:.*]] = %[[MR]], %[[T1L:.*]] = %[[TR]])
// CHECK:     %[[ORDER:.*]] = arith.addi %[[ROW]], %{{.*}} : index
// CHECK:     %[[CID2:.*]], %[[RID2:.*]], %{{.*}} = sdp.ngram_chain %[[PC]], %[[CLT]], %[[PR]], %[[RLT]], %[[ORDER]]
// CHECK:     sdp.ngram_clip
// CHECK:     %[[M2:.*]] = tensor.insert_slice %{{.*}} into %[[M1L]][%[[ROW]], %[[FIRST]]]
// CHECK:     %[[T2:.*]] = tensor.insert_slice %{{.*}} into %[[T1L]][%[[ROW]], %[[FIRST]]]
// CHECK:     scf.yield %[[CID2]], %[[RID2]], %[[M2]], %[[T2]]
// CHECK:   scf.yield %[[ORDERS]]#2, %[[ORDERS]]#3
// CHECK-NOT: sdp.ngram_extract
// CHECK: sdp.bleu_score %[[STATS]]#0, %[[STATS]]#1, %[[CL]], %[[RL]] {compat = #sdp.compat<nltk>, smoothing = #sdp.smoothing<method2>, weights = [5.000000e-01, 5.000000e-01]}
// Untiled, the orders run once over the whole batch.
// UNTILED-LABEL: func @bleu
// UNTILED: sdp.ngram_dict
// UNTILED: scf.for
// UNTILED:   sdp.ngram_chain
// UNTILED: sdp.bleu_score
// BADTILE: bleu-batch-tile must be at least 0, got -1
func.func @bleu(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<?xf64> {
  %0 = sdp.bleu %c, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<method2>, compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %0 : tensor<?xf64>
}

// -----

// One reference per candidate becomes [B, 1, Lr]; method5 adds the 5-gram
// statistics after the weights' orders: a run of its own, from its tokens.
// CHECK-LABEL: func @one_reference_method5
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [%{{.*}}, 1, %{{.*}}] : tensor<?x?xi64> into tensor<?x1x?xi64>
// CHECK: tensor.empty(%{{.*}}) : tensor<3x?xi64>
// CHECK: scf.for
// CHECK: sdp.ngram_extract {{.*}} -> tensor<?x?x1xi64>
// CHECK: sdp.ngram_chain
// CHECK-NOT: sdp.ngram_extract {{.*}} -> tensor<?x?x2xi64>
// CHECK: sdp.ngram_extract {{.*}} -> tensor<?x?x5xi64>
// CHECK: sdp.bleu_score {{.*}} -> tensor<1xf64>
func.func @one_reference_method5(%c: tensor<?x?xi64>, %r: tensor<?x?xi64>) -> tensor<1xf64> {
  %0 = sdp.bleu %c, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<method5>, compat = #sdp.compat<nltk>, corpus, pad_id = 3} : (tensor<?x?xi64>, tensor<?x?xi64>) -> tensor<1xf64>
  return %0 : tensor<1xf64>
}
