//===- Profile.h - the benchmarks' --profile option -------------*- C++ -*-===//

#ifndef SDP_BENCH_PROFILE_H
#define SDP_BENCH_PROFILE_H

#include "llvm/Support/CommandLine.h"

namespace sdp::bench {

/// --profile: compile with line tables and a perf jitdump, so that
/// `perf record -k 1` followed by `perf inject --jit` names the compiled
/// functions (CompileOptions::debugInfo). Call it before parsing the
/// command line.
inline llvm::cl::opt<bool> &profileOption(llvm::cl::OptionCategory &category) {
  static llvm::cl::opt<bool> option(
      "profile", llvm::cl::cat(category),
      llvm::cl::desc("compile with line tables and a perf jitdump, so that "
                     "`perf record -k 1` + `perf inject --jit` name the "
                     "compiled code"),
      llvm::cl::init(false));
  return option;
}

} // namespace sdp::bench

#endif // SDP_BENCH_PROFILE_H
