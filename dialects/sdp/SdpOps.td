//===- SdpOps.td - sdp generic core ops --------------------*- tablegen -*-===//

#ifndef SDP_OPS_TD
#define SDP_OPS_TD

include "sdp/SdpBase.td"
include "sdp/SemiringInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"

//===----------------------------------------------------------------------===//
// ContractOp
//===----------------------------------------------------------------------===//

def Sdp_ContractOp : Sdp_Op<"contract", [Pure]> {
  let summary = "semiring einsum";
  let description = [{
    An einsum whose sum is the ⊕ and whose product is the ⊗ of `semiring`.
    The `spec` names one index letter per dimension of each input and of the
    result, in einsum notation: `"bk,kc,bc->bc"`. With `I` the letters of the
    inputs and `O` those of the result,

    ```
    result[O] = ⊕_{letters in I \ O} ⊗_i input_i[letters of input i]
    ```

    A letter that does not appear in the result is reduced; an empty
    reduction yields 0̄. Every letter of the result must appear in some input
    and at most once in the result; a letter repeated within one input selects
    that input's diagonal. All sizes bound to one letter must agree, and every
    input and the result share one element type that the semiring accepts.

    With a selective semiring (`max`, `min`, `bool`) and exactly one reduced
    letter, an optional second result `witness` (i32, the result's shape)
    holds, for each result element, the position along the reduced letter
    that ⊕ selected: the argmax under `max`. Ties keep the first position, and
    a reduction that never leaves 0̄ reports position 0. Viterbi
    backpointers are witnesses.

    Example: one step of the forward algorithm of a linear-chain CRF,
    `next[b,c] = ⊕_k prev[b,k] ⊗ trans[k,c] ⊗ emit[b,c]`:

    ```mlir
    %next = sdp.contract "bk,kc,bc->bc" %prev, %trans, %emit
              semiring(#sdp.log)
              : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>)
                -> tensor<?x?xf32>
    ```
  }];

  let arguments = (ins StrAttr:$spec, Variadic<AnyRankedTensor>:$inputs,
                       Sdp_SemiringAttrInterface:$semiring);
  let results = (outs AnyRankedTensor:$result,
                      Optional<TensorOf<[I32]>>:$witness);

  let assemblyFormat = [{
    $spec $inputs `semiring` `(` $semiring `)` attr-dict `:`
    functional-type($inputs, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The parsed `spec`; the verifier guarantees it is well formed.
    ContractionSpec getContractionSpec();
  }];
}

//===----------------------------------------------------------------------===//
// ScanOp
//===----------------------------------------------------------------------===//

def Sdp_ScanOp : Sdp_Op<"scan", [
    AttrSizedOperandSegments, RecursiveMemoryEffects, SingleBlock]> {
  let summary = "sequential recurrence along one axis";
  let description = [{
    Runs `body` once per position `t` of axis `along` of the `sequences`,
    threading the `init` values through as carried state:

    ```
    carry = init
    for t in 0 .. N-1 (or N-1 down to 0 with `reverse`):
      carry = body(t, carry, sequences[..., t, ...])
    results = carry
    ```

    `N` is the size of axis `along`, which all sequences must share. The body
    block takes the step index (`index`), then one argument per carried value
    (same types as `init`), then one slice per sequence: the sequence's type
    with axis `along` removed. `sdp.yield` returns the next carried values
    and the op returns the last ones (the inits when `N` is 0).

        The step index lets a body handle ragged batches (keep a sequence's state
    once `t` reaches its length) and record per-step values in destination
    style: carry a full-size tensor and `tensor.insert_slice` each step's
    values (for instance Viterbi backpointers) at position `t`.

    `write_once` lists carried values that are tables filled cell by cell,
    such as the span charts of the tree structures: over the whole scan the
    body writes each cell at most once (cells the init holds count as
    written), with values that do not depend on the cell's earlier
    contents, and a step reads only cells written before it or by itself.
    The table's final value then holds every value any step read, so the
    adjoint transform reads it instead of recording the table before each
    step: the VJP keeps one table, not one per step. The op does not check
    the promise; whoever builds the scan makes it.

    ```mlir
    %alpha = sdp.scan along 1 init(%alpha0 : tensor<?x?xf32>)
               over(%emissions : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
    ^bb0(%t: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
      %next = sdp.contract "bk,kc,bc->bc" %prev, %trans, %emit
                semiring(#sdp.log) : (tensor<?x?xf32>, tensor<?x?xf32>,
                                      tensor<?x?xf32>) -> tensor<?x?xf32>
      sdp.yield %next : tensor<?x?xf32>
    }
    ```
  }];

    let arguments = (ins Variadic<AnyRankedTensor>:$inits,
                       Variadic<AnyRankedTensor>:$sequences,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$along,
                       UnitAttr:$reverse,
                       OptionalAttr<DenseI64ArrayAttr>:$write_once);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let regions = (region SizedRegion<1>:$body);

  let assemblyFormat = [{
    (`reverse` $reverse^)? `along` $along
    `init` `(` $inits `:` type($inits) `)`
    `over` `(` $sequences `:` type($sequences) `)`
    `->` `(` type($results) `)` $body attr-dict
  }];
  let hasRegionVerifier = 1;
  let builders = [
    // A scan with an empty body block whose arguments are the step index,
    // the carried values and one slice per sequence; the caller fills it.
    OpBuilder<(ins "::mlir::ValueRange":$inits,
                   "::mlir::ValueRange":$sequences, "int64_t":$along,
                   CArg<"bool", "false">:$reverse)>
  ];

  let extraClassDeclaration = [{
    /// Number of carried values.
    unsigned getNumCarried() { return getInits().size(); }
    /// Block argument holding the step index.
    ::mlir::BlockArgument getStepIndex() { return getBody().getArgument(0); }
    /// Block arguments holding the carried state.
    ::mlir::Block::BlockArgListType getCarriedArgs() {
      return getBody().getArguments().slice(1, getNumCarried());
    }
    /// Block arguments holding the current slice of each sequence.
    ::mlir::Block::BlockArgListType getSliceArgs() {
      return getBody().getArguments().drop_front(1 + getNumCarried());
    }
        /// The terminating yield.
    YieldOp getYield();
    /// Whether carried value `i` is listed in `write_once`.
    bool isWriteOnce(unsigned i);
    /// Type of the slice of `sequenceType` seen by one step.
    static ::mlir::RankedTensorType getSliceType(
        ::mlir::RankedTensorType sequenceType, int64_t along);
  }];
}

def Sdp_YieldOp : Sdp_Op<"yield", [
    Pure, Terminator, ReturnLike, HasParent<"ScanOp">]> {
  let summary = "returns the next carried state of a scan";
  let description = [{
    Terminates the body of `sdp.scan`. Its operands are the next carried
    values, in the order of the scan's `init` operands.

    ```mlir
    sdp.yield %next, %backpointers : tensor<?x?xf32>, tensor<?x?x?xi32>
    ```
  }];
  let arguments = (ins Variadic<AnyType>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}


//===----------------------------------------------------------------------===//
// GatherOp / ScatterOp
//===----------------------------------------------------------------------===//

def Sdp_GatherOp : Sdp_Op<"gather", [Pure]> {
  let summary = "reads a tensor at per-element positions along one index";
  let description = [{
    `spec` is `"S,I->O"` in einsum letters: `S` indexes `source`, `I` the
    integer `indices`, `O` the result. Exactly one letter `g` of `S`, the
    gathered letter, is absent from `O` and from `I`; every other letter of
    `S` and every letter of `I` appears in `O`. Then

    ```
    result[O] = source[S with g := clamp(indices[I], 0, size(g) - 1)]
    ```

    Positions outside `[0, size(g))` are clamped into it, so no index reads
    out of bounds; a caller that needs to reject them checks first.

    Example: the log-probability of each extended CTC label at each frame,
    `emit[b, t, s] = log_probs[b, t, labels[b, s]]`:

    ```mlir
    %emit = sdp.gather "btv,bs->bts" %log_probs, %labels
              : (tensor<?x?x?xf32>, tensor<?x?xi32>) -> tensor<?x?x?xf32>
    ```

    Its adjoint is `sdp.scatter` with the same spec under `#sdp.real`.
    `-convert-sdp-to-linalg` lowers it to a `linalg.generic` whose body
    reads `source` with `tensor.extract`.
  }];

  let arguments = (ins StrAttr:$spec, AnyRankedTensor:$source,
                       RankedTensorOf<[I32, I64]>:$indices);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $spec $source `,` $indices attr-dict `:`
    `(` type($source) `,` type($indices) `)` `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The parsed `spec`; the verifier guarantees it is well formed.
    ContractionSpec getGatherSpec();
    /// The dimension of the source that `indices` select.
    unsigned getGatheredDim();
  }];
}

def Sdp_ScatterOp : Sdp_Op<"scatter", [Pure]> {
  let summary = "⊕-accumulates values into a tensor at per-element positions";
  let description = [{
    The transpose of `sdp.gather` with the same `spec` `"S,I->O"`: `values`
    are indexed by `O`, `init` and the result by `S`, and every element of
    `values` is ⊕-added (under `semiring`) into the position that the
    gather with this spec would have read:

    ```
    result = init
    for every position of values:
      result[S with g := clamp(indices[I], 0, size(g) - 1)] ⊕= values[O]
    ```

    Several values may land on one position; under `#sdp.real` they are
    summed (a scatter-add), under `#sdp.max` the largest wins.

    ```mlir
    %d_log_probs = sdp.scatter "btv,bs->bts" %d_emit, %labels into %zeros
                     semiring(#sdp.real)
                     : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?x?x?xf32>)
                       -> tensor<?x?x?xf32>
    ```

    Under `#sdp.real` its adjoint is the gather of the result's cotangent
    (for `values`) and the cotangent itself (for `init`).
    `-convert-sdp-to-scf` lowers it to a loop nest over `values` that
    reads, ⊕-adds and writes one element at a time (in place after
    bufferization).
  }];

  let arguments = (ins StrAttr:$spec, AnyRankedTensor:$values,
                       RankedTensorOf<[I32, I64]>:$indices, AnyRankedTensor:$init,
                       Sdp_SemiringAttrInterface:$semiring);
  let results = (outs AnyRankedTensor:$result);
  let assemblyFormat = [{
    $spec $values `,` $indices `into` $init `semiring` `(` $semiring `)`
    attr-dict `:` `(` type($values) `,` type($indices) `,` type($init) `)`
    `->` type($result)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The parsed `spec`; the verifier guarantees it is well formed.
    ContractionSpec getGatherSpec();
    /// The dimension of `init` (and the result) that `indices` select.
    unsigned getGatheredDim();
  }];
}

//===----------------------------------------------------------------------===//
// Dense linear algebra
//===----------------------------------------------------------------------===//

def Sdp_LogDetOp : Sdp_Op<"logdet", [Pure]> {
  let summary = "batched log-absolute-determinant of square matrices";
  let description = [{
    `result[b] = log |det matrices[b]|` for `matrices[B, N, N]`, by LU
    elimination with partial pivoting (`Σ_k log |pivot_k|`); a singular
    matrix (a zero pivot) gives `-inf`. An empty matrix (`N = 0`) has
    determinant 1, so 0.

    ```mlir
    %logdet = sdp.logdet %laplacian : tensor<?x?x?xf32> -> tensor<?xf32>
    ```

    Its adjoint is `d[b] · inverse(matrices[b])ᵀ` (the cofactor formula),
    built from `sdp.inverse`, and 0 where the matrix is singular.
    `-convert-sdp-to-scf` lowers it to loops over a copy of the matrices,
    eliminating only the trailing block (about `N³ / 3` multiply-adds
    per matrix), rows updated with contiguous inner loops.
  }];

  let arguments = (ins RankedTensorOf<[AnyFloat]>:$matrices);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $matrices attr-dict `:` type($matrices) `->` type($result)
  }];
  let hasVerifier = 1;
}

