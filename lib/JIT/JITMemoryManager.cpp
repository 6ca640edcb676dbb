//===- JITMemoryManager.cpp - one object's sections close together --------===//

#include "JITMemoryManager.h"

#include "llvm/Support/Memory.h"

using namespace llvm;

namespace {

/// Maps each block next to the previous one of the same object when the
/// caller names no block to be near (SectionMemoryManager does not, for
/// what it maps after its reservation), so that those blocks stay within
/// reach of the reservation too.
class NearbyMapper final : public SectionMemoryManager::MemoryMapper {
public:
  sys::MemoryBlock allocateMappedMemory(SectionMemoryManager::AllocationPurpose,
                                        size_t numBytes,
                                        const sys::MemoryBlock *const near,
                                        unsigned flags,
                                        std::error_code &ec) override {
    const sys::MemoryBlock *hint = near && near->base() ? near : nullptr;
    if (!hint && last.base())
      hint = &last;
    sys::MemoryBlock block =
        sys::Memory::allocateMappedMemory(numBytes, hint, flags, ec);
    if (!ec)
      last = block;
    return block;
  }

  std::error_code protectMappedMemory(const sys::MemoryBlock &block,
                                      unsigned flags) override {
    return sys::Memory::protectMappedMemory(block, flags);
  }

  std::error_code releaseMappedMemory(sys::MemoryBlock &block) override {
    return sys::Memory::releaseMappedMemory(block);
  }

private:
  sys::MemoryBlock last;
};

/// Holds the mapper so that it is built before, and destroyed after, the
/// SectionMemoryManager that releases its blocks through it.
struct MapperHolder {
  NearbyMapper mapper;
};

class JITMemoryManager final : private MapperHolder,
                               public SectionMemoryManager {
public:
  JITMemoryManager() : SectionMemoryManager(&mapper, /*ReserveAlloc=*/true) {}

  // RuntimeDyld's sizes do not cover all that SectionMemoryManager then
  // allocates: it pads every section by its alignment (an object has many
  // small .rodata.cst* sections), and sections added after the reservation
  // (a GOT, say) find none for their kind. The slack (whole pages: address
  // space, not memory) keeps them in the block.
  void reserveAllocationSpace(uintptr_t codeSize, Align codeAlign,
                              uintptr_t roDataSize, Align roDataAlign,
                              uintptr_t rwDataSize,
                              Align rwDataAlign) override {
    constexpr uintptr_t slack = 64 * 1024;
    SectionMemoryManager::reserveAllocationSpace(
        codeSize + slack, codeAlign, roDataSize + slack, roDataAlign,
        rwDataSize + slack, rwDataAlign);
  }
};

} // namespace

std::unique_ptr<SectionMemoryManager>
mlir::sdp::detail::createJITMemoryManager() {
  return std::make_unique<JITMemoryManager>();
}
