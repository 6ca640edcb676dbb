// f64 kernels under #sdp.log: exp and log are libdevice's __nv_exp and
// __nv_log, linked from the CUDA toolkit (and inlined), so that the PTX keeps
// no externs. Without a toolkit to link from, compilation fails and says so.
// REQUIRES: libdevice, ptxas
// RUN: sdpc %s --target=gpu --gpu-chip=sm_90 --emit=ptx -o %t.ptx
// RUN: FileCheck %s < %t.ptx
// RUN: ptxas -arch=sm_90 %t.ptx -o %t.cubin
// RUN: not env -u CUDA_ROOT -u CUDA_HOME -u CUDA_PATH PATH=%t.nowhere sdpc %s --target=gpu --emit=ptx -o - 2>&1 | FileCheck %s --check-prefix=MISSING
// CHECK-NOT: .extern
// CHECK-NOT: __nv_
// CHECK:     .visible .entry log_partition_f64_kernel
// CHECK:     fma.rn.f64
// CHECK:     .visible .entry soft_alignment_f64_kernel
// CHECK-NOT: .extern
// MISSING: error: kernels call libdevice's '__nv_{{[a-z]+}}', but no libdevice was found to link (no CUDA toolkit found): set CUDA_HOME to a CUDA toolkit

func.func @log_partition_f64(%emissions: tensor<?x?x?xf64>, %transitions: tensor<?x?xf64>,
                             %start: tensor<?xf64>, %end: tensor<?xf64>, %lengths: tensor<?xi32>)
    -> tensor<?xf64> {
  %z = sdp.linear_chain %emissions, %transitions, %start, %end, %lengths semiring(#sdp.log)
      : (tensor<?x?x?xf64>, tensor<?x?xf64>, tensor<?xf64>, tensor<?xf64>, tensor<?xi32>)
        -> tensor<?xf64>
  return %z : tensor<?xf64>
}

func.func @soft_alignment_f64(%diagonal: tensor<?x?x?xf64>, %down: tensor<?x?x?xf64>,
                              %right: tensor<?x?x?xf64>, %rows: tensor<?xi32>,
                              %cols: tensor<?xi32>) -> tensor<?xf64> {
  %d = sdp.alignment %diagonal, %down, %right, %rows, %cols semiring(#sdp.log)
         : (tensor<?x?x?xf64>, tensor<?x?x?xf64>, tensor<?x?x?xf64>,
            tensor<?xi32>, tensor<?xi32>) -> tensor<?xf64>
  return %d : tensor<?xf64>
}
