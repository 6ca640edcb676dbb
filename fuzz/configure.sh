#!/usr/bin/env bash
# Configures the instrumented build that fuzz/run.sh and
# fuzz/sanitized-suite.sh share: Clang, every sdp source under ASan + UBSan
# (and libFuzzer coverage), Debian's MLIR uninstrumented, no Python package.
#   fuzz/configure.sh BUILD_DIR
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$1
llvm_config=llvm-config-22
echo "== configuring the fuzz build in $build"
mkdir -p "$build"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
  -DSDP_ENABLE_FUZZERS=ON -DSDP_ENABLE_PYTHON=OFF \
  -DMLIR_DIR="$($llvm_config --libdir)/cmake/mlir" \
  -DLLVM_EXTERNAL_LIT="$($llvm_config --bindir)/lit" > "$build/configure.log" ||
  { cat "$build/configure.log"; exit 1; }
