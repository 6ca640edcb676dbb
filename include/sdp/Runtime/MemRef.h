/*===- MemRef.h - the C ABI of compiled sdp functions -------------*- C -*-===*\
|*                                                                            *|
|* Compiled functions take and return strided memref descriptors. This header *|
|* is plain C; generated AOT headers include it.                              *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef SDP_RUNTIME_MEMREF_H
#define SDP_RUNTIME_MEMREF_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A memref descriptor of rank R over element type T is laid out as
 *   struct { T *allocated; T *aligned; int64_t offset;
 *            int64_t sizes[R]; int64_t strides[R]; }
 * Element (i0, ..., iR-1) lives at aligned[offset + sum_k ik * strides[k]].
 * Result descriptors returned by compiled functions own `allocated`, which
 * the caller releases with free(). */

/* An unranked memref: a rank and a pointer to a ranked descriptor. */
typedef struct {
  int64_t rank;
  void *descriptor;
} sdp_unranked_memref;

/* Copies `src` into `dst` (same shape, any strides), elementSize bytes per
 * element. Lowered code calls it for buffer copies. */
void memrefCopy(int64_t elementSize, sdp_unranked_memref *src,
                sdp_unranked_memref *dst);

/* The allocation functions lowered code calls for its buffers. Every block
 * is a malloc block: results handed to callers are released with free().
 * Freed large blocks (256 KiB and more) are kept for the next call's
 * temporaries (and results the JIT handed out, once their tensors die),
 * at most a sixteenth of the machine's memory and at least 512 MiB, or
 * SDP_BUFFER_CACHE_MB from the environment (0 turns the cache off). */
void *_mlir_memref_to_llvm_alloc(size_t size);
void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size);
void _mlir_memref_to_llvm_free(void *pointer);

/* Returns the cached blocks to the system; the number of bytes released. */
size_t sdpBufferCacheRelease(void);

#ifdef __cplusplus
}
#endif

#endif /* SDP_RUNTIME_MEMREF_H */
