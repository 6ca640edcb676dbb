// RUN: sdp-opt %s --sdp-approximate-math=expand-rounding --convert-vector-to-scf \
// RUN:   --convert-scf-to-cf --convert-vector-to-llvm --convert-cf-to-llvm \
// RUN:   --convert-arith-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils \
// RUN: | FileCheck %s

// The arith-only floor of --sdp-approximate-math=expand-rounding (what the
// GPU pipeline uses instead of libdevice's __nv_floorf), bit for bit:
// -0.0, 0.0, -0.5, 0.5, -1.0, 2.5, -2.5, 8388607.5, -8388607.5, 2^23, 3e9,
// -3e9 (beyond i32), inf, -inf, NaN, 1e-30, -1e-30.
// CHECK: ( -2147483648, 0, -1082130432, 0, -1082130432, 1073741824, -1069547520, 1258291198, -889192448, 1258291200, 1328730206, -818753442, 2139095040, -8388608, 2143289344, 0, -1082130432 )
// Behind a call, so that no folding of constants computes it instead.
func.func @floor(%x: vector<17xf32>) -> vector<17xf32> {
  %f = math.floor %x : vector<17xf32>
  return %f : vector<17xf32>
}

func.func @main() {
  %bits = arith.constant dense<[-2147483648, 0, -1090519040, 1056964608, -1082130432, 1075838976, -1071644672, 1258291199, -889192449, 1258291200, 1328730206, -818753442, 2139095040, -8388608, 2143289344, 228737632, -1918746016]> : vector<17xi32>
  %x = arith.bitcast %bits : vector<17xi32> to vector<17xf32>
  %f = func.call @floor(%x) : (vector<17xf32>) -> vector<17xf32>
  %out = arith.bitcast %f : vector<17xf32> to vector<17xi32>
  vector.print %out : vector<17xi32>
  return
}
