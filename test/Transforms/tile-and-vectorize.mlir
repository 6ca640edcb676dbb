// RUN: sdp-opt %s --sdp-tile-and-vectorize="accumulator-tiles=1" --canonicalize --split-input-file | FileCheck %s
// RUN: sdp-opt %s --sdp-tile-and-vectorize="vector-size=8 accumulator-tiles=1" --canonicalize --split-input-file | FileCheck %s --check-prefix=VEC8
// RUN: sdp-opt %s --sdp-tile-and-vectorize --canonicalize --split-input-file | FileCheck %s --check-prefix=WIDE
// RUN: not sdp-opt %s --sdp-tile-and-vectorize="vector-size=-4" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADWIDTH
// BADWIDTH: error: sdp-tile-and-vectorize: vector-size must be at least 1, got -4
// RUN: not sdp-opt %s --sdp-tile-and-vectorize="accumulator-tiles=0" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADTILES
// BADTILES: error: sdp-tile-and-vectorize: accumulator-tiles must be at least 1, got 0
// RUN: sdp-opt %s --sdp-tile-and-vectorize="accumulator-rows=2" --canonicalize --split-input-file | FileCheck %s --check-prefix=ROWS
// RUN: not sdp-opt %s --sdp-tile-and-vectorize="accumulator-rows=0" --split-input-file 2>&1 | FileCheck %s --check-prefix=BADROWS
// BADROWS: error: sdp-tile-and-vectorize: accumulator-rows must be at least 1, got 0

// A reduction whose loops are (b, c, k) with c contiguous in the result:
// c becomes the 16-lane vector loop, b and k step by 1, and the reduction
// loop k runs inside c, so each output vector accumulates over all of k.
// The vector loop is peeled: its full tiles read and write without masks,
// and only the partial last tile of each row is masked.

