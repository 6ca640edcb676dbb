#!/usr/bin/env bash
# The regression suite under AddressSanitizer and UndefinedBehaviorSanitizer:
# builds sdp's tools and unit tests in the instrumented fuzz build and runs
# the lit suite and the unit tests with them. Any sanitizer report fails
# the run (UBSan halts on the first error). LLVM's and MLIR's own libraries
# are Debian's, uninstrumented, and keep their process-lifetime allocations,
# so leak checking is off. Tests that cannot load instrumented libraries
# into uninstrumented programs (mlir-runner, host apps, sdpc's libraries)
# say `UNSUPPORTED: sanitized`.
#   fuzz/sanitized-suite.sh [BUILD_DIR=build-fuzz]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-$root/build-fuzz}
bash "$root/fuzz/configure.sh" "$build"
echo "== building the instrumented tools and unit tests"
cmake --build "$build" -j2 --target sdp-opt sdp-run sdpc sdp-bleu sdp-unit-tests
# LLVM's inline BumpPtrAllocator poisons the unused tail of a slab when it is
# compiled into our instrumented code; Debian's uninstrumented MLIR then
# allocates from that slab without unpoisoning it, and ASan reports reads of
# those attributes as use-after-poison. Manual poisoning is off for that.
export ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
echo "== lit under ASan + UBSan"
"$(llvm-config-22 --bindir)/lit" -q "$build/test"
echo "== unit tests under ASan + UBSan"
"$build/bin/sdp-unit-tests"
