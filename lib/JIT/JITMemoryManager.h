//===- JITMemoryManager.h - one object's sections close together ---------===//
//
// The JIT compiles with the small code model (constants are RIP-relative
// operands, not 64-bit address loads), so each object's code must reach its
// constants and its GOT within +-2 GiB. This memory manager reserves all of
// an object's sections in one block, with room for what RuntimeDyld adds
// after the reservation (the GOT, section alignment), and maps anything that
// still does not fit next to that block.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_JIT_JITMEMORYMANAGER_H
#define SDP_LIB_JIT_JITMEMORYMANAGER_H

#include "llvm/ExecutionEngine/SectionMemoryManager.h"

#include <memory>

namespace mlir::sdp::detail {

/// A new memory manager for one object.
std::unique_ptr<llvm::SectionMemoryManager> createJITMemoryManager();

} // namespace mlir::sdp::detail

#endif // SDP_LIB_JIT_JITMEMORYMANAGER_H
