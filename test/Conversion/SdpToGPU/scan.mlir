// RUN: sdp-opt %s --convert-sdp-to-gpu --canonicalize --cse | FileCheck %s

// A scan of contractions: one kernel of one block whose time loop runs
// inside it. Each step's contraction spreads its result elements over the
// block's threads (block-stride loop) into a scratch buffer; a barrier; the
// yielded value is copied into the carried buffer; a barrier.
// CHECK-LABEL: func @forward
// CHECK-SAME: (%[[INIT:.*]]: tensor<?x?xf32>, %[[XS:.*]]: tensor<?x?x?xf32>, %[[W:.*]]: tensor<?x?xf32>)
// CHECK: %[[STATE:.*]] = gpu.alloc ({{.*}}) : memref<?x?xf32>
// CHECK: gpu.memcpy %[[STATE]]
// CHECK: %[[T:.*]] = tensor.dim %[[XS]], %c1
// CHECK: %[[SEQ:.*]] = gpu.alloc ({{.*}}) : memref<?x?x?xf32>
// CHECK: %[[WD:.*]] = gpu.alloc ({{.*}}) : memref<?x?xf32>
// CHECK: gpu.memcpy %[[WD]]
// CHECK: %[[SCRATCH:.*]] = gpu.alloc ({{.*}}) : memref<?x?xf32>
// The yield's sizes must be the carried value's (here the states' from W).
// CHECK: cf.assert %{{.*}}, "sdp.scan on the GPU: dimension 1 of yielded value #0 differs from its carried value's"
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}, {{.*}} = %c1{{.*}}) threads(%[[TID:[^,]*]], {{.*}}) in (%[[NT:[^ ]*]] = %c1024
// CHECK:   scf.for %[[STEP:.*]] = %c0 to %[[T]] step %c1 {
// CHECK:     scf.for %{{.*}} = %[[TID]] to %{{.*}} step %[[NT]] {
// CHECK:       memref.load %[[STATE]]
// CHECK:       memref.load %[[WD]]
// CHECK:       memref.load %[[SEQ]][%{{.*}}, %[[STEP]], %{{.*}}]
// CHECK:       math.exp
// CHECK:       math.log
// CHECK:       memref.store %{{.*}}, %[[SCRATCH]]
// CHECK:     gpu.barrier
// CHECK:     scf.for %{{.*}} = %[[TID]] to %{{.*}} step %[[NT]] {
// CHECK:       %[[V:.*]] = memref.load %[[SCRATCH]]
// CHECK:       memref.store %[[V]], %[[STATE]]
// CHECK:     gpu.barrier
// CHECK:   gpu.terminator
// CHECK: gpu.memcpy %{{.*}}, %[[STATE]]
func.func @forward(%init: tensor<?x?xf32>, %xs: tensor<?x?x?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%xs : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %w, %x semiring(#sdp.log)
              : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}

// Reverse: step s reads position T - 1 - s. A yield that reads another
// carried value goes through staging buffers (two copies, two barriers).
// CHECK-LABEL: func @swap
// CHECK: gpu.launch
// CHECK:   scf.for %[[S:.*]] = %c0 to %[[T:.*]] step %c1 {
// CHECK:     %[[LAST:.*]] = arith.subi %[[T]], %c1
// CHECK:     %[[POS:.*]] = arith.subi %[[LAST]], %[[S]]
// CHECK:     memref.load %{{.*}}[%{{.*}}, %[[POS]], %{{.*}}] : memref<?x?x?xf32>
// CHECK:     gpu.barrier
// CHECK:     gpu.barrier
// CHECK-COUNT-2: memref.store
// CHECK:     gpu.barrier
// CHECK-COUNT-2: memref.store
// CHECK:     gpu.barrier
// CHECK:   }
// CHECK:   gpu.terminator
func.func @swap(%a0: tensor<?x?xf32>, %b0: tensor<?x?xf32>, %xs: tensor<?x?x?xf32>, %w: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %r:2 = sdp.scan reverse along 1 init(%a0, %b0 : tensor<?x?xf32>, tensor<?x?xf32>) over(%xs : tensor<?x?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  ^bb0(%t: index, %a: tensor<?x?xf32>, %b: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    %s = sdp.contract "bk,kc,bc->bc" %a, %w, %x semiring(#sdp.max)
           : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    %n = sdp.contract "bc,bc->bc" %s, %b semiring(#sdp.max)
           : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %n, %a : tensor<?x?xf32>, tensor<?x?xf32>
  }
  return %r#0, %r#1 : tensor<?x?xf32>, tensor<?x?xf32>
}
