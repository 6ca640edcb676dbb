//===- NgramOps.td - token n-gram tensor ops ---------------*- tablegen -*-===//

#ifndef SDP_NGRAM_OPS_TD
#define SDP_NGRAM_OPS_TD

include "sdp/SdpBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "sdp/NgramAttrs.td"

def Sdp_TokenTensor : TensorOf<[I32, I64]>;
def Sdp_I32Tensor : TensorOf<[I32]>;
def Sdp_I64Tensor : TensorOf<[I64]>;

//===----------------------------------------------------------------------===//
// Primitives
//===----------------------------------------------------------------------===//

def Sdp_SequenceLengthsOp : Sdp_Op<"sequence_lengths", [Pure]> {
  let summary = "length of each padded token sequence";
  let description = [{
    For token sequences along the last axis of `tokens` (`[..., L]`, i32 or
    i64), returns the position of the first `pad_id` in each sequence, or
    `L` when there is none: a pad id ends a sentence, padding is trailing.

    ```mlir
    %len = sdp.sequence_lengths %tokens {pad_id = 0 : i64}
             : tensor<?x?xi32> -> tensor<?xi32>
    ```
  }];
  let arguments = (ins Sdp_TokenTensor:$tokens, I64Attr:$pad_id);
  let results = (outs Sdp_I32Tensor:$lengths);
  let assemblyFormat = "$tokens attr-dict `:` type($tokens) `->` type($lengths)";
  let hasVerifier = 1;
}

def Sdp_NgramExtractOp : Sdp_Op<"ngram_extract", [Pure]> {
  let summary = "sliding windows of n tokens";
  let description = [{
    `windows[..., i, k] = tokens[..., i + k]` for `k < n`, where `n` is the
    static size of the result's last dimension. Window `i` of a sequence is
    an n-gram when `i < lengths[...] - n + 1`; the other windows are filled
    with zeros and ignored by every consumer.

    ```mlir
    %w = sdp.ngram_extract %tokens, %lengths
           : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x2xi32>
    ```
  }];
  let arguments = (ins Sdp_TokenTensor:$tokens, Sdp_I32Tensor:$lengths);
  let results = (outs Sdp_TokenTensor:$windows);
  let assemblyFormat = [{
    $tokens `,` $lengths attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getOrder() {
      return ::llvm::cast<::mlir::RankedTensorType>(getWindows().getType())
          .getShape().back();
    }
  }];
}

