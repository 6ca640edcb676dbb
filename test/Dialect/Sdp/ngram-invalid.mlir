// RUN: sdp-opt %s -split-input-file -verify-diagnostics

func.func @lengths_shape(%t: tensor<4x7xi32>) {
  // expected-error @+1 {{lengths has size 5 in dimension 0 but the tokens' leading dims needs 4}}
  %0 = sdp.sequence_lengths %t {pad_id = 0 : i64} : tensor<4x7xi32> -> tensor<5xi32>
  return
}

// -----

func.func @lengths_token_type(%t: tensor<4x7xf32>) {
  // expected-error @+1 {{operand #0 must be tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = sdp.sequence_lengths %t {pad_id = 0 : i64} : tensor<4x7xf32> -> tensor<4xi32>
  return
}

// -----

func.func @extract_dynamic_order(%t: tensor<?x?xi32>, %l: tensor<?xi32>) {
  // expected-error @+1 {{the n-gram order (last windows dimension) must be a static size of at least 1}}
  %0 = sdp.ngram_extract %t, %l : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x?xi32>
  return
}

// -----

func.func @extract_rank(%t: tensor<?x?xi32>, %l: tensor<?xi32>) {
  // expected-error @+1 {{windows must have rank 3 (tokens shape x n), got 'tensor<?x3xi32>'}}
  %0 = sdp.ngram_extract %t, %l : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x3xi32>
  return
}

// -----

func.func @extract_type(%t: tensor<?x?xi32>, %l: tensor<?xi32>) {
  // expected-error @+1 {{windows have element type 'i64' but tokens have 'i32'}}
  %0 = sdp.ngram_extract %t, %l : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x2xi64>
  return
}

// -----

