//===- bench_linear_chain.cpp - sdp vs hand-written forward loops ---------===//
//
// Times log_partition of examples/linear_chain_crf.mlir (JIT-compiled by sdp)
// against hand-written C++ loops on the same data in the same run, and
// prints the ratios; then the same for the gradients (log_partition_vjp
// against sdp's forward alone and a hand-written forward-backward). Usage:
// bench-linear-chain [--B=16 --T=512 --C=64 --repeats=5 --sdp-threads=1]
//
//===----------------------------------------------------------------------===//

#include "Profile.h"
#include "Timing.h"
#include "baseline.h"
#include "machine_limits.h"
#include "sdp/JIT/JITModule.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <random>
#include <sys/resource.h>

using namespace llvm;
using sdp::runtime::DType;
using sdp::runtime::Tensor;

static cl::OptionCategory category("bench-linear-chain options");
static cl::opt<int> B("B", cl::cat(category), cl::desc("batch"), cl::init(16));
static cl::opt<int> T("T", cl::cat(category), cl::desc("sequence length"),
                      cl::init(512));
static cl::opt<int> C("C", cl::cat(category), cl::desc("labels"), cl::init(64));
static cl::opt<int> repeats("repeats", cl::cat(category),
                            cl::desc("timed runs (median)"), cl::init(5));
static cl::opt<unsigned> threads("sdp-threads", cl::cat(category),
                                 cl::desc("sdp threads (0: all cores)"),
                                 cl::init(1));

/// The process's peak resident memory so far, in MiB.
static double peakMiB() {
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;
}

static cl::opt<bool> &profile = sdp::bench::profileOption(category);
static cl::opt<std::string>
    only("only", cl::cat(category),
         cl::desc("time one kind of potentials: 'factored' or 'full'"),
         cl::init(""));

static cl::opt<bool>
    sdpOnly("sdp-only", cl::cat(category),
            cl::desc("time sdp alone (no machine limits, no C++ loops), e.g. "
                     "to profile the compiled code"),
            cl::init(false));

