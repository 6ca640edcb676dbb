//===- ConversionPasses.td - sdp conversions ----------*- tablegen -*-===//

#ifndef SDP_CONVERSION_PASSES_TD
#define SDP_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertSdpToLinalgPass : Pass<"convert-sdp-to-linalg"> {
  let summary = "Lower sdp.contract to linalg.generic";
  let description = [{
    Rewrites every `sdp.contract` into a `linalg.generic` on a result that is
    first filled with the semiring's 0̄: result letters become parallel
    iterators, reduced letters become reduction iterators, and the body is
    `acc ⊕ (in_0 ⊗ in_1 ⊗ ...)` as materialised by the semiring attribute.
    Dynamic result sizes are read from an input that carries the same letter.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def ConvertSdpToSCFPass : Pass<"convert-sdp-to-scf"> {
  let summary = "Lower sdp.scan to scf.for";
  let description = [{
    Rewrites every `sdp.scan` into an `scf.for` over the steps of its axis.
    Carried values become loop-carried values; per-step outputs are inserted
    into loop-carried tensors of the stacked shape; each step extracts a
    rank-reduced slice of every sequence and inlines the body. A `reverse`
    scan iterates `t = N-1-i`.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect"];
}

def ConvertNgramToSCFPass : Pass<"convert-ngram-to-scf"> {
  let summary = "Lower the n-gram primitives and sdp.bleu_score";
  let description = [{
    * `sdp.sequence_lengths` and `sdp.ngram_clip`: `linalg.generic`
      reductions (vectorized later like any other);
    * `sdp.ngram_extract`: a `linalg.generic` gathering each window;
    * `sdp.ngram_dict`: per example, an open-addressing hash table of
      candidate window positions (size the next power of two at least twice
      the candidate length, linear probing, exact token-by-token key
      comparison) built and probed with `scf.for`/`scf.while` over buffers;
      windows made by `sdp.ngram_extract` are read straight from the tokens
      and never materialized;
    * `sdp.ngram_count`: a scatter-add loop into a zeroed buffer; counts
      read only by `sdp.ngram_clip` are fused into it instead: per example,
      candidate counts, each reference's counts and their running maximum in
      O(num_unique) scratch, so no `[B, R, U]` tensor is built;
    * `sdp.bleu_score`: straight-line float64 arithmetic per sentence (or
      once over summed statistics) reproducing NLTK's or sacreBLEU's
      formulas, with the smoothing method unrolled over the orders.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def ConvertSdpToGPUPass : Pass<"convert-sdp-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower sdp.linear_chain to GPU kernels with host copies";
  let description = [{
    Rewrites every `sdp.linear_chain` that returns only scores into
    `gpu.launch` kernels on device copies of its operands:

    * one thread block per sequence and one thread per state (a block-stride
      loop when there are more states than threads); the whole time loop runs
      inside the kernel, with the two most recent forward vectors in shared
      memory and one `gpu.barrier` per step, so the number of launches does
      not depend on the sequence length;
    * under `#sdp.log` with factored potentials, a first kernel computes
      `P = exp(transitions - colmax)` once; each step then rescales the
      forward vector by its maximum, exponentiates it once per state into
      shared memory and takes a real matrix-vector product with `P` (one `exp`
      per state and step instead of one per transition);
    * under `#sdp.log` with full potentials, each state takes a two-pass
      (max, then sum of exp) log-sum-exp over its predecessors;
    * under other semirings, each state folds `⊕` over `alpha ⊗ transition`
      as the semiring attribute builds them.

    Operands are copied to the device with `gpu.memcpy`, scores copied back
    into a host buffer, and device buffers freed. Any other sdp operation,
    and `sdp.linear_chain` with a Viterbi path, has no GPU lowering yet: the
    pass reports it and fails.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

#endif // SDP_CONVERSION_PASSES_TD
