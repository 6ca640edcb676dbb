//===- JITModule.cpp - compile sdp modules and call them ------------------===//

#include "sdp/JIT/JITModule.h"

#include "DiskCache.h"
#include "Errors.h"
#include "JITMemoryManager.h"
#include "SubBatchWorkers.h"

#include "sdp/JIT/Lowering.h"
#include "sdp/Runtime/GPU.h"
#include "sdp/Runtime/MemRef.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/ExecutionEngine/JITEventListener.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/SectionMemoryManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

using namespace mlir;
using namespace mlir::sdp;
using ::sdp::runtime::DType;
using ::sdp::runtime::Tensor;
using ::sdp::runtime::TensorView;

std::string TensorSpec::describe() const {
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += (d < 0 ? std::string("?") : std::to_string(d)) + "x";
  return s + runtime::dtypeName(dtype) + ">";
}

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

JITModule::JITModule() = default;
JITModule::~JITModule() = default;

/// The runtime functions lowered code calls (allocation, and for the GPU the
/// CUDA driver shim), bound explicitly rather than through whatever the
/// process happens to export.
static llvm::orc::SymbolMap
runtimeSymbols(llvm::orc::MangleAndInterner &interner, bool gpu) {
  llvm::orc::SymbolMap symbols;
  auto bind = [&](const char *name, auto *function) {
    symbols[interner(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                               llvm::JITSymbolFlags::Exported};
  };
  bind("_mlir_memref_to_llvm_alloc", &_mlir_memref_to_llvm_alloc);
  bind("_mlir_memref_to_llvm_aligned_alloc",
       &_mlir_memref_to_llvm_aligned_alloc);
  bind("_mlir_memref_to_llvm_free", &_mlir_memref_to_llvm_free);
  if (gpu) {
    bind("mgpuModuleLoad", &mgpuModuleLoad);
    bind("mgpuModuleLoadJIT", &mgpuModuleLoadJIT);
    bind("mgpuModuleUnload", &mgpuModuleUnload);
    bind("mgpuModuleGetFunction", &mgpuModuleGetFunction);
    bind("mgpuLaunchKernel", &mgpuLaunchKernel);
    bind("mgpuStreamCreate", &mgpuStreamCreate);
    bind("mgpuStreamDestroy", &mgpuStreamDestroy);
    bind("mgpuStreamSynchronize", &mgpuStreamSynchronize);
    bind("mgpuStreamWaitEvent", &mgpuStreamWaitEvent);
    bind("mgpuEventCreate", &mgpuEventCreate);
    bind("mgpuEventDestroy", &mgpuEventDestroy);
    bind("mgpuEventSynchronize", &mgpuEventSynchronize);
    bind("mgpuEventRecord", &mgpuEventRecord);
    bind("mgpuMemAlloc", &mgpuMemAlloc);
    bind("mgpuMemFree", &mgpuMemFree);
    bind("mgpuMemcpy", &mgpuMemcpy);
    bind("mgpuMemset32", &mgpuMemset32);
  }
  return symbols;
}

/// An ExecutionEngine for `module` (lowered to the LLVM dialect), with the
/// packed `_mlir_NAME` wrappers the calls use. A GPU module runs in it; a
/// CPU module is only compiled by it, to the object file it keeps.
static llvm::Expected<std::unique_ptr<ExecutionEngine>>
createEngine(ModuleOp module, bool gpu, bool profile) {
  // A CPU object outlives this process in the cache and is linked at
  // whatever address the next one maps it: position-independent.
  bool keepObject = !gpu;
  auto targetMachine = createHostTargetMachine(/*pic=*/keepObject);
  if (!targetMachine)
    return targetMachine.takeError();
  ExecutionEngineOptions engineOptions;
  // Lowered code calls memrefCopy (bufferization copies) and the print
  // helpers of MLIR's C runner utilities.
  llvm::StringRef sharedLibs[] = {SDP_MLIR_C_RUNNER_UTILS};
  engineOptions.sharedLibPaths = sharedLibs;
  auto transformer = makeOptimizingTransformer(3, 0, targetMachine->get());
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  engineOptions.enableObjectDump = keepObject;
  // MLIR's default writes a perf jitdump (/tmp/.debug/jit/...) for every
  // compilation of every process. Only when asked for (debugInfo), and only
  // for code that runs here: a CPU engine merely produces the object.
  engineOptions.enablePerfNotificationListener = profile && gpu;
  auto engine =
      ExecutionEngine::create(module, engineOptions, std::move(*targetMachine));
  if (!engine)
    return engine.takeError();
  (*engine)->registerSymbols([gpu](llvm::orc::MangleAndInterner interner) {
    return runtimeSymbols(interner, gpu);
  });
  return engine;
}

llvm::Expected<std::unique_ptr<JITModule>>
JITModule::compile(llvm::StringRef source, llvm::StringRef bufferName,
                   const CompileOptions &options) {
  bool gpu = options.target == Target::GPU;
  if (!gpu)
    return compileForCPU(source, bufferName, options);
  const char *noGpu = nullptr;
  if (!sdpGpuAvailable(&noGpu))
    return makeError("cannot run " + bufferName + " on the GPU: " + noGpu);
  auto lowered = lowerForHost(source, bufferName, options);
  if (!lowered)
    return lowered.takeError();
  std::unique_ptr<JITModule> jit(new JITModule());
  jit->target = options.target;
  jit->deviceResident = options.gpuDeviceResident;
  jit->context = std::move(lowered->context);
  jit->signatures = std::move(lowered->signatures);
  // GPU host code loads its kernels in global constructors, which the
  // ExecutionEngine runs; it is compiled in every process.
  auto engine = createEngine(*lowered->module, /*gpu=*/true, options.debugInfo);
  if (!engine)
    return engine.takeError();
  jit->engine = std::move(*engine);
  // A GPU call covers the whole batch with one launch.
  jit->setNumThreads(1);
  return jit;
}

llvm::Expected<std::unique_ptr<JITModule>>
JITModule::compileForCPU(llvm::StringRef source, llvm::StringRef bufferName,
                         const CompileOptions &options) {
  std::optional<std::string> cacheDir;
  std::string key;
  if (options.diskCache && (cacheDir = diskCacheDirectory())) {
    key = diskCacheKey(source, bufferName, options);
    if (std::optional<CachedModule> cached = loadCachedModule(*cacheDir, key)) {
      auto jit =
          loadObject(std::move(cached->signatures), cached->object, options);
      if (jit)
        return jit;
      // An entry that does not link is as good as none: rebuilt below.
      llvm::consumeError(jit.takeError());
    }
  }

  auto lowered = lowerForHost(source, bufferName, options);
  if (!lowered)
    return lowered.takeError();
  auto engine = createEngine(*lowered->module, /*gpu=*/false,
                             /*profile=*/false);
  if (!engine)
    return engine.takeError();
  // The engine compiles the module into one object file; it is written out,
  // read back, and linked on its own, the same way a cached entry is.
  llvm::SmallString<128> objectPath;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("sdp-jit", "o", objectPath))
    return makeError("cannot create a temporary object file: " + ec.message());
  (*engine)->dumpToObjectFile(objectPath);
  auto object = llvm::MemoryBuffer::getFile(objectPath, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  llvm::sys::fs::remove(objectPath);
  if (!object || (*object)->getBufferSize() == 0)
    return makeError("cannot compile " + bufferName +
                     ": no object code was produced");
  CachedModule compiled{std::move(lowered->signatures),
                        (*object)->getBuffer().str()};
  if (cacheDir)
    storeCachedModule(*cacheDir, key, compiled);
  return loadObject(std::move(compiled.signatures), compiled.object, options);
}

llvm::Expected<std::unique_ptr<JITModule>>
JITModule::loadObject(llvm::StringMap<FunctionSignature> signatures,
                      llvm::StringRef object, const CompileOptions &options) {
  initializeHostTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  auto lljit =
      llvm::orc::LLJITBuilder()
          .setJITTargetMachineBuilder(std::move(*builder))
          // The linker the ExecutionEngine uses for the same objects.
          .setObjectLinkingLayerCreator(
              [profile =
                   options.debugInfo](llvm::orc::ExecutionSession &session)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::ObjectLayer>> {
                auto layer =
                    std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
                        session, [](const llvm::MemoryBuffer &) {
                          // Small code model: an object's sections in
                          // one reservation.
                          return detail::createJITMemoryManager();
                        });
                // As the ExecutionEngine does: gdb sees the compiled
                // functions (names in backtraces through JIT code).
                layer->registerJITEventListener(
                    *llvm::JITEventListener::createGDBRegistrationListener());
                // perf sees them with debugInfo (a jitdump for `perf
                // inject --jit`).
                if (profile)
                  if (auto *perf =
                          llvm::JITEventListener::createPerfJITEventListener())
                    layer->registerJITEventListener(*perf);
                return layer;
              })
          .create();
  if (!lljit)
    return lljit.takeError();
  llvm::orc::JITDylib &dylib = (*lljit)->getMainJITDylib();
  char prefix = (*lljit)->getDataLayout().getGlobalPrefix();
  llvm::orc::MangleAndInterner interner((*lljit)->getExecutionSession(),
                                        (*lljit)->getDataLayout());
  if (llvm::Error err = dylib.define(
          llvm::orc::absoluteSymbols(runtimeSymbols(interner, /*gpu=*/false))))
    return std::move(err);
  // libm and libc (expf, memcpy, ...) and memrefCopy from MLIR's runner
  // utilities.
  auto process =
      llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(prefix);
  if (!process)
    return process.takeError();
  dylib.addGenerator(std::move(*process));
  auto runnerUtils = llvm::orc::DynamicLibrarySearchGenerator::Load(
      SDP_MLIR_C_RUNNER_UTILS, prefix);
  if (!runnerUtils)
    return runnerUtils.takeError();
  dylib.addGenerator(std::move(*runnerUtils));
  if (llvm::Error err = (*lljit)->addObjectFile(
          llvm::MemoryBuffer::getMemBufferCopy(object, "sdp-module.o")))
    return std::move(err);

  std::unique_ptr<JITModule> jit(new JITModule());
  for (const auto &entry : signatures) {
    auto address =
        (*lljit)->lookup(("_mlir__mlir_ciface_" + entry.getKey()).str());
    if (!address)
      return address.takeError();
    jit->packedFunctions[entry.getKey()] = address->toPtr<void (*)(void **)>();
  }
  jit->target = Target::CPU;
  jit->objectJIT = std::move(*lljit);
  jit->signatures = std::move(signatures);
  jit->setNumThreads(options.numThreads);
  return jit;
}

