#!/usr/bin/env bash
# Builds the libFuzzer targets in their own folder and runs each for a
# bounded time from seed corpora made of the repository's own inputs:
#   fuzz/run.sh [SECONDS_PER_TARGET=60] [BUILD_DIR=build-fuzz]
# Needs clang-22 and libclang-rt-22-dev (tools/bootstrap.sh test installs
# them). Every input under fuzz/regressions/ is replayed first; a crash
# there, or any crash of the .npy reader or of the BLEU option handling,
# fails the run. New crashes of the MLIR target are written to
# BUILD_DIR/crashes/ and listed; they fail the run when a frame of their
# stack is in sdp's sources, and are only reported when they are inside
# upstream MLIR.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
build=${2:-$root/build-fuzz}

bash "$root/fuzz/configure.sh" "$build"
echo "== building sdp-npy-fuzzer, sdp-mlir-fuzzer and sdp-bleu-options-fuzzer"
cmake --build "$build" -j2 --target sdp-npy-fuzzer sdp-mlir-fuzzer \
  sdp-bleu-options-fuzzer

corpus=$build/corpus
crashes=$build/crashes
rm -rf "$corpus" "$crashes" &&
  mkdir -p "$corpus/npy" "$corpus/mlir" "$corpus/bleu-options" "$crashes"
# .npy seeds: every dtype, ranks 0-3, an empty array, version 2 headers.
python3 "$root/fuzz/make_npy_seeds.py" "$corpus/npy"
# MLIR seeds: the examples and every lit file, split at `// -----`.
python3 "$root/fuzz/split_mlir.py" "$corpus/mlir" "$root/examples" "$root/test"
# BLEU option seeds: a few `key=value` sets (fuzz/seeds/bleu-options).
cp "$root"/fuzz/seeds/bleu-options/* "$corpus/bleu-options/"

# allow_user_poisoning=0: see sanitized-suite.sh.
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:allow_user_poisoning=0
export UBSAN_OPTIONS=print_stacktrace=1
status=0
echo "== replaying fuzz/regressions"
"$build/bin/sdp-npy-fuzzer" -runs=0 -artifact_prefix="$crashes/replay-npy-" \
  "$root/fuzz/regressions/npy" || status=1
"$build/bin/sdp-mlir-fuzzer" -runs=0 -artifact_prefix="$crashes/replay-mlir-" \
  "$root/fuzz/regressions/mlir" || status=1
"$build/bin/sdp-bleu-options-fuzzer" -runs=0 \
  -artifact_prefix="$crashes/replay-bleu-options-" \
  "$root/fuzz/regressions/bleu-options" || status=1

echo "== sdp-npy-fuzzer for ${seconds}s"
"$build/bin/sdp-npy-fuzzer" -max_total_time="$seconds" -max_len=4096 \
  -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$crashes/npy-" "$corpus/npy" > "$build/npy.log" 2>&1 ||
  status=1
grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)|ERROR|SUMMARY" \
  "$build/npy.log" || true

echo "== sdp-bleu-options-fuzzer for ${seconds}s"
"$build/bin/sdp-bleu-options-fuzzer" -max_total_time="$seconds" -max_len=512 \
  -dict="$root/fuzz/bleu-options.dict" -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$crashes/bleu-options-" \
  "$corpus/bleu-options" > "$build/bleu-options.log" 2>&1 || status=1
grep -E "^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)|ERROR|SUMMARY|sdp-bleu-options-fuzzer:" \
  "$build/bleu-options.log" || true

echo "== sdp-mlir-fuzzer for ${seconds}s (crashes inside upstream MLIR are listed, not failed on)"
"$build/bin/sdp-mlir-fuzzer" -max_total_time="$seconds" -max_len=8192 \
  -dict="$root/fuzz/sdp.dict" -timeout=20 -rss_limit_mb=4096 \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -artifact_prefix="$crashes/mlir-" "$corpus/mlir" > "$build/mlir.log" 2>&1 || true
grep -E "^#[0-9]+: " "$build/mlir.log" | tail -1 || true
grep -E "^==[0-9]+== ?ERROR|^SUMMARY" "$build/mlir.log" | sort | uniq -c || true
# A run that never got going (a binary that does not start, a seed that
# crashes before fuzzing) is a failure, unlike a crash found by mutation.
grep -qE "^#[0-9]+: " "$build/mlir.log" || { tail -20 "$build/mlir.log"; status=1; }
# Crashes with a frame in sdp's own sources fail the run; the others are
# upstream MLIR's and are only listed.
if grep -A40 -E "^==[0-9]+== ?ERROR" "$build/mlir.log" |
    grep -qE "$root/(lib|dialects|runtime|include)/"; then
  echo "== a crash in sdp's own code: see $build/mlir.log"
  status=1
fi
ls "$crashes" | sed 's/^/== found: /'
exit $status
