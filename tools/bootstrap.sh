#!/usr/bin/env bash
# One-command set-up for a fresh Debian 12 machine (run as root):
#   tools/bootstrap.sh example   install what is missing, build, run the main example
#   tools/bootstrap.sh test      install what is missing, build, run the whole test suite
# SDP_BUILD_DIR overrides the build folder (default: build/ in the checkout).
set -euo pipefail

mode=${1:-example}
case "$mode" in
  example|test) ;;
  *) echo "usage: $0 [example|test]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${SDP_BUILD_DIR:-$root/build}

# Build requirements: Debian's LLVM/MLIR 22 and a C++ toolchain.
packages=(cmake ninja-build g++ python3 libgtest-dev llvm-22-dev libmlir-22-dev mlir-22-tools)
# The test suite cross-checks BLEU against NLTK 3.8 (Debian's package).
[[ $mode == test ]] && packages+=(python3-nltk python3-numpy)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

llvm_config=llvm-config-22
echo "== configuring in $build"
cmake -S "$root" -B "$build" -G Ninja \
  -DMLIR_DIR="$($llvm_config --libdir)/cmake/mlir" \
  -DLLVM_EXTERNAL_LIT="$($llvm_config --bindir)/lit"
echo "== building"
cmake --build "$build" -j2

if [[ $mode == example ]]; then
  echo "== examples/crf_forward.mlir: log Z, best and lowest scores of two sentences"
  "$build/bin/sdp-opt" "$root/examples/crf_forward.mlir" --sdp-cpu-pipeline |
    "$($llvm_config --bindir)/mlir-runner" -e main -entry-point-result=void \
      -shared-libs="$($llvm_config --libdir)/libmlir_c_runner_utils.so" \
      -shared-libs="$build/lib/libsdp_runtime.so"
else
  # sacreBLEU comes from PyPI; without it its live cross-check is skipped.
  python3 -c "import sacrebleu" 2>/dev/null ||
    python3 -m pip install -q sacrebleu ||
    echo "== sacrebleu could not be installed; its live cross-check is skipped"
  echo "== running the test suite"
  ctest --test-dir "$build" --output-on-failure
fi
