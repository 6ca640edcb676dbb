// RUN: sdp-opt %sdp_src_root/examples/crf_forward.mlir --sdp-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils -shared-libs=%sdp_runtime_lib \
// RUN: | FileCheck %s
// mlir-runner (uninstrumented) cannot load the fuzz build's runtime.
// UNSUPPORTED: sanitized

// The example's scores against brute-force enumeration of all 2^3 label
// sequences of each of its two sentences (computed in float64):
//   log Z  = 4.955269300068697, 5.570624266426237
//   best   = 4.5, 4.75
//   lowest = -1.0, -0.75

// CHECK:      log Z (#sdp.log, sum over all paths):
// CHECK-NEXT:   sentence 0: 4.95527
// CHECK-NEXT:   sentence 1: 5.57062
// CHECK-NEXT: best path score (#sdp.max, Viterbi):
// CHECK-NEXT:   sentence 0: 4.5
// CHECK-NEXT:   sentence 1: 4.75
// CHECK-NEXT: lowest path score (#sdp.min):
// CHECK-NEXT:   sentence 0: -1
// CHECK-NEXT:   sentence 1: -0.75
