// RUN: sdp-opt %s --sdp-fuse-multiply-add --split-input-file | FileCheck %s

// A contractible product added to an accumulator becomes one FMA.
// CHECK-LABEL: func @scalar
// CHECK-SAME: (%[[A:.*]]: f32, %[[B:.*]]: f32, %[[X:.*]]: f32)
// CHECK: %[[F:.*]] = math.fma %[[A]], %[[B]], %[[X]] fastmath<contract> : f32
// CHECK-NOT: arith.mulf
// CHECK: return %[[F]]
func.func @scalar(%a: f32, %b: f32, %x: f32) -> f32 {
  %p = arith.mulf %a, %b fastmath<contract> : f32
  %s = arith.addf %x, %p : f32
  return %s : f32
}

// -----

// What vectorised reductions put in between: a shape_cast to the
// accumulator's unit dimensions and a select that zeroes masked-off lanes
// (-0.0, the additive identity). Masked-off lanes keep the accumulator.
// CHECK-LABEL: func @masked_reshaped
// CHECK-SAME: (%[[A:.*]]: vector<16xf32>, %[[B:.*]]: vector<16xf32>, %[[M:.*]]: vector<16xi1>, %[[ACC:.*]]: vector<1x16xf32>)
// CHECK: %[[ACC1:.*]] = vector.shape_cast %[[ACC]] : vector<1x16xf32> to vector<16xf32>
// CHECK: %[[F:.*]] = math.fma %[[A]], %[[B]], %[[ACC1]] fastmath<contract> : vector<16xf32>
// CHECK: %[[SEL:.*]] = arith.select %[[M]], %[[F]], %[[ACC1]] : vector<16xi1>, vector<16xf32>
// CHECK: %[[R:.*]] = vector.shape_cast %[[SEL]] : vector<16xf32> to vector<1x16xf32>
// CHECK: return %[[R]]
func.func @masked_reshaped(%a: vector<16xf32>, %b: vector<16xf32>, %m: vector<16xi1>, %acc: vector<1x16xf32>) -> vector<1x16xf32> {
  %zero = arith.constant dense<-0.0> : vector<16xf32>
  %p = arith.mulf %a, %b fastmath<contract> : vector<16xf32>
  %z = arith.select %m, %p, %zero : vector<16xi1>, vector<16xf32>
  %c = vector.shape_cast %z : vector<16xf32> to vector<1x16xf32>
  %s = arith.addf %acc, %c : vector<1x16xf32>
  return %s : vector<1x16xf32>
}

// -----

// Left alone: a product without the contract flag (rounded before the
// add, as written), a product read twice, and a select whose masked-off
// value is not zero.
// CHECK-LABEL: func @left_alone
// CHECK-NOT: math.fma
// CHECK: return
func.func @left_alone(%a: f32, %b: f32, %x: f32, %m: i1) -> (f32, f32, f32, f32) {
  %p = arith.mulf %a, %b : f32
  %s = arith.addf %x, %p : f32
  %q = arith.mulf %a, %b fastmath<contract> : f32
  %t = arith.addf %x, %q : f32
  %u = arith.addf %t, %q : f32
  %one = arith.constant 1.0 : f32
  %r = arith.mulf %b, %x fastmath<contract> : f32
  %v = arith.select %m, %r, %one : f32
  %w = arith.addf %a, %v : f32
  return %s, %u, %w, %t : f32, f32, f32, f32
}
