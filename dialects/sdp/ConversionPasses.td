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
  let summary = "Lower sdp.scan to scf.for and the loop-shaped sdp ops to loops";
  let description = [{
    Rewrites every `sdp.scan` into an `scf.for` over the steps of its axis.
    Carried values become loop-carried values; per-step outputs are inserted
    into loop-carried tensors of the stacked shape; each step extracts a
    rank-reduced slice of every sequence and inlines the body. A `reverse`
    scan iterates `t = N-1-i`.

    Rewrites every `sdp.alignment` into loops over the pairs. Float grids
    are swept in strips of one vector of rows (16 f32 or 8 f64 lanes),
    skewed so that lane k of step t computes cell (first + k, t - k): its
    neighbours are lanes of the previous two steps (a shuffle brings in the
    row above the strip), its weights are gathered, and ⊕ of the three terms
    is `SemiringAttrInterface::buildSum` on whole vectors. Other element
    types go row by row, one row carried in a buffer.

    Rewrites `sdp.scatter` into a loop nest that ⊕-adds one value at a
    time, `sdp.max_arborescence` into Chu-Liu-Edmonds loops, and
    `sdp.logdet` / `sdp.inverse` into elimination loops with partial
    pivoting, all over buffers.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::vector::VectorDialect"];
}

def ConvertNgramToSCFPass : Pass<"convert-ngram-to-scf"> {
  let summary = "Lower the n-gram primitives and sdp.bleu_score";
  let description = [{
    * `sdp.sequence_lengths`: per row, a `vector-size`-lane running minimum
      of pad positions (the length where no pad), reduced once per row;
    * `sdp.ngram_clip` (counts not fused, see below): `linalg.generic`
      reductions, vectorized later like any other;
    * `sdp.ngram_extract`: a `linalg.generic` gathering each window;
    * `sdp.ngram_dict`, by key kind:
      - with prefix ids (and `sdp.ngram_chain`, the same with a run-time
        order): an n-gram is the pair of its (n-1)-gram prefix and suffix
        ids. When fewer than 4 in 5 candidate windows have a new prefix (the
        bigrams of skewed tokens) and the candidate is below 2^21 positions,
        every pair goes to a hash table whose i64 slots hold the key and the
        id (32 slots per candidate window up to 256 KiB, else 4; Fibonacci
        hash, linear probing, no branch on whether the pair is new; a window
        with the key of one of the two windows before it reuses its id;
        each example empties only the slots it filled). The references look
        it up `vector-size` windows at a time: the lanes' slots are gathered
        (`vector.gather`) and only lanes whose slot holds another pair probe
        on. Otherwise the first pair seen per prefix id is kept inline (one
        i64: suffix id, id, and whether the prefix starts other n-grams),
        further pairs of a repeated prefix go to a pair hash table; no
        tokens are read; reference windows whose prefix or suffix is unknown
        are skipped: the others are compacted `vector-size` positions at a
        time (`sdp.vector_compress` of the positions whose two ids are
        known, stored whole).
        An example whose prefix ids are their positions (its (n-1)-grams
        all distinct, the common case from bigrams on) needs no list: its
        n-gram ids are positions too, and a reference window (p, q) matches
        exactly when q = p + 1, tested a vector at a time;
      - unigrams: a table indexed by token value, filled once per call and
        reset per example, when the candidates' token range (found at run
        time) is below 2^22 values and 16 per window of the batch plus 2^16;
        otherwise hashed as below;
      - otherwise: a per-example open-addressing hash table whose slots hold
        a candidate n-gram's id and its n tokens (size the next power of two
        at least four times the candidate length, linear probing, exact
        comparison);
      built and searched with `scf.for`/`scf.while` over buffers; windows
      made by `sdp.ngram_extract` are read straight from the tokens and
      never materialized;
    * `sdp.ngram_count`: a scatter-add loop into a zeroed buffer; counts
      read only by `sdp.ngram_clip` are fused into it instead: per example,
      candidate counts, each reference's counts and their running maximum in
      O(num_unique) scratch, so no `[B, R, U]` tensor is built; the ids
      that are not -1 are compacted `vector-size` at a time
      (`sdp.vector_compress`, stored whole) and only they are counted. An
      example whose
      candidate ids are their positions counts nothing for the candidate,
      and one whose candidate n-grams all occur once only marks the ids the
      references have (its clipped count is 0 or 1);
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
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
  let options = [
    Option<"vectorSize", "vector-size", "int64_t", /*default=*/"16",
           "Lanes of the vectors that scan rows (lengths, dictionary, counting)">
  ];
}

def ConvertSdpVectorToLLVMPass : Pass<"convert-sdp-vector-to-llvm"> {
  let summary = "Lower sdp's vector helpers to LLVM intrinsic calls";
  let description = [{
    `sdp.vector_compress` becomes a call of `llvm.experimental.vector.compress`
    with a poison pass-through. The helpers stay pure sdp ops until here so
    that bufferization's analyses never meet a call of unknown effects; the
    host's LLVM lowering runs this pass first.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def ConvertMathToLibdevicePass
    : Pass<"sdp-convert-math-to-libdevice", "::mlir::gpu::GPUModuleOp"> {
  let summary = "Call libdevice for the math a kernel has no instruction for";
  let description = [{
    Rewrites `math` ops on f32 and f64 that NVPTX has no instruction for
    (`exp`, `exp2`, `expm1`, `log`, `log2`, `log10`, `log1p`, `tanh`, `sin`,
    `cos`, `erf`) into `llvm.call`s of libdevice's `__nv_*` functions
    (`__nv_exp`, `__nv_expf`, ...), declared in the `gpu.module`.

    The GPU pipeline runs it after the f32 polynomial approximations and
    before `convert-math-to-llvm`: the latter would otherwise turn f64
    `exp`/`log` into LLVM intrinsics that NVPTX cannot select, while the ops
    that do have instructions (`fma`, `sqrt`, ...) still become intrinsics.
    `gpu-module-to-binary` links libdevice; `sdp-check-libdevice` fails
    compilation when there is none to link.
  }];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def ConvertSdpToGPUPass : Pass<"convert-sdp-to-gpu", "::mlir::ModuleOp"> {
  let summary = "Lower sdp.linear_chain, sdp.alignment, sdp.bleu, "
                "sdp.contract and scans of contractions to GPU kernels";
  let description = [{
    Rewrites named ops into `gpu.launch` kernels on device copies of their
    operands (`gpu.alloc` + `gpu.memcpy` in, results copied back into host
    buffers, device buffers freed):

    `sdp.linear_chain` (f32 or f64, any float semiring, factored or full
    potentials, with or without a Viterbi path):

    * one thread block per sequence and one thread per state (a block-stride
      loop when there are more states than threads); the whole time loop runs
      inside the kernel, with the two most recent forward vectors in shared
      memory and a `gpu.barrier` per phase, so the number of launches does not
      depend on the sequence length;
    * under `#sdp.log` with factored potentials, a first kernel computes
      `P = exp(transitions - colmax)` once; each step then rescales the
      forward vector by its maximum, exponentiates it once per state into
      shared memory and takes a real matrix-vector product with `P` (one `exp`
      per state and step instead of one per transition);
    * under `#sdp.log` with full potentials, each state takes a two-pass
      (max, then sum of exp) log-sum-exp over its predecessors;
    * under other semirings, each state folds `⊕` over `alpha ⊗ transition`
      as the semiring attribute builds them; with a path, the fold also keeps
      the argmax (the witness rule of `sdp.contract`) as a backpointer in
      device memory, and thread 0 follows them back.

    With `tensor-cores`, f32 chains under `#sdp.log` with factored
    potentials take a tensor-core kernel when their state count, rounded up
    to 16, is at most 384: 16 sequences share a block, and each step's
    products of the sixteen exp-shifted forward vectors with `P` form one
    `[16 × C] · [C × C]` GEMM on WMMA m16n16k8 tiles (`gpu.subgroup_mma_*`,
    sm_80 and later). Both operands are split into a TF32 head and tail and
    the three significant products summed (3xTF32), which keeps float32
    accuracy. Larger state counts fall back to the kernel above at run time.

    `sdp.alignment` (f32 or f64, any float semiring): one thread block per
    pair sweeps the anti-diagonals of its grid inside the kernel (a barrier
    per diagonal, the diagonal's cells spread over the threads), with the
    last three diagonals in shared memory, or in a global scratch buffer
    when they exceed 96 KiB.

    `sdp.bleu`: one fused kernel, one thread block per sentence, computes the
    statistics of every n-gram order: sentence lengths by atomic minimum over
    pad positions, then per order a hash table of the candidate's n-grams in
    shared memory (distinct n-grams claim a slot by compare-and-swap),
    candidate counts per slot, each reference's counts per slot and their
    running maximum, and the clipped sum. No sort, no dense count matrix and
    no host synchronisation between orders. The block's first thread then
    applies the float64 formula of `sdp.bleu_score` (the compat mode's) to
    its sentence; a corpus score takes a second, one-block kernel that sums
    the per-sentence statistics in shared memory and scores them. Only the
    scores leave the device.

    `sdp.contract` (f32 or f64, any float semiring), outside a scan body: one
    thread per result element folds ⊕ over the reduced letters, reading each
    input at its letters' coordinates (a repeated letter reads a diagonal);
    under `#sdp.log` the fold is exp-shifted (a max pass, then one sum of
    exps and one log), under a selective semiring with one reduced letter it
    also keeps the witness (ties keep the first position).

    `sdp.scan` whose body is `sdp.contract` ops (f32 or f64, no witnesses):
    one kernel of one thread block runs the whole time loop (backwards with
    `reverse`); each step's contractions share their result elements among
    the block's threads, each into a scratch buffer, with a barrier after
    each; the yielded values are then copied into the carried buffers
    (through staging buffers when a yield reads another carried value).
    Slices are read in place at the step's position. One block uses one SM:
    the named ops above are the fast path for the structures they cover.

    f64 `exp` and `log` in the kernels stay `math` ops, which the GPU
    pipeline turns into libdevice calls (`sdp-convert-math-to-libdevice`).

    With `device-resident`, the functions' tensor arguments and results live
    in GPU memory: operands are read in place and results are the kernels'
    device buffers, with no copy and no host buffer; only temporaries are
    freed. The lowered code then only enqueues work on its stream, which a
    caller may capture into a CUDA graph (see `sdpGpuSetStream` in
    `sdp/Runtime/GPU.h`). Every tensor of such a function must therefore be
    an argument, a result, or an sdp operation's operand or result: host code
    on a tensor (a `tensor.extract`, a constant tensor operand) is an error,
    as is an `sdp.bleu_score` of its own, which would run on the host. The
    caller owns the returned buffers, so each kernel result must be returned
    exactly once and used by nothing else, and no argument may be returned.

    Any other sdp operation (a scan with another body, reported as a whole;
    the n-gram primitives) or element type has no GPU lowering yet: the pass
    reports it and fails.
  }];
  let options = [
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"false",
           "Run the factored log-semiring linear-chain step on tensor cores "
           "(3xTF32 WMMA, sm_80 and later)">,
    Option<"deviceResident", "device-resident", "bool", /*default=*/"false",
           "Tensor arguments and results are device memory: no copies in or "
           "out, so that calls can be captured into CUDA graphs">
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect",
                           "::mlir::cf::ControlFlowDialect",
                           "::mlir::bufferization::BufferizationDialect",
                           "::mlir::memref::MemRefDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

#endif // SDP_CONVERSION_PASSES_TD
