// f64 kernels under semirings without exp/log (#sdp.max, #sdp.min): the PTX
// computes in double precision and keeps no externs (#sdp.log, whose exp and
// log come from libdevice: ptx-libdevice.mlir).
// RUN: sdpc %s --target=gpu --gpu-chip=sm_90 --emit=ptx -o - | FileCheck %s
// CHECK-NOT: .extern
// CHECK:     .visible .entry viterbi_f64_kernel(
// CHECK:     max.f64
// CHECK:     .visible .entry edit_distance_f64_kernel(
// CHECK:     min.f64
// CHECK-NOT: .extern

func.func @viterbi_f64(%emissions: tensor<?x?x?xf64>, %transitions: tensor<?x?xf64>,
                       %start: tensor<?xf64>, %end: tensor<?xf64>, %lengths: tensor<?xi32>)
    -> (tensor<?xf64>, tensor<?x?xi32>) {
  %score, %path = sdp.linear_chain %emissions, %transitions, %start, %end, %lengths
      semiring(#sdp.max)
      : (tensor<?x?x?xf64>, tensor<?x?xf64>, tensor<?xf64>, tensor<?xf64>, tensor<?xi32>)
        -> (tensor<?xf64>, tensor<?x?xi32>)
  return %score, %path : tensor<?xf64>, tensor<?x?xi32>
}

func.func @edit_distance_f64(%diagonal: tensor<?x?x?xf64>, %down: tensor<?x?x?xf64>,
                             %right: tensor<?x?x?xf64>, %rows: tensor<?xi32>,
                             %cols: tensor<?xi32>) -> tensor<?xf64> {
  %d = sdp.alignment %diagonal, %down, %right, %rows, %cols semiring(#sdp.min)
         : (tensor<?x?x?xf64>, tensor<?x?x?xf64>, tensor<?x?x?xf64>,
            tensor<?xi32>, tensor<?xi32>) -> tensor<?xf64>
  return %d : tensor<?xf64>
}
