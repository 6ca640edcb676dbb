//===- MemRef.cpp - the C ABI of compiled sdp functions -------------------===//

#include "sdp/Runtime/MemRef.h"

#include <cstring>

namespace {
/// The fields of a ranked descriptor seen through its 64-bit words.
struct DescriptorView {
  explicit DescriptorView(void *descriptor, int64_t rank)
      : words(static_cast<int64_t *>(descriptor)), rank(rank) {}
  char *aligned() const {
    char *p;
    std::memcpy(&p, &words[1], sizeof(p));
    return p;
  }
  int64_t offset() const { return words[2]; }
  int64_t size(int64_t d) const { return words[3 + d]; }
  int64_t stride(int64_t d) const { return words[3 + rank + d]; }

  int64_t *words;
  int64_t rank;
};

void copyDim(const DescriptorView &src, const DescriptorView &dst,
             int64_t elementSize, int64_t dim, const char *from, char *to) {
  if (dim == src.rank) {
    std::memcpy(to, from, elementSize);
    return;
  }
  for (int64_t i = 0; i < src.size(dim); ++i)
    copyDim(src, dst, elementSize, dim + 1,
            from + i * src.stride(dim) * elementSize,
            to + i * dst.stride(dim) * elementSize);
}
} // namespace

extern "C" void memrefCopy(int64_t elementSize, sdp_unranked_memref *src,
                           sdp_unranked_memref *dst) {
  DescriptorView from(src->descriptor, src->rank);
  DescriptorView to(dst->descriptor, dst->rank);
  for (int64_t d = 0; d < from.rank; ++d)
    if (from.size(d) == 0)
      return;
  copyDim(from, to, elementSize, 0,
          from.aligned() + from.offset() * elementSize,
          to.aligned() + to.offset() * elementSize);
}
