// RUN: sdp-opt %s -convert-sdp-vector-to-llvm | FileCheck %s
// RUN: sdp-opt %s -convert-sdp-vector-to-llvm -convert-vector-to-llvm -convert-func-to-llvm | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// sdp.vector_compress becomes the generic LLVM intrinsic, with a poison
// pass-through: the lanes past the kept ones are unspecified.

// CHECK-LABEL: func @compress
// CHECK:         %[[POISON:.*]] = llvm.mlir.poison : vector<16xi32>
// CHECK:         %[[PACKED:.*]] = llvm.call_intrinsic "llvm.experimental.vector.compress"(%{{.*}}, %{{.*}}, %[[POISON]]) : (vector<16xi32>, vector<16xi1>, vector<16xi32>) -> vector<16xi32>
// CHECK:         return %[[PACKED]]
// CHECK-NOT:     sdp.vector_compress
// LLVMIR-LABEL: define <16 x i32> @compress
// LLVMIR:         call <16 x i32> @llvm.experimental.vector.compress.v16i32(<16 x i32> %{{.*}}, <16 x i1> %{{.*}}, <16 x i32> poison)
func.func @compress(%v: vector<16xi32>, %m: vector<16xi1>) -> vector<16xi32> {
  %0 = sdp.vector_compress %v, %m : vector<16xi32>
  return %0 : vector<16xi32>
}

// CHECK-LABEL: func @compress_f64
// CHECK:         llvm.call_intrinsic "llvm.experimental.vector.compress"(%{{.*}}, %{{.*}}, %{{.*}}) : (vector<4xf64>, vector<4xi1>, vector<4xf64>) -> vector<4xf64>
// LLVMIR-LABEL: define <4 x double> @compress_f64
// LLVMIR:         call <4 x double> @llvm.experimental.vector.compress.v4f64
func.func @compress_f64(%v: vector<4xf64>, %m: vector<4xi1>) -> vector<4xf64> {
  %0 = sdp.vector_compress %v, %m : vector<4xf64>
  return %0 : vector<4xf64>
}
