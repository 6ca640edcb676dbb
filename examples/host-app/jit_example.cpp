// The JIT example of README.md, verbatim between the markers (a test
// compares them).
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

// [readme-jit-example]
#include "sdp/JIT/JITModule.h"
using mlir::sdp::JITModule;
using sdp::runtime::TensorView;

// log Z of a batch of CRFs, computed on the caller's arrays without copies.
bool logPartition(const char *path, const float *emissions,
                  const float *transitions, const float *start,
                  const float *end, const int32_t *lengths, int64_t B,
                  int64_t T, int64_t C, float *logZ) {
  auto module = JITModule::compileFile(path); // parse, lower, JIT for this CPU
  auto results =
      module ? (*module)->call("log_partition",
                               {TensorView(emissions, {B, T, C}),
                                TensorView(transitions, {C, C}),
                                TensorView(start, {C}), TensorView(end, {C}),
                                TensorView(lengths, {B})})
             : module.takeError();
  if (!results) { // a message naming the bad argument, never an abort
    llvm::errs() << llvm::toString(results.takeError()) << "\n";
    return false;
  }
  std::copy_n((*results)[0].data<float>(), B, logZ);
  return true;
}
// [readme-jit-example]