#a = affine_map<(b, c, k) -> (b, k)>
#e = affine_map<(b, c, k) -> (b, k, c)>
#o = affine_map<(b, c, k) -> (b, c)>
// CHECK-LABEL: func @reduce_to_rows
// CHECK-SAME: (%[[A:.*]]: tensor<?x?xf32>, %[[E:.*]]: tensor<?x?x?xf32>, %[[INIT:.*]]: tensor<?x?xf32>)
// CHECK-DAG: %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG: %[[C16:.*]] = arith.constant 16 : index
// CHECK: scf.for %[[B:.*]] = %{{.*}} step %[[C1]]
// CHECK:   %[[FULL:.*]] = affine.apply
// CHECK:   scf.for %[[C:.*]] = %{{.*}} to %[[FULL]] step %[[C16]]
// CHECK:     scf.for %[[K:.*]] = %{{.*}} step %[[C1]]
// CHECK-NOT:   vector.mask
// CHECK:       %[[BCAST:.*]] = vector.transfer_read {{.*}} : tensor<1x1xf32>, vector<16xf32>
// CHECK:       vector.transfer_read {{.*}} : tensor<1x1x16xf32>, vector<1x1x16xf32>
// CHECK:       arith.addf %[[BCAST]], %{{.*}} : vector<16xf32>
// CHECK:       arith.maxnumf %{{.*}} : vector<1x16xf32>
// CHECK:       vector.transfer_write {{.*}} : vector<1x16xf32>, tensor<1x16xf32>
// CHECK:   scf.for %{{.*}} = %[[FULL]] to %{{.*}} step %[[C16]]
// CHECK:     scf.for %{{.*}} = %{{.*}} step %[[C1]]
// CHECK:       %[[N:.*]] = affine.apply
// CHECK:       %[[MASK:.*]] = vector.create_mask %[[C1]], %[[C1]], %[[N]] : vector<1x1x16xi1>
// CHECK:       vector.mask %[[MASK]] { vector.transfer_read {{.*}} : tensor<1x1x?xf32>, vector<1x1x16xf32> }
// CHECK:       vector.mask %{{.*}} { vector.transfer_write
// CHECK-NOT: linalg.generic
// By default (accumulator-tiles=4) the row is split where its 64-lane
// tiles end: four vectors' worth of independent accumulators per tile below,
// then the rest where its 32-lane tiles end, then full 16-lane tiles, then
// one masked tile. The 64- and 32-lane parts span whole tiles, so they get
// no remainder loop (it would never run).
// WIDE-LABEL: func @reduce_to_rows
// WIDE: scf.for
// WIDE:   scf.for %{{.*}} step %c64
// WIDE:     scf.for
// WIDE-NOT:   vector.mask
// WIDE:       arith.maxnumf %{{.*}} : vector<1x64xf32>
// WIDE-NOT: vector.mask
// WIDE:   scf.for %{{.*}} step %c32
// WIDE:     scf.for
// WIDE-NOT:   vector.mask
// WIDE:       arith.maxnumf %{{.*}} : vector<1x32xf32>
// WIDE-NOT: vector.mask
// WIDE:   scf.for %{{.*}} step %c16
// WIDE:     scf.for
// WIDE-NOT:   vector.mask
// WIDE:       arith.maxnumf %{{.*}} : vector<1x16xf32>
// WIDE:   scf.for %{{.*}} step %c16
// WIDE:     scf.for
// WIDE:       vector.mask
// WIDE-LABEL: func @row_max
// VEC8-LABEL: func @reduce_to_rows
// VEC8: vector.create_mask {{.*}} : vector<1x1x8xi1>
func.func @reduce_to_rows(%alpha: tensor<?x?xf32>, %edge: tensor<?x?x?xf32>, %init: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = linalg.generic {indexing_maps = [#a, #e, #o], iterator_types = ["parallel", "parallel", "reduction"]}
    ins(%alpha, %edge : tensor<?x?xf32>, tensor<?x?x?xf32>) outs(%init : tensor<?x?xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.addf %x, %y : f32
    %m = arith.maxnumf %acc, %p : f32
    linalg.yield %m : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// A reduction along the contiguous axis becomes a vector reduction; the lanes
// past the end hold its identity (NaN for maxnumf) instead of being masked,
// so LLVM does not expand a predicated reduction lane by lane.
// CHECK-LABEL: func @row_max
// CHECK-DAG: %[[NAN:.*]] = arith.constant dense<0x7FC00000> : vector<16xf32>
// CHECK: scf.for
// CHECK:   %[[MASK:.*]] = vector.create_mask
// CHECK:   %[[ROW:.*]] = vector.mask %[[MASK]] { vector.transfer_read
// CHECK:   %[[LANES:.*]] = vector.shape_cast %[[MASK]]
// CHECK:   %[[V:.*]] = vector.shape_cast %[[ROW]]
// CHECK:   arith.select %[[LANES]], %[[V]], %[[NAN]] : vector<16xi1>, vector<16xf32>
// CHECK-NOT: vector.mask
// CHECK:   vector.multi_reduction <maxnumf>
// CHECK-NOT: linalg.generic
func.func @row_max(%x: tensor<?x?xf32>, %init: tensor<?xf32>) -> tensor<?xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(b, k) -> (b, k)>, affine_map<(b, k) -> (b)>], iterator_types = ["parallel", "reduction"]}
    ins(%x : tensor<?x?xf32>) outs(%init : tensor<?xf32>) {
  ^bb0(%v: f32, %acc: f32):
    %m = arith.maxnumf %acc, %v : f32
    linalg.yield %m : f32
  } -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// -----

// Fills are tiled and vectorized too.
// CHECK-LABEL: func @fill
// CHECK: scf.for
// CHECK:   vector.transfer_write
// CHECK-NOT: linalg.fill
func.func @fill(%t: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %zero = arith.constant 0.0 : f32
  %r = linalg.fill ins(%zero : f32) outs(%t : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// What the vectorizer cannot handle (a reduction with two results) is left
// alone, untiled.
// CHECK-LABEL: func @two_result_reduction
// CHECK-NOT: scf.for
// CHECK: linalg.generic
func.func @two_result_reduction(%x: tensor<?x?xf32>, %v: tensor<?xf32>, %i: tensor<?xi32>) -> (tensor<?xf32>, tensor<?xi32>) {
  %r:2 = linalg.generic {indexing_maps = [affine_map<(b, k) -> (b, k)>, affine_map<(b, k) -> (b)>, affine_map<(b, k) -> (b)>], iterator_types = ["parallel", "reduction"]}
    ins(%x : tensor<?x?xf32>) outs(%v, %i : tensor<?xf32>, tensor<?xi32>) {
  ^bb0(%a: f32, %acc: f32, %pos: i32):
    %m = arith.maxnumf %acc, %a : f32
    %k = linalg.index 1 : index
    %k32 = arith.index_cast %k : index to i32
    %keep = arith.cmpf oeq, %m, %acc : f32
    %p = arith.select %keep, %pos, %k32 : i32
    linalg.yield %m, %p : f32, i32
  } -> (tensor<?xf32>, tensor<?xi32>)
  return %r#0, %r#1 : tensor<?xf32>, tensor<?xi32>
}

// -----

// sdp.sequence_lengths' body (first pad position, or the length): the
// position comes from linalg.index and the output feeds only the combiner, so
// it becomes a min-reduction over 16 lanes, those past the end set to
// INT32_MAX.
#in = affine_map<(b, i) -> (b, i)>
#row = affine_map<(b, i) -> (b)>
// CHECK-LABEL: func @first_pad
// CHECK-DAG: %[[MAX:.*]] = arith.constant dense<2147483647> : vector<16xi32>
// CHECK: scf.for
// CHECK:   scf.for {{.*}} step %{{.*}}
// CHECK:     vector.step : vector<16xindex>
// CHECK:     arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xi32>
// CHECK:     arith.select %{{.*}}, %{{.*}}, %[[MAX]] : vector<16xi1>, vector<16xi32>
// CHECK-NOT: vector.mask
// CHECK:     vector.multi_reduction <minsi>
// CHECK-NOT: linalg.generic
func.func @first_pad(%t: tensor<?x?xi32>, %init: tensor<?xi32>, %length: i32) -> tensor<?xi32> {
  %r = linalg.generic {indexing_maps = [#in, #row], iterator_types = ["parallel", "reduction"]}
      ins(%t : tensor<?x?xi32>) outs(%init : tensor<?xi32>) {
  ^bb0(%token: i32, %out: i32):
    %pad = arith.constant 0 : i32
    %is_pad = arith.cmpi eq, %token, %pad : i32
    %i = linalg.index 1 : index
    %pos = arith.index_cast %i : index to i32
    %candidate = arith.select %is_pad, %pos, %length : i32
    %min = arith.minsi %out, %candidate : i32
    linalg.yield %min : i32
  } -> tensor<?xi32>
  return %r : tensor<?xi32>
}

// -----

// A GEMM ("bk,kc->bc") with accumulator-rows=2: the full-width (4-vector)
// tiles also take two rows of b, so each row of p loaded per k feeds two
// rows of accumulators, unmasked; rows past the last pair run one at a
// time.

#gemm_a = affine_map<(b, c, k) -> (b, k)>
#gemm_p = affine_map<(b, c, k) -> (k, c)>
#gemm_o = affine_map<(b, c, k) -> (b, c)>
// ROWS-LABEL: func @gemm
// ROWS: scf.for %{{.*}} step %c2
// ROWS:   scf.for %{{.*}} step %c64
// ROWS:     scf.for
// ROWS-NOT:   vector.mask
// ROWS:       arith.mulf %{{.*}} : vector<2x64xf32>
// ROWS:       arith.addf %{{.*}} : vector<2x64xf32>
// ROWS: scf.for %{{.*}} step %c1
// ROWS:   scf.for %{{.*}} step %c64
// ROWS:     scf.for
// ROWS-NOT:   vector.mask
// ROWS:       arith.mulf %{{.*}} : vector<64xf32>
func.func @gemm(%a: tensor<?x?xf32>, %p: tensor<?x?xf32>, %init: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = linalg.generic {indexing_maps = [#gemm_a, #gemm_p, #gemm_o],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %p : tensor<?x?xf32>, tensor<?x?xf32>) outs(%init : tensor<?x?xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}
