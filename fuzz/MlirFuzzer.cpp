//===- MlirFuzzer.cpp - libFuzzer target: MLIR text through sdp ----------===//
//
// Text is parsed with sdp's dialects, verified, and, when valid, compiled by
// the CPU pipeline (sdp-cpu-pipeline: every sdp transform and conversion)
// and, from a copy, by the GPU pipeline up to PTX (sdp-gpu-pipeline with
// its defaults: sm_80, PTX text; no ptxas or driver is involved, but
// f64 math needs a CUDA toolkit's libdevice, else the pipeline stops with
// an error before code generation).
// Errors are expected and silenced; crashes and sanitizer reports are what
// the fuzzer looks for.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "sdp/InitAll.h"
#include "sdp/Pipelines/Pipelines.h"

#include <cstdint>

using namespace mlir;

static DialectRegistry &registry() {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    sdp::registerAllDialects(*r);
    return r;
  }();
  return *registry;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  StringRef text(reinterpret_cast<const char *>(data), size);
  // Upstream MLIR's parser crashes on `array<index: ...>` (a dense array of
  // index elements); sdp cannot avoid it, so the fuzzer does not report it.
  if (text.contains("array<index"))
    return 0;
  MLIRContext context(registry(), MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
  ScopedDiagnosticHandler silence(&context,
                                  [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(text, &context);
  if (!module || failed(verify(*module)))
    return 0;
  OwningOpRef<ModuleOp> gpuModule = module->clone();
  PassManager cpu(&context);
  sdp::buildCPUPipeline(cpu, sdp::CPUPipelineOptions());
  (void)cpu.run(*module);
  PassManager gpu(&context);
  sdp::buildGPUPipeline(gpu, sdp::GPUPipelineOptions());
  (void)gpu.run(*gpuModule);
  return 0;
}
