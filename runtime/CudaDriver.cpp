//===- CudaDriver.cpp - mgpu* on the CUDA driver API, loaded with dlopen --===//
//
// The driver is resolved at run time (no CUDA headers or libraries at build
// time), so the same runtime works with and without a GPU. Loaded modules
// are cached by image content (a freed image's address may be reused by the
// next one) and streams are pooled: lowered code creates and destroys a
// stream on every call. The lock guards the cache, the pool and the one-time
// setup only; blocking driver calls run outside it. Failures are kept per
// thread: lowered code runs on its caller's thread, which reads them back.
//
// A caller may hand its own stream to the calls of its thread
// (sdpGpuSetStream): lowered code then enqueues everything on it, allocates
// stream-ordered, and skips its final wait while the stream is being
// captured into a CUDA graph.
//
//===----------------------------------------------------------------------===//

#include "sdp/Runtime/GPU.h"

#include <dlfcn.h>

#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

// The few driver types and enumerators used here, as the driver ABI
// defines them (cuda.h).
using CUresult = int;
using CUdevice = int;
using CUcontext = void *;
using CUmodule = void *;
using CUfunction = void *;
using CUstream = void *;
using CUevent = void *;
using CUdeviceptr = unsigned long long;
constexpr CUresult CUDA_SUCCESS = 0;
constexpr int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
constexpr int CU_STREAM_NON_BLOCKING = 1;
constexpr unsigned CU_EVENT_DISABLE_TIMING = 2;
constexpr int CU_STREAM_CAPTURE_STATUS_NONE = 0;
constexpr int CU_MEMPOOL_ATTR_RELEASE_THRESHOLD = 4;

struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuFuncSetAttribute)(CUfunction, int, int);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  // Needed only on a caller's stream (CUDA 11.2 and later); null if absent.
  CUresult (*cuMemAllocAsync)(CUdeviceptr *, size_t, CUstream);
  CUresult (*cuMemFreeAsync)(CUdeviceptr, CUstream);
  CUresult (*cuStreamIsCapturing)(CUstream, int *);
  CUresult (*cuDeviceGetDefaultMemPool)(void **, CUdevice);
  CUresult (*cuMemPoolSetAttribute)(void *, int, void *);
};

/// Set up once; `driver` and `context` never change afterwards, so driver
/// calls need no lock.
struct State {
  std::mutex mutex;
  bool initialized = false;
  const char *unavailable = nullptr; // why there is no GPU, once known
  Driver driver{};
  CUcontext context = nullptr;
  std::unordered_map<std::string, CUmodule> modules; // by image content
  std::unordered_map<CUfunction, int> sharedMemoryLimit;
  std::vector<CUstream> idleStreams;
};

State &state() {
  static State *s = new State; // never destroyed: modules outlive main()
  return *s;
}

// The first failure on this thread since its last sdpGpuTakeError.
thread_local std::string pendingError;
thread_local std::string handedError;
// The stream lowered code on this thread runs on (sdpGpuSetStream), or null
// for a pooled stream per call.
thread_local CUstream callerStream = nullptr;

template <typename F> bool resolve(void *library, const char *name, F &fn) {
  fn = reinterpret_cast<F>(dlsym(library, name));
  return fn != nullptr;
}

