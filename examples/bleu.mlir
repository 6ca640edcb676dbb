// Token-id BLEU rewards, batch first: candidates[B, Lc] and references
// [B, R, Lr] of int32 token ids, padded at the end with 0 (a 0 inside a
// sentence ends it).
//
//   sdp-run examples/bleu.mlir --entry=sentence_bleu \
//     --input=candidates.npy --input=references.npy
//
// (sdp-bleu builds the same op for any option from the command line.)

// NLTK 3.8 sentence_bleu, uniform 4-gram weights, SmoothingFunction().method1.
func.func @sentence_bleu(%candidates: tensor<?x?xi32>, %references: tensor<?x?x?xi32>) -> tensor<?xf64> {
  %s = sdp.bleu %candidates, %references {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}

// NLTK 3.8 corpus_bleu over the whole batch, no smoothing.
func.func @corpus_bleu(%candidates: tensor<?x?xi32>, %references: tensor<?x?x?xi32>) -> tensor<1xf64> {
  %s = sdp.bleu %candidates, %references {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method0>, compat = #sdp.compat<nltk>, corpus}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<1xf64>
  return %s : tensor<1xf64>
}

// sacreBLEU 2.x BLEU(tokenize='none', effective_order=True).sentence_score
// on the space-joined ids (0-100).
func.func @sacrebleu_sentence(%candidates: tensor<?x?xi32>, %references: tensor<?x?x?xi32>) -> tensor<?xf64> {
  %s = sdp.bleu %candidates, %references {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<exp>, compat = #sdp.compat<sacrebleu>}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}
