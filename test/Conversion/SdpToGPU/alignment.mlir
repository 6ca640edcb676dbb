// RUN: sdp-opt %s --convert-sdp-to-gpu --canonicalize --cse | FileCheck %s

// A wavefront: operands copied to the device, one block per pair whose loop
// over the anti-diagonals runs inside the kernel; the block's threads share
// a diagonal's cells (block-stride loop), a barrier separates diagonals.
// The last three diagonals live in shared memory when they fit, else in a
// global scratch buffer (the same kernel on other storage). Under #sdp.log
// each cell is one exp-shifted sum of its three terms: three exps, one log.
// CHECK-LABEL: func @soft_dtw
// CHECK-COUNT-5: gpu.memcpy {{.*}} : memref<{{.*}}>, memref<{{.*}}>
// CHECK: %[[SCORES:.*]] = gpu.alloc (%{{.*}}) : memref<?xf32>
// CHECK: scf.if
// CHECK:   scf.if
// CHECK:     gpu.launch blocks({{.*}}) in (%{{.*}} = %[[B:[^,]*]], %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TID:[^,]*]], {{.*}}) in (%[[NT:[^,]*]] = {{.*}}) dynamic_shared_memory_size
// CHECK:       gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:       gpu.barrier
// CHECK:       scf.for %[[D:.*]] = %c1{{.*}} to %{{.*}} step %c1{{.*}} {
// CHECK:         scf.for %{{.*}} = %[[TID]] to %{{.*}} step %[[NT]] {
// CHECK-COUNT-3:   math.exp
// CHECK:           math.log
// CHECK:           memref.store %{{.*}}, %{{.*}} : memref<?xf32, #gpu.address_space<workgroup>>
// CHECK:         }
// CHECK:         gpu.barrier
// CHECK:       }
// CHECK:       gpu.terminator
// CHECK:   } else {
// CHECK:     %[[SCRATCH:.*]] = gpu.alloc (%{{.*}}) : memref<?xf32>
// CHECK:     gpu.launch {{.*}} dynamic_shared_memory_size %c0_i32
// CHECK-NOT:   gpu.dynamic_shared_memory
// CHECK:       scf.for
// CHECK:         scf.for
// CHECK:           memref.store %{{.*}}, %[[SCRATCH]]
// CHECK:         gpu.barrier
// CHECK:       gpu.terminator
// CHECK:     gpu.dealloc %[[SCRATCH]]
// CHECK-NOT: gpu.launch
// CHECK: gpu.memcpy %[[HOST:[^,]*]], %[[SCORES]] : memref<?xf32>, memref<?xf32>
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[HOST]]
// CHECK-COUNT-6: gpu.dealloc
// CHECK: return %[[R]]
func.func @soft_dtw(%d: tensor<?x?x?xf32>, %v: tensor<?x?x?xf32>, %h: tensor<?x?x?xf32>, %n: tensor<?xi32>, %m: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.alignment %d, %v, %h, %n, %m semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// Under #sdp.min the cell is two NaN-propagating minimumf of its three
// terms, no exp.
// CHECK-LABEL: func @edit_distance
// CHECK: gpu.launch
// CHECK-NOT: math.exp
// CHECK: arith.minimumf {{.*}} fastmath<nsz>
// CHECK: arith.minimumf {{.*}} fastmath<nsz>
// CHECK: gpu.terminator
func.func @edit_distance(%d: tensor<?x?x?xf32>, %n: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.alignment %d, %d, %d, %n, %n semiring(#sdp.min) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
