//===- JITModule.h - compile sdp modules and call them ----------*- C++ -*-===//

#ifndef SDP_JIT_JITMODULE_H
#define SDP_JIT_JITMODULE_H

#include "sdp/Runtime/Tensor.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm::orc {
class LLJIT;
} // namespace llvm::orc

namespace mlir {
class ExecutionEngine;
class MLIRContext;
namespace sdp {
namespace runtime = ::sdp::runtime;

/// What a public function takes or returns: a ranked tensor whose dimensions
/// are sizes or -1 (dynamic).
struct TensorSpec {
  std::string name; // "%emissions" for arguments, "result #0" for results
  runtime::DType dtype;
  std::vector<int64_t> shape;
  std::string describe() const; // "tensor<?x?xf32>"
};

/// A run-time shape rule between arguments that the types cannot express:
/// `shape(argument)[dim] == shape(other)[otherDim] + offset`, or, when
/// `other` is -1, `shape(argument)[dim] >= offset`.
struct DimConstraint {
  unsigned argument, dim;
  int other;
  unsigned otherDim;
  int64_t offset;
};

/// Every value of integer argument `argument` lies in [minimum, maximum],
/// with maximum = size `boundDim` of argument `bound` + `boundOffset` (no
/// upper bound when `bound` < 0): lengths that must fit the tensors they
/// measure.
struct ValueConstraint {
  unsigned argument;
  int64_t minimum;
  int bound;
  unsigned boundDim;
  int64_t boundOffset = 0;
};

struct FunctionSignature {
  std::vector<TensorSpec> arguments;
  std::vector<TensorSpec> results;
  /// Checked before every call, so that mismatched sizes are an error
  /// naming the arguments instead of out-of-bounds accesses.
  std::vector<DimConstraint> constraints;
  /// Checked before every call too: out-of-range lengths are an error
  /// naming the argument and the entry, not a silent clamp.
  std::vector<ValueConstraint> valueConstraints;
  /// Set when the function is independent across dimension 0 of the
  /// arguments marked in `batchedArguments` and of every result not marked
  /// in `summedResults`, so a call may be split into sub-batches that run on
  /// separate threads.
  bool batchParallel = false;
  std::vector<bool> batchedArguments;
  /// Results that are sums over the batch of one term per example (the
  /// gradients of arguments the examples share, such as a CRF's
  /// transitions): a split call adds the sub-batches' results instead of
  /// concatenating them. Empty means none.
  std::vector<bool> summedResults;
};

/// Where compiled code runs.
enum class Target { CPU, GPU };

/// The widest vectorSize a compile accepts: wider vectors unroll into code
/// that takes minutes to compile.
constexpr int64_t kMaxVectorSize = 64;

struct CompileOptions {
  Target target = Target::CPU;
  /// Elements per vector along each op's contiguous axis, 1 to
  /// kMaxVectorSize.
  int64_t vectorSize = 16;
  /// Threads a batch-parallel call may use; 0 means one per core. GPU
  /// modules make one call per batch.
  unsigned numThreads = 0;
  /// GPU architecture the kernels are compiled for (Target::GPU). Kernels
  /// are embedded as PTX, which the driver compiles for the GPU it finds at
  /// load time: sm_80 code runs on A100, H100 and newer.
  std::string gpuChip = "sm_80";
  /// Factored log-semiring linear chains (f32) run their steps as 3xTF32
  /// GEMMs on tensor cores (Target::GPU, sm_80 and later).
  bool gpuTensorCores = false;
  /// Tensors are GPU memory (Target::GPU): functions read their arguments
  /// in place and leave their results on the device, so they are called
  /// with callOnDevice, and a call can be captured into a CUDA graph.
  bool gpuDeviceResident = false;
  /// Emit line tables pointing at the MLIR source locations (host code), so
  /// that profilers attribute time to lines of the input.
  bool debugInfo = false;
  /// When not empty, only these public functions (and what they call) are
  /// compiled; the module's other public functions are dropped. A tool
  /// that runs one function skips compiling the rest.
  std::vector<std::string> entryPoints;
  /// CPU modules are kept in the persistent compile cache (see README:
  /// $SDP_CACHE_DIR, by default ~/.cache/sdp), so that a later process
  /// loads the compiled code instead of compiling again. False bypasses the
  /// cache for this compilation (neither read nor written).
  bool diskCache = true;
};

/// A module compiled by the JIT.
///
///   auto module = JITModule::compileFile("crf.mlir");
///   if (!module) return report(module.takeError());
///   auto results = (*module)->call("log_partition", {emissions, ...});
class JITModule {
public:
  /// Parses `source` (named `bufferName` in diagnostics), lowers it with
  /// sdp-cpu-pipeline (sdp-gpu-pipeline for Target::GPU) and JIT-compiles
  /// the host code at -O3. For the GPU, fails when no GPU is usable. A CPU
  /// module found in the persistent compile cache is loaded from there.
  static llvm::Expected<std::unique_ptr<JITModule>>
  compile(llvm::StringRef source, llvm::StringRef bufferName,
          const CompileOptions &options = {});
  /// The same for the module in file `path`.
  static llvm::Expected<std::unique_ptr<JITModule>>
  compileFile(llvm::StringRef path, const CompileOptions &options = {});
  /// Like compile(), but returns the module compiled earlier in this
  /// process for the same text and options, if any. Thread-safe: concurrent
  /// callers asking for the same module wait for one compilation.
  static llvm::Expected<std::shared_ptr<JITModule>>
  getOrCompile(llvm::StringRef source, llvm::StringRef bufferName,
               const CompileOptions &options = {});
  ~JITModule();

