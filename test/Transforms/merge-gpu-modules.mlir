// RUN: sdp-opt %s --split-input-file --sdp-merge-gpu-modules | FileCheck %s

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

// -----

// A helper that clashes is renamed inside its module before the move, so
// the kernel that calls it still calls it; a kernel that does not clash
// keeps its name.
// CHECK-LABEL: gpu.module @g_kernel
// CHECK:   func.func @helper() {
// CHECK:   gpu.func @g_kernel() kernel
// CHECK:   func.func @helper_0() {
// CHECK:   gpu.func @other() kernel
// CHECK:     func.call @helper_0()
// CHECK-LABEL: func.func @g
// CHECK: gpu.launch_func @g_kernel::@other
module attributes {gpu.container_module} {
  gpu.module @g_kernel {
    func.func @helper() {
      return
    }
    gpu.func @g_kernel() kernel {
      func.call @helper() : () -> ()
      gpu.return
    }
  }
  gpu.module @g_kernel_0 {
    func.func @helper() {
      return
    }
    gpu.func @other() kernel {
      func.call @helper() : () -> ()
      gpu.return
    }
  }
  func.func @g() {
    %c1 = arith.constant 1 : index
    gpu.launch_func @g_kernel_0::@other blocks in (%c1, %c1, %c1) threads in (%c1, %c1, %c1)
    return
  }
}