llvm::Expected<std::unique_ptr<JITModule>>
JITModule::compileFile(llvm::StringRef path, const CompileOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return makeError("cannot read " + path + ": " +
                     buffer.getError().message());
  return compile((*buffer)->getBuffer(), path, options);
}

llvm::Expected<std::shared_ptr<JITModule>>
JITModule::getOrCompile(llvm::StringRef source, llvm::StringRef bufferName,
                        const CompileOptions &options) {
  // One entry per (text, options); the first caller compiles, the others
  // wait on the entry's once_flag, never on the whole cache.
  struct Entry {
    std::once_flag once;
    std::shared_ptr<JITModule> module;
    std::string error;
  };
  // Never destroyed: cached modules must outlive every caller, and tearing
  // them down during static destruction would run after LLVM's own globals
  // are gone.
  static auto *mutex = new std::mutex();
  static auto *cache = new std::map<std::string, std::shared_ptr<Entry>>();

  // Only the options the target uses: a CPU module ignores the GPU chip, a
  // GPU module the vector size and thread count.
  bool gpu = options.target == Target::GPU;
  std::string entries;
  for (const std::string &name : options.entryPoints)
    entries += "@" + name;
  std::string key =
      entries + "/" +
      (gpu ? "gpu/" + options.gpuChip + "/" +
                 (options.gpuTensorCores ? "tc/" : "") +
                 (options.gpuDeviceResident ? "resident/" : "") + source.str()
           : "cpu/" + std::to_string(options.vectorSize) + "/" +
                 std::to_string(options.numThreads) + "/" + source.str());
  std::shared_ptr<Entry> entry;
  {
    std::lock_guard<std::mutex> lock(*mutex);
    std::shared_ptr<Entry> &slot = (*cache)[key];
    if (!slot)
      slot = std::make_shared<Entry>();
    entry = slot;
  }
  std::call_once(entry->once, [&] {
    auto compiled = compile(source, bufferName, options);
    if (compiled)
      entry->module = std::move(*compiled);
    else
      entry->error = llvm::toString(compiled.takeError());
  });
  if (!entry->module)
    return makeError(entry->error);
  return entry->module;
}

