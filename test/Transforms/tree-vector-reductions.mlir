// RUN: sdp-opt %s --sdp-tree-vector-reductions --split-input-file | FileCheck %s

// A float max over 16 lanes: four halvings, then the accumulator.
// CHECK-LABEL: func @maxnum_with_acc
// CHECK-SAME: (%[[V:.*]]: vector<16xf32>, %[[ACC:.*]]: f32)
// CHECK-NOT: vector.reduction
// CHECK: %[[LO8:.*]] = vector.extract_strided_slice %[[V]] {offsets = [0], sizes = [8], strides = [1]}
// CHECK: %[[HI8:.*]] = vector.extract_strided_slice %[[V]] {offsets = [8], sizes = [8], strides = [1]}
// CHECK: %[[H8:.*]] = arith.maxnumf %[[LO8]], %[[HI8]] : vector<8xf32>
// CHECK: %[[H4:.*]] = arith.maxnumf %{{.*}}, %{{.*}} : vector<4xf32>
// CHECK: %[[H2:.*]] = arith.maxnumf %{{.*}}, %{{.*}} : vector<2xf32>
// CHECK: %[[H1:.*]] = arith.maxnumf %{{.*}}, %{{.*}} : vector<1xf32>
// CHECK: %[[LANE:.*]] = vector.extract %[[H1]][0] : f32 from vector<1xf32>
// CHECK: %[[R:.*]] = arith.maxnumf %[[LANE]], %[[ACC]] : f32
// CHECK: return %[[R]]
func.func @maxnum_with_acc(%v: vector<16xf32>, %acc: f32) -> f32 {
  %r = vector.reduction <maxnumf>, %v, %acc fastmath<reassoc> : vector<16xf32> into f32
  return %r : f32
}

// -----

// The other float min/max kinds, without an accumulator, and f64.
// CHECK-LABEL: func @kinds
// CHECK: arith.minnumf {{.*}} : vector<4xf64>
// CHECK: arith.minnumf {{.*}} : vector<2xf64>
// CHECK: arith.minnumf {{.*}} : vector<1xf64>
// CHECK: vector.extract
// CHECK: arith.maximumf {{.*}} : vector<1xf32>
// CHECK: vector.extract
// CHECK: arith.minimumf {{.*}} : vector<4xf32>
// CHECK-NOT: vector.reduction <m
func.func @kinds(%a: vector<8xf64>, %b: vector<2xf32>, %c: vector<8xf32>) -> (f64, f32, f32) {
  %x = vector.reduction <minnumf>, %a : vector<8xf64> into f64
  %y = vector.reduction <maximumf>, %b : vector<2xf32> into f32
  %z = vector.reduction <minimumf>, %c : vector<8xf32> into f32
  return %x, %y, %z : f64, f32, f32
}

// -----

// Sums, integer reductions and lane counts that are not powers of two stay.
// CHECK-LABEL: func @untouched
// CHECK: vector.reduction <add>, %{{.*}} : vector<16xf32> into f32
// CHECK: vector.reduction <maxsi>, %{{.*}} : vector<16xi32> into i32
// CHECK: vector.reduction <maxnumf>, %{{.*}} : vector<9xf32> into f32
func.func @untouched(%a: vector<16xf32>, %b: vector<16xi32>, %c: vector<9xf32>) -> (f32, i32, f32) {
  %x = vector.reduction <add>, %a : vector<16xf32> into f32
  %y = vector.reduction <maxsi>, %b : vector<16xi32> into i32
  %z = vector.reduction <maxnumf>, %c : vector<9xf32> into f32
  return %x, %y, %z : f32, i32, f32
}
