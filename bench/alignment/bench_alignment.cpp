//===- bench_alignment.cpp - sdp.alignment vs hand-written loops ----------===//
//
// Times the three entries of examples/alignment.mlir (JIT-compiled by sdp)
// against hand-written C++ loops on the same data in the same run, and
// prints the ratios. Usage: bench-alignment [--B=16 --N=512 --M=512
// --repeats=5 --sdp-threads=1]
//
//===----------------------------------------------------------------------===//

#include "Profile.h"
#include "Timing.h"
#include "alignment/baseline.h"
#include "sdp/JIT/JITModule.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

using namespace llvm;
using sdp::runtime::DType;
using sdp::runtime::Tensor;

static cl::OptionCategory category("bench-alignment options");
static cl::opt<int> B("B", cl::cat(category), cl::desc("pairs"), cl::init(16));
static cl::opt<int> N("N", cl::cat(category), cl::desc("rows of the grid - 1"),
                      cl::init(512));
static cl::opt<int> M("M", cl::cat(category),
                      cl::desc("columns of the grid - 1"), cl::init(512));
static cl::opt<int> repeats("repeats", cl::cat(category),
                            cl::desc("timed runs (median)"), cl::init(5));
static cl::opt<unsigned> threads("sdp-threads", cl::cat(category),
                                 cl::desc("sdp threads (0: all cores)"),
                                 cl::init(1));
static cl::opt<bool> &profile = sdp::bench::profileOption(category);

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "sdp alignment benchmark\n");
  mlir::sdp::CompileOptions options;
  options.debugInfo = profile;
  auto module = mlir::sdp::JITModule::compileFile(
      SDP_SOURCE_DIR "/examples/alignment.mlir", options);
  if (!module) {
    errs() << toString(module.takeError()) << "\n";
    return 1;
  }
  (*module)->setNumThreads(threads);

  // Negative costs, as soft-DTW's -cost/gamma would give.
  std::mt19937 rng(42);
  std::uniform_real_distribution<float> cost(-1.f, 0.f);
  auto weights = [&] {
    Tensor t(DType::F32, {B, N + 1, M + 1});
    for (int64_t i = 0; i < t.numElements(); ++i)
      t.data<float>()[i] = cost(rng);
    return t;
  };
  Tensor diagonal = weights(), down = weights(), right = weights();
  Tensor rows(DType::I32, {B}), cols(DType::I32, {B});
  std::fill_n(rows.data<int32_t>(), int(B), int32_t(N));
  std::fill_n(cols.data<int32_t>(), int(B), int32_t(M));

  std::printf("alignment, B=%d N=%d M=%d, sdp threads=%u, median of %d\n",
              int(B), int(N), int(M), (*module)->getNumThreads(), int(repeats));
  std::printf("%-16s %12s %12s %10s %12s\n", "entry", "sdp [ms]", "C++ [ms]",
              "speed-up", "max rel diff");
  int status = 0;
  for (auto [entry, semiring] :
       {std::pair{"edit_distance", AlignmentSemiring::Min},
        std::pair{"best_alignment", AlignmentSemiring::Max},
        std::pair{"log_partition", AlignmentSemiring::Log}}) {
    std::vector<float> reference(B);
    std::vector<Tensor> results;
    double sdpTime = sdp::bench::medianSeconds(repeats, [&] {
      auto r = (*module)->call(entry, {&diagonal, &down, &right, &rows, &cols});
      if (!r) {
        errs() << toString(r.takeError()) << "\n";
        std::exit(1);
      }
      results = std::move(*r);
    });
    double cppTime = sdp::bench::medianSeconds(repeats, [&] {
      baselineAlignment(semiring, diagonal.data<float>(), down.data<float>(),
                        right.data<float>(), rows.data<int32_t>(),
                        cols.data<int32_t>(), B, N, M, reference.data());
    });
    double diff = 0;
    for (int b = 0; b < B; ++b)
      diff = std::max(
          diff, std::abs(double(results[0].data<float>()[b]) - reference[b]) /
                    std::max(1.0, std::abs(double(reference[b]))));
    std::printf("%-16s %12.3f %12.3f %9.2fx %12.2e\n", entry, sdpTime * 1e3,
                cppTime * 1e3, cppTime / sdpTime, diff);
    if (diff > 1e-4)
      status = 1;
  }
  return status;
}
