//===- SubBatchWorkers.cpp - threads that run a split call's sub-batches --===//

#include "SubBatchWorkers.h"

#include "llvm/Support/Threading.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <new>
#include <pthread.h>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SDP_SPIN_PAUSE() _mm_pause()
#else
#define SDP_SPIN_PAUSE() std::this_thread::yield()
#endif

using namespace mlir::sdp;

namespace {

/// How long an idle worker spins before it sleeps: SDP_SPIN_US
/// microseconds, 2 ms by default (0: sleep at once).
std::chrono::microseconds spinWindow() {
  static const std::chrono::microseconds window = [] {
    if (const char *value = std::getenv("SDP_SPIN_US"))
      return std::chrono::microseconds(std::strtoll(value, nullptr, 10));
    return std::chrono::microseconds(2000);
  }();
  return window;
}

/// Worker threads that take the tasks of one call at a time. A call's
/// tasks are claimed through `ticket` (the call's generation in the high 32
/// bits, the next task in the low 32), by compare-and-swap, so a worker that
/// wakes late for an earlier call can never take, or skip, a task of the
/// current one; the call's task function is read under `jobMutex`.
class Workers {
public:
  explicit Workers(unsigned count) {
    for (unsigned i = 0; i < count; ++i)
      std::thread([this] { work(); }).detach();
  }

  /// Runs tasks 1 … count - 1 on the workers and task 0 here (and any
  /// task no worker has claimed yet). One caller at a time; `false`
  /// (nothing run) when another caller holds the workers.
  bool run(unsigned count, llvm::function_ref<void(unsigned)> task) {
    std::unique_lock<std::mutex> busy(callerMutex, std::try_to_lock);
    if (!busy.owns_lock())
      return false;
    // Only callers, one at a time, advance the generation.
    uint64_t gen = generation.load(std::memory_order_relaxed) + 1;
    {
      std::lock_guard<std::mutex> lock(jobMutex);
      job = {task, count, gen};
    }
    finished.store(0, std::memory_order_relaxed);
    ticket.store(gen << 32 | 1, std::memory_order_release);
    {
      std::lock_guard<std::mutex> lock(sleepMutex);
      generation.store(gen, std::memory_order_release);
    }
    if (sleeping.load(std::memory_order_acquire) > 0)
      wake.notify_all();
    task(0);
    runClaimed(gen, count, task);
    while (finished.load(std::memory_order_acquire) != count - 1)
      SDP_SPIN_PAUSE();
    return true;
  }

private:
  struct Job {
    llvm::function_ref<void(unsigned)> task;
    unsigned count = 0;
    uint64_t generation = 0;
  };

  /// Claims the next task of call `gen`; false when that call has none
  /// left or a later call has started.
  bool claim(uint64_t gen, unsigned count, unsigned &index) {
    uint64_t current = ticket.load(std::memory_order_acquire);
    while (true) {
      if (current >> 32 != gen || (current & 0xffffffffu) >= count)
        return false;
      if (ticket.compare_exchange_weak(current, current + 1,
                                       std::memory_order_acq_rel)) {
        index = current & 0xffffffffu;
        return true;
      }
    }
  }

  /// Runs the tasks of call `gen` that this thread can still claim.
  void runClaimed(uint64_t gen, unsigned count,
                  llvm::function_ref<void(unsigned)> task) {
    unsigned index;
    while (claim(gen, count, index)) {
      task(index);
      finished.fetch_add(1, std::memory_order_acq_rel);
    }
  }

  void work() {
    uint64_t seen = 0;
    while (true) {
      // Spin for a new call, then sleep until one arrives.
      auto deadline = std::chrono::steady_clock::now() + spinWindow();
      unsigned polls = 0;
      while (generation.load(std::memory_order_acquire) == seen) {
        SDP_SPIN_PAUSE();
        if (++polls % 256 == 0 && std::chrono::steady_clock::now() > deadline) {
          std::unique_lock<std::mutex> lock(sleepMutex);
          sleeping.fetch_add(1, std::memory_order_acq_rel);
          wake.wait(lock, [&] {
            return generation.load(std::memory_order_acquire) != seen;
          });
          sleeping.fetch_sub(1, std::memory_order_acq_rel);
        }
      }
      Job current;
      {
        std::lock_guard<std::mutex> lock(jobMutex);
        current = job;
      }
      seen = current.generation;
      runClaimed(current.generation, current.count, current.task);
    }
  }

  std::mutex callerMutex;
  std::mutex jobMutex;
  Job job; // guarded by jobMutex
  std::atomic<uint64_t> ticket{0};
  std::atomic<unsigned> finished{0};
  std::mutex sleepMutex;
  std::condition_variable wake;
  std::atomic<uint64_t> generation{0};
  std::atomic<unsigned> sleeping{0};
};

/// The workers, one per core but the caller's, created on first use. A
/// forked child (a data-loader worker, say) has none of its parent's
/// threads: it drops the parent's workers (leaked; their threads do not
/// exist there) and makes its own on first use.
Workers *workersPointer = nullptr;
std::mutex workersMutex;

Workers &workers() {
  static const bool forkHandled = [] {
    pthread_atfork(nullptr, nullptr, [] {
      workersPointer = nullptr;
      new (&workersMutex) std::mutex();
    });
    return true;
  }();
  (void)forkHandled;
  std::lock_guard<std::mutex> lock(workersMutex);
  if (!workersPointer) {
    unsigned cores = llvm::hardware_concurrency().compute_thread_count();
    workersPointer = new Workers(cores > 1 ? cores - 1 : 1);
  }
  return *workersPointer;
}

} // namespace

void detail::runSubBatches(unsigned count,
                           llvm::function_ref<void(unsigned)> task) {
  if (count <= 1 || !workers().run(count, task))
    for (unsigned i = 0; i < count; ++i)
      task(i);
}