def Sdp_InverseOp : Sdp_Op<"inverse", [Pure]> {
  let summary = "batched inverse of square matrices";
  let description = [{
    `result[b] = matrices[b]⁻¹` for `matrices[B, N, N]`, by Gauss-Jordan
    elimination with partial pivoting. A singular matrix (a zero pivot)
    gives non-finite entries; callers that may meet one check the
    determinant (as `sdp.logdet`'s adjoint does).

    ```mlir
    %inverse = sdp.inverse %a : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
    ```

    Its adjoint is `-Xᵀ · C · Xᵀ` for `X` the result and `C` its cotangent
    (two `sdp.contract`s under `#sdp.real`). `-convert-sdp-to-scf` lowers
    it to loops over a copy of the matrices and an identity that receives
    the same row operations.
  }];

  let arguments = (ins RankedTensorOf<[AnyFloat]>:$matrices);
  let results = (outs RankedTensorOf<[AnyFloat]>:$result);
  let assemblyFormat = [{
    $matrices attr-dict `:` type($matrices) `->` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// VjpOp
//===----------------------------------------------------------------------===//

def Sdp_VjpOp : Sdp_Op<"vjp", [
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "vector-Jacobian product (adjoint) of a function";
  let description = [{
    Calls the adjoint of `callee` on its arguments `primals` and one
    cotangent per float result of the callee, in order (integer results,
    such as Viterbi paths, take none). It returns one cotangent per float
    argument of the callee, in order (integer arguments, such as lengths,
    get none): with `f` the callee and `d` the cotangents,

    ```
    gradients = ∂/∂(float args) Σ_r ⟨d_r, f(primals)_r⟩
    ```

    `-sdp-generate-adjoints` materialises it: it inlines the callee's
    calls, decomposes its named ops into the core, derives the adjoint
    function `@<callee>_adjoint` on the core (reverse `sdp.scan`s whose
    bodies hold the adjoints of the forward's `sdp.contract`s and
    element-wise ops) and replaces this op with a call of it. Per
    semiring, the adjoint of a contraction is

    * `#sdp.log`: the posterior weighting: each term's
      `exp(⊗ inputs - result)` times the result's cotangent, summed onto
      the positions of each input (a gradient of log Z is a marginal);
    * `#sdp.max` / `#sdp.min`: the result's cotangent routed to the term
      that ⊕ selected (the forward's witness; ties keep the first), so the
      cotangent of a best score is the best structure as an indicator;
    * `#sdp.real`: the ordinary derivative, itself a `#sdp.real`
      contraction.

    Each scan keeps its carried state per step (the tape: memory of one
    carried state per step) and its reverse recomputes one step at a time
    from it; nothing per term is stored. With `checkpoint_every = K`, a
    scan keeps its state only before every K-th step, and the reverse
    re-runs each segment of K steps from its checkpoint: memory of
    `N/K + K` carried states instead of `N`, for one more forward pass.
    Carried state that a scan only writes, one slice per step (an output
    in destination style), is never kept. Terms of value 0̄ (-inf under
    `#sdp.log` and `#sdp.max`) get cotangent 0, never NaN.

    ```mlir
    %d_em, %d_tr = sdp.vjp @log_partition(%emissions, %transitions)
                     cotangents(%d_logz)
                     : (tensor<?x?x?xf32>, tensor<?x?xf32>), (tensor<?xf32>)
                       -> (tensor<?x?x?xf32>, tensor<?x?xf32>)
    %c_em, %c_tr = sdp.vjp @log_partition(%emissions, %transitions)
                     cotangents(%d_logz) {checkpoint_every = 64 : i64}
                     : (tensor<?x?x?xf32>, tensor<?x?xf32>), (tensor<?xf32>)
                       -> (tensor<?x?x?xf32>, tensor<?x?xf32>)
    ```
  }];

  let arguments = (ins FlatSymbolRefAttr:$callee,
                       Variadic<AnyType>:$primals,
                       Variadic<AnyRankedTensor>:$cotangents,
                       OptionalAttr<ConfinedAttr<I64Attr, [IntPositive]>>:
                         $checkpoint_every);
  let results = (outs Variadic<AnyRankedTensor>:$gradients);

  let assemblyFormat = [{
    $callee `(` $primals `)` `cotangents` `(` $cotangents `)` attr-dict `:`
    `(` type($primals) `)` `,` `(` type($cotangents) `)` `->`
    `(` type($gradients) `)`
  }];
}

//===----------------------------------------------------------------------===//
// Named structure ops
//===----------------------------------------------------------------------===//

def Sdp_LinearChainOp : Sdp_Op<"linear_chain", [Pure]> {
  let summary = "linear-chain CRF / HMM: partition function or Viterbi";
  let description = [{
    Sums, under `semiring`, the scores of all label sequences of a batch of
    linear-chain models (CRFs, HMMs in log space). With `emissions[b,t,y]`,
    `start[y]`, `end[y]` and `n = lengths[b]` (clamped to `[1, T]`), a label
    sequence `y` scores (the pytorch-crf convention)

    ```
    score(y) = start[y0] ⊗ ⊗_{t<n} emissions[b,t,y_t]
               ⊗ ⊗_{1≤t<n} trans(b, t, y_(t-1), y_t) ⊗ end[y_(n-1)]
    ```

    where `trans` comes from `transitions`: factored potentials
    `transitions[y_prev, y_next]` (rank 2, shared by the batch) or full edge
    potentials `transitions[b, t-1, y_prev, y_next]` (rank 4, shape
    `[B, T-1, C, C]`). The first result is `⊕_y score(y)` for each sequence:
    log Z under `#sdp.log`, the best score under `#sdp.max`.

    With a selective semiring (`#sdp.max`, `#sdp.min`) the op may return a
    second result: the best label sequence `path[B, T]` (i32), found by
    backpointers, with -1 beyond each sequence's length. Under a selective
    semiring the score of a sequence that reads a NaN (an emission or edge
    inside its length, a transition, start or end score) is NaN: the
    semiring's ⊕ drops NaN operands, and a finite best score would hide
    them (the path is then meaningless too).

    ```mlir
    %logz = sdp.linear_chain %emissions, %transitions, %start, %end, %lengths
              semiring(#sdp.log)
              : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>,
                 tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
    %best, %path = sdp.linear_chain %emissions, %transitions, %start, %end,
                     %lengths semiring(#sdp.max)
              : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>,
                 tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
    ```

    `-sdp-decompose-named-ops` rewrites it into `sdp.scan` over
    `sdp.contract`s. Under `#sdp.log` with factored potentials it uses the
    real-arithmetic form where that is exact: `exp` of the transitions once
    per call, and each step a rescaled real matrix product. Whether it is
    exact is checked per call: when a column of finite transitions spans
    more than 40 (300 in f64), a term on the dominant path could underflow,
    and the call takes the log-space contraction instead.
  }];

  let arguments = (ins AnyRankedTensor:$emissions,
                       AnyRankedTensor:$transitions,
                       AnyRankedTensor:$start, AnyRankedTensor:$end,
                       TensorOf<[I32]>:$lengths,
                       Sdp_SemiringAttrInterface:$semiring);
  let results = (outs AnyRankedTensor:$score,
                      Optional<TensorOf<[I32]>>:$path);

  let assemblyFormat = [{
    $emissions `,` $transitions `,` $start `,` $end `,` $lengths
    `semiring` `(` $semiring `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// True for full edge potentials [B, T-1, C, C].
    bool hasFullPotentials() {
      return ::llvm::cast<::mlir::RankedTensorType>(
                 getTransitions().getType()).getRank() == 4;
    }
  }];
}

def Sdp_AlignmentOp : Sdp_Op<"alignment", [Pure]> {
  let summary = "2-D alignment recurrence (edit distance, DTW, soft-DTW)";
  let description = [{
    Sums, under `semiring`, the scores of all monotone alignment paths of a
    batch of pairs of sequences: paths through the grid of cells `(i, j)`,
    `0 <= i <= n`, `0 <= j <= m`, from `(0, 0)` to `(n, m)`, each step
    moving down, right or diagonally. The weight of the step into `(i, j)`
    is `diagonal[b, i, j]` from `(i-1, j-1)`, `down[b, i, j]` from
    `(i-1, j)` and `right[b, i, j]` from `(i, j-1)`, all of shape
    `[B, N+1, M+1]` (entries no step uses, such as `diagonal[b, 0, j]`, are
    ignored). With `n = rows[b]` clamped to `[0, N]` and `m = cols[b]` to
    `[0, M]`, the result is `D[b, n, m]` of

    ```
    D[0, 0] = 1̄
    D[i, j] = (D[i-1, j-1] ⊗ diagonal[b, i, j])     (i, j >= 1)
            ⊕ (D[i-1, j]   ⊗ down[b, i, j])         (i >= 1)
            ⊕ (D[i, j-1]   ⊗ right[b, i, j])        (j >= 1)
    ```

    Under `#sdp.min` with unit down/right weights and a 0/1 diagonal it is
    the edit distance. With all three equal to a cost matrix whose row 0 and
    column 0 are 0̄ (so that no path walks along them) it is dynamic time
    warping, and under `#sdp.log` (on negated costs, 0̄ = -inf there)
    soft-DTW.

    ```mlir
    %d = sdp.alignment %diagonal, %down, %right, %rows, %cols
           semiring(#sdp.min)
           : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
              tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
    ```

    `-convert-sdp-to-scf` lowers it, for float types, to a sweep over
    strips of one vector of rows, skewed so that the lanes of a step are
    independent cells (other types: row by row); `-convert-sdp-to-gpu` to one thread block per pair that sweeps
    the anti-diagonals `i + j = d` in order, the cells of a diagonal in
    parallel (a wavefront), with the last three diagonals in shared memory
    (in global memory when they do not fit).
  }];

  let arguments = (ins AnyRankedTensor:$diagonal, AnyRankedTensor:$down,
                       AnyRankedTensor:$right, TensorOf<[I32]>:$rows,
                       TensorOf<[I32]>:$cols,
                       Sdp_SemiringAttrInterface:$semiring);
  let results = (outs AnyRankedTensor:$score);

  let assemblyFormat = [{
    $diagonal `,` $down `,` $right `,` $rows `,` $cols
    `semiring` `(` $semiring `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_SemiMarkovOp : Sdp_Op<"semi_markov", [Pure]> {
  let summary = "semi-Markov CRF (segmentation): partition function or best segmentation";
  let description = [{
    Sums, under `semiring`, the scores of all labelled segmentations of a
    batch of sequences (the semi-Markov CRF of Sarawagi and Cohen).
    `segments[b, s, k, c]` scores a segment that starts at position `s`, has
    length `k + 1` and label `c`; `transitions[c_prev, c_next]`, `start[c]`
    and `end[c]` score label pairs and the first and last label. With
    `n = lengths[b]` clamped to `[1, T]`, a segmentation of `[0, n)` is a
    sequence of segments `(s_j, len_j, y_j)` with `s_0 = 0`,
    `s_(j+1) = s_j + len_j`, `1 <= len_j <= K`, the last one ending at `n`;
    it scores

    ```
    start[y_0] ⊗ ⊗_j segments[b, s_j, len_j - 1, y_j]
               ⊗ ⊗_(j>=1) transitions[y_(j-1), y_j] ⊗ end[y_last]
    ```

    and the first result is the ⊕ over segmentations: log Z under
    `#sdp.log`, the best score under `#sdp.max`. Segments that would end
    past `n` never count, so `segments` may be padded freely past each
    length; with `K = 1` the op is `sdp.linear_chain` with emissions
    `segments[:, :, 0, :]`.

    With a selective semiring the op may also return the best segmentation
    as two i32 `[B, T]` tensors: `labels` holds the label of the segment
    covering each position, `seg_lengths` the segment's length at the
    position where it starts and 0 inside it; both are -1 past the length.
    Ties keep the segmentation whose last segment starts earliest. Under a
    selective semiring a sequence that reads a NaN (a segment ending inside
    its length, a transition, start or end score) scores NaN: ⊕ drops NaN
    operands, and a finite best score would hide them.

    ```mlir
    %logz = sdp.semi_markov %segments, %transitions, %start, %end, %lengths
              semiring(#sdp.log)
              : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>,
                 tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
    %best, %labels, %seg_lengths = sdp.semi_markov %segments, %transitions,
              %start, %end, %lengths semiring(#sdp.max)
              : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>,
                 tensor<?xf32>, tensor<?xi32>)
                -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>)
    ```

    `-sdp-decompose-named-ops` rewrites it into one `sdp.scan` over the
    start positions whose carried state is a window of `K` partial sums:
    entry `j` accumulates the segmentations that end at `s + 1 + j`. Each
    step completes entry 0, pushes it through the transitions
    (`sdp.contract "bk,kc->bc"`), extends it by the segments that start at
    `s` and folds those into the shifted window, so that its cost is one
    `C × C` step plus `O(K C)` per position and nothing of size
    `[B, T, K, C, C]` is ever built.
  }];

  let arguments = (ins AnyRankedTensor:$segments,
                       AnyRankedTensor:$transitions,
                       AnyRankedTensor:$start, AnyRankedTensor:$end,
                       TensorOf<[I32]>:$lengths,
                       Sdp_SemiringAttrInterface:$semiring);
  let results = (outs AnyRankedTensor:$score,
                      Variadic<TensorOf<[I32]>>:$segmentation);

  let assemblyFormat = [{
    $segments `,` $transitions `,` $start `,` $end `,` $lengths
    `semiring` `(` $semiring `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_CtcOp : Sdp_Op<"ctc", [Pure]> {
  let summary = "connectionist temporal classification: loss or forced alignment";
  let description = [{
    Scores, for each sequence of a batch, the frame labelings that collapse
    to its target. `log_probs[b, t, v]` holds per-frame log-probabilities
    over a vocabulary of `V` symbols (batch first), `targets[b, j]` the
    target symbols (entries past `target_lengths[b]` ignored), `blank` the
    blank symbol. With `n = input_lengths[b]` clamped to `[1, T]` and
    `m = target_lengths[b]` clamped to `[0, S]`, a labeling `π` of `n`
    frames is admissible when merging its repeats and then dropping its
    blanks gives `targets[b, 0..m)`; it scores
    `⊗_(t<n) log_probs[b, t, π_t]`.

    * Under `#sdp.log` the result is the negative log-likelihood
      `-log Σ_π exp(score(π))`, what `torch.nn.functional.ctc_loss`
      returns with `reduction="none"`: `+inf` where no labeling is
      admissible (a target longer than the frames allow), or 0 then with
      `zero_infinity`.
    * Under `#sdp.max` it is forced alignment: the result is the best
      labeling's log-probability (`-inf` when none is admissible; NaN when
      a frame inside the input length gives NaN to a symbol of the
      extended target, which ⊕ would otherwise drop), and an
      optional second result `alignment[B, T]` (i32) holds that labeling,
      one symbol per frame (blanks included), -1 past the input length.

    A sequence whose first `m` targets hold `blank` or a symbol outside
    `[0, V)` has no meaning: its result is NaN, so that it cannot pass for a
    score. (The clamps keep IR that computes its own lengths in bounds;
    lengths passed straight from a function's arguments are checked by the
    JIT before the call, and out-of-range ones are an error naming the
    argument and the entry.) There is no limit on `S`, `V` or `T` beyond memory.

    ```mlir
    %loss = sdp.ctc %log_probs, %targets, %input_lengths, %target_lengths
              semiring(#sdp.log) {blank = 0 : i64}
              : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>,
                 tensor<?xi32>) -> tensor<?xf32>
    ```

    `-sdp-decompose-named-ops` rewrites it into the core over the extended
    target `blank y_1 blank y_2 ... y_m blank` of `2S + 1` states: an
    `sdp.gather` of each state's log-probability per frame, then one
    `sdp.scan` over frames whose step ⊕-combines each state with its
    predecessor and (between distinct symbols) the one before, in one
    three-term `sdp.contract`; witnesses and a reverse scan give the
    alignment. The adjoint transform differentiates that, the gather
    becoming a scatter-add of the state posteriors into `log_probs`.
  }];

  let arguments = (ins AnyRankedTensor:$log_probs,
                       TensorOf<[I32]>:$targets,
                       TensorOf<[I32]>:$input_lengths,
                       TensorOf<[I32]>:$target_lengths,
                       Sdp_SemiringAttrInterface:$semiring,
                       DefaultValuedAttr<ConfinedAttr<I64Attr,
                         [IntNonNegative]>, "0">:$blank,
                       UnitAttr:$zero_infinity);
  let results = (outs AnyRankedTensor:$score,
                      Optional<TensorOf<[I32]>>:$alignment);

  let assemblyFormat = [{
    $log_probs `,` $targets `,` $input_lengths `,` $target_lengths
    `semiring` `(` $semiring `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Tree structures
//===----------------------------------------------------------------------===//

def Sdp_CkyOp : Sdp_Op<"cky", [Pure]> {
  let summary = "labelled binary bracketings (span-based tree CRF, CKY)";
  let description = [{
    Scores, for each sentence of a batch, the binary bracketings of its
    words. `spans[b, i, j, l]` (`i ≤ j`) scores span `i..j` (words `i` to
    `j` inclusive) with label `l`; entries with `i > j` are never read. With
    `n = lengths[b]` clamped to `[1, N]`, a tree is a binary bracketing of
    `0..n-1`: its `2n - 1` spans are every word, the whole sentence and the
    spans in between, each with one label. It scores `⊗` of its labelled
    spans; the result is `⊕` over trees and labels (log Z under `#sdp.log`,
    the best tree's score under `#sdp.max`).

    Under a selective semiring an optional second result `labels[B, N, N]`
    (i32) holds the best tree: the label of each span in it, -1 for every
    other span (and beyond `n`). Ties are broken as the best score's
    witnesses broke them.

    ```mlir
    %logz = sdp.cky %spans, %lengths semiring(#sdp.log)
              : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
    ```

    `-sdp-decompose-named-ops` rewrites it into the core as a chart scan
    (see `ChartBuilder`): the label sum `S[b, i, j] = ⊕_l spans[b, i, j, l]`,
    then one `sdp.scan` over span width `w` whose step ⊕-combines, for
    every span `i..i+w` at once, its split points
    `⊕_k C[i, i+k] ⊗ C[i+k+1, i+w]` with one `sdp.contract` over slices of
    the chart kept by start and by end, so that nothing of size `N³` is
    built. The best tree is the best score's subgradient: an `sdp.vjp` of
    the score, whose indicator on `spans` marks the chosen labelled spans.
  }];

  let arguments = (ins AnyRankedTensor:$spans, TensorOf<[I32]>:$lengths,
                       Sdp_SemiringAttrInterface:$semiring);
  let results = (outs AnyRankedTensor:$score,
                      Optional<TensorOf<[I32]>>:$labels);

  let assemblyFormat = [{
    $spans `,` $lengths `semiring` `(` $semiring `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_EisnerOp : Sdp_Op<"eisner", [Pure]> {
  let summary = "projective dependency trees (Eisner's algorithm)";
  let description = [{
    Scores, for each sentence of a batch, its projective dependency trees.
    `arcs[b, h, m]` scores head `h` taking modifier `m`; position 0 is the
    root and the words are `1..n`, with `n = lengths[b]` clamped to
    `[1, N]` for `arcs` of shape `[B, N + 1, N + 1]`. A tree gives every
    word exactly one head in `0..n`, has no cycle, is projective (no two
    arcs cross when drawn above the sentence) and, unless `multi_root` is
    set, the root has exactly one child. It scores `⊗` of its arcs; the
    result is `⊕` over trees. Arcs into the root, self-loops and positions
    beyond `n` are never read.

    Under a selective semiring an optional second result `heads[B, N + 1]`
    (i32) holds the best tree: the head of each word, -1 at the root and
    beyond `n`.

    ```mlir
    %logz = sdp.eisner %arcs, %lengths semiring(#sdp.log)
              : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
    ```

    `-sdp-decompose-named-ops` rewrites it into the same chart scan as
    `sdp.cky`, over four charts (complete and incomplete spans headed left
    and right); each step fills the spans of one width from shorter ones
    with three split-point `sdp.contract`s. With a single root the result
    is `⊕_m arcs[0, m] ⊗ C←[1, m] ⊗ C→[m, n]`. The best tree is the best
    score's subgradient (an `sdp.vjp`), read off as each word's head.
  }];

  let arguments = (ins AnyRankedTensor:$arcs, TensorOf<[I32]>:$lengths,
                       Sdp_SemiringAttrInterface:$semiring,
                       UnitAttr:$multi_root);
  let results = (outs AnyRankedTensor:$score,
                      Optional<TensorOf<[I32]>>:$heads);

  let assemblyFormat = [{
    $arcs `,` $lengths `semiring` `(` $semiring `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_PcfgOp : Sdp_Op<"pcfg", [Pure]> {
  let summary = "inside score of a PCFG in Chomsky normal form";
  let description = [{
    Scores, for each sentence of a batch, its derivations under a
    probabilistic context-free grammar in Chomsky normal form shared by the
    batch. With `NT` nonterminals and `P` preterminals, symbols `< NT` are
    nonterminals and the others preterminals (symbol `NT + p` is
    preterminal `p`):

    * `terms[b, i, p]`: preterminal `p` over word `i`;
    * `rules[A, X, Y]` (`[NT, NT + P, NT + P]`): the rule `A → X Y`;
    * `roots[A]` (`[NT]`): a derivation rooted at `A`.

    With `n = lengths[b]` clamped to `[1, N]`, a derivation has a
    nonterminal root over the whole sentence `[0, n)`; a nonterminal over
    `[i, j)` with `j - i ≥ 2` rewrites to `X Y` over `[i, k)` and `[k, j)`;
    a single word is covered by exactly one preterminal. Its score is `⊗`
    of its root, rules and preterminals; the result is `⊕` over
    derivations (0̄, `-inf` under `#sdp.log`, when `n = 1`).

    ```mlir
    %logz = sdp.pcfg %terms, %rules, %roots, %lengths semiring(#sdp.log)
              : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>,
                 tensor<?xi32>) -> tensor<?xf32>
    ```

    `-sdp-decompose-named-ops` rewrites it into the chart scan of `sdp.cky`
    with a trailing symbol dimension: each step forms, for every span of
    the width, `⊕_k C[i, i+k, X] ⊗ C[i+k+1, i+w, Y]` (one contraction over
    split points) and then applies the rules (a second contraction over
    `X` and `Y`), so a step costs `O(N w S² + N S² NT)`.
  }];

  let arguments = (ins AnyRankedTensor:$terms, AnyRankedTensor:$rules,
                       AnyRankedTensor:$roots, TensorOf<[I32]>:$lengths,
                       Sdp_SemiringAttrInterface:$semiring);
  let results = (outs AnyRankedTensor:$score);

  let assemblyFormat = [{
    $terms `,` $rules `,` $roots `,` $lengths `semiring` `(` $semiring `)`
    attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_MatrixTreeOp : Sdp_Op<"matrix_tree", [Pure]> {
  let summary = "non-projective dependency trees (matrix-tree theorem, "
                "Chu-Liu-Edmonds)";
  let description = [{
    Scores, for each sentence of a batch, its non-projective dependency
    trees: the same `arcs[B, N + 1, N + 1]` and `lengths` as `sdp.eisner`
    (position 0 is the root, words `1..n`), every word one head in `0..n`,
    no cycle, and, unless `multi_root` is set, exactly one child of the
    root; arcs may cross. Arcs into the root, self-loops and positions
    beyond `n` are never read.

    Under `#sdp.log` the result is log Z, `log Σ_tree exp(⊗ arcs)`. By the
    matrix-tree theorem (Koo et al. 2007), Z is the determinant of the
    Laplacian of the arc weights `w = exp(arcs - c)` over the words
    (`L[m, m] = Σ_(h ≠ m) w[h, m]`, `L[h, m] = -w[h, m]`), with the root's
    weights added to the diagonal (`multi_root`) or replacing its first row
    (one root); `c`, the sentence's largest arc, keeps the weights in range
    and adds `n c` back.

    Under `#sdp.max` (`#sdp.min`) the result is the score of the best
    (worst) tree, and an optional second result `heads[B, N + 1]` (i32)
    holds that tree: the head of each word, -1 at the root and beyond `n`.
    A sentence with no tree (every candidate reads a 0̄ arc) scores 0̄ and
    gets -1 heads; a NaN arc that some tree reads makes the score NaN.

    ```mlir
    %best, %heads = sdp.matrix_tree %arcs, %lengths semiring(#sdp.max)
        : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
    ```

    `-sdp-decompose-named-ops` builds, under `#sdp.log`, the matrix (padded
    with the identity past `n`) and its `sdp.logdet`, all in the core, so
    the adjoint transform differentiates it (`sdp.logdet`'s closed form,
    then the element-wise construction): the gradient of log Z is the arc
    marginals. Under a selective semiring it finds the
    tree with `sdp.max_arborescence` (of `-arcs` under `#sdp.min`) and
    scores it by gathering its arcs, so the score's gradient is the tree's
    indicator.
  }];

  let arguments = (ins AnyRankedTensor:$arcs, TensorOf<[I32]>:$lengths,
                       Sdp_SemiringAttrInterface:$semiring,
                       UnitAttr:$multi_root);
  let results = (outs AnyRankedTensor:$score,
                      Optional<TensorOf<[I32]>>:$heads);

  let assemblyFormat = [{
    $arcs `,` $lengths `semiring` `(` $semiring `)` attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_MaxArborescenceOp : Sdp_Op<"max_arborescence", [Pure]> {
  let summary = "best spanning arborescence of each sentence (Chu-Liu-Edmonds)";
  let description = [{
    For each sentence `b` of a batch, the spanning arborescence rooted at
    node 0 over the nodes `0..n` (`n = lengths[b]` clamped to `[1, N]`)
    with the largest sum of arc scores `arcs[b, h, m]` (head `h`, modifier
    `m`), returned as `heads[b, m]`, the head of each node `1..n`; -1 at
    node 0 and beyond `n`. Without `multi_root` the root has exactly one
    child: among the arborescences the fewest root children come first,
    then the largest sum. Arcs into node 0, self-loops and nodes beyond `n`
    are never read; a `-inf` or NaN arc is absent, a `+inf` one counts as
    the largest f32 value (FLT_MAX, so it ties with f64 arcs above it). A sentence without an arborescence of
    present arcs (or, with one root, without one whose root has a single
    child) gets -1 for every node. Ties go to the arc found first.

    ```mlir
    %heads = sdp.max_arborescence %arcs, %lengths {multi_root}
        : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?x?xi32>
    ```

    The result is an integer tensor, so it is a constant for the adjoint
    transform: a score computed from it by gathering `arcs` differentiates
    to the indicator of the tree.

    `-convert-sdp-to-scf` lowers it to loops over buffers: Chu-Liu-Edmonds
    on dense matrices in float64 with exact integer root-child counts, one
    level per round of cycle contraction (at most `n`, each `O(n²)`), the
    cycles' choices kept per level and expanded top-down afterwards, so no
    recursion or host call is needed.
  }];

  let arguments = (ins RankedTensorOf<[AnyFloat]>:$arcs,
                       RankedTensorOf<[I32]>:$lengths, UnitAttr:$multi_root);
  let results = (outs RankedTensorOf<[I32]>:$heads);

  let assemblyFormat = [{
    $arcs `,` $lengths attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

#endif // SDP_OPS_TD