llvm::Expected<const FunctionSignature &>
JITModule::getSignature(llvm::StringRef name) const {
  auto it = signatures.find(name);
  if (it != signatures.end())
    return it->second;
  std::string known;
  for (const auto &entry : signatures)
    known += (known.empty() ? "@" : ", @") + entry.getKey().str();
  return makeError("no public function @" + name + " (the module has " +
                   (known.empty() ? std::string("none") : known) + ")");
}

std::vector<std::string> JITModule::getFunctionNames() const {
  std::vector<std::string> names;
  for (const auto &entry : signatures)
    names.push_back(entry.getKey().str());
  std::sort(names.begin(), names.end());
  return names;
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

namespace {
/// A memref descriptor {allocated, aligned, offset, sizes[r], strides[r]}
/// laid out as 64-bit words, the ABI of `_mlir_ciface_*` functions.
struct Descriptor {
  static size_t numWords(size_t rank) { return 3 + 2 * rank; }

  static void fill(int64_t *words, const void *constData,
                   const std::vector<int64_t> &shape) {
    void *data = const_cast<void *>(constData);
    std::memcpy(&words[0], &data, sizeof(void *));
    std::memcpy(&words[1], &data, sizeof(void *));
    words[2] = 0;
    int64_t rank = shape.size(), stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      words[3 + d] = shape[d];
      words[3 + rank + d] = stride;
      stride *= shape[d];
    }
  }

  /// A descriptor the compiled code returned.
  struct Returned {
    char *allocated, *aligned;
    int64_t offset;
    std::vector<int64_t> shape;
    const int64_t *strides;
    /// The first element's address.
    char *data(size_t elementSize) const {
      return aligned + offset * elementSize;
    }
  };
  /// The descriptors of `results`, one after the other in `words`.
  static std::vector<Returned> readAll(const std::vector<int64_t> &words,
                                       const std::vector<TensorSpec> &results) {
    std::vector<Returned> returned;
    const int64_t *at = words.data();
    for (const TensorSpec &spec : results) {
      size_t rank = spec.shape.size();
      Returned r;
      std::memcpy(&r.allocated, &at[0], sizeof(void *));
      std::memcpy(&r.aligned, &at[1], sizeof(void *));
      r.offset = at[2];
      r.shape.assign(at + 3, at + 3 + rank);
      r.strides = at + 3 + rank;
      returned.push_back(std::move(r));
      at += numWords(rank);
    }
    return returned;
  }
};
} // namespace

