// RUN: sdp-opt %s --sdp-refine-branch-layouts --split-input-file | FileCheck %s

// Both branches yield identity buffers cast to a fully dynamic layout (what
// one-shot bufferization writes): the if yields the identity buffers, and
// one cast after it keeps the users' type.

// CHECK-LABEL: func @identity_branches
// CHECK: %[[IF:.*]] = scf.if %{{.*}} -> (memref<?x?xf32>) {
// CHECK-NEXT: scf.yield %{{.*}} : memref<?x?xf32>
// CHECK: } else {
// CHECK-NEXT: scf.yield %{{.*}} : memref<?x?xf32>
// CHECK: %[[CAST:.*]] = memref.cast %[[IF]] : memref<?x?xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
// CHECK: return %[[CAST]]
func.func @identity_branches(%cond: i1, %a: memref<?x?xf32>, %b: memref<?x?xf32>) -> memref<?x?xf32, strided<[?, ?], offset: ?>> {
  %r = scf.if %cond -> (memref<?x?xf32, strided<[?, ?], offset: ?>>) {
    %ca = memref.cast %a : memref<?x?xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    scf.yield %ca : memref<?x?xf32, strided<[?, ?], offset: ?>>
  } else {
    %cb = memref.cast %b : memref<?x?xf32> to memref<?x?xf32, strided<[?, ?], offset: ?>>
    scf.yield %cb : memref<?x?xf32, strided<[?, ?], offset: ?>>
  }
  return %r : memref<?x?xf32, strided<[?, ?], offset: ?>>
}

// -----

// Nested: the inner if is refined first, and its cast back is what the
// outer branch yields, so the outer if is refined too.

// CHECK-LABEL: func @nested
// CHECK: scf.if %{{.*}} -> (memref<?xf32>) {
// CHECK: scf.if %{{.*}} -> (memref<?xf32>) {
func.func @nested(%c1: i1, %c2: i1, %a: memref<?xf32>, %b: memref<?xf32>) -> memref<?xf32, strided<[?], offset: ?>> {
  %r = scf.if %c1 -> (memref<?xf32, strided<[?], offset: ?>>) {
    %inner = scf.if %c2 -> (memref<?xf32, strided<[?], offset: ?>>) {
      %ca = memref.cast %a : memref<?xf32> to memref<?xf32, strided<[?], offset: ?>>
      scf.yield %ca : memref<?xf32, strided<[?], offset: ?>>
    } else {
      %cb = memref.cast %b : memref<?xf32> to memref<?xf32, strided<[?], offset: ?>>
      scf.yield %cb : memref<?xf32, strided<[?], offset: ?>>
    }
    scf.yield %inner : memref<?xf32, strided<[?], offset: ?>>
  } else {
    %cb = memref.cast %b : memref<?xf32> to memref<?xf32, strided<[?], offset: ?>>
    scf.yield %cb : memref<?xf32, strided<[?], offset: ?>>
  }
  return %r : memref<?xf32, strided<[?], offset: ?>>
}

// -----

// Left alone: the branches yield buffers of different layouts (a strided
// column and an identity buffer).

// CHECK-LABEL: func @mixed_layouts
// CHECK: scf.if %{{.*}} -> (memref<?xf32, strided<[?], offset: ?>>)
func.func @mixed_layouts(%cond: i1, %a: memref<?x?xf32>, %b: memref<?xf32>) -> memref<?xf32, strided<[?], offset: ?>> {
  %c0 = arith.constant 0 : index
  %n = memref.dim %a, %c0 : memref<?x?xf32>
  %r = scf.if %cond -> (memref<?xf32, strided<[?], offset: ?>>) {
    %col = memref.subview %a[0, 0] [%n, 1] [1, 1] : memref<?x?xf32> to memref<?xf32, strided<[?]>>
    %cc = memref.cast %col : memref<?xf32, strided<[?]>> to memref<?xf32, strided<[?], offset: ?>>
    scf.yield %cc : memref<?xf32, strided<[?], offset: ?>>
  } else {
    %cb = memref.cast %b : memref<?xf32> to memref<?xf32, strided<[?], offset: ?>>
    scf.yield %cb : memref<?xf32, strided<[?], offset: ?>>
  }
  return %r : memref<?xf32, strided<[?], offset: ?>>
}
