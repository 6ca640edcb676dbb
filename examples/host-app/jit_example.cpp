// The JIT example of README.md, verbatim between the markers (a test
// compares them).
#include <algorithm>
#include <cstdio>

// [readme-jit-example]
#include "sdp/JIT/JITModule.h"
using mlir::sdp::JITModule;
using sdp::runtime::TensorView;

// log Z of a batch of CRFs, computed in place on the caller's arrays.
bool logPartition(const char *path, const float *emissions,
                  const float *transitions, const float *start,
                  const float *end, const int32_t *lengths, int64_t B,
                  int64_t T, int64_t C, float *logZ) {
  auto module = JITModule::compileFile(path); // compiled once per call site
  if (!module)
    return std::fprintf(stderr, "%s\n", toString(module.takeError()).c_str()),
           false;
  auto results = (*module)->call(
      "log_partition",
      {TensorView(emissions, {B, T, C}), TensorView(transitions, {C, C}),
       TensorView(start, {C}), TensorView(end, {C}), TensorView(lengths, {B})});
  if (!results)
    return std::fprintf(stderr, "%s\n", toString(results.takeError()).c_str()),
           false;
  std::copy_n((*results)[0].data<float>(), B, logZ);
  return true;
}
// [readme-jit-example]
