//===- DiskCache.h - compiled modules kept on disk --------------*- C++ -*-===//
//
// The persistent compile cache behind JITModule::compile: a compiled CPU
// module is its host object file plus the signatures of its public
// functions, stored under a key that covers everything the code depends on
// (module text, compile options, host CPU, sdp build). A process that finds
// an entry links the object instead of parsing, lowering and generating code.
//
//===----------------------------------------------------------------------===//

#ifndef SDP_LIB_JIT_DISKCACHE_H
#define SDP_LIB_JIT_DISKCACHE_H

#include "sdp/JIT/JITModule.h"
#include "llvm/ADT/StringMap.h"

#include <optional>
#include <string>

namespace mlir::sdp {

/// What a cache entry holds.
struct CachedModule {
  llvm::StringMap<FunctionSignature> signatures;
  std::string object; // an ELF object file for the host
};

/// The directory entries live in: $SDP_CACHE_DIR when set (empty disables
/// the cache), else $XDG_CACHE_HOME/sdp, else ~/.cache/sdp. std::nullopt
/// when disabled or when no directory can be created.
std::optional<std::string> diskCacheDirectory();

/// The entry name for `source` compiled with `options` by this build of sdp
/// on this host CPU (a hex digest).
std::string diskCacheKey(llvm::StringRef source, llvm::StringRef bufferName,
                         const CompileOptions &options);

/// The entry `key` in `directory`, or std::nullopt when there is none or it
/// is damaged (wrong magic, truncated, checksum mismatch): such entries are
/// never loaded, the caller recompiles and overwrites them.
std::optional<CachedModule> loadCachedModule(llvm::StringRef directory,
                                             llvm::StringRef key);

/// Stores `module` as entry `key`: written to a unique temporary file and
/// renamed into place, so that readers see a whole entry or none and
/// concurrent writers of the same key do not interfere. Failures are
/// ignored (the cache is an optimisation).
void storeCachedModule(llvm::StringRef directory, llvm::StringRef key,
                       const CachedModule &module);

} // namespace mlir::sdp

#endif // SDP_LIB_JIT_DISKCACHE_H
