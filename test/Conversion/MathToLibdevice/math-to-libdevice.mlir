// RUN: sdp-opt %s --pass-pipeline='builtin.module(gpu.module(sdp-convert-math-to-libdevice))' | FileCheck %s

// f64 and f32 math without an NVPTX instruction becomes calls of libdevice,
// declared once per gpu.module; fma (an instruction) and vectors stay.
module attributes {gpu.container_module} {
  // CHECK-LABEL: gpu.module @kernels
  // CHECK-DAG:   llvm.func @__nv_exp(f64) -> f64
  // CHECK-DAG:   llvm.func @__nv_log(f64) -> f64
  // CHECK-DAG:   llvm.func @__nv_log1pf(f32) -> f32
  gpu.module @kernels {
    // CHECK-LABEL: gpu.func @f
    gpu.func @f(%x: f64, %y: f32, %v: vector<4xf32>, %out: memref<4xf64>, %out32: memref<4xf32>, %outv: memref<4xvector<4xf32>>) kernel {
      // CHECK: %[[E:.*]] = llvm.call @__nv_exp(%{{.*}}) : (f64) -> f64
      // CHECK: %[[L:.*]] = llvm.call @__nv_log(%[[E]]) : (f64) -> f64
      // CHECK: llvm.call @__nv_exp(%[[L]]) : (f64) -> f64
      // CHECK: llvm.call @__nv_log1pf(%{{.*}}) : (f32) -> f32
      // CHECK: math.fma
      // CHECK: math.exp %{{.*}} : vector<4xf32>
      %e = math.exp %x : f64
      %l = math.log %e : f64
      %e2 = math.exp %l : f64
      %p = math.log1p %y : f32
      %f = math.fma %y, %y, %p : f32
      %ve = math.exp %v : vector<4xf32>
      %c0 = arith.constant 0 : index
      memref.store %e2, %out[%c0] : memref<4xf64>
      memref.store %f, %out32[%c0] : memref<4xf32>
      memref.store %ve, %outv[%c0] : memref<4xvector<4xf32>>
      gpu.return
    }
  }
}
