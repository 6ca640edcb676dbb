//===- JITModuleTest.cpp - the host C++ JIT API ---------------------------===//

#include "sdp/JIT/JITModule.h"

#include "gtest/gtest.h"

#include <atomic>
#include <cmath>
#include <thread>

using mlir::sdp::CompileOptions;
using mlir::sdp::JITModule;
using mlir::sdp::Target;
using sdp::runtime::DType;
using sdp::runtime::Tensor;
using sdp::runtime::TensorView;

namespace {

const char *kRowLogSumExp = R"mlir(
func.func @row_lse(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = sdp.contract "bk->b" %x semiring(#sdp.log) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}
)mlir";

std::string errorOf(llvm::Error err) { return llvm::toString(std::move(err)); }

TEST(JITModule, CallsOnCallerMemoryAndReturnsOwnedResults) {
  auto module = JITModule::compile(kRowLogSumExp, "row_lse.mlir");
  ASSERT_TRUE(static_cast<bool>(module)) << errorOf(module.takeError());
  float data[2][3] = {{0.f, 1.f, 2.f}, {-INFINITY, 0.f, 0.f}};
  auto results = (*module)->call("row_lse", {TensorView(&data[0][0], {2, 3})});
  ASSERT_TRUE(static_cast<bool>(results)) << errorOf(results.takeError());
  ASSERT_EQ(results->size(), 1u);
  const Tensor &r = (*results)[0];
  EXPECT_EQ(r.dtype(), DType::F32);
  EXPECT_EQ(r.shape(), (std::vector<int64_t>{2}));
  EXPECT_NEAR(r.data<float>()[0], std::log(1 + std::exp(1.) + std::exp(2.)),
              1e-5);
  EXPECT_NEAR(r.data<float>()[1], std::log(2.), 1e-6);
}

TEST(JITModule, ErrorsComeBackAsValues) {
  auto bad = JITModule::compile("func.func @f(", "broken.mlir");
  ASSERT_FALSE(static_cast<bool>(bad));
  EXPECT_NE(errorOf(bad.takeError()).find("cannot parse broken.mlir"),
            std::string::npos);

  auto module = JITModule::compile(kRowLogSumExp, "row_lse.mlir");
  ASSERT_TRUE(static_cast<bool>(module)) << errorOf(module.takeError());
  double wrongType[2] = {1, 2};
  auto r1 = (*module)->call("row_lse", {TensorView(wrongType, {1, 2})});
  ASSERT_FALSE(static_cast<bool>(r1));
  EXPECT_NE(errorOf(r1.takeError())
                .find("argument #0 (%x: tensor<?x?xf32>): expected element "
                      "type f32, got f64[1x2]"),
            std::string::npos);
  auto r2 = (*module)->call("missing", std::vector<TensorView>{});
  ASSERT_FALSE(static_cast<bool>(r2));
  EXPECT_NE(errorOf(r2.takeError()).find("no public function @missing"),
            std::string::npos);

  CompileOptions gpu;
  gpu.target = Target::GPU;
  auto g = JITModule::compile(kRowLogSumExp, "row_lse.mlir", gpu);
  ASSERT_FALSE(static_cast<bool>(g));
  EXPECT_NE(errorOf(g.takeError()).find("GPU"), std::string::npos);

  auto missing = JITModule::compileFile("/nonexistent/file.mlir");
  ASSERT_FALSE(static_cast<bool>(missing));
  EXPECT_NE(errorOf(missing.takeError()).find("cannot read"),
            std::string::npos);
}

TEST(JITModule, CacheIsKeyedByTextAndOptionsAndThreadSafe) {
  std::vector<std::shared_ptr<JITModule>> seen(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      auto m = JITModule::getOrCompile(kRowLogSumExp, "row_lse.mlir");
      if (m)
        seen[i] = *m;
      else
        llvm::consumeError(m.takeError());
    });
  for (auto &t : threads)
    t.join();
  for (auto &m : seen) {
    ASSERT_NE(m, nullptr);
    EXPECT_EQ(m, seen[0]);
  }
  CompileOptions narrow;
  narrow.vectorSize = 4;
  auto other = JITModule::getOrCompile(kRowLogSumExp, "row_lse.mlir", narrow);
  ASSERT_TRUE(static_cast<bool>(other)) << errorOf(other.takeError());
  EXPECT_NE(*other, seen[0]);
}

const char *kLinearChain = R"mlir(
func.func @log_partition(%e: tensor<?x?x?xf32>, %t: tensor<?x?xf32>, %s: tensor<?xf32>, %f: tensor<?xf32>, %n: tensor<?xi32>) -> tensor<?xf32> {
  %z = sdp.linear_chain %e, %t, %s, %f, %n semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}
)mlir";

TEST(JITModule, SplitCallsFromSeveralThreadsGiveTheOneThreadResults) {
  // Eight sub-batches per call (more than this machine has cores), from
  // four calling threads at once: the workers serve one call at a time and
  // the others run their sub-batches themselves; every row is computed
  // exactly once either way.
  CompileOptions one, eight;
  one.numThreads = 1;
  eight.numThreads = 8;
  auto serial = JITModule::compile(kLinearChain, "chain.mlir", one);
  auto split = JITModule::compile(kLinearChain, "chain.mlir", eight);
  ASSERT_TRUE(static_cast<bool>(serial)) << errorOf(serial.takeError());
  ASSERT_TRUE(static_cast<bool>(split)) << errorOf(split.takeError());
  const int64_t B = 37, T = 6, C = 3;
  std::vector<float> emissions(B * T * C), transitions(C * C), start(C), end(C);
  for (size_t i = 0; i < emissions.size(); ++i)
    emissions[i] = std::sin(0.37f * i) * 3;
  for (size_t i = 0; i < transitions.size(); ++i)
    transitions[i] = std::cos(0.7f * i);
  std::vector<int32_t> lengths(B);
  for (int64_t b = 0; b < B; ++b)
    lengths[b] = 1 + b % T;
  std::vector<TensorView> args{
      TensorView(emissions.data(), {B, T, C}),
      TensorView(transitions.data(), {C, C}), TensorView(start.data(), {C}),
      TensorView(end.data(), {C}), TensorView(lengths.data(), {B})};
  auto expected = (*serial)->call("log_partition", args);
  ASSERT_TRUE(static_cast<bool>(expected)) << errorOf(expected.takeError());
  const float *want = static_cast<const float *>((*expected)[0].data());
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int call = 0; call < 100; ++call) {
        auto got = (*split)->call("log_partition", args);
        if (!got) {
          llvm::consumeError(got.takeError());
          ++mismatches;
          continue;
        }
        const float *have = static_cast<const float *>((*got)[0].data());
        for (int64_t b = 0; b < B; ++b)
          if (have[b] != want[b])
            ++mismatches;
      }
    });
  for (auto &t : threads)
    t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

} // namespace
