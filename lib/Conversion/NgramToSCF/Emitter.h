//===- Emitter.h - shared declarations of the n-gram lowerings --*- C++ -*-===//

#ifndef SDP_LIB_CONVERSION_NGRAMTOSCF_EMITTER_H
#define SDP_LIB_CONVERSION_NGRAMTOSCF_EMITTER_H

#include "../Utils/Emitter.h"

namespace mlir::sdp::ngram {

using Emitter = ::mlir::sdp::Emitter;

/// True when both window operands of `dict` come from sdp.ngram_extract: the
/// dictionary then reads the tokens directly and the windows are never
/// materialized (Dictionary.cpp).
bool windowsFuseIntoDictionary(Operation *dict);

/// What a compaction step keeps: the lanes to keep and the values written
/// for them (both vectors of the compaction's width).
struct Compacted {
  Value keep, values;
};

/// Stream compaction: for the positions [0, length) in steps of `width`,
/// `select(start, positions, inRange)` gets the first position, the vector
/// of positions (i32) and the mask of those below `length`, and says which
/// lanes to keep; their values are stored contiguously into the 1-D i32
/// buffer `out` (compressed in a register and stored whole). Returns how
/// many were kept. `out` needs `length` rounded up to `width` entries: the
/// last store writes a whole vector.
Value compact(Emitter &e, Value length, Value out, int64_t width,
              function_ref<Compacted(Value, Value, Value)> select);

/// The i32 positions start, start + 1, ..., start + width - 1.
Value lanePositions(Emitter &e, int64_t width, Value start);

/// The lanes of the positions from `start` that are below `end` (none when
/// end <= start).
Value laneMask(Emitter &e, int64_t width, Value start, Value end);

/// A vector<width x i32> of the index `index` (as i32).
Value broadcastI32(Emitter &e, int64_t width, Value index);

/// A vector<width x i32> of `value`s.
Value splatI32(Emitter &e, int64_t width, int32_t value);

/// The lanes of `memref` at `indices` (the vector runs along the last
/// dimension) where `inRange` is set; `fill` in the others, which are not
/// read.
Value loadLanes(Emitter &e, Value memref, ArrayRef<Value> indices,
                Value inRange, int64_t fill);

/// memref[indices[k]] for the lanes k of `mask` (`memref` 1-D; a gather),
/// `fill` in the others, which are not read.
Value gatherLanes(Emitter &e, Value memref, Value indices, Value mask,
                  int64_t fill);

/// Whether any lane of the i1 vector `mask` is set.
Value anyLane(Emitter &e, Value mask);

/// Stores the lanes of `values` where `inRange` is set to `memref` at
/// `indices` (along the last dimension).
void storeLanes(Emitter &e, Value values, Value memref, ArrayRef<Value> indices,
                Value inRange);

/// The largest of ids[row..., 0 .. length) (as i32; -1 when length is 0),
/// one vector at a time.
Value maxLanes(Emitter &e, int64_t width, Value ids, ArrayRef<Value> row,
               Value length);

/// Whether ids[row..., i] is i for i < count and negative (no n-gram) for
/// count <= i < length: the numbering of a row whose n-grams are all
/// distinct. One vector compare per `width` ids.
Value idsArePositions(Emitter &e, int64_t width, Value ids, ArrayRef<Value> row,
                      Value count, Value length);

/// The lowerings of the n-gram ops, one file each: sdp.ngram_dict and
/// sdp.ngram_chain (Dictionary.cpp), sdp.ngram_count and sdp.ngram_clip
/// (Counting.cpp) and sdp.bleu_score (BleuScore.cpp). `width` is the number of
/// lanes of their compactions.
void populateDictionaryLoweringPatterns(RewritePatternSet &patterns,
                                        int64_t width);
void populateCountingLoweringPatterns(RewritePatternSet &patterns,
                                      int64_t width);
void populateBleuScoreLoweringPatterns(RewritePatternSet &patterns);

} // namespace mlir::sdp::ngram

#endif // SDP_LIB_CONVERSION_NGRAMTOSCF_EMITTER_H
