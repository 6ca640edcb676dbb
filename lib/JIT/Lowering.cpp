//===- Lowering.cpp - sdp modules lowered for the host --------------------===//

#include "sdp/JIT/Lowering.h"

#include "Errors.h"

#include "FunctionAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "sdp/InitAll.h"
#include "sdp/Pipelines/Pipelines.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <cstring>

using namespace mlir;
using namespace mlir::sdp;
using ::sdp::runtime::DType;

static std::optional<DType> toDType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  if (type.isSignlessInteger(32))
    return DType::I32;
  if (type.isSignlessInteger(64))
    return DType::I64;
  return std::nullopt;
}

/// The SSA name of a function argument, read back from the source text at
/// the argument's location ("%emissions"), or "#i" when it is unknown.
static std::string argumentName(BlockArgument arg, llvm::SourceMgr &sourceMgr) {
  std::string fallback = "#" + std::to_string(arg.getArgNumber());
  auto loc = dyn_cast<FileLineColLoc>(arg.getLoc());
  if (!loc)
    return fallback;
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  llvm::SMLoc start = sourceMgr.FindLocForLineAndColumn(
      sourceMgr.getMainFileID(), loc.getLine(), loc.getColumn());
  if (!start.isValid())
    return fallback;
  const char *p = start.getPointer(), *end = buffer->getBufferEnd();
  if (p >= end || *p != '%')
    return fallback;
  const char *q = p + 1;
  while (q < end && (std::isalnum(static_cast<unsigned char>(*q)) ||
                     std::strchr("_$.-", *q)))
    ++q;
  return std::string(p, q);
}

static llvm::Expected<TensorSpec> toSpec(Type type, std::string name,
                                         StringRef function) {
  auto tensorType = dyn_cast<RankedTensorType>(type);
  std::optional<DType> dtype =
      tensorType ? toDType(tensorType.getElementType()) : std::nullopt;
  if (!dtype) {
    std::string typeText;
    llvm::raw_string_ostream os(typeText);
    type.print(os);
    return makeError("@" + function + ": " + name + " has type " + typeText +
                     "; only ranked tensors of f32, f64, i32 or i64 can "
                     "cross the host boundary");
  }
  TensorSpec spec{std::move(name), *dtype, {}};
  for (int64_t d : tensorType.getShape())
    spec.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
  return spec;
}

/// Whether LLVM's NVPTX back end knows `chip` (sm_90, sm_90a, ...). It
/// only warns about an unknown processor and emits PTX anyway. Asked of a
/// subtarget made for a known chip, so that the question prints nothing;
/// without the NVPTX back end every chip passes (and compiling fails
/// later with its own message).
static bool nvptxKnowsChip(StringRef chip) {
  llvm::InitializeAllTargetInfos();
  llvm::InitializeAllTargetMCs();
  llvm::Triple triple("nvptx64-nvidia-cuda");
  std::string error;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return true;
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget(
      target->createMCSubtargetInfo(triple, "sm_80", ""));
  return !subtarget || subtarget->isCPUStringValid(chip);
}