def Sdp_NgramDictOp : Sdp_Op<"ngram_dict", [Pure, AttrSizedOperandSegments]> {
  let summary = "compact per-example dictionary of candidate n-grams";
  let description = [{
    Numbers the distinct n-grams of each candidate `b` in order of first
    occurrence, `0 .. num_unique[b] - 1`, and expresses every reference
    n-gram in that dictionary: `candidate_ids[b, i]` is the id of candidate
    window `i` and `reference_ids[b, r, j]` the id of reference window `j`,
    or -1 when the window is not an n-gram (past the sequence's end) or, for
    references, when the candidate does not contain it. Keys are compared
    exactly; each example uses tables sized to its candidate, so no dense
    batch-wide count matrix is ever built.

    With `prefix` ids (the `candidate_ids` and `reference_ids` of the order
    n-1 dictionary over the same positions), the window at `j` is keyed by
    the ids at `j` (its (n-1)-gram prefix) and `j + 1` (its (n-1)-gram
    suffix) instead of its n tokens: two n-grams are equal exactly when
    their prefixes and their suffixes are, and a reference window whose
    prefix or suffix the candidate lacks (-1) is a miss without a lookup.
    (`sdp.ngram_chain` is the same with a run-time order; the decomposition
    of `sdp.bleu` uses it.)
    The window tokens are then not read.

    ```mlir
    %cid, %rid, %num = sdp.ngram_dict %cw, %clen, %rw, %rlen
        : (tensor<?x?x2xi32>, tensor<?xi32>, tensor<?x?x?x2xi32>, tensor<?x?xi32>)
          -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
    ```
  }];
  let arguments = (ins Sdp_TokenTensor:$candidate_windows,
                       Sdp_I32Tensor:$candidate_lengths,
                       Sdp_TokenTensor:$reference_windows,
                       Sdp_I32Tensor:$reference_lengths,
                       Optional<Sdp_I32Tensor>:$candidate_prefix_ids,
                       Optional<Sdp_I32Tensor>:$reference_prefix_ids);
  let results = (outs Sdp_I32Tensor:$candidate_ids,
                      Sdp_I32Tensor:$reference_ids,
                      Sdp_I32Tensor:$num_unique);
  let assemblyFormat = [{
    $candidate_windows `,` $candidate_lengths `,` $reference_windows `,`
    $reference_lengths (`prefix` `(` $candidate_prefix_ids^ `,`
    $reference_prefix_ids `)`)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_NgramChainOp : Sdp_Op<"ngram_chain", [Pure]> {
  let summary = "dictionary of order n built from the ids of order n - 1";
  let description = [{
    `sdp.ngram_dict` with `prefix` ids, for an order `n >= 2` known only at
    run time: the ids of the order `n - 1` dictionary over the same
    positions (`candidate_prefix_ids[B, Lc]`, `reference_prefix_ids[B, R,
    Lr]`) number the n-grams of each candidate in order of first occurrence
    and express the reference n-grams in that dictionary (-1: not an
    n-gram of the sequence, or absent from the candidate). The n-gram at
    position `j` is keyed by the ids at `j` and `j + 1` (its prefix and
    suffix (n-1)-grams), so no token is read; window `j` is an n-gram when
    `j < length - n + 1`. The results have the shapes of the prefix ids.

    Because `order` is a value, one loop over the orders handles them all
    with one copy of the code: `-sdp-decompose-named-ops` builds the orders
    after the first of each consecutive run this way, so compile time does
    not grow with `max_n`.

    ```mlir
    %cid, %rid, %num = sdp.ngram_chain %cprev, %clen, %rprev, %rlen, %order
        : (tensor<?x?xi32>, tensor<?xi32>, tensor<?x?x?xi32>, tensor<?x?xi32>, index)
          -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
    ```
  }];
  let arguments = (ins Sdp_I32Tensor:$candidate_prefix_ids,
                       Sdp_I32Tensor:$candidate_lengths,
                       Sdp_I32Tensor:$reference_prefix_ids,
                       Sdp_I32Tensor:$reference_lengths, Index:$order);
  let results = (outs Sdp_I32Tensor:$candidate_ids,
                      Sdp_I32Tensor:$reference_ids,
                      Sdp_I32Tensor:$num_unique);
  let assemblyFormat = [{
    $candidate_prefix_ids `,` $candidate_lengths `,` $reference_prefix_ids `,`
    $reference_lengths `,` $order attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_NgramCountOp : Sdp_Op<"ngram_count", [Pure]> {
  let summary = "per-sequence counts of dictionary ids";
  let description = [{
    `counts[b, ..., u]` is the number of positions of sequence `[b, ...]`
    whose id is `u`; ids of -1 are skipped. The last result dimension is the
    largest `num_unique[b]` of the batch (so at most the candidate length):
    counts are indexed by each example's compact dictionary.

    ```mlir
    %c = sdp.ngram_count %ids, %num : (tensor<?x?x?xi32>, tensor<?xi32>) -> tensor<?x?x?xi32>
    ```
  }];
  let arguments = (ins Sdp_I32Tensor:$ids, Sdp_I32Tensor:$num_unique);
  let results = (outs Sdp_I32Tensor:$counts);
  let assemblyFormat = [{
    $ids `,` $num_unique attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_NgramClipOp : Sdp_Op<"ngram_clip", [Pure]> {
  let summary = "clipped n-gram matches and candidate totals";
  let description = [{
    `matches[b] = Σ_u min(candidate_counts[b, u], max_r reference_counts[b, r, u])`
    and `totals[b] = Σ_u candidate_counts[b, u]`: BLEU's modified precision
    numerator and denominator of one n-gram order.

    ```mlir
    %m, %t = sdp.ngram_clip %cc, %rc
        : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?xi64>, tensor<?xi64>)
    ```
  }];
  let arguments = (ins Sdp_I32Tensor:$candidate_counts,
                       Sdp_I32Tensor:$reference_counts);
  let results = (outs Sdp_I64Tensor:$matches, Sdp_I64Tensor:$totals);
  let assemblyFormat = [{
    $candidate_counts `,` $reference_counts attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// BLEU
//===----------------------------------------------------------------------===//

def Sdp_BleuScoreOp : Sdp_Op<"bleu_score", [Pure]> {
  let summary = "BLEU from n-gram statistics";
  let description = [{
    Turns per-sentence statistics into float64 BLEU scores, following
    `compat` exactly:

    * `nltk`: NLTK 3.8 `sentence_bleu` (or `corpus_bleu` with `corpus`):
      modified precisions `matches[n] / max(1, totals[n])`, brevity penalty
      against the closest reference length (ties go to the shorter), 0 when
      no unigram matches, then `SmoothingFunction().methodK` (`smoothing`
      `method0` .. `method7`, ε = 0.1, α = 5, k = 5), `weights`, and
      `auto_reweigh`. `method5` needs the order `N + 1` statistics (one more
      row than `weights`); `method5`/`method6` use the last sentence's, as
      NLTK does in corpus mode. `method6` with a zero trigram precision
      (NLTK raises an assertion) gives NaN.
    * `sacrebleu`: sacreBLEU 2.x `BLEU(tokenize='none')` on the space-joined
      ids, 0–100 scale, `smoothing` `exp`, `floor` (value `smooth_value`,
      default 0.1), `add-k` (default 1) or `none`; effective order for
      sentence scores, summed statistics for `corpus`.

    `matches` and `totals` are `[N, B]` (order-major), `hyp_lengths` `[B]`,
    `ref_lengths` `[B, R]`. The result is `[B]`, or `[1]` with `corpus`.
  }];
  let arguments = (ins Sdp_I64Tensor:$matches, Sdp_I64Tensor:$totals,
                       Sdp_I32Tensor:$hyp_lengths, Sdp_I32Tensor:$ref_lengths,
                       F64ArrayAttr:$weights, Sdp_BleuSmoothingAttr:$smoothing,
                       Sdp_BleuCompatAttr:$compat, UnitAttr:$corpus,
                       UnitAttr:$auto_reweigh,
                       OptionalAttr<F64Attr>:$smooth_value);
  let results = (outs TensorOf<[F64]>:$scores);
  let assemblyFormat = [{
    $matches `,` $totals `,` $hyp_lengths `,` $ref_lengths attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Sdp_BleuOp : Sdp_Op<"bleu", [Pure]> {
  let summary = "BLEU of token-id candidates against references";
  let description = [{
    Scores each candidate `candidates[b, :]` (i32 or i64 token ids, padded
    with `pad_id` at the end; a pad inside a sentence ends it) against its
    references `references[b, r, :]` (or `[b, :]` for one reference) with
    the rules of `compat` (see `sdp.bleu_score`): per-sentence scores `[B]`,
    or one corpus score `[1]` with `corpus`. The maximum n-gram order is the
    number of `weights`.

    `-sdp-decompose-named-ops` rewrites it into the n-gram primitives:
    `sdp.sequence_lengths`; per order a dictionary (`sdp.ngram_extract` and
    `sdp.ngram_dict` for the first of each run of consecutive orders,
    `sdp.ngram_chain` in one loop over the others), `sdp.ngram_count` and
    `sdp.ngram_clip`; then `sdp.bleu_score`.

    ```mlir
    %s = sdp.bleu %cand, %refs {weights = [0.25, 0.25, 0.25, 0.25],
                               smoothing = #sdp.smoothing<method1>,
                               compat = #sdp.compat<nltk>}
           : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
    ```
  }];
  let arguments = (ins Sdp_TokenTensor:$candidates,
                       Sdp_TokenTensor:$references,
                       F64ArrayAttr:$weights, Sdp_BleuSmoothingAttr:$smoothing,
                       Sdp_BleuCompatAttr:$compat, UnitAttr:$corpus,
                       UnitAttr:$auto_reweigh,
                       OptionalAttr<F64Attr>:$smooth_value,
                       DefaultValuedAttr<I64Attr, "0">:$pad_id);
  let results = (outs TensorOf<[F64]>:$scores);
  let assemblyFormat = [{
    $candidates `,` $references attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The n-gram orders whose statistics the score needs, in the row order
    /// of sdp.bleu_score: 1..N, then 5 again for NLTK's method5 and method7.
    ::llvm::SmallVector<int64_t> getOrders();
  }];
}

//===----------------------------------------------------------------------===//
// Lowering helpers
//===----------------------------------------------------------------------===//

def Sdp_VectorCompressOp : Sdp_Op<"vector_compress", [Pure,
    AllTypesMatch<["values", "result"]>,
    TypesMatchWith<"mask has one i1 per lane of values", "values", "mask",
                   "::llvm::cast<::mlir::VectorType>($_self).cloneWith("
                   "std::nullopt, ::mlir::IntegerType::get("
                   "$_self.getContext(), 1))">]> {
  let summary = "the selected lanes of a vector, packed to its front";
  let description = [{
    `result[k] = values[i_k]` for `k < popcount(mask)`, where `i_0 < i_1 <
    ...` are the lanes whose `mask` bit is set; the lanes from
    `popcount(mask)` on are unspecified (poison). Both are 1-D vectors of
    the same length.

    The n-gram lowerings keep the positions a scan selects with it and store
    the whole vector, so the next store overwrites the unspecified lanes.
    Unlike `vector.compressstore` it writes no memory: LLVM's compressing
    store to memory is microcode on AMD Zen 4 (`vpcompressd m32{k}`), and
    without AVX-512 it becomes a branch per lane, while this op becomes
    `vpcompressd` on a register, or without AVX-512 a branch-free sequence.
    `-convert-sdp-vector-to-llvm` lowers it to
    `llvm.experimental.vector.compress`.

    ```mlir
    %packed = sdp.vector_compress %positions, %keep : vector<16xi32>
    ```
  }];
  let arguments = (ins VectorOfRankAndType<[1], [AnySignlessInteger, AnyFloat]>:$values,
                       VectorOfRankAndType<[1], [I1]>:$mask);
  let results = (outs VectorOfRankAndType<[1], [AnySignlessInteger, AnyFloat]>:$result);
  let assemblyFormat = [{
    $values `,` $mask attr-dict `:` type($values)
  }];
  let hasVerifier = 1;
}

#endif // SDP_NGRAM_OPS_TD