void JITModule::setNumThreads(unsigned n) {
  numThreads = n ? n : std::max(1u, std::thread::hardware_concurrency());
}

/// Copies a strided buffer into a C-ordered one, a row (or, where the
/// source is contiguous below some dimension, a block) per memcpy.
static void copyStrided(const char *src, char *dst, size_t elementSize,
                        const int64_t *sizes, const int64_t *strides,
                        int64_t rank) {
  int64_t contiguous = 1;
  int64_t d = rank;
  while (d > 0 && strides[d - 1] == contiguous) {
    contiguous *= sizes[d - 1];
    --d;
  }
  if (d == 0) {
    std::memcpy(dst, src, contiguous * elementSize);
    return;
  }
  int64_t inner = 1;
  for (int64_t k = 1; k < rank; ++k)
    inner *= sizes[k];
  for (int64_t i = 0; i < sizes[0]; ++i)
    copyStrided(src + i * strides[0] * elementSize,
                dst + i * inner * elementSize, elementSize, sizes + 1,
                strides + 1, rank - 1);
}

/// True when the buffer is C-ordered (unit dimensions may have any stride).
static bool isRowMajor(const int64_t *sizes, const int64_t *strides,
                       int64_t rank) {
  int64_t expected = 1;
  for (int64_t d = rank - 1; d >= 0; --d) {
    if (sizes[d] != 1 && strides[d] != expected)
      return false;
    expected *= sizes[d];
  }
  return true;
}

llvm::Expected<std::vector<Tensor>>
JITModule::call(llvm::StringRef name, llvm::ArrayRef<const Tensor *> inputs) {
  std::vector<TensorView> views;
  for (const Tensor *tensor : inputs)
    views.push_back(tensor->view());
  return call(name, views);
}