llvm::Expected<LoweredModule>
mlir::sdp::lowerForHost(llvm::StringRef source, llvm::StringRef bufferName,
                        const CompileOptions &options) {
  StringRef chip = options.gpuChip;
  if (options.target == Target::GPU &&
      (!chip.consume_front("sm_") || chip.empty() ||
       !llvm::all_of(chip.rtrim("af"), llvm::isDigit) ||
       chip.rtrim("af").empty() || !nvptxKnowsChip(options.gpuChip)))
    return makeError("GPU chip '" + options.gpuChip +
                     "' is not an NVIDIA architecture LLVM's NVPTX back end "
                     "knows (sm_80, sm_90, sm_90a, ...)");
  unsigned version = 0;
  if (options.target == Target::GPU && options.gpuTensorCores &&
      (chip.rtrim("af").getAsInteger(10, version) || version < 80))
    return makeError("tensor cores (TF32 WMMA) need sm_80 or later, not " +
                     options.gpuChip);
  if (options.target != Target::GPU && options.gpuDeviceResident)
    return makeError("device-resident tensors need the GPU target");
  // Wider vectors unroll into code that takes minutes to compile (the
  // linear-chain example: 24 s at 64 lanes, 47 s at 256, over 5 min at
  // 1024); 64 is four AVX-512 registers of f32.
  if (options.vectorSize < 1 || options.vectorSize > kMaxVectorSize)
    return makeError("vector size must be between 1 and " +
                     llvm::Twine(kMaxVectorSize) + ", got " +
                     llvm::Twine(options.vectorSize));

  LoweredModule lowered;
  DialectRegistry registry;
  registerAllDialects(registry);
  lowered.context = std::make_unique<MLIRContext>(registry);
  MLIRContext &ctx = *lowered.context;

  // Collect diagnostics into the error message instead of printing them.
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(source, bufferName), llvm::SMLoc());
  std::string diagnostics;
  llvm::raw_string_ostream diagStream(diagnostics);
  SourceMgrDiagnosticHandler handler(sourceMgr, &ctx, diagStream);

  lowered.module = parseSourceFile<ModuleOp>(sourceMgr, &ctx);
  if (!lowered.module)
    return makeError("cannot parse " + bufferName + ":\n" + diagnostics);

  if (!options.entryPoints.empty()) {
    std::string known;
    for (auto func : lowered.module->getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        known += (known.empty() ? "@" : ", @") + func.getSymName().str();
    for (const std::string &name : options.entryPoints) {
      auto func = lowered.module->lookupSymbol<func::FuncOp>(name);
      if (!func || !func.isPublic() || func.isExternal())
        return makeError("no public function @" + name + " (the module has " +
                         (known.empty() ? std::string("none") : known) + ")");
    }
    for (auto func : lowered.module->getOps<func::FuncOp>())
      if (!llvm::is_contained(options.entryPoints, func.getSymName()))
        func.setPrivate();
    PassManager dce(&ctx);
    dce.addPass(createSymbolDCEPass());
    if (failed(dce.run(*lowered.module)))
      return makeError("cannot prune " + bufferName + ":\n" + diagnostics);
  }

  for (auto func : lowered.module->getOps<func::FuncOp>()) {
    if (func.isPrivate() || func.isExternal())
      continue;
    FunctionSignature signature;
    for (BlockArgument arg : func.getArguments()) {
      auto spec = toSpec(arg.getType(), argumentName(arg, sourceMgr),
                         func.getSymName());
      if (!spec)
        return spec.takeError();
      signature.arguments.push_back(std::move(*spec));
    }
    for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
      auto spec =
          toSpec(type, "result #" + std::to_string(i), func.getSymName());
      if (!spec)
        return spec.takeError();
      signature.results.push_back(std::move(*spec));
    }
    analyzeFunction(func, signature);
    lowered.signatures[func.getSymName()] = std::move(signature);
    lowered.functions.push_back(func.getSymName().str());
    // The host calls _mlir_ciface_NAME with memref descriptors.
    func->setAttr("llvm.emit_c_interface", UnitAttr::get(&ctx));
  }

  PassManager pm(&ctx);
  bool gpu = options.target == Target::GPU;
  if (gpu) {
    GPUPipelineOptions pipelineOptions;
    pipelineOptions.chip = options.gpuChip;
    pipelineOptions.tensorCores = options.gpuTensorCores;
    pipelineOptions.deviceResident = options.gpuDeviceResident;
    buildGPUPipeline(pm, pipelineOptions);
  } else {
    CPUPipelineOptions pipelineOptions;
    pipelineOptions.vectorSize = options.vectorSize;
    // AMD's Zen cores up to Zen 3 run AVX masked stores (vmaskmovps) as
    // microcode; with AVX-512 (Zen 4 on) LLVM stores through a mask
    // register instead, which is fast, and splitting only adds code: the
    // B=64 T=128 C=9 linear-chain VJP is ~8% slower with the pass there.
    pipelineOptions.splitMaskedStores =
        llvm::sys::getHostCPUName().starts_with("znver") &&
        !llvm::sys::getHostCPUFeatures().lookup("avx512f");
    buildCPUPipeline(pm, pipelineOptions);
    if (options.debugInfo)
      pm.addPass(LLVM::createDIScopeForLLVMFuncOpPass());
  }
  if (failed(pm.run(*lowered.module)))
    return makeError("cannot lower " + bufferName + " for the " +
                     (gpu ? "GPU" : "CPU") + ":\n" + diagnostics);
  if (gpu)
    for (auto &[name, signature] : lowered.signatures)
      signature.batchParallel = false; // one launch covers the batch
  return lowered;
}

void mlir::sdp::initializeHostTarget() {
  static bool initialized = [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    return true;
  }();
  (void)initialized;
}

llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
mlir::sdp::createHostTargetMachine(bool pic) {
  initializeHostTarget();
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  // The small code model, not the JIT's default large one: a constant-pool
  // splat is then one RIP-relative operand (folded into the arithmetic as a
  // broadcast) instead of a 64-bit address load per use, which LLVM
  // rematerializes inside loops (a third of the instructions of a vectorized
  // exp/log). The JIT's memory manager (JITMemoryManager.cpp) keeps each
  // object's sections within the model's +-2 GiB.
  builder->setCodeModel(llvm::CodeModel::Small);
  if (pic)
    builder->setRelocationModel(llvm::Reloc::PIC_);
  return builder->createTargetMachine();
}
