// RUN: sdp-opt %s --sdp-check-libdevice="toolkit=%t.nowhere" --verify-diagnostics --split-input-file

// A kernel module calling libdevice, with no toolkit to link it from.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    // expected-error @+1 {{kernels call libdevice's '__nv_log', but no libdevice was found to link (looked for}}
    llvm.func @__nv_log(f64) -> f64
  }
}

// -----

// Without libdevice calls, nothing is needed.
module attributes {gpu.container_module} {
  gpu.module @kernels {
    llvm.func @helper(f64) -> f64
  }
}
