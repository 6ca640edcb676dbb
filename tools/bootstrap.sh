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

# Build requirements: Debian's LLVM/MLIR 22 and a C++ toolchain; the Python
# package needs the system Python's headers, venv and NumPy.
packages=(cmake ninja-build g++ python3 libgtest-dev llvm-22-dev libmlir-22-dev mlir-22-tools
  python3-dev python3-venv python3-numpy)
# The test suite cross-checks BLEU against NLTK 3.8 (Debian's package) and
# the Python package with pytest and PyTorch (Debian's packages).
[[ $mode == test ]] && packages+=(python3-nltk python3-pytest python3-torch)
# CI's fuzz run (fuzz/run.sh) builds with Clang and libFuzzer.
[[ $mode == test ]] && packages+=(clang-22 libclang-rt-22-dev)
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

# The Python package is built for Debian's Python in a build venv that sees
# the system packages (NumPy, PyTorch, NLTK) and takes nanobind from PyPI.
venv=$build/.venv
if [[ ! -x $venv/bin/python ]]; then
  echo "== creating the build venv $venv"
  mkdir -p "$build"
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi
"$venv/bin/python" -c "import nanobind" 2>/dev/null ||
  "$venv/bin/python" -m pip install -q nanobind ||
  echo "== nanobind could not be installed; the Python package is skipped"

# JAX needs NumPy 2, which Debian's PyTorch cannot load: the JAX tests run
# in a venv of their own (test mode; PyPI), and are skipped without one.
if [[ $mode == test && ! -x $build/.venv-jax/bin/python ]]; then
  echo "== creating the JAX test venv $build/.venv-jax"
  { /usr/bin/python3 -m venv "$build/.venv-jax" &&
    "$build/.venv-jax/bin/python" -m pip install -q jax pytest; } ||
    { echo "== JAX could not be installed; its tests are skipped"; rm -rf "$build/.venv-jax"; }
fi

llvm_config=llvm-config-22
echo "== configuring in $build"
cmake -S "$root" -B "$build" -G Ninja \
  -DMLIR_DIR="$($llvm_config --libdir)/cmake/mlir" \
  -DLLVM_EXTERNAL_LIT="$($llvm_config --bindir)/lit" \
  -DPython_EXECUTABLE="$venv/bin/python"
echo "== building"
cmake --build "$build" -j2

if [[ $mode == example ]]; then
  echo "== examples/crf_forward.mlir: log Z, best and lowest path scores of two sentences"
  "$build/bin/sdp-opt" "$root/examples/crf_forward.mlir" --sdp-cpu-pipeline |
    "$($llvm_config --bindir)/mlir-runner" -e main -entry-point-result=void \
      -shared-libs="$($llvm_config --libdir)/libmlir_c_runner_utils.so" \
      -shared-libs="$build/lib/libsdp_runtime.so"
else
  # sacreBLEU comes from PyPI (for lit's python3 and for the build venv's
  # pytest); without it its live cross-checks are skipped.
  python3 -c "import sacrebleu" 2>/dev/null ||
    python3 -m pip install -q sacrebleu ||
    echo "== sacrebleu could not be installed; its live cross-check is skipped"
  "$venv/bin/python" -c "import sacrebleu" 2>/dev/null ||
    "$venv/bin/python" -m pip install -q sacrebleu ||
    echo "== sacrebleu could not be installed in $venv; pytest skips it"
  echo "== running the test suite"
  status=0
  ctest --test-dir "$build" --output-on-failure || status=$?
  # pytest's summary line (ctest shows test output only on failure).
  grep -E "^=+ .*(passed|failed|error).* in [0-9.]+s.* =+$" \
    "$build/Testing/Temporary/LastTest.log" | sed 's/^/== pytest: /' || true
  exit $status
fi