/// Checks `inputs` against the arguments of `signature`: count, dtypes,
/// ranks, static sizes and the run-time size rules.
static llvm::Error checkInputs(llvm::StringRef name,
                               const FunctionSignature &signature,
                               llvm::ArrayRef<TensorView> inputs) {
  const std::vector<TensorSpec> &params = signature.arguments;
  if (inputs.size() != params.size())
    return makeError("@" + name + " takes " + llvm::Twine(params.size()) +
                     " arguments but " + llvm::Twine(inputs.size()) +
                     " inputs were given");

  for (auto [i, pair] : llvm::enumerate(llvm::zip(params, inputs))) {
    auto [spec, tensor] = pair;
    std::string what = "@" + name.str() + " argument #" + std::to_string(i) +
                       " (" + spec.name + ": " + spec.describe() + ")";
    if (tensor.dtype != spec.dtype)
      return makeError(what + ": expected element type " +
                       runtime::dtypeName(spec.dtype) + ", got " +
                       tensor.describe());
    if (tensor.rank() != static_cast<int64_t>(spec.shape.size()))
      return makeError(what + ": expected rank " +
                       llvm::Twine(spec.shape.size()) + ", got " +
                       tensor.describe());
    for (size_t d = 0; d < spec.shape.size(); ++d)
      if (spec.shape[d] >= 0 && spec.shape[d] != tensor.shape[d])
        return makeError(what + ": expected size " +
                         llvm::Twine(spec.shape[d]) + " in dimension " +
                         llvm::Twine(d) + ", got " + tensor.describe());
  }

  for (const DimConstraint &c : signature.constraints) {
    auto describe = [&](unsigned arg) {
      return "argument #" + std::to_string(arg) + " (" + params[arg].name + ")";
    };
    int64_t size = inputs[c.argument].shape[c.dim];
    if (c.other < 0) {
      if (size < c.offset)
        return makeError("@" + name + " " + describe(c.argument) + ": size " +
                         llvm::Twine(size) + " in dimension " +
                         llvm::Twine(c.dim) + " must be at least " +
                         llvm::Twine(c.offset) + ", got " +
                         inputs[c.argument].describe());
      continue;
    }
    int64_t expected = inputs[c.other].shape[c.otherDim] + c.offset;
    if (size != expected)
      return makeError(
          "@" + name + " " + describe(c.argument) + ": size " +
          llvm::Twine(size) + " in dimension " + llvm::Twine(c.dim) +
          " must equal " + (c.offset ? "(dimension " : "dimension ") +
          llvm::Twine(c.otherDim) + " of " + describe(c.other) +
          (c.offset ? ") " + std::string(c.offset > 0 ? "+ " : "- ") +
                          std::to_string(std::abs(c.offset))
                    : std::string()) +
          ", which is " + llvm::Twine(expected));
  }

  for (const ValueConstraint &c : signature.valueConstraints) {
    const TensorView &values = inputs[c.argument];
    int64_t maximum = c.bound >= 0
                          ? inputs[c.bound].shape[c.boundDim] + c.boundOffset
                          : std::numeric_limits<int64_t>::max();
    int64_t count = 1;
    for (int64_t size : values.shape)
      count *= size;
    for (int64_t k = 0; k < count; ++k) {
      int64_t v = values.dtype == runtime::DType::I32
                      ? static_cast<const int32_t *>(values.data)[k]
                  : values.dtype == runtime::DType::I64
                      ? static_cast<const int64_t *>(values.data)[k]
                      : c.minimum;
      if (v >= c.minimum && v <= maximum)
        continue;
      std::string range = "[" + std::to_string(c.minimum) + ", " +
                          std::to_string(maximum) + "]";
      if (c.bound >= 0)
        range += " (the upper bound is dimension " +
                 std::to_string(c.boundDim) + " of argument #" +
                 std::to_string(c.bound) + " (" + params[c.bound].name + ")" +
                 (c.boundOffset
                      ? " " + std::string(c.boundOffset > 0 ? "+ " : "- ") +
                            std::to_string(std::abs(c.boundOffset))
                      : std::string()) +
                 ")";
      return makeError("@" + name + " argument #" + llvm::Twine(c.argument) +
                       " (" + params[c.argument].name + "): entry " +
                       llvm::Twine(k) + " is " + llvm::Twine(v) + ", outside " +
                       range);
    }
  }

  return llvm::Error::success();
}

