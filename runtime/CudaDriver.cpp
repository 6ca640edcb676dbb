//===- CudaDriver.cpp - mgpu* on the CUDA driver API, loaded with dlopen --===//
//
// The driver is resolved at run time (no CUDA headers or libraries at build
// time), so the same runtime works with and without a GPU. Loaded modules
// are cached by image address and streams are pooled: lowered code creates
// and destroys a stream on every call.
//
//===----------------------------------------------------------------------===//

#include "sdp/Runtime/GPU.h"

#include <dlfcn.h>

#include <cstdio>
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
using CUdeviceptr = unsigned long long;
constexpr CUresult CUDA_SUCCESS = 0;
constexpr int CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;
constexpr int CU_STREAM_NON_BLOCKING = 1;
constexpr int kDefaultSharedMemoryLimit = 48 * 1024;

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
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
};

struct State {
  std::mutex mutex;
  bool initialized = false;
  const char *unavailable = nullptr; // why there is no GPU, once known
  Driver driver{};
  CUcontext context = nullptr;
  std::unordered_map<const void *, CUmodule> modules;
  std::unordered_map<CUfunction, int> sharedMemoryLimit;
  std::vector<CUstream> idleStreams;
  std::string error;  // first failure since the last sdpGpuTakeError
  std::string handed; // the message last returned by sdpGpuTakeError
};

State &state() {
  static State *s = new State; // never destroyed: modules outlive main()
  return *s;
}

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
  return true;
}

/// Ready to issue driver calls on this thread: initialized, no pending
/// failure, and the context current. Caller holds the mutex.
bool readyLocked(State &s, const char *call) {
  if (!initializeLocked(s)) {
    if (s.error.empty())
      s.error = std::string(call) + " needs a GPU: " + s.unavailable;
    return false;
  }
  if (!s.error.empty())
    return false;
  s.driver.cuCtxSetCurrent(s.context);
  return true;
}

/// Records the first failing driver call. Caller holds the mutex.
bool checkLocked(State &s, CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return true;
  if (s.error.empty()) {
    const char *name = "CUDA_ERROR_UNKNOWN", *text = "";
    s.driver.cuGetErrorName(result, &name);
    s.driver.cuGetErrorString(result, &text);
    s.error = std::string(call) + " failed: " + name + " (" + text + ")";
  }
  return false;
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
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (s.error.empty())
    return nullptr;
  s.handed = std::move(s.error);
  s.error.clear();
  return s.handed.c_str();
}

void *mgpuModuleLoad(void *data, size_t /*size*/) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!readyLocked(s, "cuModuleLoadData"))
    return nullptr;
  auto cached = s.modules.find(data);
  if (cached != s.modules.end())
    return cached->second;
  CUmodule module = nullptr;
  if (!checkLocked(s, s.driver.cuModuleLoadData(&module, data),
                   "cuModuleLoadData"))
    return nullptr;
  s.modules[data] = module;
  return module;
}

// PTX images are compiled by the driver's JIT; cuModuleLoadData takes both.
void *mgpuModuleLoadJIT(void *data, int /*optLevel*/) {
  return mgpuModuleLoad(data, 0);
}

// Cached modules stay loaded for the life of the process: the same image is
// loaded again by every JIT instance of a module.
void mgpuModuleUnload(void * /*module*/) {}

void *mgpuModuleGetFunction(void *module, const char *name) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!readyLocked(s, "cuModuleGetFunction"))
    return nullptr;
  if (!module) {
    s.error = std::string("cuModuleGetFunction(") + name +
              "): its module failed to load earlier";
    return nullptr;
  }
  CUfunction function = nullptr;
  checkLocked(s, s.driver.cuModuleGetFunction(&function, module, name),
              "cuModuleGetFunction");
  return function;
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, size_t /*paramsCount*/) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!readyLocked(s, "cuLaunchKernel"))
    return;
  if (!function) {
    s.error = "cuLaunchKernel: no kernel (its module failed to load earlier)";
    return;
  }
  // Dynamic shared memory beyond 48 KiB must be opted into per function.
  if (sharedMemBytes > kDefaultSharedMemoryLimit &&
      s.sharedMemoryLimit[function] < sharedMemBytes) {
    if (!checkLocked(s,
                     s.driver.cuFuncSetAttribute(
                         function,
                         CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES,
                         sharedMemBytes),
                     "cuFuncSetAttribute(MAX_DYNAMIC_SHARED_SIZE_BYTES)"))
      return;
    s.sharedMemoryLimit[function] = sharedMemBytes;
  }
  if (gridX == 0 || gridY == 0 || gridZ == 0)
    return; // an empty batch
  checkLocked(s,
              s.driver.cuLaunchKernel(function, gridX, gridY, gridZ, blockX,
                                      blockY, blockZ, sharedMemBytes, stream,
                                      params, extra),
              "cuLaunchKernel");
}

void *mgpuStreamCreate(void) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!readyLocked(s, "cuStreamCreate"))
    return nullptr;
  if (!s.idleStreams.empty()) {
    CUstream stream = s.idleStreams.back();
    s.idleStreams.pop_back();
    return stream;
  }
  CUstream stream = nullptr;
  checkLocked(s, s.driver.cuStreamCreate(&stream, CU_STREAM_NON_BLOCKING),
              "cuStreamCreate");
  return stream;
}

void mgpuStreamDestroy(void *stream) {
  if (!stream)
    return;
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.idleStreams.push_back(stream); // back to the pool
}

void mgpuStreamSynchronize(void *stream) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!stream || !readyLocked(s, "cuStreamSynchronize"))
    return;
  checkLocked(s, s.driver.cuStreamSynchronize(stream), "cuStreamSynchronize");
}

void *mgpuMemAlloc(uint64_t sizeBytes, void * /*stream*/,
                   int8_t /*isHostShared*/) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!readyLocked(s, "cuMemAlloc"))
    return nullptr;
  CUdeviceptr pointer = 0;
  // The driver rejects empty allocations; an empty tensor gets one byte.
  if (!checkLocked(s, s.driver.cuMemAlloc(&pointer, sizeBytes ? sizeBytes : 1),
                   "cuMemAlloc"))
    return nullptr;
  return reinterpret_cast<void *>(pointer);
}

void mgpuMemFree(void *ptr, void * /*stream*/) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!ptr || !s.context)
    return;
  s.driver.cuCtxSetCurrent(s.context);
  // Freed even after an earlier failure, so that nothing leaks.
  checkLocked(s, s.driver.cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)),
              "cuMemFree");
}

void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!sizeBytes || !readyLocked(s, "cuMemcpyAsync"))
    return;
  // Unified addressing: the driver tells host from device pointers.
  checkLocked(s,
              s.driver.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                                     reinterpret_cast<CUdeviceptr>(src),
                                     sizeBytes, stream),
              "cuMemcpyAsync");
}

void mgpuMemset32(void *dst, uint32_t value, size_t count, void *stream) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!count || !readyLocked(s, "cuMemsetD32Async"))
    return;
  checkLocked(s,
              s.driver.cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst),
                                        value, count, stream),
              "cuMemsetD32Async");
}

} // extern "C"
