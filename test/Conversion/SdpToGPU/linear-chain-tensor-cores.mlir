// RUN: sdp-opt %s --convert-sdp-to-gpu="tensor-cores=true" --canonicalize --cse --split-input-file | FileCheck %s
// RUN: sdp-opt %s --convert-sdp-to-gpu --split-input-file | FileCheck %s --check-prefix=OFF

// Log semiring, factored potentials, f32: P = exp(transitions - colmax) as
// before, then, when the states (rounded up to 16) fit, P is split into TF32
// head and tail 8x16 tiles and a forward kernel of 16 sequences per block
// (128 threads) runs each step as a 3xTF32 WMMA GEMM; otherwise the scalar
// kernel runs.
// CHECK-LABEL: func @log_factored
// CHECK:       gpu.launch
// CHECK:         math.exp
// CHECK:       %[[PADDED:.*]] = arith.muli %{{.*}}, %c16
// CHECK:       %[[FITS:.*]] = arith.cmpi ule, %[[PADDED]], %c384
// CHECK:       scf.if %[[FITS]] {
// CHECK:         %[[HEAD:.*]] = gpu.alloc ({{.*}}) : memref<?x16xf32>
// CHECK:         %[[TAIL:.*]] = gpu.alloc ({{.*}}) : memref<?x16xf32>
// The split: head = P rounded to TF32 (bits + 0x1000, low 13 bits cleared),
// tail = the rest, rounded the same way.
// CHECK:         gpu.launch
// CHECK:           arith.addi %{{.*}}, %c4096_i32 : i32
// CHECK:           arith.andi %{{.*}}, %c-8192_i32 : i32
// CHECK:           memref.store %{{.*}}, %[[HEAD]]
// CHECK:           memref.store %{{.*}}, %[[TAIL]]
// CHECK:         gpu.launch {{.*}} threads({{.*}}) in (%{{.*}} = %c128{{.*}}) dynamic_shared_memory_size
// CHECK:           gpu.dynamic_shared_memory
// CHECK:           memref.view {{.*}} to memref<?xf32, #gpu.address_space<workgroup>>
// CHECK:           memref.view {{.*}} to memref<?x8xf32, #gpu.address_space<workgroup>>
// CHECK:           memref.view {{.*}} to memref<?x8xf32, #gpu.address_space<workgroup>>
// CHECK:           memref.view {{.*}} to memref<?x16xf32, #gpu.address_space<workgroup>>
// The row's maximum combines its 8 lanes by butterfly shuffles.
// CHECK:           gpu.shuffle xor %{{.*}}, %c4_i32, %c32_i32 : f32
// CHECK:           gpu.shuffle xor %{{.*}}, %c2_i32, %c32_i32 : f32
// CHECK:           gpu.shuffle xor %{{.*}}, %c1_i32, %c32_i32 : f32
// CHECK:           gpu.barrier
// The time loop: per warp, 16x16 product tiles accumulated over 8-wide K
// tiles, three TF32 products each (tail*head, head*tail, head*head).
// CHECK:           scf.for
// CHECK:             scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c4
// CHECK:               gpu.subgroup_mma_constant_matrix %{{.*}} : !gpu.mma_matrix<16x16xf32, "COp">
// CHECK:               scf.for
// CHECK-COUNT-2:         gpu.subgroup_mma_load_matrix {{.*}} {leadDimension = 8 : index} : memref<?x8xf32, #gpu.address_space<workgroup>> -> !gpu.mma_matrix<16x8xf32, "AOp">
// CHECK-COUNT-2:         gpu.subgroup_mma_load_matrix %{{.*}} {leadDimension = 16 : index} : memref<?x16xf32> -> !gpu.mma_matrix<8x16xf32, "BOp">
// CHECK-COUNT-3:         gpu.subgroup_mma_compute
// CHECK:               gpu.subgroup_mma_store_matrix {{.*}} {leadDimension = 16 : index} : !gpu.mma_matrix<16x16xf32, "COp">, memref<?x16xf32, #gpu.address_space<workgroup>>
// CHECK:             gpu.barrier
// CHECK:             math.log
// CHECK:             gpu.shuffle xor
// CHECK:             math.exp
// CHECK:             gpu.barrier
// CHECK:         gpu.terminator
// CHECK:         gpu.dealloc %[[HEAD]]
// CHECK:         gpu.dealloc %[[TAIL]]
// CHECK:       } else {
// CHECK:         gpu.launch
// CHECK-NOT:       gpu.subgroup_mma
// CHECK:       }
// OFF-LABEL:   func @log_factored
// OFF-NOT:     gpu.subgroup_mma
// OFF:         return
func.func @log_factored(%em: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %st: tensor<?xf32>, %en: tensor<?xf32>, %len: tensor<?xi32>) -> tensor<?xf32> {
  %z = sdp.linear_chain %em, %tr, %st, %en, %len semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}

// -----

// Tensor cores serve the factored log-semiring chain in f32 only: full
// potentials, Viterbi and f64 keep their kernels.
// CHECK-LABEL: func @not_factored_log
// CHECK-NOT:   gpu.subgroup_mma
// CHECK:       return
func.func @not_factored_log(%em: tensor<?x?x?xf32>, %edges: tensor<?x?x?x?xf32>, %tr: tensor<?x?xf32>, %st: tensor<?xf32>, %en: tensor<?xf32>, %len: tensor<?xi32>, %em64: tensor<?x?x?xf64>, %tr64: tensor<?x?xf64>, %st64: tensor<?xf64>, %en64: tensor<?xf64>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?x?xi32>, tensor<?xf64>) {
  %full = sdp.linear_chain %em, %edges, %st, %en, %len semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  %best, %path = sdp.linear_chain %em, %tr, %st, %en, %len semiring(#sdp.max)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  %tropical = sdp.linear_chain %em64, %tr64, %st64, %en64, %len semiring(#sdp.max)
         : (tensor<?x?x?xf64>, tensor<?x?xf64>, tensor<?xf64>, tensor<?xf64>, tensor<?xi32>) -> tensor<?xf64>
  return %full, %best, %path, %tropical : tensor<?xf32>, tensor<?xf32>, tensor<?x?xi32>, tensor<?xf64>
}