  /// Signature of public function `name`, or an error naming the functions
  /// that exist.
  llvm::Expected<const FunctionSignature &>
  getSignature(llvm::StringRef name) const;

  /// The names of the public functions, sorted.
  std::vector<std::string> getFunctionNames() const;

  /// Calls `name` on `inputs` (bound to its arguments in order) and returns
  /// its results as owned tensors. Inputs are checked against the signature
  /// first: a wrong count, dtype, rank or static size is an error naming the
  /// argument. Inputs are passed without copies.
  llvm::Expected<std::vector<runtime::Tensor>>
  call(llvm::StringRef name, llvm::ArrayRef<runtime::TensorView> inputs);
  llvm::Expected<std::vector<runtime::Tensor>>
  call(llvm::StringRef name, llvm::ArrayRef<const runtime::Tensor *> inputs);

  /// Calls `name` of a module compiled with gpuDeviceResident: `inputs` and
  /// `outputs` are GPU memory (their `data` device pointers), `outputs`
  /// dense buffers of the results' dtypes and shapes, which receive the
  /// results. Checked like call(); the result shapes are checked before
  /// anything is written. All work is enqueued on `stream` (a CUstream, see
  /// sdpGpuSetStream; null for one of the runtime's, which does not wait
  /// for your streams: have the inputs ready) with stream-ordered
  /// temporaries; the call waits for the stream before returning, except
  /// while the stream is being captured, so that a call can be recorded
  /// into a CUDA graph and replayed.
  llvm::Error callOnDevice(llvm::StringRef name,
                           llvm::ArrayRef<runtime::TensorView> inputs,
                           llvm::ArrayRef<runtime::TensorView> outputs,
                           void *stream = nullptr);

  /// Threads a batch-parallel call may use; 0 means one per core (the
  /// default).
  void setNumThreads(unsigned n);
  unsigned getNumThreads() const { return numThreads; }

private:
  JITModule();
  llvm::Expected<std::vector<runtime::Tensor>>
  invoke(llvm::StringRef name, const FunctionSignature &signature,
         llvm::ArrayRef<runtime::TensorView> inputs);
  /// Calls `name` and leaves its result descriptors in `results` (words of
  /// Descriptor layout, one after the other).
  llvm::Error invokeRaw(llvm::StringRef name,
                        const FunctionSignature &signature,
                        llvm::ArrayRef<runtime::TensorView> inputs,
                        std::vector<int64_t> &results);
  /// Links a compiled CPU module (an object file) into a fresh JIT.
  static llvm::Expected<std::unique_ptr<JITModule>>
  loadObject(llvm::StringMap<FunctionSignature> signatures,
             llvm::StringRef object, const CompileOptions &options);
  static llvm::Expected<std::unique_ptr<JITModule>>
  compileForCPU(llvm::StringRef source, llvm::StringRef bufferName,
                const CompileOptions &options);
  unsigned numThreads = 0;
  Target target = Target::CPU;
  bool deviceResident = false;
  std::unique_ptr<MLIRContext> context;
  /// GPU modules run in an ExecutionEngine, CPU modules in a JIT that
  /// linked their object file (fresh or from the cache).
  std::unique_ptr<ExecutionEngine> engine;
  std::unique_ptr<llvm::orc::LLJIT> objectJIT;
  llvm::StringMap<void (*)(void **)> packedFunctions;
  llvm::StringMap<FunctionSignature> signatures;
};

} // namespace sdp
} // namespace mlir

#endif // SDP_JIT_JITMODULE_H
