// The forward algorithm of a linear-chain CRF, written with the sdp core.
//
//   alpha_0[b,c]   = emissions[b,0,c]
//   alpha_t[b,c]   = ⊕_k alpha_{t-1}[b,k] ⊗ transitions[k,c] ⊗ emissions[b,t,c]
//   result[b]      = ⊕_c alpha_{T-1}[b,c]
//
// Under #sdp.log the result is log Z; swap in #sdp.max for the Viterbi score
// or #sdp.min for the cheapest path. @main runs a batch of two sequences
// (T = 3, C = 2) under all three and prints the six scores, labelled.
//
// Run it: sdp-opt examples/crf_forward.mlir --sdp-cpu-pipeline |
//   mlir-runner -e main -entry-point-result=void
//     -shared-libs=$(llvm-config-22 --libdir)/libmlir_c_runner_utils.so
//     -shared-libs=build/lib/libsdp_runtime.so

// Splits emissions[B,T,C] into step 0 ([B,C]) and steps 1..T-1 ([B,T-1,C]).
func.func private @split_first_step(%emissions: tensor<?x?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %b = tensor.dim %emissions, %c0 : tensor<?x?x?xf32>
  %t = tensor.dim %emissions, %c1 : tensor<?x?x?xf32>
  %c = tensor.dim %emissions, %c2 : tensor<?x?x?xf32>
  %rest_len = arith.subi %t, %c1 : index
  %first = tensor.extract_slice %emissions[0, 0, 0] [%b, 1, %c] [1, 1, 1] : tensor<?x?x?xf32> to tensor<?x?xf32>
  %rest = tensor.extract_slice %emissions[0, 1, 0] [%b, %rest_len, %c] [1, 1, 1] : tensor<?x?x?xf32> to tensor<?x?x?xf32>
  return %first, %rest : tensor<?x?xf32>, tensor<?x?x?xf32>
}

// log Z: log of the summed exp-scores of all label sequences.
func.func @log_partition(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>) -> tensor<?xf32> {
  %first, %rest = call @split_first_step(%emissions) : (tensor<?x?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>)
  %alpha = sdp.scan along 1 init(%first : tensor<?x?xf32>) over(%rest : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%step: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %transitions, %emit semiring(#sdp.log)
              : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  %total = sdp.contract "bc->b" %alpha semiring(#sdp.log) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %total : tensor<?xf32>
}

// The Viterbi score: the best label sequence's score.
func.func @best_score(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>) -> tensor<?xf32> {
  %first, %rest = call @split_first_step(%emissions) : (tensor<?x?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>)
  %alpha = sdp.scan along 1 init(%first : tensor<?x?xf32>) over(%rest : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%step: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %transitions, %emit semiring(#sdp.max)
              : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  %total = sdp.contract "bc->b" %alpha semiring(#sdp.max) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %total : tensor<?xf32>
}

// The lowest label-sequence score.
func.func @cheapest_score(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>) -> tensor<?xf32> {
  %first, %rest = call @split_first_step(%emissions) : (tensor<?x?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>)
  %alpha = sdp.scan along 1 init(%first : tensor<?x?xf32>) over(%rest : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%step: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %transitions, %emit semiring(#sdp.min)
              : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  %total = sdp.contract "bc->b" %alpha semiring(#sdp.min) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %total : tensor<?xf32>
}

// Its gradient, derived by the compiler from the recurrence above: the
// cotangents of emissions and transitions of Σ_b d[b] · log Z_b (under
// #sdp.log, d = 1 gives the posterior marginals of the labels).
func.func @log_partition_vjp(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %d: tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>) {
  %d_em, %d_tr = sdp.vjp @log_partition(%emissions, %transitions) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>)
  return %d_em, %d_tr : tensor<?x?x?xf32>, tensor<?x?xf32>
}

// The best label sequence as an indicator: the best score's gradient.
func.func @best_score_vjp(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %d: tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>) {
  %d_em, %d_tr = sdp.vjp @best_score(%emissions, %transitions) cotangents(%d)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>, tensor<?x?xf32>)
  return %d_em, %d_tr : tensor<?x?x?xf32>, tensor<?x?xf32>
}

func.func private @print_scores(%scores: tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %scores, %c0 : tensor<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %v = tensor.extract %scores[%i] : tensor<?xf32>
    vector.print str "  sentence "
    vector.print %i : index punctuation <no_punctuation>
    vector.print str ": "
    vector.print %v : f32
  }
  return
}

func.func @main() {
  %em = arith.constant dense<[[[0.0, 1.0], [2.0, 0.5], [0.0, -1.0]],
                              [[1.5, -2.0], [0.25, 0.75], [-0.5, 3.0]]]> : tensor<2x3x2xf32>
  %tr = arith.constant dense<[[0.5, -0.5], [1.0, 0.0]]> : tensor<2x2xf32>
  %emissions = tensor.cast %em : tensor<2x3x2xf32> to tensor<?x?x?xf32>
  %transitions = tensor.cast %tr : tensor<2x2xf32> to tensor<?x?xf32>
  %logz = call @log_partition(%emissions, %transitions) : (tensor<?x?x?xf32>, tensor<?x?xf32>) -> tensor<?xf32>
  %best = call @best_score(%emissions, %transitions) : (tensor<?x?x?xf32>, tensor<?x?xf32>) -> tensor<?xf32>
  %cheapest = call @cheapest_score(%emissions, %transitions) : (tensor<?x?x?xf32>, tensor<?x?xf32>) -> tensor<?xf32>
  vector.print str "log Z (#sdp.log, sum over all paths):\n"
  call @print_scores(%logz) : (tensor<?xf32>) -> ()
  vector.print str "best path score (#sdp.max, Viterbi):\n"
  call @print_scores(%best) : (tensor<?xf32>) -> ()
  vector.print str "lowest path score (#sdp.min):\n"
  call @print_scores(%cheapest) : (tensor<?xf32>) -> ()
  return
}
