//===- DiskCache.cpp - compiled modules kept on disk ----------------------===//

#include "DiskCache.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/xxhash.h"
#include "llvm/TargetParser/Host.h"

#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <sys/stat.h>

using namespace mlir;
using namespace mlir::sdp;

/// Bumped whenever the entry layout changes.
static constexpr char kMagic[8] = {'S', 'D', 'P', 'J', 'I', 'T', '0', '1'};

std::optional<std::string> mlir::sdp::diskCacheDirectory() {
  llvm::SmallString<256> dir;
  if (const char *explicitDir = std::getenv("SDP_CACHE_DIR")) {
    if (!*explicitDir)
      return std::nullopt;
    dir = explicitDir;
  } else if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    dir = xdg;
    llvm::sys::path::append(dir, "sdp");
  } else if (const char *home = std::getenv("HOME"); home && *home) {
    dir = home;
    llvm::sys::path::append(dir, ".cache", "sdp");
  } else {
    return std::nullopt;
  }
  if (llvm::sys::fs::create_directories(dir))
    return std::nullopt;
  return std::string(dir);
}

/// Identifies this build of sdp: the compiler that produced an entry must be
/// the one that reads it, since passes change what a module compiles to.
/// The library holding this function is named by its size and modification
/// time, which change with every rebuild.
static std::string buildIdentity() {
  static const std::string identity = [] {
    std::string id = "llvm-" LLVM_VERSION_STRING;
    Dl_info info;
    struct stat status;
    if (dladdr(reinterpret_cast<void *>(&buildIdentity), &info) &&
        info.dli_fname && stat(info.dli_fname, &status) == 0)
      id += "/" + std::string(info.dli_fname) + "/" +
            std::to_string(status.st_size) + "/" +
            std::to_string(status.st_mtim.tv_sec) + "." +
            std::to_string(status.st_mtim.tv_nsec);
    return id;
  }();
  return identity;
}

std::string mlir::sdp::diskCacheKey(llvm::StringRef source,
                                    llvm::StringRef bufferName,
                                    const CompileOptions &options) {
  llvm::SHA256 hash;
  auto field = [&](llvm::StringRef text) {
    hash.update(std::to_string(text.size()) + ":");
    hash.update(text);
  };
  field(buildIdentity());
  field(llvm::sys::getProcessTriple());
  field(llvm::sys::getHostCPUName());
  std::string features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    features += (feature.second ? "+" : "-") + feature.getKey().str() + ",";
  field(features);
  field(options.target == Target::GPU ? "gpu" : "cpu");
  field(std::to_string(options.vectorSize));
  field(options.gpuChip);
  field(options.gpuTensorCores ? "tc" : "");
  field(options.gpuDeviceResident ? "resident" : "");
  // Line tables name the file; nothing else depends on the buffer's name.
  field(options.debugInfo ? "debug:" + bufferName.str() : "");
  for (const std::string &entry : options.entryPoints)
    field(entry);
  field("source");
  field(source);
  return llvm::toHex(hash.final(), /*LowerCase=*/true);
}

//===----------------------------------------------------------------------===//
// Entry layout: magic, then length-prefixed fields (host byte order: entries
// never leave the host), then an xxh3 checksum of everything before it.
//===----------------------------------------------------------------------===//

namespace {
class Writer {
public:
  void integer(int64_t value) {
    bytes.append(reinterpret_cast<const char *>(&value), sizeof(value));
  }
  void string(llvm::StringRef text) {
    integer(text.size());
    bytes.append(text.data(), text.size());
  }
  std::string bytes;
};

class Reader {
public:
  explicit Reader(llvm::StringRef bytes) : rest(bytes) {}
  bool integer(int64_t &value) {
    if (rest.size() < sizeof(value))
      return false;
    std::memcpy(&value, rest.data(), sizeof(value));
    rest = rest.drop_front(sizeof(value));
    return true;
  }
  /// A count of things that each take at least `minBytes` more bytes.
  bool count(int64_t &value, size_t minBytes = 8) {
    return integer(value) && value >= 0 &&
           static_cast<uint64_t>(value) <= rest.size() / minBytes;
  }
  bool string(std::string &text) {
    int64_t size;
    if (!count(size, 1))
      return false;
    text = rest.take_front(size).str();
    rest = rest.drop_front(size);
    return true;
  }
  bool atEnd() const { return rest.empty(); }

private:
  llvm::StringRef rest;
};
} // namespace

