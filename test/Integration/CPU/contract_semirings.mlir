// RUN: sdp-opt %s --sdp-cpu-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils -shared-libs=%sdp_runtime_lib \
// RUN: | FileCheck %s
// mlir-runner (uninstrumented) cannot load the fuzz build's runtime.
// UNSUPPORTED: sanitized

// Every semiring through the whole CPU pipeline on a 2x3 by 3x2 product.
// A = [[0, 1, 2], [-inf, 0.5, -1]], B = [[1, 0], [0, -inf], [2, 1]].

func.func private @print2x2f32(%m: tensor<2x2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  scf.for %i = %c0 to %c2 step %c1 {
    scf.for %j = %c0 to %c2 step %c1 {
      %v = tensor.extract %m[%i, %j] : tensor<2x2xf32>
      vector.print %v : f32
    }
  }
  return
}

func.func @main() {
  %a = arith.constant dense<[[0.0, 1.0, 2.0], [0xFF800000, 0.5, -1.0]]> : tensor<2x3xf32>
  %b = arith.constant dense<[[1.0, 0.0], [0.0, 0xFF800000], [2.0, 1.0]]> : tensor<3x2xf32>

  // log: [[log(e^1+e^1+e^4), log(e^0+0+e^3)], [log(0+e^0.5+e^1), log(0+0+e^0)]]
  // CHECK:      4.09492
  // CHECK-NEXT: 3.04859
  // CHECK-NEXT: 1.47408
  // CHECK-NEXT: 0
  %log = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.log) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  call @print2x2f32(%log) : (tensor<2x2xf32>) -> ()

  // max: [[4, 3], [1, 0]]
  // CHECK-NEXT: 4
  // CHECK-NEXT: 3
  // CHECK-NEXT: 1
  // CHECK-NEXT: 0
  %max = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.max) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  call @print2x2f32(%max) : (tensor<2x2xf32>) -> ()

  // min: [[1, -inf], [-inf, -inf]]
  // CHECK-NEXT: 1
  // CHECK-NEXT: -inf
  // CHECK-NEXT: -inf
  // CHECK-NEXT: -inf
  %min = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.min) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  call @print2x2f32(%min) : (tensor<2x2xf32>) -> ()

  // real on exp-free values: A' = [[0,1,2],[3,0.5,-1]], B' = [[1,0],[0,4],[2,1]]
  // CHECK-NEXT: 4
  // CHECK-NEXT: 6
  // CHECK-NEXT: 1
  // CHECK-NEXT: 1
  %ra = arith.constant dense<[[0.0, 1.0, 2.0], [3.0, 0.5, -1.0]]> : tensor<2x3xf32>
  %rb = arith.constant dense<[[1.0, 0.0], [0.0, 4.0], [2.0, 1.0]]> : tensor<3x2xf32>
  %real = sdp.contract "ik,kj->ij" %ra, %rb semiring(#sdp.real) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  call @print2x2f32(%real) : (tensor<2x2xf32>) -> ()

  // bool: reachability through a 3-node middle layer.
  // P = [[1,0,0],[0,0,1]], Q = [[0,1],[0,0],[0,0]] -> [[0,1],[0,0]]
  // CHECK-NEXT: 0
  // CHECK-NEXT: 1
  // CHECK-NEXT: 0
  // CHECK-NEXT: 0
  %p = arith.constant dense<[[true, false, false], [false, false, true]]> : tensor<2x3xi1>
  %q = arith.constant dense<[[false, true], [false, false], [false, false]]> : tensor<3x2xi1>
  %reach = sdp.contract "ik,kj->ij" %p, %q semiring(#sdp.bool) : (tensor<2x3xi1>, tensor<3x2xi1>) -> tensor<2x2xi1>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r00 = tensor.extract %reach[%c0, %c0] : tensor<2x2xi1>
  %r01 = tensor.extract %reach[%c0, %c1] : tensor<2x2xi1>
  %r10 = tensor.extract %reach[%c1, %c0] : tensor<2x2xi1>
  %r11 = tensor.extract %reach[%c1, %c1] : tensor<2x2xi1>
  vector.print %r00 : i1
  vector.print %r01 : i1
  vector.print %r10 : i1
  vector.print %r11 : i1
  return
}
