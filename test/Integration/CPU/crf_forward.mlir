// RUN: sdp-opt %sdp_src_root/examples/crf_forward.mlir --sdp-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils -shared-libs=%sdp_runtime_lib \
// RUN: | FileCheck %s

// The example's scores against brute-force enumeration of all 2^3 label
// sequences of each of its two sentences (computed in float64):
//   log Z  = 4.955269300068697, 5.570624266426237
//   best   = 4.5, 4.75
//   lowest = -1.0, -0.75

// CHECK:      4.95527
// CHECK-NEXT: 5.57062
// CHECK-NEXT: 4.5
// CHECK-NEXT: 4.75
// CHECK-NEXT: -1
// CHECK-NEXT: -0.75