static void writeSpec(Writer &w, const TensorSpec &spec) {
  w.string(spec.name);
  w.integer(static_cast<int64_t>(spec.dtype));
  w.integer(spec.shape.size());
  for (int64_t d : spec.shape)
    w.integer(d);
}

static bool readSpec(Reader &r, TensorSpec &spec) {
  int64_t dtype, rank;
  if (!r.string(spec.name) || !r.integer(dtype) || dtype < 0 ||
      dtype > static_cast<int64_t>(runtime::DType::I64) || !r.count(rank))
    return false;
  spec.dtype = static_cast<runtime::DType>(dtype);
  spec.shape.resize(rank);
  for (int64_t &d : spec.shape)
    if (!r.integer(d) || d < -1)
      return false;
  return true;
}

static std::string serialize(const CachedModule &module) {
  Writer w;
  w.integer(module.signatures.size());
  for (const auto &entry : module.signatures) {
    const FunctionSignature &sig = entry.getValue();
    w.string(entry.getKey());
    w.integer(sig.arguments.size());
    for (const TensorSpec &spec : sig.arguments)
      writeSpec(w, spec);
    w.integer(sig.results.size());
    for (const TensorSpec &spec : sig.results)
      writeSpec(w, spec);
    w.integer(sig.constraints.size());
    for (const DimConstraint &c : sig.constraints) {
      w.integer(c.argument);
      w.integer(c.dim);
      w.integer(c.other);
      w.integer(c.otherDim);
      w.integer(c.offset);
    }
    w.integer(sig.valueConstraints.size());
    for (const ValueConstraint &c : sig.valueConstraints) {
      w.integer(c.argument);
      w.integer(c.minimum);
      w.integer(c.bound);
      w.integer(c.boundDim);
      w.integer(c.boundOffset);
    }
    w.integer(sig.batchParallel);
    w.integer(sig.batchedArguments.size());
    for (bool batched : sig.batchedArguments)
      w.integer(batched);
    w.integer(sig.summedResults.size());
    for (bool summed : sig.summedResults)
      w.integer(summed);
  }
  w.string(module.object);
  return std::move(w.bytes);
}

