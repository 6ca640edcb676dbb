//===- SubBatchWorkers.h - threads that run a split call's sub-batches ----===//
//
// The threads that run the sub-batches of split calls, shared by every
// module and calling thread. Unlike a general-purpose pool they stay awake
// (spinning) for a short while after each call, because waking a sleeping
// thread costs about 50 us on the virtual machines sdp runs on, a third of
// a small call (a CRF forward over 64 NER-sized sentences takes 130 us),
// and training loops call back to back. OpenMP runtimes do the same
// (KMP_BLOCKTIME, GOMP_SPINCOUNT).
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_JIT_SUBBATCHWORKERS_H
#define SDP_LIB_JIT_SUBBATCHWORKERS_H

#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::sdp::detail {

/// Runs `task(0)` … `task(count - 1)`, index 0 on the calling thread and
/// the others on the shared workers (or on the calling thread, when all of
/// them are busy with another caller's tasks), and returns when all have
/// finished. Tasks must not call runSubBatches themselves.
void runSubBatches(unsigned count, llvm::function_ref<void(unsigned)> task);

} // namespace mlir::sdp::detail

#endif // SDP_LIB_JIT_SUBBATCHWORKERS_H