/// Loads the driver and sets up device 0; caller holds the mutex.
bool initializeLocked(State &s) {
  if (s.initialized)
    return s.unavailable == nullptr;
  s.initialized = true;
  void *library = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    s.unavailable = "no CUDA driver: libcuda.so.1 cannot be loaded";
    return false;
  }
  Driver &d = s.driver;
  bool ok = resolve(library, "cuInit", d.cuInit) &&
            resolve(library, "cuDeviceGetCount", d.cuDeviceGetCount) &&
            resolve(library, "cuDeviceGet", d.cuDeviceGet) &&
            resolve(library, "cuDevicePrimaryCtxRetain",
                    d.cuDevicePrimaryCtxRetain) &&
            resolve(library, "cuCtxSetCurrent", d.cuCtxSetCurrent) &&
            resolve(library, "cuModuleLoadData", d.cuModuleLoadData) &&
            resolve(library, "cuModuleUnload", d.cuModuleUnload) &&
            resolve(library, "cuModuleGetFunction", d.cuModuleGetFunction) &&
            resolve(library, "cuFuncSetAttribute", d.cuFuncSetAttribute) &&
            resolve(library, "cuLaunchKernel", d.cuLaunchKernel) &&
            resolve(library, "cuStreamCreate", d.cuStreamCreate) &&
            resolve(library, "cuStreamDestroy_v2", d.cuStreamDestroy) &&
            resolve(library, "cuStreamSynchronize", d.cuStreamSynchronize) &&
            resolve(library, "cuStreamWaitEvent", d.cuStreamWaitEvent) &&
            resolve(library, "cuEventCreate", d.cuEventCreate) &&
            resolve(library, "cuEventDestroy_v2", d.cuEventDestroy) &&
            resolve(library, "cuEventRecord", d.cuEventRecord) &&
            resolve(library, "cuEventSynchronize", d.cuEventSynchronize) &&
            resolve(library, "cuMemAlloc_v2", d.cuMemAlloc) &&
            resolve(library, "cuMemFree_v2", d.cuMemFree) &&
            resolve(library, "cuMemcpyAsync", d.cuMemcpyAsync) &&
            resolve(library, "cuMemsetD32Async", d.cuMemsetD32Async) &&
            resolve(library, "cuGetErrorName", d.cuGetErrorName) &&
            resolve(library, "cuGetErrorString", d.cuGetErrorString);
  if (!ok) {
    s.unavailable = "the CUDA driver (libcuda.so.1) lacks a function sdp "
                    "needs; it is too old";
    return false;
  }
  resolve(library, "cuMemAllocAsync", d.cuMemAllocAsync);
  resolve(library, "cuMemFreeAsync", d.cuMemFreeAsync);
  resolve(library, "cuStreamIsCapturing", d.cuStreamIsCapturing);
  resolve(library, "cuDeviceGetDefaultMemPool", d.cuDeviceGetDefaultMemPool);
  resolve(library, "cuMemPoolSetAttribute", d.cuMemPoolSetAttribute);
  int count = 0;
  CUdevice device;
  if (d.cuInit(0) != CUDA_SUCCESS) {
    s.unavailable = "cuInit failed: the CUDA driver found no usable GPU";
    return false;
  }
  if (d.cuDeviceGetCount(&count) != CUDA_SUCCESS || count == 0) {
    s.unavailable = "no CUDA device: cuDeviceGetCount reports none";
    return false;
  }
  if (d.cuDeviceGet(&device, 0) != CUDA_SUCCESS ||
      d.cuDevicePrimaryCtxRetain(&s.context, device) != CUDA_SUCCESS) {
    s.unavailable = "cuDevicePrimaryCtxRetain failed for device 0";
    return false;
  }
  // Stream-ordered allocations (on callers' streams) keep freed memory in
  // the device's pool instead of unmapping it at every synchronization.
  void *pool = nullptr;
  unsigned long long keepAll = ~0ull;
  if (d.cuDeviceGetDefaultMemPool && d.cuMemPoolSetAttribute &&
      d.cuDeviceGetDefaultMemPool(&pool, device) == CUDA_SUCCESS)
    d.cuMemPoolSetAttribute(pool, CU_MEMPOOL_ATTR_RELEASE_THRESHOLD, &keepAll);
  return true;
}

/// The driver, ready for calls on this thread (device 0's primary context
/// current), or null after recording why not: no GPU, or an earlier failure
/// on this thread that has not been read yet.
const Driver *ready(const char *call) {
  State &s = state();
  bool available;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    available = initializeLocked(s);
  }
  if (!available) {
    if (pendingError.empty())
      pendingError = std::string(call) + " needs a GPU: " + s.unavailable;
    return nullptr;
  }
  if (!pendingError.empty())
    return nullptr;
  s.driver.cuCtxSetCurrent(s.context);
  return &s.driver;
}