/// sum += part, element by element (float results of the same shape).
static llvm::Error addInto(Tensor &sum, const Tensor &part) {
  if (sum.shape() != part.shape() || sum.dtype() != part.dtype())
    return makeError("sub-batch sums of different shapes or types");
  int64_t n = sum.numElements();
  auto add = [&](auto *into, const auto *from) {
    for (int64_t i = 0; i < n; ++i)
      into[i] += from[i];
  };
  switch (sum.dtype()) {
  case runtime::DType::F32:
    add(static_cast<float *>(sum.data()),
        static_cast<const float *>(part.data()));
    return llvm::Error::success();
  case runtime::DType::F64:
    add(static_cast<double *>(sum.data()),
        static_cast<const double *>(part.data()));
    return llvm::Error::success();
  default:
    return makeError("only float results are summed over sub-batches");
  }
}

llvm::Expected<std::vector<Tensor>>
JITModule::call(llvm::StringRef name, llvm::ArrayRef<TensorView> inputs) {
  auto signature = getSignature(name);
  if (!signature)
    return signature.takeError();
  if (deviceResident)
    return makeError("@" + name +
                     " was compiled device-resident: its tensors are GPU "
                     "memory, call it with callOnDevice");
  if (llvm::Error err = checkInputs(name, *signature, inputs))
    return std::move(err);
  const std::vector<TensorSpec> &params = signature->arguments;

  std::vector<TensorView> views(inputs.begin(), inputs.end());

  // Split the batch across threads when the function allows it.
  int64_t batch = -1;
  for (size_t i = 0; i < views.size(); ++i)
    if (signature->batchParallel && signature->batchedArguments[i] &&
        !views[i].shape.empty())
      batch = views[i].shape[0];
  unsigned chunks = batch > 1 ? std::min<int64_t>(numThreads, batch) : 1;
  for (size_t i = 0; i < views.size() && chunks > 1; ++i)
    if (signature->batchedArguments[i] &&
        (views[i].shape.empty() || views[i].shape[0] != batch))
      return makeError("@" + name + " argument #" + llvm::Twine(i) + " (" +
                       params[i].name + ") has " +
                       (views[i].shape.empty()
                            ? std::string("no batch dimension")
                            : std::to_string(views[i].shape[0]) + " rows") +
                       " but the batch has " + llvm::Twine(batch));
  if (chunks <= 1)
    return invoke(name, *signature, views);

  // Sub-batch c: rows [begin(c), begin(c + 1)) of the batch.
  auto begin = [&](unsigned c) { return batch * c / chunks; };
  std::vector<std::vector<TensorView>> slices;
  for (unsigned c = 0; c < chunks; ++c) {
    std::vector<TensorView> slice = views;
    for (size_t i = 0; i < slice.size(); ++i) {
      if (!signature->batchedArguments[i])
        continue;
      int64_t row = runtime::dtypeSize(params[i].dtype);
      for (size_t d = 1; d < slice[i].shape.size(); ++d)
        row *= slice[i].shape[d];
      slice[i].data = static_cast<const char *>(slice[i].data) + begin(c) * row;
      slice[i].shape[0] = begin(c + 1) - begin(c);
    }
    slices.push_back(std::move(slice));
  }
  auto isSummed = [&](size_t r) {
    return r < signature->summedResults.size() && signature->summedResults[r];
  };
  // Each sub-batch copies its rows of the batch-first results into the
  // joined tensors as soon as it finishes, on its own thread (the copies
  // run side by side and overlap the other sub-batches' work; gradients of
  // full edge potentials are 100+ MB), and frees its pieces.
  size_t numResults = signature->results.size();
  std::vector<Tensor> joined(numResults);
  std::mutex joinMutex;
  auto place = [&](unsigned c, std::vector<Tensor> &part) -> llvm::Error {
    int64_t rows = begin(c + 1) - begin(c);
    for (size_t r = 0; r < numResults; ++r) {
      if (isSummed(r))
        continue;
      Tensor &piece = part[r];
      char *to;
      {
        std::lock_guard<std::mutex> lock(joinMutex);
        if (!joined[r].data() && piece.rank() > 0) {
          std::vector<int64_t> shape = piece.shape();
          shape[0] = batch;
          joined[r] = Tensor::allocateCached(piece.dtype(), shape);
        }
        if (piece.rank() == 0 || piece.shape()[0] != rows ||
            joined[r].dtype() != piece.dtype() ||
            !std::equal(piece.shape().begin() + 1, piece.shape().end(),
                        joined[r].shape().begin() + 1, joined[r].shape().end()))
          return makeError("@" + name + " result #" + llvm::Twine(r) +
                           " of a sub-batch is " + piece.describe() +
                           ", not rows of " + joined[r].describe());
        to = static_cast<char *>(joined[r].data()) +
             begin(c) * (piece.numBytes() / rows);
      }
      std::memcpy(to, piece.data(), piece.numBytes());
      piece = Tensor();
    }
    return llvm::Error::success();
  };
  std::vector<llvm::Expected<std::vector<Tensor>>> parts;
  for (unsigned c = 0; c < chunks; ++c)
    parts.emplace_back(std::vector<Tensor>());
  auto run = [&](unsigned c) {
    parts[c] = invoke(name, *signature, slices[c]);
    if (parts[c])
      if (llvm::Error err = place(c, *parts[c]))
        parts[c] = std::move(err);
  };
  // Sub-batch 0 runs on the calling thread, the others on the shared
  // workers (no thread is created per call: on a sub-millisecond call that
  // cost about as much as a sub-batch).
  detail::runSubBatches(chunks, run);
  for (auto &part : parts)
    if (!part)
      return part.takeError();

  // Shared arguments' gradients: each sub-batch's sum, added up.
  std::vector<Tensor> results;
  for (size_t r = 0; r < numResults; ++r) {
    if (!isSummed(r)) {
      results.push_back(std::move(joined[r]));
      continue;
    }
    Tensor sum = std::move((*parts[0])[r]);
    for (unsigned c = 1; c < chunks; ++c)
      if (llvm::Error err = addInto(sum, (*parts[c])[r]))
        return std::move(err);
    results.push_back(std::move(sum));
  }
  return results;
}

