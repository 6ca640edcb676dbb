//===- main.cpp - JIT and AOT sdp in one host application -----------------===//
//
//   host-app linear_chain_crf.mlir liblcrf.so
//
// JIT-compiles the linear-chain example, loads the library sdpc built from
// the same example, runs both on the same random batch, and checks that they
// agree.
//
//===----------------------------------------------------------------------===//

#include "lcrf.h"
#include "sdp/JIT/JITModule.h"

#include <dlfcn.h>

#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

bool logPartition(const char *path, const float *emissions,
                  const float *transitions, const float *start,
                  const float *end, const int32_t *lengths, int64_t B,
                  int64_t T, int64_t C, float *logZ);

using mlir::sdp::JITModule;
using sdp::runtime::TensorView;

template <typename T, typename Descriptor>
static Descriptor describe(std::vector<T> &data, std::vector<int64_t> shape) {
  Descriptor d{data.data(), data.data(), 0, {}, {}};
  int64_t stride = 1;
  for (int64_t i = static_cast<int64_t>(shape.size()) - 1; i >= 0; --i) {
    d.sizes[i] = shape[i];
    d.strides[i] = stride;
    stride *= shape[i];
  }
  return d;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s linear_chain_crf.mlir liblcrf.so\n",
                 argv[0]);
    return 2;
  }
  const int64_t B = 8, T = 20, C = 6;
  std::mt19937 rng(7);
  std::normal_distribution<float> normal(0.f, 3.f);
  auto randoms = [&](size_t n) {
    std::vector<float> v(n);
    for (float &x : v)
      x = normal(rng);
    return v;
  };
  std::vector<float> emissions = randoms(B * T * C),
                     transitions = randoms(C * C), start = randoms(C),
                     end = randoms(C);
  std::vector<int32_t> lengths(B);
  for (int64_t b = 0; b < B; ++b)
    lengths[b] = static_cast<int32_t>(1 + (b * 7) % T);

  // JIT: the README example, then Viterbi through the same API.
  std::vector<float> jitLogZ(B);
  if (!logPartition(argv[1], emissions.data(), transitions.data(), start.data(),
                    end.data(), lengths.data(), B, T, C, jitLogZ.data()))
    return 1;
  auto module = JITModule::compileFile(argv[1]);
  if (!module) {
    std::fprintf(stderr, "%s\n", toString(module.takeError()).c_str());
    return 1;
  }
  auto viterbi = (*module)->call(
      "viterbi",
      {TensorView(emissions.data(), {B, T, C}),
       TensorView(transitions.data(), {C, C}), TensorView(start.data(), {C}),
       TensorView(end.data(), {C}), TensorView(lengths.data(), {B})});
  if (!viterbi) {
    std::fprintf(stderr, "%s\n", toString(viterbi.takeError()).c_str());
    return 1;
  }

  // AOT: the sdpc-built library, loaded at run time.
  void *library = dlopen(argv[2], RTLD_NOW);
  if (!library) {
    std::fprintf(stderr, "cannot load %s: %s\n", argv[2], dlerror());
    return 1;
  }
  auto aotLogPartition = reinterpret_cast<decltype(&sdp_log_partition)>(
      dlsym(library, "sdp_log_partition"));
  auto aotViterbi =
      reinterpret_cast<decltype(&sdp_viterbi)>(dlsym(library, "sdp_viterbi"));
  if (!aotLogPartition || !aotViterbi) {
    std::fprintf(stderr, "%s lacks sdp_log_partition or sdp_viterbi\n",
                 argv[2]);
    return 1;
  }
  auto em = describe<float, sdp_memref_f32_3d>(emissions, {B, T, C});
  auto tr = describe<float, sdp_memref_f32_2d>(transitions, {C, C});
  auto st = describe<float, sdp_memref_f32_1d>(start, {C});
  auto en = describe<float, sdp_memref_f32_1d>(end, {C});
  auto len = describe<int32_t, sdp_memref_i32_1d>(lengths, {B});
  sdp_memref_f32_1d aotLogZ;
  aotLogPartition(&aotLogZ, &em, &tr, &st, &en, &len);
  sdp_viterbi_results aotBest;
  aotViterbi(&aotBest, &em, &tr, &st, &en, &len);

  double worst = 0;
  int pathMismatches = 0;
  const float *jitScores = (*viterbi)[0].data<float>();
  const int32_t *jitPaths = (*viterbi)[1].data<int32_t>();
  for (int64_t b = 0; b < B; ++b) {
    float aot = aotLogZ.aligned[aotLogZ.offset + b * aotLogZ.strides[0]];
    float aotScore =
        aotBest.result0
            .aligned[aotBest.result0.offset + b * aotBest.result0.strides[0]];
    worst = std::max({worst, std::fabs(double(aot) - jitLogZ[b]),
                      std::fabs(double(aotScore) - jitScores[b])});
    for (int64_t t = 0; t < T; ++t)
      pathMismatches +=
          jitPaths[b * T + t] !=
          aotBest.result1
              .aligned[aotBest.result1.offset + b * aotBest.result1.strides[0] +
                       t * aotBest.result1.strides[1]];
  }
  std::free(aotLogZ.allocated);
  std::free(aotBest.result0.allocated);
  std::free(aotBest.result1.allocated);
  std::printf("batch %lld: max |JIT - AOT| = %.3g, path mismatches = %d\n",
              static_cast<long long>(B), worst, pathMismatches);
  if (worst > 1e-5 || pathMismatches) {
    std::printf("JIT and AOT disagree\n");
    return 1;
  }
  std::printf("JIT and AOT agree\n");
  return 0;
}
