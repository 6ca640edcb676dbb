//===- DeviceResidentTest.cpp - device-resident calls and CUDA graphs -----===//
//
// Without a GPU: the option and stream plumbing and their errors. With one:
// device-resident BLEU against the CPU build of the module, then the same call
// captured into a CUDA graph (the driver's graph API, loaded like the
// runtime loads it) and replayed on new inputs.
//
//===----------------------------------------------------------------------===//

#include "sdp/JIT/JITModule.h"
#include "sdp/Runtime/GPU.h"

#include "gtest/gtest.h"

#include <dlfcn.h>

#include <cmath>
#include <thread>

using mlir::sdp::CompileOptions;
using mlir::sdp::JITModule;
using mlir::sdp::Target;
using sdp::runtime::Tensor;
using sdp::runtime::TensorView;

namespace {

const char *kBleu = R"mlir(
func.func @sentence_bleu(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<?xf64> {
  %s = sdp.bleu %c, %r {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}
func.func @corpus_bleu(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<1xf64> {
  %s = sdp.bleu %c, %r {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method0>, compat = #sdp.compat<nltk>, corpus}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<1xf64>
  return %s : tensor<1xf64>
}
)mlir";

std::string errorOf(llvm::Error err) { return llvm::toString(std::move(err)); }

TEST(DeviceResident, NeedsTheGpuTargetAndItsOwnEntryPoint) {
  CompileOptions cpuResident;
  cpuResident.gpuDeviceResident = true;
  auto bad = JITModule::compile(kBleu, "bleu.mlir", cpuResident);
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(errorOf(bad.takeError())
                .find("device-resident tensors need the GPU target"),
            std::string::npos);

  auto module = JITModule::compile(kBleu, "bleu.mlir");
  ASSERT_TRUE(static_cast<bool>(module)) << errorOf(module.takeError());
  int32_t tokens[2] = {1, 2};
  double out[1];
  llvm::Error err = (*module)->callOnDevice(
      "sentence_bleu",
      {TensorView(tokens, {1, 2}), TensorView(tokens, {1, 1, 2})},
      {TensorView(out, {1})});
  EXPECT_NE(errorOf(std::move(err))
                .find("@sentence_bleu was not compiled device-resident"),
            std::string::npos);
}

TEST(DeviceResident, CallerStreamIsPerThread) {
  int fake = 0;
  sdpGpuSetStream(&fake);
  EXPECT_EQ(sdpGpuGetStream(), &fake);
  void *seen = &fake;
  std::thread([&] { seen = sdpGpuGetStream(); }).join();
  EXPECT_EQ(seen, nullptr);
  if (!sdpGpuAvailable(nullptr)) {
    // Without a GPU the caller's stream is not handed out either.
    EXPECT_EQ(mgpuStreamCreate(), nullptr);
    EXPECT_NE(sdpGpuTakeError(), nullptr);
  }
  sdpGpuSetStream(nullptr);
  EXPECT_EQ(sdpGpuGetStream(), nullptr);
}

/// The few graph calls of the CUDA driver API the test needs.
struct GraphApi {
  int (*beginCapture)(void *, int);
  int (*endCapture)(void *, void **);
  int (*instantiate)(void **, void *, unsigned long long);
  int (*launch)(void *, void *);
  int (*execDestroy)(void *);
  int (*graphDestroy)(void *);
  bool load() {
    void *cuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!cuda)
      return false;
    beginCapture = reinterpret_cast<decltype(beginCapture)>(
        dlsym(cuda, "cuStreamBeginCapture_v2"));
    endCapture = reinterpret_cast<decltype(endCapture)>(
        dlsym(cuda, "cuStreamEndCapture"));
    instantiate = reinterpret_cast<decltype(instantiate)>(
        dlsym(cuda, "cuGraphInstantiateWithFlags"));
    launch = reinterpret_cast<decltype(launch)>(dlsym(cuda, "cuGraphLaunch"));
    execDestroy = reinterpret_cast<decltype(execDestroy)>(
        dlsym(cuda, "cuGraphExecDestroy"));
    graphDestroy =
        reinterpret_cast<decltype(graphDestroy)>(dlsym(cuda, "cuGraphDestroy"));
    return beginCapture && endCapture && instantiate && launch && execDestroy &&
           graphDestroy;
  }
};
constexpr int kCaptureModeThreadLocal =
    1; // CU_STREAM_CAPTURE_MODE_THREAD_LOCAL

/// A device copy of `host` (freed by the caller with mgpuMemFree).
void *toDevice(const Tensor &host, void *stream) {
  void *device = mgpuMemAlloc(host.numBytes(), nullptr, 0);
  mgpuMemcpy(device, const_cast<void *>(host.data()), host.numBytes(), stream);
  return device;
}

/// Token ids: B candidates of length L and B × R references, pads (0) at
/// the ends, drawn from a small vocabulary so that n-grams match.
std::pair<Tensor, Tensor> sentences(int64_t B, int64_t L, int64_t R,
                                    unsigned seed) {
  Tensor c(sdp::runtime::DType::I32, {B, L}),
      r(sdp::runtime::DType::I32, {B, R, L});
  unsigned state = seed;
  auto next = [&] { return (state = state * 1103515245u + 12345u) >> 16; };
  for (int64_t b = 0; b < B; ++b) {
    int64_t length = L / 2 + next() % (L / 2);
    for (int64_t i = 0; i < L; ++i)
      c.data<int32_t>()[b * L + i] = i < length ? 1 + next() % 6 : 0;
    for (int64_t k = 0; k < R * L; ++k)
      r.data<int32_t>()[b * R * L + k] =
          k % L < length - int64_t(k / L) ? 1 + next() % 6 : 0;
  }
  return {std::move(c), std::move(r)};
}

TEST(DeviceResident, BleuMatchesTheHostAndReplaysFromACudaGraph) {
  if (!sdpGpuAvailable(nullptr))
    GTEST_SKIP() << "no GPU";
  GraphApi graphs;
  ASSERT_TRUE(graphs.load()) << "the driver lacks the graph API";
  CompileOptions residentOptions;
  residentOptions.target = Target::GPU;
  residentOptions.gpuDeviceResident = true;
  auto reference = JITModule::compile(kBleu, "bleu.mlir");
  ASSERT_TRUE(static_cast<bool>(reference)) << errorOf(reference.takeError());
  auto module = JITModule::compile(kBleu, "bleu.mlir", residentOptions);
  ASSERT_TRUE(static_cast<bool>(module)) << errorOf(module.takeError());

  const int64_t B = 37, L = 40, R = 3;
  auto [cand, refs] = sentences(B, L, R, 1);
  auto [cand2, refs2] = sentences(B, L, R, 2);
  void *stream = mgpuStreamCreate();
  ASSERT_NE(stream, nullptr);
  void *dCand = toDevice(cand, stream), *dRefs = toDevice(refs, stream);
  void *dScores = mgpuMemAlloc(B * sizeof(double), nullptr, 0);
  void *dCorpus = mgpuMemAlloc(sizeof(double), nullptr, 0);
  mgpuStreamSynchronize(stream);
  ASSERT_EQ(sdpGpuTakeError(), nullptr);
  std::vector<TensorView> inputs = {
      TensorView(static_cast<int32_t *>(dCand), {B, L}),
      TensorView(static_cast<int32_t *>(dRefs), {B, R, L})};
  auto expectScores = [&](const Tensor &c, const Tensor &r) {
    auto want = (*reference)->call("sentence_bleu", {&c, &r});
    ASSERT_TRUE(static_cast<bool>(want)) << errorOf(want.takeError());
    auto wantCorpus = (*reference)->call("corpus_bleu", {&c, &r});
    ASSERT_TRUE(static_cast<bool>(wantCorpus))
        << errorOf(wantCorpus.takeError());
    std::vector<double> got(B), gotCorpus(1);
    mgpuMemcpy(got.data(), dScores, B * sizeof(double), stream);
    mgpuMemcpy(gotCorpus.data(), dCorpus, sizeof(double), stream);
    mgpuStreamSynchronize(stream);
    ASSERT_EQ(sdpGpuTakeError(), nullptr);
    for (int64_t b = 0; b < B; ++b)
      EXPECT_NEAR(got[b], (*want)[0].data<double>()[b], 1e-9) << "b=" << b;
    EXPECT_NEAR(gotCorpus[0], (*wantCorpus)[0].data<double>()[0], 1e-9);
  };
  auto callBoth = [&](void *on) {
    llvm::Error a = (*module)->callOnDevice(
        "sentence_bleu", inputs,
        {TensorView(static_cast<double *>(dScores), {B})}, on);
    EXPECT_FALSE(static_cast<bool>(a)) << errorOf(std::move(a));
    llvm::Error c = (*module)->callOnDevice(
        "corpus_bleu", inputs,
        {TensorView(static_cast<double *>(dCorpus), {1})}, on);
    EXPECT_FALSE(static_cast<bool>(c)) << errorOf(std::move(c));
  };

  // Direct calls, on the runtime's stream and on the caller's.
  callBoth(nullptr);
  expectScores(cand, refs);
  callBoth(stream);
  expectScores(cand, refs);

  // A host-resident call is refused; a wrong output shape is named.
  auto refused = (*module)->call("sentence_bleu", {&cand, &refs});
  ASSERT_FALSE(static_cast<bool>(refused));
  EXPECT_NE(errorOf(refused.takeError()).find("was compiled device-resident"),
            std::string::npos);
  llvm::Error wrong = (*module)->callOnDevice(
      "sentence_bleu", inputs,
      {TensorView(static_cast<double *>(dScores), {B - 1})}, stream);
  EXPECT_NE(errorOf(std::move(wrong))
                .find("result #0 has shape f64[37] but output #0 is f64[36]"),
            std::string::npos);

  // Captured once, replayed on new inputs written into the same buffers.
  ASSERT_EQ(graphs.beginCapture(stream, kCaptureModeThreadLocal), 0);
  callBoth(stream);
  void *graph = nullptr, *exec = nullptr;
  ASSERT_EQ(graphs.endCapture(stream, &graph), 0);
  ASSERT_EQ(graphs.instantiate(&exec, graph, 0), 0);
  mgpuMemcpy(dCand, cand2.data(), cand2.numBytes(), stream);
  mgpuMemcpy(dRefs, refs2.data(), refs2.numBytes(), stream);
  ASSERT_EQ(graphs.launch(exec, stream), 0);
  expectScores(cand2, refs2);
  mgpuMemcpy(dCand, cand.data(), cand.numBytes(), stream);
  mgpuMemcpy(dRefs, refs.data(), refs.numBytes(), stream);
  ASSERT_EQ(graphs.launch(exec, stream), 0);
  expectScores(cand, refs);

  graphs.execDestroy(exec);
  graphs.graphDestroy(graph);
  for (void *buffer : {dCand, dRefs, dScores, dCorpus})
    mgpuMemFree(buffer, nullptr);
  mgpuStreamDestroy(stream);
  EXPECT_EQ(sdpGpuTakeError(), nullptr);
}

} // namespace
