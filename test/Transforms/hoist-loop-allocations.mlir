// RUN: sdp-opt %s --sdp-hoist-loop-allocations --split-input-file | FileCheck %s

// A per-iteration scratch buffer with loop-invariant sizes, freed in the
// same iteration: allocated once before the loop, freed after it.

// CHECK-LABEL: func @scratch
// CHECK-SAME: (%[[N:.*]]: index, %[[M:.*]]: memref<?xf32>)
// CHECK: %[[D:.*]] = memref.dim %[[M]]
// CHECK: %[[A:.*]] = memref.alloc(%[[D]]) : memref<?xf32>
// CHECK-NEXT: scf.for
// CHECK:   memref.copy %[[M]], %[[A]]
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: }
// CHECK-NEXT: memref.dealloc %[[A]] : memref<?xf32>
// CHECK-NEXT: return
func.func @scratch(%n: index, %m: memref<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %d = memref.dim %m, %c0 : memref<?xf32>
  scf.for %i = %c0 to %n step %c1 {
    %a = memref.alloc(%d) : memref<?xf32>
    memref.copy %m, %a : memref<?xf32> to memref<?xf32>
    %v = memref.subview %a[0] [4] [1] : memref<?xf32> to memref<4xf32, strided<[1]>>
    memref.copy %v, %v : memref<4xf32, strided<[1]>> to memref<4xf32, strided<[1]>>
    memref.dealloc %a : memref<?xf32>
  }
  return
}

// -----

// Nested loops: an allocation invariant in both leaves both.

// CHECK-LABEL: func @nested
// CHECK: memref.alloc() : memref<16xf32>
// CHECK-NEXT: scf.for
// CHECK-NEXT:   scf.for
// CHECK-NOT: memref.alloc
// CHECK: memref.dealloc
// CHECK-NEXT: return
func.func @nested(%n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      %a = memref.alloc() : memref<16xf32>
      memref.copy %a, %a : memref<16xf32> to memref<16xf32>
      memref.dealloc %a : memref<16xf32>
    }
  }
  return
}

// -----

// Left alone: a buffer whose size changes per iteration, one yielded to
// the next iteration, one freed conditionally, and one passed to a call.

// CHECK-LABEL: func @kept
// CHECK: scf.for
// CHECK:   memref.alloc(%{{.*}}) : memref<?xf32>
// CHECK:   memref.alloc() : memref<8xf32>
// CHECK:   memref.alloc() : memref<4xf32>
// CHECK:   memref.alloc() : memref<2xf32>
// CHECK:   scf.yield
func.func private @use(memref<2xf32>)
func.func @kept(%n: index, %init: memref<8xf32>, %flag: i1) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%prev = %init) -> (memref<8xf32>) {
    %a = memref.alloc(%i) : memref<?xf32>
    memref.dealloc %a : memref<?xf32>
    %next = memref.alloc() : memref<8xf32>
    memref.copy %prev, %next : memref<8xf32> to memref<8xf32>
    %b = memref.alloc() : memref<4xf32>
    scf.if %flag {
      memref.dealloc %b : memref<4xf32>
    }
    %c = memref.alloc() : memref<2xf32>
    func.call @use(%c) : (memref<2xf32>) -> ()
    memref.dealloc %c : memref<2xf32>
    scf.yield %next : memref<8xf32>
  }
  return %r : memref<8xf32>
}
