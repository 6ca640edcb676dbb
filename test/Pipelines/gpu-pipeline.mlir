// RUN: sdp-opt %s --sdp-gpu-pipeline="chip=sm_90" | FileCheck %s
// RUN: sdp-opt %s --sdp-gpu-pipeline | FileCheck %s --check-prefix=SM80
// RUN: sdp-opt %s --sdp-gpu-pipeline="chip=sm_90 features=+ptx80" | FileCheck %s --check-prefix=FEATURES

// The whole GPU path: host code is LLVM calling the mgpu* runtime on one
// stream, the kernels are PTX in one gpu.binary, and no GPU or sdp op is
// left for the host.
// CHECK-LABEL: llvm.func @log_partition
// CHECK-NOT: sdp.
// CHECK: llvm.call @mgpuStreamCreate()
// CHECK: llvm.call @mgpuMemAlloc
// CHECK: llvm.call @mgpuMemcpy
// CHECK: gpu.launch_func <%{{.*}} : !llvm.ptr> @log_partition_kernel::@log_partition_kernel
// CHECK: gpu.launch_func <%{{.*}} : !llvm.ptr> @log_partition_kernel::@log_partition_kernel_0
// CHECK: llvm.call @mgpuStreamSynchronize
// CHECK: llvm.call @mgpuMemFree
// CHECK: llvm.call @mgpuStreamDestroy
// CHECK: llvm.func @_mlir_ciface_log_partition
// CHECK: gpu.binary @log_partition_kernel [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">, {{.*}}assembly = "{{.*}}.version 7.8{{.*}}.target sm_90
// CHECK-NOT: gpu.binary
// The default chip is sm_80; the PTX ISA is the oldest the chip accepts
// unless features name one.
// SM80: #nvvm.target<O = 3, chip = "sm_80">
// FEATURES: #nvvm.target<O = 3, chip = "sm_90", features = "+ptx80">{{.*}}.version 8.0
func.func @log_partition(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> tensor<?xf32> attributes {llvm.emit_c_interface} {
  %z = sdp.linear_chain %emissions, %transitions, %start, %end, %lengths semiring(#sdp.log)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}
