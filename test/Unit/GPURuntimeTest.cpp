//===- GPURuntimeTest.cpp - the mgpu* shim without and with a GPU ---------===//

#include "sdp/JIT/JITModule.h"
#include "sdp/Runtime/GPU.h"

#include <gtest/gtest.h>

#include <string>

namespace {

bool haveGpu() { return sdpGpuAvailable(nullptr); }

// Without a GPU every call fails softly: nothing crashes, the first failure
// names the driver call, and reading it clears it.
TEST(GPURuntime, WithoutAGpuCallsRecordTheFirstFailure) {
  if (haveGpu())
    GTEST_SKIP() << "a GPU is present";
  const char *why = nullptr;
  EXPECT_EQ(sdpGpuAvailable(&why), 0);
  ASSERT_NE(why, nullptr);
  EXPECT_NE(std::string(why).find("CUDA"), std::string::npos) << why;

  EXPECT_EQ(sdpGpuTakeError(), nullptr);
  void *stream = mgpuStreamCreate();
  EXPECT_EQ(stream, nullptr);
  EXPECT_EQ(mgpuMemAlloc(64, stream, 0), nullptr);
  mgpuLaunchKernel(nullptr, 1, 1, 1, 1, 1, 1, 0, stream, nullptr, nullptr, 0);
  mgpuStreamSynchronize(stream);
  mgpuStreamDestroy(stream);
  const char *error = sdpGpuTakeError();
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(std::string(error).rfind("cuStreamCreate needs a GPU: ", 0), 0u)
      << error;
  EXPECT_EQ(sdpGpuTakeError(), nullptr);
}

TEST(GPURuntime, JITForTheGpuFailsCleanlyWithoutOne) {
  if (haveGpu())
    GTEST_SKIP() << "a GPU is present";
  mlir::sdp::CompileOptions options;
  options.target = mlir::sdp::Target::GPU;
  auto module = mlir::sdp::JITModule::compile("func.func @f() { return }",
                                              "empty.mlir", options);
  ASSERT_FALSE(static_cast<bool>(module));
  std::string message = llvm::toString(module.takeError());
  EXPECT_EQ(message.rfind("cannot run empty.mlir on the GPU: ", 0), 0u)
      << message;
}

// With a GPU: a round trip through device memory, and a failing call named.
TEST(GPURuntime, DeviceMemoryRoundTripAndNamedFailures) {
  if (!haveGpu())
    GTEST_SKIP() << "no GPU";
  void *stream = mgpuStreamCreate();
  ASSERT_NE(stream, nullptr);
  int host[4] = {1, 2, 3, 4}, back[4] = {};
  void *device = mgpuMemAlloc(sizeof(host), stream, 0);
  ASSERT_NE(device, nullptr);
  mgpuMemcpy(device, host, sizeof(host), stream);
  mgpuMemset32(device, 7, 2, stream);
  mgpuMemcpy(back, device, sizeof(back), stream);
  mgpuStreamSynchronize(stream);
  mgpuMemFree(device, stream);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(sdpGpuTakeError(), nullptr);
  EXPECT_EQ(back[0], 7);
  EXPECT_EQ(back[1], 7);
  EXPECT_EQ(back[2], 3);
  EXPECT_EQ(back[3], 4);

  char notAnImage[] = "not a module";
  EXPECT_EQ(mgpuModuleLoad(notAnImage, sizeof(notAnImage)), nullptr);
  const char *error = sdpGpuTakeError();
  ASSERT_NE(error, nullptr);
  EXPECT_EQ(std::string(error).rfind("cuModuleLoadData failed: CUDA_ERROR_", 0),
            0u)
      << error;
}

} // namespace