/// Records the first failing driver call of this thread.
bool check(const Driver &d, CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return true;
  if (pendingError.empty()) {
    const char *name = "CUDA_ERROR_UNKNOWN", *text = "";
    d.cuGetErrorName(result, &name);
    d.cuGetErrorString(result, &text);
    pendingError = std::string(call) + " failed: " + name + " (" + text + ")";
  }
  return false;
}

CUmodule loadModule(const void *data, size_t size) {
  const Driver *d = ready("cuModuleLoadData");
  if (!d)
    return nullptr;
  State &s = state();
  std::string image(static_cast<const char *>(data), size);
  std::lock_guard<std::mutex> lock(s.mutex);
  auto cached = s.modules.find(image);
  if (cached != s.modules.end())
    return cached->second;
  CUmodule module = nullptr;
  if (!check(*d, d->cuModuleLoadData(&module, data), "cuModuleLoadData"))
    return nullptr;
  s.modules.emplace(std::move(image), module);
  return module;
}

} // namespace

extern "C" {

int sdpGpuAvailable(const char **why) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  bool ok = initializeLocked(s);
  if (why)
    *why = ok ? nullptr : s.unavailable;
  return ok;
}

const char *sdpGpuTakeError(void) {
  if (pendingError.empty())
    return nullptr;
  handedError = std::move(pendingError);
  pendingError.clear();
  return handedError.c_str();
}

void sdpGpuSetStream(void *stream) { callerStream = stream; }

void *sdpGpuGetStream(void) { return callerStream; }

void *mgpuModuleLoad(void *data, size_t size) { return loadModule(data, size); }

// PTX images are null-terminated text, compiled by the driver's JIT;
// cuModuleLoadData takes them like cubins.
void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return loadModule(data, std::strlen(static_cast<const char *>(data)) + 1);
}

// Cached modules stay loaded for the life of the process: the same image is
// loaded again by every JIT instance of a module.
void mgpuModuleUnload(void * /*module*/) {}

void *mgpuModuleGetFunction(void *module, const char *name) {
  const Driver *d = ready("cuModuleGetFunction");
  if (!d)
    return nullptr;
  if (!module) {
    pendingError = std::string("cuModuleGetFunction(") + name +
                   "): its module failed to load earlier";
    return nullptr;
  }
  CUfunction function = nullptr;
  check(*d, d->cuModuleGetFunction(&function, module, name),
        "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  const Driver *d = ready("cuLaunchKernel");
  if (!d)
    return;
  if (!function) {
    pendingError =
        "cuLaunchKernel: no kernel (its module failed to load earlier)";
    return;
  }
  // Dynamic shared memory is opted into per function: the default limit
  // (48 KiB) counts static shared memory too.
  if (sharedMemBytes > 0) {
    State &s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    int &limit = s.sharedMemoryLimit[function];
    if (limit < sharedMemBytes) {
      if (!check(*d,
                 d->cuFuncSetAttribute(
                     function, CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                     sharedMemBytes),
                 "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)"))
        return;
      limit = sharedMemBytes;
    }
  }
  if (gridX == 0 || gridY == 0 || gridZ == 0)
    return; // an empty batch
  check(*d,
        d->cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY, blockZ,
                          sharedMemBytes, stream, params, extra),
        "cuLaunchKernel");
}

void *mgpuStreamCreate(void) {
  const Driver *d = ready("cuStreamCreate");
  if (!d)
    return nullptr;
  if (callerStream)
    return callerStream;
  State &s = state();
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.idleStreams.empty()) {
      CUstream stream = s.idleStreams.back();
      s.idleStreams.pop_back();
      return stream;
    }
  }
  CUstream stream = nullptr;
  check(*d, d->cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING),
        "cuStreamCreate");
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  if (!stream || stream == callerStream)
    return; // the caller's stream stays the caller's
  // Back to the pool: lowered code synchronizes a stream before destroying
  // it, and work still queued on it stays ordered before any reuse.
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.idleStreams.push_back(stream);
}

