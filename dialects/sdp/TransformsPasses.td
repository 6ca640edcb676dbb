//===- TransformsPasses.td - sdp transforms ----------------*- tablegen -*-===//

#ifndef SDP_TRANSFORMS_PASSES_TD
#define SDP_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def DecomposeNamedOpsPass : Pass<"sdp-decompose-named-ops"> {
  let summary = "Rewrite named structure ops into the sdp core";
  let description = [{
    Rewrites `sdp.linear_chain` into `sdp.scan` over `sdp.contract`s (plus
    element-wise `linalg.generic`s for ragged-length masking):

    * the forward recursion under the op's semiring, with factored or full
      edge potentials; steps at or beyond a sequence's length keep its state;
    * with a `path` result, contraction witnesses recorded as backpointers
      and a reverse scan that follows them;
    * under a semiring with `admitsExpShiftedReduction` (log) and factored
      potentials, the real-arithmetic form: `P = exp(transitions - colmax)`
      once, then per step `m = max_k alpha`, `s = exp(alpha - m) · P` (a real
      matrix product) and `alpha' = log s + m + colmax + emissions`. It is
      guarded by an `scf.if` on the widest spread of a column of finite
      transitions (at most 40 in f32, 300 in f64, where no term that matters
      can underflow); wider columns take the log-space recursion. With
      `batch-minor-labels` = N > 0, a second `scf.if` picks, for fewer than
      N labels and at least N sequences (or at most N/2 labels and at least
      N/2 sequences), the same recursion on a label-major state `[C, B]`
      (emissions transposed once to `[C, T-1, B]`): code generation that
      vectorizes along the last axis then runs its vectors across the
      batch, so a small tag set fills them (C = 9 would use 9 lanes of 16
      along the labels). A batch of less than a vector pays for masked
      vectors across the batch in every op, which only the smallest tag
      sets make up for.

    Rewrites `sdp.semi_markov` into one `sdp.scan` over start positions
    whose carried state is a window of `K` partial sums (entry `j`: the
    segmentations ending `j + 1` positions later), with contraction
    witnesses and a reverse scan for the best segmentation (see the op).

    Rewrites `sdp.ctc` into an `sdp.gather` of each extended-target
    state's log-probability per frame and one `sdp.scan` over frames whose
    step is a three-term contraction (stay, advance, skip a blank), with
    witnesses and a reverse scan for the forced alignment (see the op).

    Rewrites the tree structures into chart scans over span width
    (`ChartBuilder`): `sdp.cky` and `sdp.pcfg` with one split-point
    contraction per step (the PCFG's over symbol pairs, then its rules),
    `sdp.eisner` with three (complete and incomplete spans), each chart kept
    by start and by end and declared `write_once`; their best trees as an
    `sdp.vjp` of the best score (materialised by a later
    `-sdp-generate-adjoints`). Rewrites `sdp.matrix_tree` under `#sdp.log`
    into the Laplacian of the shifted arc weights and its `sdp.logdet`, and
    under `#sdp.max` / `#sdp.min` into `sdp.max_arborescence` (the best
    tree) and a gather of the tree's arcs (its score).

    Rewrites `sdp.bleu` into `sdp.sequence_lengths` and, per order,
    dictionary → `sdp.ngram_count` → `sdp.ngram_clip`, whose `[orders,
    batch]` matches and totals feed `sdp.bleu_score`. The first order of
    each run of consecutive orders numbers its tokens (`sdp.ngram_extract`
    → `sdp.ngram_dict`); the others chain on the previous order's ids
    (`sdp.ngram_chain`) in one `scf.for` over the orders, so the code does
    not grow with `max_n`. With
    `bleu-batch-tile` > 0 the per-order statistics run in an `scf.for` over
    tiles of that many examples: every order of a tile runs before the next
    tile, so what one order writes is still in cache when the next reads it.
  }];
  let options = [
    Option<"bleuBatchTile", "bleu-batch-tile", "int64_t", /*default=*/"32",
           "Examples per tile of sdp.bleu's n-gram statistics (0: untiled)">,
    Option<"batchMinorLabels", "batch-minor-labels", "int64_t",
           /*default=*/"0",
           "N > 0: the linear chain's factored log-semiring forward carries "
           "its state label-major ([C, B], vectors across the batch) when it "
           "has fewer than N labels and at least N sequences, or at most N/2 "
           "labels and at least N/2 sequences (a run-time choice); 0: never">
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::scf::SCFDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect"];
}

def GenerateAdjointsPass : Pass<"sdp-generate-adjoints", "::mlir::ModuleOp"> {
  let summary = "Derive adjoint (VJP) functions and materialise sdp.vjp";
  let description = [{
    For every callee named by an `sdp.vjp`, builds the private function
    `@<callee>_adjoint` (renamed on a clash) that computes its
    vector-Jacobian product, and replaces each `sdp.vjp` with a `func.call`
    of it. The callee itself is left unchanged.

    The adjoint is derived on the core, in reverse mode:

    * the callee is copied, its `func.call`s inlined and its named ops
      decomposed (`-sdp-decompose-named-ops`);
    * a forward sweep re-emits the copy; each `sdp.scan` also records its
      float carried state before every step in a tape tensor
      `[steps, carried shape]`, and each selective contraction with one
      reduced index also computes its witness;
    * a backward sweep visits the ops in reverse. An `sdp.scan` becomes a
      scan in the other direction that re-runs one primal step from the tape
      and then that step's adjoint, carrying the cotangents of the carried
      state, of the float tensors the body reads from above, and of the
      sequences (one slice per step). An `sdp.contract` becomes, per float
      input, a fused `linalg.generic` weighting each term by its share of
      the result (posterior under `#sdp.log`, the witness's term under
      `#sdp.max`/`#sdp.min`) or, under `#sdp.real`, an `#sdp.real`
      contraction. An element-wise `linalg.generic` becomes, per float
      input, a `linalg.generic` holding its body's forward-mode derivative.
      Tensor slicing and casts move cotangents between regions.

    Memory: one carried state per scan step (for a linear chain,
    `B·C` floats per position), plus the cotangents; nothing per term.

    Ops without a rule (reductions in `linalg.generic`, contractions with a
    repeated index, integer-valued semirings, ...) fail the pass with a
    diagnostic naming the op. Integer values (lengths, paths, witnesses)
    carry no cotangents.
  }];
  let options = [
    Option<"batchMinorLabels", "batch-minor-labels", "int64_t",
           /*default=*/"0",
           "Decompose the copies as -sdp-decompose-named-ops with the same "
           "option does (label-major linear-chain states below N labels)">
  ];
  let dependentDialects = ["::mlir::func::FuncDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::scf::SCFDialect"];
}

def TileAndVectorizePass : Pass<"sdp-tile-and-vectorize"> {
  let summary = "Tile linalg ops to vectors along their contiguous axis";
  let description = [{
    For every `linalg.generic` and `linalg.fill` on tensors: picks the loop
    of the contiguous (last) dimension of the highest-rank operand (the
    result on ties) as the vector loop, tiles it by `vector-size` and every
    other loop by 1 (`scf::tileUsingSCF`), peels the partial last tile off the
    vector loop (`scf::peelForLoopAndSimplifyBounds`), vectorizes each tile
    (`linalg::vectorize`) and drops the unit vector dimensions. Full tiles
    need no mask; the one partial tile per row is masked, so dynamic sizes
    need no scalar remainder loop. (Masked stores are microcoded on AMD Zen
    and block register promotion: keeping them out of the main loop made the
    linear chain's factored forward 5x faster there.)

    When the vector loop is a parallel dimension, the reduction loops are
    tiled inside it, so each output vector accumulates over the whole
    reduction (`sdp-hoist-vector-accumulators` then keeps it in registers).
    Such tiles are `accumulator-tiles` vectors wide: as many independent
    accumulators hide the latency of the reduction's adds, as a GEMM kernel
    does (4 x 16 f32 lanes = 8 AVX2 registers). The rest of each row is
    tiled again with half as many vectors per tile, down to one vector
    (full ones, then one masked): a row of 32 runs on 32-lane tiles.
    With `accumulator-rows` R > 1 the full-width tiles also take R rows of
    the innermost other parallel loop (R x 4 accumulators, a GEMM kernel's
    register block), so each vector loaded from the reduced operand feeds R
    multiply-adds; rows past the last whole block run one at a time. The
    CPU pipeline uses R = 2 (the factored linear chain's forward and VJP at
    C = 64: 7-8% faster on Zen 4; R = 4 gained nothing more).
    A reduction along the vector loop (a row maximum, say) becomes a vector
    reduction whose lanes past the end hold the combiner's identity. Ops the
    vectorizer rejects (reductions with several results) are left as they
    are.
  }];
  let options = [
    Option<"vectorSize", "vector-size", "int64_t", /*default=*/"16",
           "Elements per vector along the innermost dimension">,
    Option<"accumulatorTiles", "accumulator-tiles", "int64_t",
           /*default=*/"4",
           "Vectors per tile when reductions run inside the vector loop">,
    Option<"accumulatorRows", "accumulator-rows", "int64_t",
           /*default=*/"1",
           "Rows of another parallel loop per full-width accumulating tile">
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect",
                           "::mlir::vector::VectorDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::affine::AffineDialect"];
}

def HoistVectorAccumulatorsPass : Pass<"sdp-hoist-vector-accumulators"> {
  let summary = "Carry reduction loops' accumulators in vector registers";
  let description = [{
    For every `scf.for` (inner loops first) on tensors: moves loop-invariant
    code out (tile sizes and masks, which tiling computes in the innermost
    body), then hoists matching
    loop-invariant subset extraction/insertion pairs on an iter_arg out of the
    loop (upstream `hoistLoopInvariantSubsets`): first a
    `tensor.extract_slice`/`tensor.insert_slice` pair, then, on the new
    iter_arg, a `vector.transfer_read`/`vector.transfer_write` pair, which
    makes the loop carry a vector: one read before the loop, one write after
    it. (Vector transfers are subsets once the vector dialect's
    SubsetOpInterface models are registered, which sdp's registry does.)

    Then a loop whose accumulator is updated by a `vector.multi_reduction`
    of a `1 x ... x 1 x W` vector along its last dimension (a dot product or
    row maximum along the vector loop; one-element reshapes around the
    accumulator are looked through) carries W lanes instead, combined
    lane-wise with the reduction's identity as their start, and one
    `vector.reduction` with `fastmath<reassoc>` after the loop folds them
    into the accumulator. That replaces W dependent scalar operations per
    iteration (f32 adds are not reassociated) with one vector operation.
    Sums are then added in a different order: lane-wise partial sums, then
    a tree.

    `sdp-tile-and-vectorize` runs each reduction loop inside the vector loop
    of a parallel dimension, so a contraction such as `bk,kc->bc` becomes
    `for b, for c (16 lanes), for k: acc += x[b,k] * P[k,c:c+16]`; after this
    pass `acc` stays in registers across `k` instead of being loaded and
    stored once per term. Run it after masks are lowered and the IR is
    canonicalized, so that full tiles have static slices and no masks;
    partial (masked) tiles are left as they are.
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect"];
}

def ApproximateMathPass : Pass<"sdp-approximate-math"> {
  let summary = "Replace exp, log and friends with polynomial approximations";
  let description = [{
    Applies upstream `populateMathPolynomialApproximationPatterns` so that
    `math.exp`, `math.log`, `math.log1p`, ... on scalars and vectors become
    straight-line `arith` code (accurate to a few ulp in f32) instead of
    scalar libm calls: vector lanes stay in registers in hot loops.

    With `expand-rounding`, the `math.floor` those polynomials use becomes
    arith alone (truncation through i64, a step down when that rounded up,
    magnitudes of 2^mantissa and more passed through). This is for targets
    whose lowering would make floor a library call: NVVM lowering maps it
    (and the copysign and fabs of upstream's ceil expansion) to libdevice
    functions, unresolved externs in the PTX.
  }];
  let options = [
    Option<"expandRounding", "expand-rounding", "bool", /*default=*/"false",
           "Also expand floor into arith operations">
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def SplitMaskedStoresPass : Pass<"sdp-split-masked-stores"> {
  let summary = "Store prefix-masked vectors without masked store instructions";
  let description = [{
    Rewrites each 1-D `vector.transfer_write` into a buffer whose mask is a
    `vector.create_mask %n` prefix (the tail of a row that is not a whole
    vector: every row when a dimension, such as a tag set of 9, is smaller
    than the vector) into unmasked stores of the 256-bit pieces that the
    first `%n` lanes cover, each under an `scf.if`, and an `scf.for` that
    stores the remaining lanes (fewer than a piece) one by one:

    ```mlir
    vector.transfer_write %v, %m[%i], %mask {in_bounds = [true]}
        : vector<16xf32>, memref<?xf32>      // %mask = vector.create_mask %n
    // becomes: n' = clamp(%n, 0, 16)
    //   if n' >= 8:  write %v[0:8] at %i;  if n' >= 16: write %v[8:16] at %i+8
    //   for k in [8 * (n' / 8), n'): store %v[k] at %i + k
    ```

    Same memory effects: exactly the lanes the mask enables are written.
    AMD's Zen cores execute AVX masked stores (VMASKMOVPS) as microcode,
    about 24 cycles each on Zen 3 against about one for a plain store, so
    the CPU pipeline runs this pass when the host is such a core without
    AVX-512 (`split-masked-stores`, which the JIT sets from the host CPU's
    name and features; with AVX-512, as on Zen 4, masked stores go through
    a mask register and are fast).
    Masked loads are fast there and are left alone, as are masks of any
    other form.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect", "::mlir::memref::MemRefDialect",
    "::mlir::vector::VectorDialect", "::mlir::arith::ArithDialect"
  ];
}

def TreeVectorReductionsPass : Pass<"sdp-tree-vector-reductions"> {
  let summary = "Reduce float min/max vectors by halving, not lane by lane";
  let description = [{
    Rewrites each `vector.reduction` of kind `maxnumf`, `minnumf`,
    `maximumf` or `minimumf` over a 1-D vector of a power-of-two number of
    lanes into a tree: the vector's upper half is combined with its lower
    half, lane-wise, until one lane is left, which is combined with the
    accumulator (if any):

    ```mlir
    %m = vector.reduction <maxnumf>, %v, %acc : vector<16xf32> into f32
    // becomes
    %h8 = arith.maxnumf %v[0:8], %v[8:16] : vector<8xf32>   // extract_strided_slice
    %h4 = arith.maxnumf %h8[0:4], %h8[4:8] : vector<4xf32>
    %h2 = ...;  %h1 = ... : vector<1xf32>
    %m = arith.maxnumf (vector.extract %h1[0]), %acc : f32
    ```

    The four kinds are commutative and associative (up to the sign of a
    zero that compares equal to the other operand, which IEEE leaves to
    the implementation), so the result is the reduction's. LLVM lowers these
    reductions on x86 without `nnan` as a chain of scalar steps, three
    instructions per lane each waiting on the last (a NaN test, a max, a
    blend): for the row maximum of a log-sum-exp over 16 lanes, a third of
    a small linear chain's forward. The tree has log2(lanes) vector steps.
    Integer and additive reductions are left alone (LLVM reduces integers by
    halving already; float sums are not reassociated).
  }];
  let dependentDialects = [
    "::mlir::vector::VectorDialect", "::mlir::arith::ArithDialect"
  ];
}

def ExpandStridedCopiesPass : Pass<"sdp-expand-strided-copies"> {
  let summary = "Copy non-contiguous buffers with loops, not the runtime";
  let description = [{
    Rewrites each `memref.copy` whose source or target is not contiguous
    (a column slice of a row-major tensor, say: the shifted state of a
    scan step) into `linalg.copy`, which `convert-linalg-to-loops` turns
    into a loop nest whose innermost loop walks the contiguous dimension
    and LLVM vectorizes. Left alone, such a copy calls the runtime's
    generic `memrefCopy`, which moves one element per `memcpy` call.
    Contiguous copies stay `memref.copy` (one `memcpy`).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def HoistLoopAllocationsPass : Pass<"sdp-hoist-loop-allocations"> {
  let summary = "Allocate a loop's scratch buffers once, not per iteration";
  let description = [{
    Moves each `memref.alloc` in the body of an `scf.for` whose sizes are
    defined outside the loop, and whose buffer is freed by one
    `memref.dealloc` in the same body and never leaves the iteration (no
    view of it is yielded, returned, passed to a call or branched with), to
    just before the loop, and its `memref.dealloc` to just after it. Every
    iteration then reuses one buffer, which it fully owns, instead of
    calling `malloc` and `free`: bufferization gives each scan step fresh
    buffers for its temporaries (the maxima, exponentials and products of a
    linear-chain step, a dozen in a reverse step of its adjoint), each a
    few KiB, and glibc serves those from its bins at a cost comparable to
    the step's arithmetic. Inner loops are handled first, so a buffer whose
    sizes are invariant in several enclosing loops leaves all of them.
    Runs after buffer deallocation, on memrefs.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def FoldAddIntoReductionsPass : Pass<"sdp-fold-add-into-reductions"> {
  let summary = "Accumulate a sum reduction into the tensor it is added to";
  let description = [{
    Rewrites `A + R`, an element-wise `linalg.generic` whose body is one
    `arith.addf` of its two inputs (identity maps, all loops parallel),
    where `R` has no other use, sits in the same block (so a reduction is
    never moved into a loop) and comes from a `linalg.generic` that starts
    from a zero `linalg.fill` and accumulates with `out + x`, into that
    reduction started from `A` instead:

    ```mlir
    %z = linalg.fill ins(%zero) outs(%e)
    %r = linalg.generic ... outs(%z) { ... %s = arith.addf %out, %x ... }
    %sum = linalg.generic ins(%a, %r) ... { arith.addf %in0, %in1 }
    // becomes
    %sum = linalg.generic ... outs(%a) { ... %s = arith.addf %out, %x ... }
    ```

    An adjoint's scan accumulates the cotangent of a tensor its body reads
    from above this way in every reverse step (the transition cotangent of
    a linear chain, `Σ_t Σ_b α[b, k] g[b, c]`): a contraction into a zeroed
    `[C, C]` buffer, then a pass that adds it to the carried sum. Started
    from the carried sum, the contraction updates it in place, without the
    fill or the extra pass. The sum is the same up to the order of the
    floating-point additions (`A` is added first, not last).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def FuseMultiplyAddPass : Pass<"sdp-fuse-multiply-add"> {
  let summary = "Fuse a contractible multiplication and the addition of its "
                "product into math.fma";
  let description = [{
    Rewrites `x + a * b` into `math.fma(a, b, x)` (scalars or vectors) when
    the `arith.mulf` carries the `contract` fast-math flag and its product
    has no other use. It looks through what vectorised reductions put
    between the two: a `vector.shape_cast` of the product (unit
    dimensions) and an `arith.select(%mask, %product, ±0.0)` (masked-off
    lanes), which becomes `arith.select(%mask, fma, x)` (the same sum, but
    for the sign of a zero `x` under a +0.0 mask value). The `#sdp.real` semiring marks its ⊗ and ⊕ this way,
    so that each term of a real contraction costs one fused multiply-add,
    rounded once instead of twice.

    Vectorisation loses the flag on the addition: a contraction's sum
    becomes a `vector.multi_reduction <add>`, whose lowering builds a plain
    `arith.addf`, and LLVM fuses only additions that permit contraction
    themselves. The multiplication's flag is taken as the permission here.

    ```mlir
    %p = arith.mulf %a, %b fastmath<contract> : vector<16xf32>
    %s = arith.addf %acc, %p : vector<16xf32>
    // becomes
    %s = math.fma %a, %b, %acc fastmath<contract> : vector<16xf32>
    ```
  }];
  let dependentDialects = ["::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def RefineBranchLayoutsPass : Pass<"sdp-refine-branch-layouts"> {
  let summary = "Give an scf.if's buffer results the layout both branches "
                "yield";
  let description = [{
    One-shot bufferization types an `scf.if` result with a fully dynamic
    layout (`strided<[?, ?], offset: ?>`) whenever it cannot prove both
    branches equal during analysis, and then casts each branch's buffer to
    that type, even when both branches in fact yield buffers of one
    identity-layout type. Every view of such a result then has an unknown
    innermost stride, and each vector read of it becomes a gather of
    scalars: the adjoint of a linear chain reads its forward's tapes out
    of the two layouts' `scf.if` this way, a fifth of its backward step.

    This pass rewrites each `scf.if` result whose yielded values, in both
    branches, are `memref.cast`s from one and the same type to that type,
    yields the cast sources directly, and casts the new result back to the
    old type for its users. The casts then fold into the users' views
    (subviews, transfers) in canonicalization, which sees unit strides
    again. Inner `scf.if`s are refined first, so nested branches refine
    their parents. Results that mix types are left alone.
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def MergeGPUModulesPass : Pass<"sdp-merge-gpu-modules", "::mlir::ModuleOp"> {
  let summary = "Gather all outlined kernels into one gpu.module";
  let description = [{
    `gpu-kernel-outlining` puts every kernel in a `gpu.module` of its own, so
    a function with several launches would embed several PTX images, each
    loaded separately at run time, and `sdpc --emit=ptx` could not print them
    as one assemblable file. This pass moves every `gpu.func` into the first
    `gpu.module` (renaming on clashes), retargets each `gpu.launch_func`, and
    erases the emptied modules. Modules that carry different target
    attributes are left alone.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def CheckLibdevicePass : Pass<"sdp-check-libdevice", "::mlir::ModuleOp"> {
  let summary = "Fail when kernels call libdevice and no libdevice is found";
  let description = [{
    Device math without a native instruction or a polynomial (f64 `exp` and
    `log`, for instance) lowers to calls of libdevice's `__nv_*` functions.
    `gpu-module-to-binary` links `nvvm/libdevice/libdevice.10.bc` from the
    CUDA toolkit it finds (`CUDA_HOME`, `CUDA_ROOT`, `CUDA_PATH`, or MLIR's
    configured path, or the `toolkit` option); without one the PTX keeps
    unresolved `.extern` functions and fails only when the driver loads it.
    This pass, run on NVVM-level `gpu.module`s, turns that into a
    compile-time error naming the first such function and where libdevice
    was looked for.
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
  let options = [
    Option<"toolkit", "toolkit", "std::string", /*default=*/"",
           "The CUDA toolkit gpu-module-to-binary links libdevice from "
           "(empty: MLIR's search of CUDA_ROOT, CUDA_HOME, CUDA_PATH)">
  ];
}

#endif // SDP_TRANSFORMS_PASSES_TD
