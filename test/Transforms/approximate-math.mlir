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

// -----

// With expand-rounding, the floor inside the exp polynomial becomes a round
// trip through i64 with a step down, and large magnitudes pass through.
// RUN: sdp-opt %s --split-input-file --sdp-approximate-math=expand-rounding | FileCheck %s --check-prefix=ROUND
// ROUND-LABEL: func @floor_only
// ROUND-SAME: (%[[X:.*]]: f32)
// ROUND-NOT: math.floor
// ROUND: %[[I:.*]] = arith.fptosi %[[X]] : f32 to i64
// ROUND: %[[T:.*]] = arith.sitofp %[[I]] : i64 to f32
// ROUND: %[[UP:.*]] = arith.cmpf ogt, %[[T]], %[[X]] : f32
// ROUND: %[[DOWN:.*]] = arith.subf %[[T]]
// ROUND: %[[F:.*]] = arith.select %[[UP]], %[[DOWN]], %[[T]] : f32
// The sign of x goes back in (floor(-0.0) = -0.0).
// ROUND: %[[XB:.*]] = arith.bitcast %[[X]] : f32 to i32
// ROUND: %[[SIGN:.*]] = arith.andi %[[XB]], %c-2147483648_i32
// ROUND: %[[FB:.*]] = arith.bitcast %[[F]] : f32 to i32
// ROUND: %[[SIGNED:.*]] = arith.ori %[[FB]], %[[SIGN]]
// ROUND: %[[FS:.*]] = arith.bitcast %[[SIGNED]] : i32 to f32
// ROUND-DAG: arith.cmpf olt, %[[X]], %{{.*}} : f32
// ROUND-DAG: arith.cmpf ogt, %[[X]], %{{.*}} : f32
// ROUND: %[[R:.*]] = arith.select %{{.*}}, %[[FS]], %[[X]] : f32
// ROUND: return %[[R]]
// The default keeps math.floor (the CPU lowers it to one instruction).
// CHECK-LABEL: func @floor_only
// CHECK: math.floor
func.func @floor_only(%x: f32) -> f32 {
  %f = math.floor %x : f32
  return %f : f32
}
