//===- BleuOptionsFuzzer.cpp - libFuzzer target: BLEU option handling ----===//
//
// The input is a list of `key=value` lines, the options of sdp-bleu (and of
// sdp.bleu in Python, with `spelling=python`):
//
//   pad-id=7  max-n=4  weights=0.5,0.5  smoothing=method3  compat=nltk
//   corpus=1  auto-reweigh=1  smooth-value=0.1  tokens=i32  references=3
//
// Values are parsed the way the command line parses them (llvm::cl's integer
// and floating-point rules, sdp's weight list), then buildBleuModule either
// rejects the options with a message or returns a module. Every module it
// returns must parse and verify: options are validated before any module
// text is generated, so no value can leak an internal parse error or a
// verifier diagnostic to the user.
//
//===----------------------------------------------------------------------===//

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Parser/Parser.h"
#include "sdp/InitAll.h"
#include "sdp/JIT/BleuModule.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <limits>

using namespace mlir;
using DType = ::sdp::runtime::DType;

static DialectRegistry &registry() {
  static DialectRegistry *registry = [] {
    auto *r = new DialectRegistry();
    mlir::sdp::registerAllDialects(*r);
    return r;
  }();
  return *registry;
}

/// Stops the run with the input's story on stderr.
[[noreturn]] static void fail(StringRef what, StringRef detail) {
  llvm::errs() << "sdp-bleu-options-fuzzer: " << what << "\n" << detail << "\n";
  std::abort();
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  StringRef text(reinterpret_cast<const char *>(data), size);
  mlir::sdp::BleuOptions options;
  auto tokens = DType::I64;
  bool multipleReferences = false;
  auto spelling = mlir::sdp::OptionSpelling::CommandLine;
  SmallVector<StringRef> lines;
  text.split(lines, '\n');
  for (StringRef line : lines) {
    auto [key, value] = line.split('=');
    key = key.trim();
    if (key == "pad-id") {
      // cl::opt<int64_t>: rejected unless it fits.
      if (value.getAsInteger(0, options.padId))
        return 0;
    } else if (key == "max-n") {
      // cl::opt<unsigned>, as sdp-bleu declares it.
      unsigned long long n;
      if (value.getAsInteger(0, n) || n > std::numeric_limits<unsigned>::max())
        return 0;
      options.maxN = static_cast<int64_t>(n);
    } else if (key == "weights") {
      auto weights = mlir::sdp::parseBleuWeights(value, spelling);
      if (!weights) {
        if (toString(weights.takeError()).empty())
          fail("a weight list rejected without a message", value);
        return 0;
      }
      options.weights = std::move(*weights);
    } else if (key == "smoothing") {
      options.smoothing = value.str();
    } else if (key == "compat") {
      options.compat = value.str();
    } else if (key == "corpus") {
      options.corpus = value == "1";
    } else if (key == "auto-reweigh") {
      options.autoReweigh = value == "1";
    } else if (key == "smooth-value") {
      double v;
      if (!llvm::to_float(value, v))
        return 0;
      options.smoothValue = v;
    } else if (key == "tokens") {
      tokens = value == "i32"   ? DType::I32
               : value == "f32" ? DType::F32
                                : DType::I64;
    } else if (key == "references") {
      multipleReferences = value == "3";
    } else if (key == "spelling") {
      spelling = value == "python" ? mlir::sdp::OptionSpelling::Python
                                   : mlir::sdp::OptionSpelling::CommandLine;
    }
  }

  auto source =
      mlir::sdp::buildBleuModule(options, tokens, multipleReferences, spelling);
  if (!source) {
    if (toString(source.takeError()).empty())
      fail("options rejected without a message", text);
    return 0;
  }
  MLIRContext context(registry(), MLIRContext::Threading::DISABLED);
  context.loadAllAvailableDialects();
  std::string diagnostics;
  ScopedDiagnosticHandler collect(&context, [&](Diagnostic &diagnostic) {
    diagnostics += diagnostic.str() + "\n";
    return success();
  });
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(*source, &context);
  if (!module || failed(verify(*module)))
    fail("accepted options gave a module that does not parse or verify",
         text.str() + "\n--- module:\n" + *source + "\n--- diagnostics:\n" +
             diagnostics);
  return 0;
}
