// RUN: sdp-opt %s --sdp-decompose-named-ops --split-input-file | FileCheck %s

// Lengths once, then per order: windows, dictionary, counts, clipping;
// the statistics are stacked [orders, B] for sdp.bleu_score.
// CHECK-LABEL: func @bleu
// CHECK-SAME: (%[[C:.*]]: tensor<?x?xi32>, %[[R:.*]]: tensor<?x?x?xi32>)
// CHECK: %[[CL:.*]] = sdp.sequence_lengths %[[C]] {pad_id = 0 : i64}
// CHECK: %[[RL:.*]] = sdp.sequence_lengths %[[R]] {pad_id = 0 : i64}
// CHECK: %[[CW1:.*]] = sdp.ngram_extract %[[C]], %[[CL]] : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x1xi32>
// CHECK: %[[RW1:.*]] = sdp.ngram_extract %[[R]], %[[RL]] : {{.*}} -> tensor<?x?x?x1xi32>
// CHECK: %[[CID:.*]], %[[RID:.*]], %[[NUM:.*]] = sdp.ngram_dict %[[CW1]], %[[CL]], %[[RW1]], %[[RL]]
// CHECK: %[[CC:.*]] = sdp.ngram_count %[[CID]], %[[NUM]]
// CHECK: %[[RC:.*]] = sdp.ngram_count %[[RID]], %[[NUM]]
// CHECK: sdp.ngram_clip %[[CC]], %[[RC]]
// Order 2 chains on order 1: keys are (prefix id, last token).
// CHECK: %[[CW2:.*]] = sdp.ngram_extract {{.*}} -> tensor<?x?x2xi32>
// CHECK: %[[RW2:.*]] = sdp.ngram_extract
// CHECK: sdp.ngram_dict %[[CW2]], %[[CL]], %[[RW2]], %[[RL]] prefix(%[[CID]], %[[RID]])
// CHECK: sdp.ngram_clip
// CHECK-NOT: sdp.ngram_extract
// CHECK: tensor.empty(%{{.*}}) : tensor<2x?xi64>
// CHECK: tensor.insert_slice
// CHECK: sdp.bleu_score %{{.*}}, %{{.*}}, %[[CL]], %[[RL]] {compat = #sdp.compat<nltk>, smoothing = #sdp.smoothing<method2>, weights = [5.000000e-01, 5.000000e-01]}
func.func @bleu(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<?xf64> {
  %0 = sdp.bleu %c, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<method2>, compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %0 : tensor<?xf64>
}

// -----

// One reference per candidate becomes [B, 1, Lr]; method5 adds the 5-gram
// statistics after the weights' orders.
// CHECK-LABEL: func @one_reference_method5
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [%{{.*}}, 1, %{{.*}}] : tensor<?x?xi64> into tensor<?x1x?xi64>
// CHECK: sdp.ngram_extract {{.*}} -> tensor<?x?x1xi64>
// CHECK: sdp.ngram_extract {{.*}} -> tensor<?x?x2xi64>
// CHECK: sdp.ngram_extract {{.*}} -> tensor<?x?x5xi64>
// CHECK: tensor.empty(%{{.*}}) : tensor<3x?xi64>
// CHECK: sdp.bleu_score {{.*}} -> tensor<1xf64>
func.func @one_reference_method5(%c: tensor<?x?xi64>, %r: tensor<?x?xi64>) -> tensor<1xf64> {
  %0 = sdp.bleu %c, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<method5>, compat = #sdp.compat<nltk>, corpus, pad_id = 3} : (tensor<?x?xi64>, tensor<?x?xi64>) -> tensor<1xf64>
  return %0 : tensor<1xf64>
}
