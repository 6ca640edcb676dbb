/*===- GPU.h - the CUDA driver shim behind lowered GPU code -------*- C -*-===*\
|*                                                                            *|
|* Host code lowered by sdp-gpu-pipeline calls the mgpu* functions that      *|
|* libsdp_runtime implements on the CUDA driver API. The driver is loaded     *|
|* with dlopen("libcuda.so.1") on first use, so binaries linked against the   *|
|* runtime still start on machines without one. This header is plain C.      *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef SDP_RUNTIME_GPU_H
#define SDP_RUNTIME_GPU_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Loads the driver and makes device 0's primary context current. Returns 1
 * when a GPU is usable; otherwise 0 and, when `why` is not null, a static
 * message saying what is missing (no libcuda, no device, a failing call). */
int sdpGpuAvailable(const char **why);

/* The first driver failure on the calling thread since its last call, as
 * "cuLaunchKernel failed: CUDA_ERROR_... (message)", or null. Lowered code
 * cannot return errors (and runs on its caller's thread), so after a failure
 * every mgpu* call of that thread does nothing until this is read; the
 * caller checks it after each compiled call. The string is valid until the
 * thread's next call. */
const char *sdpGpuTakeError(void);

/* Makes compiled calls on the calling thread enqueue their work on `stream`
 * (a CUstream of device 0's primary context, e.g. a PyTorch stream's
 * cuda_stream); null restores the default, a pooled stream per call, which
 * is not ordered after the caller's work. The handle 0 cannot be set (it
 * means "none"): for the legacy default stream, PyTorch's default, pass
 * CU_STREAM_LEGACY, (void *)0x1.
 *
 * On the caller's stream, device buffers are allocated and freed
 * stream-ordered (cuMemAllocAsync, cuMemFreeAsync): free a result with
 * mgpuMemFree(ptr, stream) while the stream is still set. A call does not
 * wait for its work while the stream is being captured, so a call of a
 * module compiled device-resident (sdp-gpu-pipeline device-resident,
 * CompileOptions::gpuDeviceResident) records into a CUDA graph. Modules
 * that copy results to host memory must not be captured: their host code
 * would read the copies before they are made. Capture in
 * CU_STREAM_CAPTURE_MODE_THREAD_LOCAL (torch: capture_error_mode=
 * "thread_local") when other threads may use sdp meanwhile: their
 * cuMemAlloc calls are illegal during a global-mode capture.
 *
 *   sdpGpuSetStream(stream);
 *   sdp_bleu(&scores, &candidates, &references);  // warm-up: loads, sizes
 *   mgpuMemFree(scores.allocated, stream);
 *   cuStreamBeginCapture(stream, CU_STREAM_CAPTURE_MODE_THREAD_LOCAL);
 *   sdp_bleu(&scores, &candidates, &references);  // device pointers
 *   mgpuMemcpy(out, scores.aligned, bytes, stream);
 *   mgpuMemFree(scores.allocated, stream);
 *   cuStreamEndCapture(stream, &graph);
 *   sdpGpuSetStream(NULL);
 *
 * Outside a capture, a call still waits for its stream before returning. */
void sdpGpuSetStream(void *stream);
/* The stream set by sdpGpuSetStream on this thread, or null. */
void *sdpGpuGetStream(void);

/* The mgpu* ABI of MLIR's gpu-to-llvm lowering (MLIR 22). */
void *mgpuModuleLoad(void *data, size_t size);
void *mgpuModuleLoadJIT(void *data, int optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, size_t paramsCount);
void *mgpuStreamCreate(void);
void mgpuStreamDestroy(void *stream);
void mgpuStreamSynchronize(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate(void);
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, int8_t isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, size_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, uint32_t value, size_t count, void *stream);

#ifdef __cplusplus
}
#endif

#endif /* SDP_RUNTIME_GPU_H */
