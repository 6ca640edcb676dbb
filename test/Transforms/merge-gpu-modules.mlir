// RUN: sdp-opt %s --sdp-merge-gpu-modules | FileCheck %s

// Two outlined kernels with the same name end up in the first module, the
// second renamed, and each launch points at its kernel's new home.
// CHECK-LABEL: gpu.module @f_kernel
// CHECK:   gpu.func @f_kernel() kernel
// CHECK:   gpu.func @f_kernel_0() kernel
// CHECK-NOT: gpu.module
// CHECK-LABEL: func.func @f
// CHECK: gpu.launch_func @f_kernel::@f_kernel
// CHECK: gpu.launch_func @f_kernel::@f_kernel_0
module attributes {gpu.container_module} {
  gpu.module @f_kernel {
    gpu.func @f_kernel() kernel {
      gpu.return
    }
  }
  gpu.module @f_kernel_0 {
    gpu.func @f_kernel() kernel {
      gpu.return
    }
  }
  func.func @f() {
    %c1 = arith.constant 1 : index
    gpu.launch_func @f_kernel::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    gpu.launch_func @f_kernel_0::@f_kernel blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
}