llvm::Error JITModule::invokeRaw(llvm::StringRef name,
                                 const FunctionSignature &signature,
                                 llvm::ArrayRef<TensorView> inputs,
                                 std::vector<int64_t> &resultStorage) {
  // Results come back through one struct of descriptors, arguments each
  // through a pointer to their descriptor.
  size_t resultWords = 0;
  for (const TensorSpec &spec : signature.results)
    resultWords += Descriptor::numWords(spec.shape.size());
  resultStorage.assign(std::max<size_t>(resultWords, 1), 0);
  std::vector<std::vector<int64_t>> argStorage;
  std::vector<void *> pointers;
  for (const TensorView &view : inputs) {
    argStorage.emplace_back(Descriptor::numWords(view.shape.size()));
    Descriptor::fill(argStorage.back().data(), view.data, view.shape);
  }
  if (!signature.results.empty())
    pointers.push_back(resultStorage.data());
  for (auto &storage : argStorage)
    pointers.push_back(storage.data());
  std::vector<void *> packed;
  for (void *&p : pointers)
    packed.push_back(&p);

  // A failure left on this thread by someone else is not this call's.
  if (target == Target::GPU)
    (void)sdpGpuTakeError();
  if (objectJIT) {
    packedFunctions.lookup(name)(packed.data());
    return llvm::Error::success();
  }
  return engine->invokePacked(("_mlir_ciface_" + name).str(), packed);
}

llvm::Expected<std::vector<Tensor>>
JITModule::invoke(llvm::StringRef name, const FunctionSignature &signature,
                  llvm::ArrayRef<TensorView> inputs) {
  const std::vector<TensorSpec> &resultSpecs = signature.results;
  std::vector<int64_t> resultStorage;
  if (llvm::Error err = invokeRaw(name, signature, inputs, resultStorage))
    return std::move(err);

  std::vector<Tensor> results;
  std::vector<void *> freed;
  for (auto [spec, returned] : llvm::zip(
           resultSpecs, Descriptor::readAll(resultStorage, resultSpecs))) {
    int64_t rank = spec.shape.size();
    size_t elementSize = runtime::dtypeSize(spec.dtype);
    // Results are heap buffers handed to the caller, unless the function
    // returned one of its inputs (or one buffer twice).
    char *allocated = returned.allocated;
    bool owned = !llvm::is_contained(freed, allocated);
    for (const TensorView &view : inputs)
      owned &= allocated != view.data;
    if (owned)
      freed.push_back(allocated);
    // A C-ordered host buffer of our own becomes the result as it is.
    int64_t count = 1;
    for (int64_t size : returned.shape)
      count *= size;
    if (owned && target == Target::CPU && count > 0 &&
        isRowMajor(returned.shape.data(), returned.strides, rank)) {
      results.push_back(Tensor::adopt(spec.dtype, returned.shape,
                                      returned.data(elementSize), allocated));
      continue;
    }
    Tensor result(spec.dtype, returned.shape);
    if (result.numElements() > 0)
      copyStrided(returned.data(elementSize),
                  static_cast<char *>(result.data()), elementSize,
                  returned.shape.data(), returned.strides, rank);
    if (owned)
      std::free(allocated);
    results.push_back(std::move(result));
  }
  // Lowered GPU code cannot return errors: the shim keeps the first failing
  // driver call, and the results are not to be trusted.
  if (target == Target::GPU)
    if (const char *gpuError = sdpGpuTakeError())
      return makeError("@" + name + " on the GPU: " + gpuError);
  return results;
}