void mgpuStreamSynchronize(void *stream) {
  // A stream exists only when the driver is set up. It is waited for even
  // after an earlier failure, so that nothing runs on when the call returns.
  if (!stream)
    return;
  State &s = state();
  s.driver.cuCtxSetCurrent(s.context);
  // Waiting is not allowed while the caller's stream is captured: the work
  // is only being recorded, and the caller orders what reads the results.
  int capture = CU_STREAM_CAPTURE_STATUS_NONE;
  if (stream == callerStream && s.driver.cuStreamIsCapturing &&
      check(s.driver, s.driver.cuStreamIsCapturing(stream, &capture),
            "cuStreamIsCapturing") &&
      capture != CU_STREAM_CAPTURE_STATUS_NONE)
    return;
  check(s.driver, s.driver.cuStreamSynchronize(stream), "cuStreamSynchronize");
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  const Driver *d = ready("cuStreamWaitEvent");
  if (!d || !stream || !event)
    return;
  check(*d, d->cuStreamWaitEvent(stream, event, 0), "cuStreamWaitEvent");
}

void *mgpuEventCreate(void) {
  const Driver *d = ready("cuEventCreate");
  if (!d)
    return nullptr;
  CUevent event = nullptr;
  check(*d, d->cuEventCreate(&event, CU_EVENT_DISABLE_TIMING), "cuEventCreate");
  return event;
}

void mgpuEventDestroy(void *event) {
  if (event && state().context)
    state().driver.cuEventDestroy(event);
}

void mgpuEventSynchronize(void *event) {
  const Driver *d = ready("cuEventSynchronize");
  if (!d || !event)
    return;
  check(*d, d->cuEventSynchronize(event), "cuEventSynchronize");
}

void mgpuEventRecord(void *event, void *stream) {
  const Driver *d = ready("cuEventRecord");
  if (!d || !event)
    return;
  check(*d, d->cuEventRecord(event, stream), "cuEventRecord");
}

/// Allocations on the caller's stream are stream-ordered, which a graph may
/// capture (cuMemAlloc and cuMemFree cannot be captured). Records an error
/// when the driver lacks them.
static bool hasStreamOrderedAllocation(const Driver &d) {
  if (d.cuMemAllocAsync && d.cuMemFreeAsync)
    return true;
  if (pendingError.empty())
    pendingError = "allocating on the caller's stream needs cuMemAllocAsync "
                   "(a CUDA 11.2 or later driver)";
  return false;
}

void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, int8_t /*isHostShared*/) {
  const Driver *d = ready("cuMemAlloc");
  if (!d)
    return nullptr;
  CUdeviceptr pointer = 0;
  // The driver rejects empty allocations; an empty tensor gets one byte.
  size_t bytes = sizeBytes ? sizeBytes : 1;
  bool ok;
  if (stream && stream == callerStream)
    ok = hasStreamOrderedAllocation(*d) &&
         check(*d, d->cuMemAllocAsync(&pointer, bytes, stream),
               "cuMemAllocAsync");
  else
    ok = check(*d, d->cuMemAlloc(&pointer, bytes), "cuMemAlloc");
  return ok ? reinterpret_cast<void *>(pointer) : nullptr;
}

void mgpuMemFree(void *ptr, void *stream) {
  State &s = state();
  if (!ptr || !s.context)
    return;
  // Freed even after an earlier failure, so that nothing leaks.
  s.driver.cuCtxSetCurrent(s.context);
  auto device = reinterpret_cast<CUdeviceptr>(ptr);
  if (stream && stream == callerStream) {
    if (hasStreamOrderedAllocation(s.driver))
      check(s.driver, s.driver.cuMemFreeAsync(device, stream),
            "cuMemFreeAsync");
  } else {
    check(s.driver, s.driver.cuMemFree(device), "cuMemFree");
  }
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream) {
  const Driver *d = ready("cuMemcpyAsync");
  if (!d || !sizeBytes)
    return;
  // Unified addressing: the driver tells host from device pointers.
  check(*d,
        d->cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                         reinterpret_cast<CUdeviceptr>(src), sizeBytes, stream),
        "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, uint32_t value, size_t count, void *stream) {
  const Driver *d = ready("cuMemsetD32Async");
  if (!d || !count)
    return;
  check(*d,
        d->cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value, count,
                            stream),
        "cuMemsetD32Async");
}

} // extern "C"
