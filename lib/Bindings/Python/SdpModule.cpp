//===- SdpModule.cpp - the sdp._sdp Python extension ----------------------===//
//
// A thin layer over the C++ JIT API (sdp/JIT/JITModule.h): compile a module,
// look at its signatures, call its functions on arrays of any framework that
// speaks DLPack or the buffer protocol (NumPy, PyTorch, JAX, CuPy host
// arrays) without copying them. Results come back as NumPy arrays that own
// the buffers the compiled code returned. The Python package (sdp/) builds
// the user-facing API on top.
//
//===----------------------------------------------------------------------===//

#include "sdp/JIT/BleuModule.h"
#include "sdp/JIT/JITModule.h"
#include "sdp/Runtime/Tensor.h"

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/shared_ptr.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nb = nanobind;
using mlir::sdp::CompileOptions;
using mlir::sdp::FunctionSignature;
using mlir::sdp::JITModule;
using mlir::sdp::Target;
using mlir::sdp::TensorSpec;
using sdp::runtime::DType;
using sdp::runtime::Tensor;
using sdp::runtime::TensorView;

namespace {

/// Host arrays of any framework, read in place. Non-contiguous arrays are
/// made contiguous by their framework (one copy) on the way in.
using HostArray = nb::ndarray<nb::ro, nb::c_contig, nb::device::cpu>;

[[noreturn]] void raiseValueError(llvm::Error error) {
  throw nb::value_error(llvm::toString(std::move(error)).c_str());
}

std::optional<DType> toDType(nb::dlpack::dtype dtype) {
  if (dtype == nb::dtype<float>())
    return DType::F32;
  if (dtype == nb::dtype<double>())
    return DType::F64;
  if (dtype == nb::dtype<int32_t>())
    return DType::I32;
  if (dtype == nb::dtype<int64_t>())
    return DType::I64;
  return std::nullopt;
}

nb::dlpack::dtype toDLPack(DType dtype) {
  switch (dtype) {
  case DType::F32:
    return nb::dtype<float>();
  case DType::F64:
    return nb::dtype<double>();
  case DType::I32:
    return nb::dtype<int32_t>();
  case DType::I64:
    return nb::dtype<int64_t>();
  }
  return nb::dtype<float>();
}

std::string describeDType(nb::dlpack::dtype dtype) {
  const char *kind = "?";
  switch (static_cast<nb::dlpack::dtype_code>(dtype.code)) {
  case nb::dlpack::dtype_code::Int:
    kind = "int";
    break;
  case nb::dlpack::dtype_code::UInt:
    kind = "uint";
    break;
  case nb::dlpack::dtype_code::Float:
    kind = "float";
    break;
  case nb::dlpack::dtype_code::Bool:
    return "bool";
  default:
    break;
  }
  return kind + std::to_string(dtype.bits);
}

/// A result handed to NumPy: the array owns the buffer through a capsule.
nb::object toNumPy(Tensor tensor) {
  auto *owned = new Tensor(std::move(tensor));
  nb::capsule owner(owned,
                    [](void *p) noexcept { delete static_cast<Tensor *>(p); });
  std::vector<size_t> shape(owned->shape().begin(), owned->shape().end());
  return nb::cast(nb::ndarray<nb::numpy>(owned->data(), shape.size(),
                                         shape.data(), owner, nullptr,
                                         toDLPack(owned->dtype())));
}

/// A compiled module, shared with the JIT's in-process cache.
class Module {
public:
  explicit Module(std::shared_ptr<JITModule> jit) : jit(std::move(jit)) {}

  const FunctionSignature &signature(const std::string &name) const {
    auto signature = jit->getSignature(name);
    if (!signature)
      throw nb::attribute_error(llvm::toString(signature.takeError()).c_str());
    return *signature;
  }

  nb::list call(const std::string &name, nb::sequence arguments) {
    const FunctionSignature &sig = signature(name);
    std::vector<HostArray> arrays;
    std::vector<TensorView> views;
    size_t index = 0;
    for (nb::handle argument : arguments) {
      std::string what = "@" + name + " argument #" + std::to_string(index);
      if (index < sig.arguments.size())
        what += " (" + sig.arguments[index].name + ": " +
                sig.arguments[index].describe() + ")";
      HostArray array;
      if (!nb::try_cast(argument, array))
        throw nb::type_error(
            (what +
             ": expected a CPU array (NumPy, PyTorch, JAX or any "
             "DLPack/buffer-protocol array), got " +
             std::string(nb::type_name(argument.type()).c_str()))
                .c_str());
      std::optional<DType> dtype = toDType(array.dtype());
      if (!dtype)
        throw nb::type_error((what + ": dtype " + describeDType(array.dtype()) +
                              " is not supported (float32, float64, int32, "
                              "int64)")
                                 .c_str());
      std::vector<int64_t> shape(array.ndim());
      for (size_t d = 0; d < array.ndim(); ++d)
        shape[d] = array.shape(d);
      TensorView view(*dtype, array.data(), std::move(shape));
      // The same message the JIT gives, as the exception type Python users
      // expect for a wrong dtype.
      if (index < sig.arguments.size() && sig.arguments[index].dtype != *dtype)
        throw nb::type_error(
            (what + ": expected element type " +
             sdp::runtime::dtypeName(sig.arguments[index].dtype) + ", got " +
             view.describe())
                .c_str());
      views.push_back(std::move(view));
      arrays.push_back(std::move(array));
      ++index;
    }
    llvm::Expected<std::vector<Tensor>> results = std::vector<Tensor>();
    {
      nb::gil_scoped_release released;
      results = jit->call(name, views);
    }
    if (!results)
      raiseValueError(results.takeError());
    nb::list out;
    for (Tensor &result : *results)
      out.append(toNumPy(std::move(result)));
    return out;
  }