func.func @dict_orders(%cw: tensor<?x?x2xi32>, %cl: tensor<?xi32>, %rw: tensor<?x?x?x3xi32>, %rl: tensor<?x?xi32>) {
  // expected-error @+1 {{candidate and reference windows must have the same static n-gram order}}
  %a, %b, %c = sdp.ngram_dict %cw, %cl, %rw, %rl : (tensor<?x?x2xi32>, tensor<?xi32>, tensor<?x?x?x3xi32>, tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return
}

// -----

func.func @dict_batch(%cw: tensor<4x?x2xi32>, %cl: tensor<4xi32>, %rw: tensor<3x?x?x2xi32>, %rl: tensor<?x?xi32>) {
  // expected-error @+1 {{reference windows has size 3 in dimension 0 but [B, R, Lr, n] needs 4}}
  %a, %b, %c = sdp.ngram_dict %cw, %cl, %rw, %rl : (tensor<4x?x2xi32>, tensor<4xi32>, tensor<3x?x?x2xi32>, tensor<?x?xi32>) -> (tensor<4x?xi32>, tensor<?x?x?xi32>, tensor<4xi32>)
  return
}

// -----

func.func @count_rank(%ids: tensor<?xi32>, %n: tensor<?xi32>) {
  // expected-error @+1 {{ids must have rank 2 or more ([B, ..., L]), got 'tensor<?xi32>'}}
  %0 = sdp.ngram_count %ids, %n : (tensor<?xi32>, tensor<?xi32>) -> tensor<?xi32>
  return
}

// -----

func.func @clip_ids(%c: tensor<?x5xi32>, %r: tensor<?x?x6xi32>) {
  // expected-error @+1 {{reference counts have 6 ids but candidate counts have 5}}
  %m, %t = sdp.ngram_clip %c, %r : (tensor<?x5xi32>, tensor<?x?x6xi32>) -> (tensor<?xi64>, tensor<?xi64>)
  return
}

// -----

func.func @no_weights(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) {
  // expected-error @+1 {{needs at least one weight}}
  %0 = sdp.bleu %c, %r {weights = [], smoothing = #sdp.smoothing<method0>, compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return
}

// -----

func.func @wrong_family(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) {
  // expected-error @+1 {{smoothing 'exp' is not a nltk method (nltk: method0..method7; sacrebleu: exp, floor, add_k, none)}}
  %0 = sdp.bleu %c, %r {weights = [0.25, 0.25, 0.25, 0.25], smoothing = #sdp.smoothing<exp>, compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return
}

// -----

func.func @sacre_weights(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) {
  // expected-error @+1 {{sacrebleu compatibility uses uniform weights}}
  %0 = sdp.bleu %c, %r {weights = [0.5, 0.3, 0.2], smoothing = #sdp.smoothing<exp>, compat = #sdp.compat<sacrebleu>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return
}

// -----

func.func @method6_orders(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) {
  // expected-error @+1 {{method6 needs at least 3 n-gram orders}}
  %0 = sdp.bleu %c, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<method6>, compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return
}

// -----

func.func @token_types(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi64>) {
  // expected-error @+1 {{candidates are 'i32' but references are 'i64'}}
  %0 = sdp.bleu %c, %r {weights = [1.0], smoothing = #sdp.smoothing<method0>, compat = #sdp.compat<nltk>} : (tensor<?x?xi32>, tensor<?x?x?xi64>) -> tensor<?xf64>
  return
}

// -----

func.func @corpus_shape(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) {
  // expected-error @+1 {{scores must have rank 1 ([1] (corpus)), got 'tensor<f64>'}}
  %0 = sdp.bleu %c, %r {weights = [1.0], smoothing = #sdp.smoothing<method0>, compat = #sdp.compat<nltk>, corpus} : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<f64>
  return
}

// -----

func.func @score_orders(%m: tensor<4x?xi64>, %t: tensor<4x?xi64>, %hyp: tensor<?xi32>, %ref: tensor<?x?xi32>) {
  // expected-error @+1 {{matches has size 4 in dimension 0 but [orders, B] needs 5}}
  %0 = sdp.bleu_score %m, %t, %hyp, %ref {weights = [0.25, 0.25, 0.25, 0.25], smoothing = #sdp.smoothing<method5>, compat = #sdp.compat<nltk>} : (tensor<4x?xi64>, tensor<4x?xi64>, tensor<?xi32>, tensor<?x?xi32>) -> tensor<?xf64>
  return
}

// -----

func.func @dict_prefix_order(%cw: tensor<?x?x1xi32>, %cl: tensor<?xi32>, %rw: tensor<?x?x?x1xi32>, %rl: tensor<?x?xi32>, %p: tensor<?x?xi32>, %q: tensor<?x?x?xi32>) {
  // expected-error @+1 {{prefix ids need n-grams of order 2 or more}}
  %a, %b, %c = sdp.ngram_dict %cw, %cl, %rw, %rl prefix(%p, %q) : (tensor<?x?x1xi32>, tensor<?xi32>, tensor<?x?x?x1xi32>, tensor<?x?xi32>, tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return
}

// -----

func.func @dict_prefix_shape(%cw: tensor<4x?x2xi32>, %cl: tensor<4xi32>, %rw: tensor<4x?x?x2xi32>, %rl: tensor<4x?xi32>, %p: tensor<3x?xi32>, %q: tensor<4x?x?xi32>) {
  // expected-error @+1 {{candidate prefix ids has size 3 in dimension 0 but [B, Lc] needs 4}}
  %a, %b, %c = sdp.ngram_dict %cw, %cl, %rw, %rl prefix(%p, %q) : (tensor<4x?x2xi32>, tensor<4xi32>, tensor<4x?x?x2xi32>, tensor<4x?xi32>, tensor<3x?xi32>, tensor<4x?x?xi32>) -> (tensor<4x?xi32>, tensor<4x?x?xi32>, tensor<4xi32>)
  return
}

// -----

func.func @chain_rank(%p: tensor<?xi32>, %cl: tensor<?xi32>, %q: tensor<?x?x?xi32>, %rl: tensor<?x?xi32>, %n: index) {
  // expected-error @+1 {{candidate prefix ids must have rank 2 ([B, Lc]), got 'tensor<?xi32>'}}
  %a, %b, %c = sdp.ngram_chain %p, %cl, %q, %rl, %n : (tensor<?xi32>, tensor<?xi32>, tensor<?x?x?xi32>, tensor<?x?xi32>, index) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return
}

// -----

func.func @chain_batch(%p: tensor<2x5xi32>, %cl: tensor<2xi32>, %q: tensor<3x1x5xi32>, %rl: tensor<3x1xi32>, %n: index) {
  // expected-error @+1 {{reference prefix ids has size 3 in dimension 0 but [B, R, Lr] needs 2}}
  %a, %b, %c = sdp.ngram_chain %p, %cl, %q, %rl, %n : (tensor<2x5xi32>, tensor<2xi32>, tensor<3x1x5xi32>, tensor<3x1xi32>, index) -> (tensor<2x5xi32>, tensor<3x1x5xi32>, tensor<2xi32>)
  return
}

// -----

func.func @chain_result_shape(%p: tensor<2x5xi32>, %cl: tensor<2xi32>, %q: tensor<2x1x5xi32>, %rl: tensor<2x1xi32>, %n: index) {
  // expected-error @+1 {{candidate ids has size 4 in dimension 1 but [B, Lc] needs 5}}
  %a, %b, %c = sdp.ngram_chain %p, %cl, %q, %rl, %n : (tensor<2x5xi32>, tensor<2xi32>, tensor<2x1x5xi32>, tensor<2x1xi32>, index) -> (tensor<2x4xi32>, tensor<2x1x5xi32>, tensor<2xi32>)
  return
}

// -----

func.func @chain_order_one(%p: tensor<?x?xi32>, %cl: tensor<?xi32>, %q: tensor<?x?x?xi32>, %rl: tensor<?x?xi32>) {
  %n = arith.constant 1 : index
  // expected-error @+1 {{chains orders of 2 or more (an n-gram's prefix is an (n-1)-gram), got order 1}}
  %a, %b, %c = sdp.ngram_chain %p, %cl, %q, %rl, %n : (tensor<?x?xi32>, tensor<?xi32>, tensor<?x?x?xi32>, tensor<?x?xi32>, index) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return
}

// -----

func.func @vector_compress_mask_lanes(%v: vector<16xi32>, %m: vector<8xi1>) {
  // expected-error @+1 {{failed to verify that mask has one i1 per lane of values}}
  %0 = "sdp.vector_compress"(%v, %m) : (vector<16xi32>, vector<8xi1>) -> vector<16xi32>
  return
}

// -----

func.func @vector_compress_result_type(%v: vector<16xi32>, %m: vector<16xi1>) {
  // expected-error @+1 {{failed to verify that all of {values, result} have same type}}
  %0 = "sdp.vector_compress"(%v, %m) : (vector<16xi32>, vector<16xi1>) -> vector<16xi64>
  return
}

// -----

func.func @vector_compress_scalable(%v: vector<[4]xi32>, %m: vector<[4]xi1>) {
  // expected-error @+1 {{needs a fixed-length vector}}
  %0 = "sdp.vector_compress"(%v, %m) : (vector<[4]xi32>, vector<[4]xi1>) -> vector<[4]xi32>
  return
}

// -----

func.func @vector_compress_rank(%v: vector<2x4xi32>, %m: vector<2x4xi1>) {
  // expected-error @+1 {{'values' must be vector of signless integer or floating-point values of ranks 1}}
  %0 = sdp.vector_compress %v, %m : vector<2x4xi32>
  return
}
