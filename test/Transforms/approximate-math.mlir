// RUN: sdp-opt %s --sdp-approximate-math | FileCheck %s

// exp and log on vectors become straight-line arithmetic: no math ops and
// no calls remain.

// CHECK-LABEL: func @exp_log
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK-NOT: call
// CHECK: math.fma {{.*}} : vector<16xf32>
// CHECK: return
func.func @exp_log(%x: vector<16xf32>) -> (vector<16xf32>, vector<16xf32>) {
  %e = math.exp %x : vector<16xf32>
  %l = math.log %x : vector<16xf32>
  return %e, %l : vector<16xf32>, vector<16xf32>
}