  std::shared_ptr<JITModule> jit;
};

nb::tuple specTuple(const TensorSpec &spec) {
  return nb::make_tuple(spec.name, sdp::runtime::dtypeName(spec.dtype),
                        nb::cast(spec.shape));
}

} // namespace

NB_MODULE(_sdp, m) {
  m.doc() = "sdp's compiler and runtime (use the `sdp` package instead)";
  // The package keeps compiled modules for the life of the process (and
  // the JIT keeps them past it): not leaks, so no exit-time report.
  nb::set_leak_warnings(false);

  nb::class_<Module>(m, "Module")
      .def("call", &Module::call, nb::arg("name"), nb::arg("arguments"),
           "Calls public function `name` on `arguments` (CPU arrays, read "
           "in place); returns its results as NumPy arrays.")
      .def(
          "signature",
          [](const Module &self, const std::string &name) {
            const FunctionSignature &sig = self.signature(name);
            nb::list arguments, results;
            for (const TensorSpec &spec : sig.arguments)
              arguments.append(specTuple(spec));
            for (const TensorSpec &spec : sig.results)
              results.append(specTuple(spec));
            return nb::make_tuple(arguments, results);
          },
          nb::arg("name"),
          "(arguments, results) of `name`: lists of (name, dtype, shape) "
          "with -1 for dynamic sizes.")
      .def(
          "functions",
          [](const Module &self) { return self.jit->getFunctionNames(); },
          "The names of the public functions, sorted.")
      .def_prop_rw(
          "num_threads",
          [](const Module &self) { return self.jit->getNumThreads(); },
          [](Module &self, unsigned n) { self.jit->setNumThreads(n); },
          "Threads a batch-parallel call may use (0: one per core).");

  m.def(
      "compile",
      [](const std::string &source, const std::string &bufferName,
         const std::string &target, int64_t vectorSize, unsigned numThreads,
         std::vector<std::string> entryPoints, bool diskCache) {
        CompileOptions options;
        if (target == "gpu")
          options.target = Target::GPU;
        else if (target != "cpu")
          throw nb::value_error(
              ("target must be 'cpu' or 'gpu', got '" + target + "'").c_str());
        options.vectorSize = vectorSize;
        options.numThreads = numThreads;
        options.entryPoints = std::move(entryPoints);
        options.diskCache = diskCache;
        llvm::Expected<std::shared_ptr<JITModule>> jit = nullptr;
        {
          nb::gil_scoped_release released;
          jit = JITModule::getOrCompile(source, bufferName, options);
        }
        if (!jit)
          raiseValueError(jit.takeError());
        Module module(std::move(*jit));
        return module;
      },
      nb::arg("source"), nb::arg("buffer_name"), nb::arg("target") = "cpu",
      nb::arg("vector_size") = 16, nb::arg("num_threads") = 0,
      nb::arg("entry_points") = std::vector<std::string>(),
      nb::arg("disk_cache") = true,
      "Compiles MLIR text (or returns the module compiled earlier in this "
      "process for the same text and options).");

  m.def(
      "bleu_source",
      [](int64_t padId, std::optional<int64_t> maxN,
         std::optional<std::vector<double>> weights,
         const std::string &smoothing, const std::string &compat, bool corpus,
         bool autoReweigh, std::optional<double> smoothValue,
         const std::string &tokens, bool multipleReferences) {
        mlir::sdp::BleuOptions options;
        options.padId = padId;
        options.maxN = maxN;
        options.weights = std::move(weights);
        options.smoothing = smoothing;
        options.compat = compat;
        options.corpus = corpus;
        options.autoReweigh = autoReweigh;
        options.smoothValue = smoothValue;
        auto source = mlir::sdp::buildBleuModule(
            options, tokens == "i32" ? DType::I32 : DType::I64,
            multipleReferences, mlir::sdp::OptionSpelling::Python);
        if (!source)
          raiseValueError(source.takeError());
        return *source;
      },
      nb::arg("pad_id"), nb::arg("max_n").none(), nb::arg("weights").none(),
      nb::arg("smoothing"), nb::arg("compat"), nb::arg("corpus"),
      nb::arg("auto_reweigh"), nb::arg("smooth_value").none(),
      nb::arg("tokens"), nb::arg("multiple_references"),
      "The module text behind sdp.bleu (the same one sdp-bleu builds).");
}
