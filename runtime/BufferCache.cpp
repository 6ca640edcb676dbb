//===- BufferCache.cpp - allocation functions of lowered code -------------===//
//
// Lowered code allocates its temporaries with _mlir_memref_to_llvm_alloc and
// frees them with _mlir_memref_to_llvm_free. Large temporaries (a BLEU
// dictionary's [B, R, L] ids, per n-gram order) would otherwise go back to
// the kernel on every free and fault their pages in again on the next call;
// here freed large blocks are kept, up to a bound, and handed out again for
// requests of about their size. Every block is a malloc block, so results
// that leave compiled code are released with free() as usual.
//
//===----------------------------------------------------------------------===//

#include "sdp/Runtime/MemRef.h"

#include <malloc.h>
#include <unistd.h>

#include <algorithm>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace {

/// Below glibc's default mmap threshold (128 KiB): a block at or above it
/// may be mmapped on every malloc of that same size (the dynamic threshold
/// only rises past sizes already freed), faulting all its pages each time.
constexpr size_t kSmallestCached = 64 * 1024;
constexpr size_t kMaxBlocks = 256;

/// The most bytes kept: a sixteenth of the machine's memory, at least
/// 512 MiB (enough for a large result, its per-thread pieces and the
/// temporaries of the next call of the same size), or SDP_BUFFER_CACHE_MB
/// (0 turns the cache off).
size_t cacheLimit() {
  static const size_t limit = [] {
    if (const char *value = std::getenv("SDP_BUFFER_CACHE_MB"))
      return static_cast<size_t>(std::strtoull(value, nullptr, 10)) << 20;
    size_t floor = size_t(512) << 20;
    long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || pageSize <= 0)
      return floor;
    return std::max(floor, static_cast<size_t>(pages) *
                               static_cast<size_t>(pageSize) / 16);
  }();
  return limit;
}

struct Block {
  void *pointer;
  size_t size; // usable size
};

struct Cache {
  std::mutex mutex;
  std::vector<Block> blocks;
  size_t bytes = 0;
};

Cache &cache() {
  static Cache *c = new Cache; // outlives every caller
  return *c;
}

/// A cached block that fits `size` without wasting more than a quarter of
/// it, or null.
void *takeCached(size_t size) {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  size_t best = c.blocks.size();
  for (size_t i = 0; i < c.blocks.size(); ++i) {
    size_t have = c.blocks[i].size;
    if (have >= size && have - size <= size / 4 &&
        (best == c.blocks.size() || have < c.blocks[best].size))
      best = i;
  }
  if (best == c.blocks.size())
    return nullptr;
  void *pointer = c.blocks[best].pointer;
  c.bytes -= c.blocks[best].size;
  c.blocks[best] = c.blocks.back();
  c.blocks.pop_back();
  return pointer;
}

} // namespace

extern "C" {

void *_mlir_memref_to_llvm_alloc(size_t size) {
  if (size >= kSmallestCached)
    if (void *pointer = takeCached(size))
      return pointer;
  return std::malloc(size);
}

void *_mlir_memref_to_llvm_aligned_alloc(size_t alignment, size_t size) {
  // Rounded up as aligned_alloc requires; not cached (rarely used).
  return std::aligned_alloc(alignment,
                            (size + alignment - 1) / alignment * alignment);
}

void _mlir_memref_to_llvm_free(void *pointer) {
  if (!pointer)
    return;
  size_t size = malloc_usable_size(pointer);
  if (size >= kSmallestCached) {
    Cache &c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (c.blocks.size() < kMaxBlocks && c.bytes + size <= cacheLimit()) {
      c.blocks.push_back({pointer, size});
      c.bytes += size;
      return;
    }
  }
  std::free(pointer);
}

size_t sdpBufferCacheRelease(void) {
  Cache &c = cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  size_t released = c.bytes;
  for (Block &block : c.blocks)
    std::free(block.pointer);
  c.blocks.clear();
  c.bytes = 0;
  return released;
}

} // extern "C"
