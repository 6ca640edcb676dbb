// RUN: sdp-opt %s --sdp-expand-strided-copies | FileCheck %s

// A copy into a column slice (non-contiguous rows) becomes linalg.copy,
// lowered later to loops; a contiguous copy stays one memcpy.

// CHECK-LABEL: func @strided
// CHECK: linalg.copy ins(%{{.*}} : memref<?x?xf32, strided<[?, 1]>>) outs(%{{.*}} : memref<?x?xf32, strided<[?, 1], offset: 1>>)
// CHECK-NOT: memref.copy
func.func @strided(%a: memref<?x?xf32, strided<[?, 1]>>, %b: memref<?x?xf32, strided<[?, 1], offset: 1>>) {
  memref.copy %a, %b : memref<?x?xf32, strided<[?, 1]>> to memref<?x?xf32, strided<[?, 1], offset: 1>>
  return
}

// CHECK-LABEL: func @contiguous
// CHECK: memref.copy
// CHECK-NOT: linalg.copy
func.func @contiguous(%a: memref<?x?xf32>, %b: memref<?x?xf32>) {
  memref.copy %a, %b : memref<?x?xf32> to memref<?x?xf32>
  return
}