static cl::opt<std::string>
    vjpMemory("vjp-memory", cl::cat(category),
              cl::desc("only measure the peak memory of one gradient call: "
                       "'plain' (log_partition_vjp) or 'checkpointed' "
                       "(log_partition_vjp_checkpointed)"),
              cl::init(""));

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
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv, "sdp linear-chain benchmark\n");
  mlir::sdp::CompileOptions options;
  options.debugInfo = profile;
  auto module = mlir::sdp::JITModule::compileFile(
      SDP_SOURCE_DIR "/examples/linear_chain_crf.mlir", options);
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

  if (!vjpMemory.empty()) {
    // Peak resident memory of one gradient call in a fresh process: the
    // inputs are allocated and the module compiled before the baseline.
    Tensor dLogZ = randomTensor({B}, rng, 1.f);
    std::string entry = vjpMemory == "checkpointed"
                            ? "log_partition_vjp_checkpointed"
                            : "log_partition_vjp";
    double before = peakMiB();
    auto r = (*module)->call(
        entry, {&emissions, &transitions, &start, &end, &lengths, &dLogZ});
    if (!r) {
      errs() << toString(r.takeError()) << "\n";
      return 1;
    }
    std::printf("%s, B=%d T=%d C=%d: peak resident memory grows by %.1f MiB "
                "(inputs %.1f MiB)\n",
                entry.c_str(), int(B), int(T), int(C), peakMiB() - before,
                (emissions.numElements() + transitions.numElements()) * 4.0 /
                    (1 << 20));
    return 0;
  }

  // The machine's limits on the same data: the full potentials streamed
  // once at the single-thread read bandwidth, and the factored step's
  // arithmetic (a real [B, C] x [C, C] product per step).
  size_t fullFloats = size_t(edges.numElements()) + emissions.numElements();
  float sink = 0;
  // Baselines and limits run unless --sdp-only (then they read NaN and
  // no difference is checked).
  auto timeBaseline = [&](const std::function<void()> &run) {
    return sdpOnly ? std::nan("") : sdp::bench::medianSeconds(repeats, run);
  };
  double readTime = timeBaseline([&] {
    sink += readOnce(edges.data<float>(), edges.numElements());
    sink += readOnce(emissions.data<float>(), emissions.numElements());
  });
  double bandwidth = fullFloats * 4.0 / readTime;
  std::vector<float> stateIn(size_t(B) * C, 1.f), stateOut(size_t(B) * C);
  double gemmTime = timeBaseline([&] {
    for (int t = 1; t < T; ++t) {
      batchTimesMatrix(stateIn.data(), transitions.data<float>(),
                       stateOut.data(), B, C);
      std::swap(stateIn, stateOut);
    }
  });
  sink += stateIn[0];
  std::printf("machine limits, one thread: read bandwidth %.1f GB/s (%.0f MB "
              "of full potentials and emissions in %.3f ms); factored step "
              "arithmetic (B x C by C x C real product, %d steps) %.3f ms%s\n",
              bandwidth / 1e9, fullFloats * 4.0 / 1e6, readTime * 1e3,
              int(T) - 1, gemmTime * 1e3, sink == 12345.f ? " " : "");

  std::printf("linear-chain log_partition, B=%d T=%d C=%d, sdp threads=%u, "
              "median of %d\n",
              int(B), int(T), int(C), (*module)->getNumThreads(), int(repeats));
  std::printf("%-10s %12s %12s %10s %12s %12s %10s\n", "potentials", "sdp [ms]",
              "C++ [ms]", "speed-up", "max rel diff", "limit [ms]",
              "sdp/limit");
  int status = 0;
  for (bool full : {false, true}) {
    if (!only.empty() && only != (full ? "full" : "factored"))
      continue;
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
    double cppTime = timeBaseline([&] {
      (full ? baselineLogPartitionFull : baselineLogPartition)(
          emissions.data<float>(), trans.data<float>(), start.data<float>(),
          end.data<float>(), lengths.data<int32_t>(), B, T, C,
          reference.data());
    });
    double diff = sdpOnly ? std::nan("")
                          : maxRelativeDifference(results[0].data<float>(),
                                                  reference.data(), B);
    double limit = full ? readTime : gemmTime;
    std::printf("%-10s %12.3f %12.3f %9.2fx %12.2e %12.3f %9.2fx\n",
                full ? "full" : "factored", sdpTime * 1e3, cppTime * 1e3,
                cppTime / sdpTime, diff, limit * 1e3, sdpTime / limit);
    if (diff > 1e-4)
      status = 1;
  }

  // Gradients: sdp's compiler-derived VJP against sdp's forward alone (the
  // forward-backward algorithm costs about 2 forwards) and against a
  // hand-written forward-backward on the same data.
  Tensor dLogZ = randomTensor({B}, rng, 1.f);
  std::printf("\nlinear-chain log_partition_vjp (gradients of all four "
              "inputs)\n");
  std::printf("%-10s %10s %12s %8s %12s %10s %12s\n", "potentials", "fwd [ms]",
              "fwd+vjp [ms]", "ratio", "C++ fb [ms]", "speed-up",
              "max rel diff");
  for (bool full : {false, true}) {
    if (!only.empty() && only != (full ? "full" : "factored"))
      continue;
    const Tensor &trans = full ? edges : transitions;
    std::vector<const Tensor *> args{&emissions, &trans, &start, &end,
                                     &lengths};
    auto call = [&](const char *name, std::vector<const Tensor *> inputs) {
      auto r = (*module)->call(name, inputs);
      if (!r) {
        errs() << toString(r.takeError()) << "\n";
        std::exit(1);
      }
      return std::move(*r);
    };
    double forwardTime = sdp::bench::medianSeconds(repeats, [&] {
      call(full ? "log_partition_full" : "log_partition", args);
    });
    double before = peakMiB();
    std::vector<Tensor> grads;
    std::vector<const Tensor *> vjpArgs(args);
    vjpArgs.push_back(&dLogZ);
    double vjpTime = sdp::bench::medianSeconds(repeats, [&] {
      grads =
          call(full ? "log_partition_full_vjp" : "log_partition_vjp", vjpArgs);
    });
    double after = peakMiB();
    std::vector<float> dEm(size_t(B) * T * C), dTr(trans.numElements()),
        dStart(C), dEnd(C);
    double cppTime = timeBaseline([&] {
      (full ? baselineLogPartitionFullVjp : baselineLogPartitionVjp)(
          emissions.data<float>(), trans.data<float>(), start.data<float>(),
          end.data<float>(), lengths.data<int32_t>(), dLogZ.data<float>(), B, T,
          C, dEm.data(), dTr.data(), dStart.data(), dEnd.data());
    });
    double diff = sdpOnly ? std::nan("") : 0;
    const std::vector<float> *refs[] = {&dEm, &dTr, &dStart, &dEnd};
    for (int i = 0; i < 4 && !sdpOnly; ++i)
      diff = std::max(diff, maxRelativeDifference(grads[i].data<float>(),
                                                  refs[i]->data(),
                                                  int(refs[i]->size())));
    std::printf("%-10s %10.3f %12.3f %7.2fx %12.3f %9.2fx %12.2e\n",
                full ? "full" : "factored", forwardTime * 1e3, vjpTime * 1e3,
                vjpTime / forwardTime, cppTime * 1e3, cppTime / vjpTime, diff);
    std::printf("%-10s peak resident memory %.1f MiB before the VJP runs, "
                "%.1f MiB after\n",
                "", before, after);
    // The C++ loop sums each transition's B·T edge marginals in one f32
    // accumulator; its own error against float64 reaches ~2e-3 here (sdp's
    // is ~1e-4, test/Integration/CPU/linear-chain-vjp.test).
    if (!sdpOnly && diff > 1e-2)
      status = 1;
  }
  return status;
}
