// RUN: sdp-opt %s | sdp-opt | FileCheck %s
// RUN: sdp-opt %s --mlir-print-op-generic | sdp-opt | FileCheck %s

// Every n-gram op and BLEU attribute, printed, parsed and printed again.

// CHECK-LABEL: func @primitives
func.func @primitives(%cand: tensor<?x?xi32>, %refs: tensor<?x?x?xi32>) -> (tensor<?xi64>, tensor<?xi64>) {
  // CHECK: sdp.sequence_lengths %{{.*}} {pad_id = 0 : i64} : tensor<?x?xi32> -> tensor<?xi32>
  %clen = sdp.sequence_lengths %cand {pad_id = 0 : i64} : tensor<?x?xi32> -> tensor<?xi32>
  %rlen = sdp.sequence_lengths %refs {pad_id = 0 : i64} : tensor<?x?x?xi32> -> tensor<?x?xi32>
  // CHECK: sdp.ngram_extract %{{.*}}, %{{.*}} : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x2xi32>
  %cw = sdp.ngram_extract %cand, %clen : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x2xi32>
  %rw = sdp.ngram_extract %refs, %rlen : (tensor<?x?x?xi32>, tensor<?x?xi32>) -> tensor<?x?x?x2xi32>
  // CHECK: sdp.ngram_dict %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x?x2xi32>, tensor<?xi32>, tensor<?x?x?x2xi32>, tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  %cid, %rid, %num = sdp.ngram_dict %cw, %clen, %rw, %rlen : (tensor<?x?x2xi32>, tensor<?xi32>, tensor<?x?x?x2xi32>, tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  // CHECK: sdp.ngram_dict %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} prefix(%{{.*}}, %{{.*}}) : (tensor<?x?x2xi32>, tensor<?xi32>, tensor<?x?x?x2xi32>, tensor<?x?xi32>, tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  %cid2, %rid2, %num2 = sdp.ngram_dict %cw, %clen, %rw, %rlen prefix(%cid, %rid) : (tensor<?x?x2xi32>, tensor<?xi32>, tensor<?x?x?x2xi32>, tensor<?x?xi32>, tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  // CHECK: sdp.ngram_chain %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x?xi32>, tensor<?xi32>, tensor<?x?x?xi32>, tensor<?x?xi32>, index) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  %order = arith.constant 3 : index
  %cid3, %rid3, %num3 = sdp.ngram_chain %cid2, %clen, %rid2, %rlen, %order : (tensor<?x?xi32>, tensor<?xi32>, tensor<?x?x?xi32>, tensor<?x?xi32>, index) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  // CHECK: sdp.ngram_count %{{.*}}, %{{.*}} : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?xi32>
  %cc = sdp.ngram_count %cid, %num : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?xi32>
  %rc = sdp.ngram_count %rid, %num : (tensor<?x?x?xi32>, tensor<?xi32>) -> tensor<?x?x?xi32>
  // CHECK: sdp.ngram_clip %{{.*}}, %{{.*}} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?xi64>, tensor<?xi64>)
  %m, %t = sdp.ngram_clip %cc, %rc : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?xi64>, tensor<?xi64>)
  return %m, %t : tensor<?xi64>, tensor<?xi64>
}

// CHECK-LABEL: func @scoring
func.func @scoring(%m: tensor<4x?xi64>, %t: tensor<4x?xi64>, %m5: tensor<5x?xi64>, %t5: tensor<5x?xi64>,
                   %hyp: tensor<?xi32>, %ref: tensor<?x?xi32>) {
  // CHECK: sdp.bleu_score {{.*}} {compat = #sdp.compat<nltk>, smoothing = #sdp.smoothing<method1>, weights = [2.500000e-01, 2.500000e-01, 2.500000e-01, 2.500000e-01]}
  %0 = sdp.bleu_score %m, %t, %hyp, %ref {weights = [0.25, 0.25, 0.25, 0.25], smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>} : (tensor<4x?xi64>, tensor<4x?xi64>, tensor<?xi32>, tensor<?x?xi32>) -> tensor<?xf64>
  // CHECK: #sdp.smoothing<method7>
  %1 = sdp.bleu_score %m5, %t5, %hyp, %ref {weights = [0.25, 0.25, 0.25, 0.25], smoothing = #sdp.smoothing<method7>, compat = #sdp.compat<nltk>, corpus, auto_reweigh} : (tensor<5x?xi64>, tensor<5x?xi64>, tensor<?xi32>, tensor<?x?xi32>) -> tensor<1xf64>
  // CHECK: compat = #sdp.compat<sacrebleu>, smooth_value = 5.000000e-01 : f64, smoothing = #sdp.smoothing<floor>
  %2 = sdp.bleu_score %m, %t, %hyp, %ref {weights = [0.25, 0.25, 0.25, 0.25], smoothing = #sdp.smoothing<floor>, compat = #sdp.compat<sacrebleu>, smooth_value = 0.5 : f64} : (tensor<4x?xi64>, tensor<4x?xi64>, tensor<?xi32>, tensor<?x?xi32>) -> tensor<?xf64>
  return
}

// CHECK-LABEL: func @bleu
func.func @bleu(%c: tensor<?x?xi64>, %r: tensor<?x?x?xi64>, %r1: tensor<?x?xi64>) {
  // CHECK: sdp.bleu %{{.*}}, %{{.*}} {compat = #sdp.compat<nltk>, smoothing = #sdp.smoothing<method0>, weights = [5.000000e-01, 5.000000e-01]} : (tensor<?x?xi64>, tensor<?x?x?xi64>) -> tensor<?xf64>
  %0 = sdp.bleu %c, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<method0>, compat = #sdp.compat<nltk>} : (tensor<?x?xi64>, tensor<?x?x?xi64>) -> tensor<?xf64>
  // CHECK: pad_id = 2 : i64, smoothing = #sdp.smoothing<add_k>
  %1 = sdp.bleu %c, %r1 {weights = [0.25, 0.25, 0.25, 0.25], smoothing = #sdp.smoothing<add_k>, compat = #sdp.compat<sacrebleu>, corpus, pad_id = 2} : (tensor<?x?xi64>, tensor<?x?xi64>) -> tensor<1xf64>
  return
}

// CHECK-LABEL: func @vector_compress
func.func @vector_compress(%v: vector<16xi32>, %m: vector<16xi1>, %f: vector<8xf64>, %fm: vector<8xi1>) -> (vector<16xi32>, vector<8xf64>) {
  // CHECK: sdp.vector_compress %{{.*}}, %{{.*}} : vector<16xi32>
  %0 = sdp.vector_compress %v, %m : vector<16xi32>
  // CHECK: sdp.vector_compress %{{.*}}, %{{.*}} : vector<8xf64>
  %1 = sdp.vector_compress %f, %fm : vector<8xf64>
  return %0, %1 : vector<16xi32>, vector<8xf64>
}
