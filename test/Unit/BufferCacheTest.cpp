//===- BufferCacheTest.cpp - the allocation functions of lowered code -----===//

#include "sdp/Runtime/MemRef.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

namespace {

/// The tests check caching; SDP_BUFFER_CACHE_MB may turn it off.
bool cacheOff() { return std::getenv("SDP_BUFFER_CACHE_MB") != nullptr; }

// A freed large temporary is handed out again for a request of about its
// size (no page faults on the next call); small ones go straight to malloc.
TEST(BufferCache, ReusesLargeFreedBlocks) {
  if (cacheOff())
    GTEST_SKIP() << "SDP_BUFFER_CACHE_MB is set";
  const size_t size = 4 << 20;
  void *first = _mlir_memref_to_llvm_alloc(size);
  ASSERT_NE(first, nullptr);
  std::memset(first, 1, size);
  _mlir_memref_to_llvm_free(first);
  void *again = _mlir_memref_to_llvm_alloc(size - 1000);
  EXPECT_EQ(again, first);
  // Much smaller requests do not take a much larger block.
  _mlir_memref_to_llvm_free(again);
  void *small = _mlir_memref_to_llvm_alloc(size / 2);
  EXPECT_NE(small, first);
  // Every block is a malloc block: results leave compiled code and are
  // released with free().
  std::free(small);
  void *reused = _mlir_memref_to_llvm_alloc(size);
  EXPECT_EQ(reused, first);
  std::free(reused);
  _mlir_memref_to_llvm_free(nullptr);
}

// The cache can be emptied, e.g. by a long-running host between phases.
TEST(BufferCache, ReleaseEmptiesTheCache) {
  if (cacheOff())
    GTEST_SKIP() << "SDP_BUFFER_CACHE_MB is set";
  const size_t size = 2 << 20;
  sdpBufferCacheRelease();
  _mlir_memref_to_llvm_free(_mlir_memref_to_llvm_alloc(size));
  EXPECT_GE(sdpBufferCacheRelease(), size);
  EXPECT_EQ(sdpBufferCacheRelease(), 0u);
}

} // namespace
