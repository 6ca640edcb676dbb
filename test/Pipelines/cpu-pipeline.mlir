// RUN: sdp-opt %s --sdp-cpu-pipeline | FileCheck %s
// RUN: sdp-opt %s --sdp-cpu-pipeline="vector-size=8" | FileCheck %s --check-prefix=VEC8
// RUN: sdp-opt %s --sdp-cpu-pipeline="split-masked-stores=1" | FileCheck %s --check-prefix=SPLIT

// The whole CPU path on a linear-chain CRF: only the LLVM dialect remains,
// the hot loops work on 16-lane vectors with masked loads and stores, and
// exp/log are polynomials: no libm call is left anywhere.

// Buffers come from the runtime's allocation functions (its buffer cache),
// never straight from malloc.
// CHECK-LABEL: llvm.func @log_partition
// CHECK-NOT: sdp.
// CHECK-NOT: linalg.
// CHECK-NOT: vector.
// CHECK-NOT: math.
// CHECK-NOT: llvm.call @malloc
// CHECK: llvm.call @_mlir_memref_to_llvm_alloc
// CHECK-NOT: llvm.call @malloc
// CHECK: llvm.intr.masked.load {{.*}} -> vector<16xf32>
// CHECK: llvm.intr.fma({{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// CHECK: llvm.intr.masked.store {{.*}} : vector<16xf32>, vector<16xi1> into !llvm.ptr
// CHECK-NOT: llvm.call @expf
// CHECK-NOT: llvm.call @logf
// CHECK-NOT: llvm.call @log1pf
// CHECK-NOT: llvm.call @free
// CHECK: llvm.call @_mlir_memref_to_llvm_free
// CHECK: llvm.return
// With split-masked-stores (the JIT's choice on AMD Zen cores) the row
// tails are written by plain 8-lane stores and scalar stores; loads stay
// masked.
// SPLIT-LABEL: llvm.func @log_partition
// SPLIT-NOT: llvm.intr.masked.store
// SPLIT: llvm.intr.masked.load
// SPLIT-NOT: llvm.intr.masked.store
// SPLIT: llvm.return
// VEC8-LABEL: llvm.func @log_partition
// VEC8: llvm.intr.masked.load {{.*}} -> vector<8xf32>
func.func @log_partition(%em: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %len: tensor<?xi32>) -> tensor<?xf32> {
  %0 = sdp.linear_chain %em, %tr, %start, %end, %len semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
