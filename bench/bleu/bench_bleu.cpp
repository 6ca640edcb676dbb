//===- bench_bleu.cpp - sdp BLEU vs a hand-written C++ loop ---------------===//
//
//   bench-bleu --candidates=C.npy --references=R.npy [--repeats=5]
//              [--sdp-repeats=21] [--profile]
//
// Times per-sentence BLEU (NLTK rules, method1) compiled by sdp and the
// hand-written baseline on the same int32 batch, single-threaded, and prints
// one line: "sdp_ms=… cpp_ms=… max_abs_diff=…". run_bleu_bench.py adds NLTK.
//
//===----------------------------------------------------------------------===//

#include "Profile.h"
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

using namespace llvm;
using sdp::runtime::Tensor;

static cl::OptionCategory category("bench-bleu options");
static cl::opt<std::string> candidatesFile("candidates", cl::cat(category),
                                           cl::Required);
static cl::opt<std::string> referencesFile("references", cl::cat(category),
                                           cl::Required);
static cl::opt<int> repeats("repeats", cl::cat(category),
                            cl::desc("Runs of the C++ baseline"), cl::init(5));
// sdp is fast enough for more runs, which steadies its median on a shared
// machine.
static cl::opt<int> sdpRepeats("sdp-repeats", cl::cat(category),
                               cl::desc("Runs of sdp"), cl::init(21));
static cl::opt<bool> &profile = sdp::bench::profileOption(category);

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "sdp BLEU benchmark\n");
  Tensor cand, refs;
  std::string error;
  if (!sdp::runtime::readNpy(candidatesFile, cand, error) ||
      !sdp::runtime::readNpy(referencesFile, refs, error)) {
    errs() << error << "\n";
    return 1;
  }
  const char *source = R"mlir(
func.func @bleu(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<?xf64> {
  %s = sdp.bleu %c, %r {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<?xf64>
  return %s : tensor<?xf64>
}
)mlir";
  mlir::sdp::CompileOptions options;
  options.numThreads = 1; // single-threaded comparison
  options.debugInfo = profile;
  auto module = mlir::sdp::JITModule::compile(source, "bench.mlir", options);
  if (!module) {
    errs() << toString(module.takeError()) << "\n";
    return 1;
  }
  int B = cand.shape()[0], Lc = cand.shape()[1];
  int R = refs.shape()[1], Lr = refs.shape()[2];
  std::vector<Tensor> sdpScores;
  double sdpTime = sdp::bench::medianSeconds(sdpRepeats, [&] {
    auto r = (*module)->call("bleu", {&cand, &refs});
    if (!r) {
      errs() << toString(r.takeError()) << "\n";
      std::exit(1);
    }
    sdpScores = std::move(*r);
  });
  std::vector<double> cppScores(B);
  double cppTime = sdp::bench::medianSeconds(repeats, [&] {
    baselineSentenceBleu(cand.data<int32_t>(), refs.data<int32_t>(), B, R, Lc,
                         Lr, cppScores.data());
  });
  double diff = 0;
  for (int b = 0; b < B; ++b)
    diff =
        std::max(diff, std::abs(sdpScores[0].data<double>()[b] - cppScores[b]));
  std::printf("sdp_ms=%.3f cpp_ms=%.3f max_abs_diff=%.3g\n", sdpTime * 1e3,
              cppTime * 1e3, diff);
  return diff > 1e-9;
}