llvm::Error JITModule::callOnDevice(llvm::StringRef name,
                                    llvm::ArrayRef<TensorView> inputs,
                                    llvm::ArrayRef<TensorView> outputs,
                                    void *stream) {
  auto signature = getSignature(name);
  if (!signature)
    return signature.takeError();
  if (!deviceResident)
    return makeError("@" + name +
                     " was not compiled device-resident (GPU target, "
                     "gpuDeviceResident): call it with call()");
  if (llvm::Error err = checkInputs(name, *signature, inputs))
    return err;
  // A failure left on this thread by someone else is not this call's.
  (void)sdpGpuTakeError();
  const std::vector<TensorSpec> &resultSpecs = signature->results;
  if (outputs.size() != resultSpecs.size())
    return makeError("@" + name + " returns " +
                     llvm::Twine(resultSpecs.size()) + " results but " +
                     llvm::Twine(outputs.size()) + " outputs were given");
  for (auto [i, pair] : llvm::enumerate(llvm::zip(resultSpecs, outputs))) {
    auto [spec, output] = pair;
    if (output.dtype != spec.dtype ||
        output.rank() != (int64_t)spec.shape.size())
      return makeError("@" + name + " output #" + llvm::Twine(i) + " (" +
                       spec.describe() + "): got " + output.describe());
  }

  // Everything on one stream: the caller's, or a pooled one of the
  // runtime's.
  void *previous = sdpGpuGetStream();
  sdpGpuSetStream(nullptr);
  void *onStream = stream ? stream : mgpuStreamCreate();
  if (!onStream) {
    sdpGpuSetStream(previous);
    const char *error = sdpGpuTakeError();
    return makeError("@" + name +
                     " on the GPU: " + (error ? error : "no stream"));
  }
  sdpGpuSetStream(onStream);
  std::vector<int64_t> resultStorage;
  llvm::Error failure = invokeRaw(name, *signature, inputs, resultStorage);
  // The results into the outputs, then their buffers freed (stream-ordered):
  // a graph captured around the call allocates and frees within itself.
  // Every shape is checked before anything is written.
  std::vector<Descriptor::Returned> results;
  if (!failure)
    results = Descriptor::readAll(resultStorage, resultSpecs);
  std::string mismatch;
  for (auto [r, result] : llvm::enumerate(results))
    if (mismatch.empty() && result.shape != outputs[r].shape)
      mismatch =
          "@" + name.str() + " result #" + std::to_string(r) + " has shape " +
          TensorView(resultSpecs[r].dtype, nullptr, result.shape).describe() +
          " but output #" + std::to_string(r) + " is " + outputs[r].describe();
  for (auto [r, result] : llvm::enumerate(results)) {
    // Kernel results are fresh dense buffers (identity layout).
    size_t elementSize = runtime::dtypeSize(resultSpecs[r].dtype);
    size_t bytes = elementSize;
    for (int64_t d : result.shape)
      bytes *= d;
    if (mismatch.empty())
      mgpuMemcpy(const_cast<void *>(outputs[r].data), result.data(elementSize),
                 bytes, onStream);
    mgpuMemFree(result.allocated, onStream);
  }
  // Waited for unless captured (the runtime skips the wait then).
  mgpuStreamSynchronize(onStream);
  sdpGpuSetStream(previous);
  if (!stream)
    mgpuStreamDestroy(onStream);
  if (failure)
    return failure;
  if (const char *gpuError = sdpGpuTakeError())
    return makeError("@" + name + " on the GPU: " + gpuError);
  if (!mismatch.empty())
    return makeError(mismatch);
  return llvm::Error::success();
}
