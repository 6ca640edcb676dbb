//===- bench_linear_chain.cpp - sdp vs hand-written forward loops ---------===//
//
// Times log_partition of examples/linear_chain_crf.mlir (JIT-compiled by sdp)
// against hand-written C++ loops on the same data in the same run, and
// prints the ratios. Usage: bench-linear-chain [--B=16 --T=512 --C=64
// --repeats=5 --sdp-threads=1]
//
//===----------------------------------------------------------------------===//

#include "Timing.h"
#include "baseline.h"
#include "sdp/JIT/JITModule.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>

using namespace llvm;
using sdp::runtime::DType;
using sdp::runtime::Tensor;

static cl::opt<int> B("B", cl::desc("batch"), cl::init(16));
static cl::opt<int> T("T", cl::desc("sequence length"), cl::init(512));
static cl::opt<int> C("C", cl::desc("labels"), cl::init(64));
static cl::opt<int> repeats("repeats", cl::desc("timed runs (median)"),
                            cl::init(5));
static cl::opt<unsigned>
    threads("sdp-threads", cl::desc("sdp threads (0: all cores)"), cl::init(1));

static Tensor randomTensor(std::vector<int64_t> shape, std::mt19937 &rng,
                           float stddev) {
  Tensor t(DType::F32, std::move(shape));
  std::normal_distribution<float> dist(0.f, stddev);
  for (int64_t i = 0; i < t.numElements(); ++i)
    t.data<float>()[i] = dist(rng);
  return t;
}

static double maxRelativeDifference(const float *a, const float *b, int n) {
  double worst = 0;
  for (int i = 0; i < n; ++i)
    worst = std::max(worst, std::abs(double(a[i]) - b[i]) /
                                std::max(1.0, std::abs(double(b[i]))));
  return worst;
}

int main(int argc, char **argv) {
  cl::ParseCommandLineOptions(argc, argv, "sdp linear-chain benchmark\n");
  auto module = mlir::sdp::JITModule::compileFile(
      SDP_SOURCE_DIR "/examples/linear_chain_crf.mlir");
  if (!module) {
    errs() << toString(module.takeError()) << "\n";
    return 1;
  }
  (*module)->setNumThreads(threads);

  std::mt19937 rng(42);
  Tensor emissions = randomTensor({B, T, C}, rng, 1.f);
  Tensor transitions = randomTensor({C, C}, rng, 1.f);
  Tensor edges = randomTensor({B, T - 1, C, C}, rng, 1.f);
  Tensor start = randomTensor({C}, rng, 1.f);
  Tensor end = randomTensor({C}, rng, 1.f);
  Tensor lengths(DType::I32, {B});
  for (int b = 0; b < B; ++b)
    lengths.data<int32_t>()[b] = T;

  std::printf("linear-chain log_partition, B=%d T=%d C=%d, sdp threads=%u, "
              "median of %d\n",
              int(B), int(T), int(C), (*module)->getNumThreads(), int(repeats));
  std::printf("%-10s %12s %12s %10s %12s\n", "potentials", "sdp [ms]",
              "C++ [ms]", "speed-up", "max rel diff");
  int status = 0;
  for (bool full : {false, true}) {
    const Tensor &trans = full ? edges : transitions;
    std::vector<float> reference(B);
    std::vector<Tensor> results;
    double sdpTime = sdp::bench::medianSeconds(repeats, [&] {
      auto r = (*module)->call(full ? "log_partition_full" : "log_partition",
                               {&emissions, &trans, &start, &end, &lengths});
      if (!r) {
        errs() << toString(r.takeError()) << "\n";
        std::exit(1);
      }
      results = std::move(*r);
    });
    double cppTime = sdp::bench::medianSeconds(repeats, [&] {
      (full ? baselineLogPartitionFull : baselineLogPartition)(
          emissions.data<float>(), trans.data<float>(), start.data<float>(),
          end.data<float>(), lengths.data<int32_t>(), B, T, C,
          reference.data());
    });
    double diff =
        maxRelativeDifference(results[0].data<float>(), reference.data(), B);
    std::printf("%-10s %12.3f %12.3f %9.2fx %12.2e\n",
                full ? "full" : "factored", sdpTime * 1e3, cppTime * 1e3,
                cppTime / sdpTime, diff);
    if (diff > 1e-4)
      status = 1;
  }
  return status;
}
