//===- sdpc.cpp - ahead-of-time compiler for sdp modules ------------------===//
//
//   sdpc FILE.mlir -o libNAME.so --header=NAME.h [--target=cpu|gpu]
//   sdpc FILE.mlir --emit=llvm|obj|ptx -o OUT
//
// Builds a shared library with one C function `sdp_NAME` per public function
// of the module, linked only against the sdp runtime, libc and libm.
//
//===----------------------------------------------------------------------===//

#include "sdp/JIT/AOT.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace llvm;
using mlir::sdp::AOTOutput;
using mlir::sdp::CompileOptions;
using mlir::sdp::Target;

static cl::OptionCategory category("sdpc options");
static cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                                      cl::desc("<module.mlir>"),
                                      cl::cat(category));
static cl::opt<std::string> outputFile("o", cl::Required,
                                       cl::desc("Output file"),
                                       cl::value_desc("file"),
                                       cl::cat(category));
static cl::opt<std::string>
    headerFile("header", cl::desc("Write the C header declaring sdp_NAME"),
               cl::value_desc("NAME.h"), cl::cat(category));
enum class Emit { Library, LLVM, Object, PTX };
static cl::opt<Emit> emit(
    "emit", cl::desc("What to produce"), cl::init(Emit::Library),
    cl::values(clEnumValN(Emit::Library, "lib", "a shared library (default)"),
               clEnumValN(Emit::LLVM, "llvm", "optimized LLVM IR"),
               clEnumValN(Emit::Object, "obj", "a relocatable object file"),
               clEnumValN(Emit::PTX, "ptx", "PTX for NVIDIA GPUs")),
    cl::cat(category));
static cl::opt<Target>
    target("target", cl::desc("Where the code runs"), cl::init(Target::CPU),
           cl::values(clEnumValN(Target::CPU, "cpu", "the host CPU"),
                      clEnumValN(Target::GPU, "gpu", "an NVIDIA GPU")),
           cl::cat(category));
static cl::opt<int64_t> vectorSize("vector-size",
                                   cl::desc("Elements per vector"),
                                   cl::init(16), cl::cat(category));
static cl::opt<std::string> gpuChip("gpu-chip",
                                    cl::desc("GPU architecture of the kernels"),
                                    cl::init("sm_80"), cl::value_desc("sm_XY"),
                                    cl::cat(category));
static cl::opt<bool> gpuTensorCores(
    "gpu-tensor-cores",
    cl::desc("Factored log-semiring linear chains on tensor cores (3xTF32)"),
    cl::init(false), cl::cat(category));
static cl::opt<bool> gpuDeviceResident(
    "gpu-device-resident",
    cl::desc("Arguments and results in GPU memory (device pointers), no "
             "copies: calls can be captured into CUDA graphs"),
    cl::init(false), cl::cat(category));

static cl::opt<bool>
    debugInfo("g",
              cl::desc("Line tables pointing at the input's lines (host code), "
                       "for profilers"),
              cl::cat(category));

static int fail(const Twine &message) {
  errs() << "sdpc: error: " << message << "\n";
  return 1;
}

/// The folder holding libsdp_runtime.so: ../lib next to this executable, in
/// the build tree and in an installation alike.
static std::string runtimeLibraryDir(const char *argv0) {
  std::string exe = sys::fs::getMainExecutable(argv0, (void *)&fail);
  SmallString<256> dir(sys::path::parent_path(sys::path::parent_path(exe)));
  sys::path::append(dir, "lib");
  return std::string(dir);
}

static std::string headerGuard(StringRef path) {
  std::string guard = "SDP_GENERATED_";
  for (char c : sys::path::filename(path))
    guard += std::isalnum(static_cast<unsigned char>(c))
                 ? static_cast<char>(std::toupper(c))
                 : '_';
  return guard;
}

int main(int argc, char **argv) {
  InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(argc, argv,
                              "sdpc: compile an sdp module ahead of time\n");

  if (emit == Emit::PTX && target != Target::GPU)
    return fail("--emit=ptx needs --target=gpu");
  if (emit == Emit::Library && !StringRef(outputFile).ends_with(".so"))
    return fail("-o must name a shared library (lib<name>.so), got '" +
                outputFile + "'");

  auto source = MemoryBuffer::getFileOrSTDIN(inputFile);
  if (!source)
    return fail("cannot read " + inputFile + ": " +
                source.getError().message());

  // A library is an object file linked by the system compiler driver.
  SmallString<128> objectPath(outputFile);
  if (emit == Emit::Library) {
    if (std::error_code ec =
            sys::fs::createTemporaryFile("sdpc", "o", objectPath))
      return fail("cannot create a temporary object file: " + ec.message());
  }
  FileRemover removeObject(objectPath, emit == Emit::Library);

  std::error_code ec;
  ToolOutputFile out(objectPath, ec,
                     emit == Emit::LLVM || emit == Emit::PTX
                         ? sys::fs::OF_Text
                         : sys::fs::OF_None);
  if (ec)
    return fail("cannot write " + objectPath + ": " + ec.message());

  CompileOptions options;
  options.target = target;
  options.vectorSize = vectorSize;
  options.debugInfo = debugInfo;
  options.gpuChip = gpuChip;
  options.gpuTensorCores = gpuTensorCores;
  options.gpuDeviceResident = gpuDeviceResident;
  AOTOutput output = emit == Emit::LLVM  ? AOTOutput::LLVMIR
                     : emit == Emit::PTX ? AOTOutput::PTX
                                         : AOTOutput::Object;
  auto header = mlir::sdp::compileAOT(
      (*source)->getBuffer(), inputFile, options, output, out.os(),
      headerGuard(headerFile.empty() ? outputFile : headerFile));
  if (!header)
    return fail(toString(header.takeError()));
  out.keep();
  out.os().close();

  if (!headerFile.empty()) {
    ToolOutputFile headerOut(headerFile, ec, sys::fs::OF_Text);
    if (ec)
      return fail("cannot write " + headerFile + ": " + ec.message());
    headerOut.os() << *header;
    headerOut.keep();
  }

  if (emit != Emit::Library)
    return 0;
  auto cc = sys::findProgramByName("cc");
  if (!cc)
    return fail("cannot find the C compiler driver 'cc' to link " + outputFile);
  std::string libDir = runtimeLibraryDir(argv[0]);
  std::string rpath = "-Wl,-rpath," + libDir;
  std::string libDirFlag = "-L" + libDir;
  SmallVector<StringRef> args = {*cc, "-shared", "-o", outputFile, objectPath,
                                 libDirFlag, "-lsdp_runtime", rpath,
                                 "-Wl,--no-undefined", "-Wl,--as-needed",
                                 // f64 exp/log of BLEU scores stay libm calls.
                                 "-lm"};
  std::string errorMessage;
  int rc =
      sys::ExecuteAndWait(*cc, args, std::nullopt, {}, 0, 0, &errorMessage);
  if (rc != 0)
    return fail("linking " + outputFile + " failed" +
                (errorMessage.empty() ? "" : ": " + errorMessage));
  return 0;
}