static std::optional<CachedModule> deserialize(llvm::StringRef bytes) {
  Reader r(bytes);
  CachedModule module;
  int64_t functions;
  if (!r.count(functions))
    return std::nullopt;
  for (int64_t f = 0; f < functions; ++f) {
    std::string name;
    FunctionSignature sig;
    int64_t count;
    if (!r.string(name) || !r.count(count))
      return std::nullopt;
    sig.arguments.resize(count);
    for (TensorSpec &spec : sig.arguments)
      if (!readSpec(r, spec))
        return std::nullopt;
    if (!r.count(count))
      return std::nullopt;
    sig.results.resize(count);
    for (TensorSpec &spec : sig.results)
      if (!readSpec(r, spec))
        return std::nullopt;
    if (!r.count(count))
      return std::nullopt;
    for (int64_t i = 0; i < count; ++i) {
      int64_t argument, dim, other, otherDim, offset;
      if (!r.integer(argument) || !r.integer(dim) || !r.integer(other) ||
          !r.integer(otherDim) || !r.integer(offset))
        return std::nullopt;
      // Indices are checked here so that a call can trust them.
      int64_t numArgs = sig.arguments.size();
      if (argument < 0 || argument >= numArgs || other < -1 ||
          other >= numArgs || dim < 0 ||
          dim >= static_cast<int64_t>(sig.arguments[argument].shape.size()) ||
          (other >= 0 && (otherDim < 0 ||
                          otherDim >= static_cast<int64_t>(
                                          sig.arguments[other].shape.size()))))
        return std::nullopt;
      sig.constraints.push_back(
          {static_cast<unsigned>(argument), static_cast<unsigned>(dim),
           static_cast<int>(other), static_cast<unsigned>(otherDim), offset});
    }
    if (!r.count(count))
      return std::nullopt;
    for (int64_t i = 0; i < count; ++i) {
      int64_t argument, minimum, bound, boundDim, boundOffset;
      if (!r.integer(argument) || !r.integer(minimum) || !r.integer(bound) ||
          !r.integer(boundDim) || !r.integer(boundOffset))
        return std::nullopt;
      int64_t numArgs = sig.arguments.size();
      if (argument < 0 || argument >= numArgs || bound < -1 ||
          bound >= numArgs ||
          (bound >= 0 && (boundDim < 0 ||
                          boundDim >= static_cast<int64_t>(
                                          sig.arguments[bound].shape.size()))))
        return std::nullopt;
      sig.valueConstraints.push_back(
          {static_cast<unsigned>(argument), minimum, static_cast<int>(bound),
           static_cast<unsigned>(boundDim), boundOffset});
    }
    int64_t batchParallel;
    if (!r.integer(batchParallel) || !r.count(count) ||
        count != static_cast<int64_t>(sig.arguments.size()))
      return std::nullopt;
    sig.batchParallel = batchParallel != 0;
    for (int64_t i = 0; i < count; ++i) {
      int64_t batched;
      if (!r.integer(batched))
        return std::nullopt;
      sig.batchedArguments.push_back(batched != 0);
    }
    // None, or one flag per result.
    if (!r.count(count) ||
        (count != 0 && count != static_cast<int64_t>(sig.results.size())))
      return std::nullopt;
    for (int64_t i = 0; i < count; ++i) {
      int64_t summed;
      if (!r.integer(summed))
        return std::nullopt;
      sig.summedResults.push_back(summed != 0);
    }
    module.signatures[name] = std::move(sig);
  }
  if (!r.string(module.object) || !r.atEnd() || module.object.empty())
    return std::nullopt;
  return module;
}

static std::string entryPath(llvm::StringRef directory, llvm::StringRef key) {
  llvm::SmallString<256> path(directory);
  llvm::sys::path::append(path, key + ".sdpjit");
  return std::string(path);
}

std::optional<CachedModule>
mlir::sdp::loadCachedModule(llvm::StringRef directory, llvm::StringRef key) {
  auto file = llvm::MemoryBuffer::getFile(entryPath(directory, key),
                                          /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return std::nullopt;
  llvm::StringRef bytes = (*file)->getBuffer();
  if (bytes.size() < sizeof(kMagic) + sizeof(uint64_t) ||
      !bytes.starts_with(llvm::StringRef(kMagic, sizeof(kMagic))))
    return std::nullopt;
  llvm::StringRef body =
      bytes.drop_front(sizeof(kMagic)).drop_back(sizeof(uint64_t));
  uint64_t checksum;
  std::memcpy(&checksum, bytes.end() - sizeof(checksum), sizeof(checksum));
  if (checksum != llvm::xxh3_64bits(body))
    return std::nullopt;
  return deserialize(body);
}

void mlir::sdp::storeCachedModule(llvm::StringRef directory,
                                  llvm::StringRef key,
                                  const CachedModule &module) {
  std::string body = serialize(module);
  uint64_t checksum = llvm::xxh3_64bits(body);
  llvm::SmallString<256> model(directory), temporary;
  llvm::sys::path::append(model, key + "-%%%%%%%%.tmp");
  int fd;
  if (llvm::sys::fs::createUniqueFile(model, fd, temporary))
    return;
  bool ok;
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os.write(kMagic, sizeof(kMagic));
    os << body;
    os.write(reinterpret_cast<const char *>(&checksum), sizeof(checksum));
    os.close();
    ok = !os.has_error();
    os.clear_error();
  }
  if (!ok || llvm::sys::fs::rename(temporary, entryPath(directory, key)))
    llvm::sys::fs::remove(temporary);
}
