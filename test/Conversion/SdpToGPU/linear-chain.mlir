// RUN: sdp-opt %s --convert-sdp-to-gpu --canonicalize --cse --split-input-file | FileCheck %s

// Log semiring, factored potentials: operands copied to the device, one
// kernel computing exp(transitions - colmax), then one kernel whose time loop
// runs inside it (block per sequence, block-stride loop over states, shared
// memory, a barrier per phase), the scores copied back, device buffers freed.
// CHECK-LABEL: func @log_factored
// CHECK-COUNT-5: gpu.memcpy {{.*}} : memref<{{.*}}>, memref<{{.*}}>
// CHECK: gpu.launch
// CHECK:   math.exp
// CHECK:   gpu.terminator
// CHECK: gpu.launch blocks({{.*}}) in (%{{.*}} = %[[B:.*]], %{{.*}} = %c1{{.*}}, %{{.*}} = %c1{{.*}}) threads(%[[TID:[^,]*]], {{.*}}) in (%[[NT:[^ ]*]] = {{.*}}) dynamic_shared_memory_size
// CHECK:   gpu.dynamic_shared_memory : memref<?xi8, #gpu.address_space<workgroup>>
// CHECK:   scf.for %{{.*}} = %[[TID]] to %{{.*}} step %[[NT]]
// CHECK:   gpu.barrier
// The time loop: exp once per state, a barrier, a real mat-vec with P and one
// log per state, a barrier.
// CHECK:   scf.for %{{.*}} = %c1{{.*}} to %{{.*}} step %c1{{.*}} iter_args
// CHECK-COUNT-1: math.exp
// CHECK:     gpu.barrier
// CHECK:     arith.mulf
// CHECK:     math.log
// CHECK:     gpu.barrier
// CHECK:     scf.yield
// CHECK:   gpu.terminator
// CHECK-NOT: gpu.launch
// CHECK: gpu.memcpy %[[HOST:[^,]*]], %{{.*}} : memref<?xf32>, memref<?xf32>
// CHECK: %[[R:.*]] = bufferization.to_tensor %[[HOST]]
// CHECK-COUNT-8: gpu.dealloc
// CHECK: return %[[R]]
func.func @log_factored(%e: tensor<?x?x?xf32>, %w: tensor<?x?xf32>, %s: tensor<?xf32>, %t: tensor<?xf32>, %l: tensor<?xi32>) -> tensor<?xf32> {
  %z = sdp.linear_chain %e, %w, %s, %t, %l semiring(#sdp.log)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}

// -----

// Full potentials: one kernel, a two-pass log-sum-exp per state reading
// transitions[b, t-1, i, j].
// CHECK-LABEL: func @log_full
// CHECK: gpu.launch
// CHECK:   scf.for
// CHECK:     memref.load %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : memref<?x?x?x?xf32>
// CHECK:     arith.maxnumf
// CHECK:     math.exp
// CHECK:     math.log
// CHECK:     gpu.barrier
// CHECK:   gpu.terminator
// CHECK-NOT: gpu.launch
func.func @log_full(%e: tensor<?x?x?xf32>, %w: tensor<?x?x?x?xf32>, %s: tensor<?xf32>, %t: tensor<?xf32>, %l: tensor<?xi32>) -> tensor<?xf32> {
  %z = sdp.linear_chain %e, %w, %s, %t, %l semiring(#sdp.log)
      : (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}

// -----

// Viterbi: argmax backpointers stored per step on the device, the path
// followed back by thread 0, and both results copied to the host.
// CHECK-LABEL: func @viterbi
// CHECK: %[[BP:.*]] = gpu.alloc ({{.*}}) : memref<?x?x?xi32>
// CHECK: %[[PATH:.*]] = gpu.alloc ({{.*}}) : memref<?x?xi32>
// CHECK: gpu.launch
// CHECK:   arith.maxnumf
// CHECK:   arith.cmpf oeq
// CHECK:   memref.store %{{.*}}, %[[BP]][
// CHECK:   memref.load %[[BP]][
// CHECK:   gpu.terminator
// CHECK: gpu.memcpy %{{.*}}, %[[PATH]] : memref<?x?xi32>, memref<?x?xi32>
func.func @viterbi(%e: tensor<?x?x?xf32>, %w: tensor<?x?xf32>, %s: tensor<?xf32>, %t: tensor<?xf32>, %l: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %z, %p = sdp.linear_chain %e, %w, %s, %t, %l semiring(#sdp.max)
      : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %z, %p : tensor<?xf32>, tensor<?x?xi32>
}
