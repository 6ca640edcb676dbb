// Connectionist temporal classification, batch first:
//   log_probs[b, t, v] per-frame log-probabilities (log_softmax output),
//   targets[b, j] target symbols (entries past target_lengths[b] ignored),
//   input_lengths[b] frames and target_lengths[b] symbols (i32). Blank is 0.
//
// Run one function on .npy inputs:
//   sdp-run examples/ctc.mlir --entry=loss --input=log_probs.npy \
//     --input=targets.npy --input=input_lengths.npy --input=target_lengths.npy

// The negative log-likelihood of each target, as
// torch.nn.functional.ctc_loss(..., reduction="none"): +inf where the
// frames cannot hold the target.
func.func @loss(%log_probs: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %input_lengths: tensor<?xi32>, %target_lengths: tensor<?xi32>) -> tensor<?xf32> {
  %loss = sdp.ctc %log_probs, %targets, %input_lengths, %target_lengths semiring(#sdp.log)
            : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %loss : tensor<?xf32>
}

// The gradient of Σ_b d_loss[b] · loss[b] with respect to log_probs, derived
// by the compiler: minus each frame's posterior symbol occupancy, times
// d_loss (0 past each input length).
func.func @loss_vjp(%log_probs: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %input_lengths: tensor<?xi32>, %target_lengths: tensor<?xi32>, %d_loss: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %d = sdp.vjp @loss(%log_probs, %targets, %input_lengths, %target_lengths) cotangents(%d_loss)
      : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>)
  return %d : tensor<?x?x?xf32>
}

// Forced alignment: the best labeling's log-probability and the labeling,
// one symbol per frame (blanks included), -1 past each input length.
func.func @forced_align(%log_probs: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %input_lengths: tensor<?xi32>, %target_lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %score, %alignment = sdp.ctc %log_probs, %targets, %input_lengths, %target_lengths semiring(#sdp.max)
            : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score, %alignment : tensor<?xf32>, tensor<?x?xi32>
}

// The same loss with zero_infinity: 0 (and a zero gradient) where the
// frames cannot hold the target.
func.func @loss_zero_infinity(%log_probs: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %input_lengths: tensor<?xi32>, %target_lengths: tensor<?xi32>) -> tensor<?xf32> {
  %loss = sdp.ctc %log_probs, %targets, %input_lengths, %target_lengths semiring(#sdp.log) {zero_infinity}
            : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %loss : tensor<?xf32>
}

func.func @loss_zero_infinity_vjp(%log_probs: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %input_lengths: tensor<?xi32>, %target_lengths: tensor<?xi32>, %d_loss: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %d = sdp.vjp @loss_zero_infinity(%log_probs, %targets, %input_lengths, %target_lengths) cotangents(%d_loss)
      : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>)
  return %d : tensor<?x?x?xf32>
}
