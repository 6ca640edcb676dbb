// RUN: sdp-opt %s | sdp-opt | FileCheck %s
// RUN: sdp-opt %s --mlir-print-op-generic | sdp-opt | FileCheck %s

// Every op and every semiring attribute, printed, parsed and printed again.

// CHECK-LABEL: func @semirings
func.func @semirings(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>,
                     %p: tensor<4x8xi1>, %q: tensor<8x3xi1>) {
  // CHECK: sdp.contract "ik,kj->ij" %{{.*}}, %{{.*}} semiring(#sdp.log) : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  %0 = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.log) : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  // CHECK: semiring(#sdp.max)
  %1 = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.max) : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  // CHECK: semiring(#sdp.min)
  %2 = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.min) : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  // CHECK: semiring(#sdp.real)
  %3 = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.real) : (tensor<4x8xf32>, tensor<8x3xf32>) -> tensor<4x3xf32>
  // CHECK: sdp.contract "ik,kj->ij" %{{.*}}, %{{.*}} semiring(#sdp.bool) : (tensor<4x8xi1>, tensor<8x3xi1>) -> tensor<4x3xi1>
  %4 = sdp.contract "ik,kj->ij" %p, %q semiring(#sdp.bool) : (tensor<4x8xi1>, tensor<8x3xi1>) -> tensor<4x3xi1>
  return
}

// CHECK-LABEL: func @contract_forms
func.func @contract_forms(%x: tensor<?x?xf64>, %v: tensor<?xf64>,
                          %sq: tensor<5x5xf64>) -> tensor<f64> {
  // Full reduction to a scalar.
  // CHECK: sdp.contract "bc->" %{{.*}} semiring(#sdp.log) : (tensor<?x?xf64>) -> tensor<f64>
  %0 = sdp.contract "bc->" %x semiring(#sdp.log) : (tensor<?x?xf64>) -> tensor<f64>
  // Broadcasting product, no reduction.
  // CHECK: sdp.contract "bc,c->bc"
  %1 = sdp.contract "bc,c->bc" %x, %v semiring(#sdp.real) : (tensor<?x?xf64>, tensor<?xf64>) -> tensor<?x?xf64>
  // Transpose.
  // CHECK: sdp.contract "bc->cb"
  %2 = sdp.contract "bc->cb" %x semiring(#sdp.max) : (tensor<?x?xf64>) -> tensor<?x?xf64>
  // Diagonal of a square matrix.
  // CHECK: sdp.contract "ii->i"
  %3 = sdp.contract "ii->i" %sq semiring(#sdp.real) : (tensor<5x5xf64>) -> tensor<5xf64>
  // A static result size bound by a dynamic input.
  // CHECK: sdp.contract "bk,kc->bc" {{.*}} -> tensor<?x7xf64>
  %4 = sdp.contract "bk,kc->bc" %x, %x semiring(#sdp.min) : (tensor<?x?xf64>, tensor<?x?xf64>) -> tensor<?x7xf64>
  return %0 : tensor<f64>
}

// CHECK-LABEL: func @scan_forward
func.func @scan_forward(%alpha0: tensor<?x?xf32>, %emissions: tensor<?x?x?xf32>,
                        %trans: tensor<?x?xf32>) -> tensor<?x?xf32> {
  // CHECK: %[[R:.*]] = sdp.scan along 1 init(%{{.*}} : tensor<?x?xf32>) over(%{{.*}} : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  // CHECK-NEXT: ^bb0(%{{.*}}: index, %[[PREV:.*]]: tensor<?x?xf32>, %[[EMIT:.*]]: tensor<?x?xf32>):
  // CHECK-NEXT:   %[[NEXT:.*]] = sdp.contract "bk,kc,bc->bc" %[[PREV]], %{{.*}}, %[[EMIT]] semiring(#sdp.log)
  // CHECK-NEXT:   sdp.yield %[[NEXT]] : tensor<?x?xf32>
  // CHECK-NEXT: }
  %alpha = sdp.scan along 1 init(%alpha0 : tensor<?x?xf32>) over(%emissions : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %trans, %emit semiring(#sdp.log) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  return %alpha : tensor<?x?xf32>
}

// CHECK-LABEL: func @scan_reverse_multi
func.func @scan_reverse_multi(%s0: tensor<3xf32>, %c0: tensor<2xi32>,
                              %xs: tensor<10x3xf32>, %ys: tensor<2x10xi32>)
    -> (tensor<3xf32>, tensor<2xi32>) {
  // CHECK: sdp.scan reverse along 0 init(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<2xi32>) over(%{{.*}} : tensor<10x3xf32>) -> (tensor<3xf32>, tensor<2xi32>) {
  // CHECK: } {note = "kept"}
  %r:2 = sdp.scan reverse along 0 init(%s0, %c0 : tensor<3xf32>, tensor<2xi32>) over(%xs : tensor<10x3xf32>) -> (tensor<3xf32>, tensor<2xi32>) {
  ^bb0(%t: index, %s: tensor<3xf32>, %c: tensor<2xi32>, %x: tensor<3xf32>):
    %n = sdp.contract "i,i->i" %s, %x semiring(#sdp.real) : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
    sdp.yield %n, %c : tensor<3xf32>, tensor<2xi32>
  } {note = "kept"}
  // A write_once table (carried value #0).
  // CHECK: sdp.scan along 0 init(%{{.*}} : tensor<3xf32>) over(%{{.*}} : tensor<10x3xf32>) -> (tensor<3xf32>) {
  // CHECK: } {write_once = array<i64: 0>}
  %w = sdp.scan along 0 init(%s0 : tensor<3xf32>) over(%xs : tensor<10x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %s: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %s : tensor<3xf32>
  } {write_once = array<i64: 0>}
  // Two sequences scanned along different-rank tensors' shared axis.
  // CHECK: sdp.scan along 1 init(%{{.*}} : tensor<2xi32>) over(%{{.*}}, %{{.*}} : tensor<2x10xi32>, tensor<2x10xi32>)
  %q = sdp.scan along 1 init(%c0 : tensor<2xi32>) over(%ys, %ys : tensor<2x10xi32>, tensor<2x10xi32>) -> (tensor<2xi32>) {
  ^bb0(%t: index, %c: tensor<2xi32>, %y: tensor<2xi32>, %z: tensor<2xi32>):
    sdp.yield %y : tensor<2xi32>
  }
  return %r#0, %q : tensor<3xf32>, tensor<2xi32>
}

// CHECK-LABEL: func @witness
func.func @witness(%p: tensor<?x?xf32>, %t: tensor<?x?xf32>) -> tensor<?x?xi32> {
  // CHECK: %{{.*}}, %[[W:.*]] = sdp.contract "bk,kc->bc" %{{.*}}, %{{.*}} semiring(#sdp.max) : (tensor<?x?xf32>, tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xi32>)
  %v, %w = sdp.contract "bk,kc->bc" %p, %t semiring(#sdp.max) : (tensor<?x?xf32>, tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xi32>)
  // CHECK: semiring(#sdp.min) : (tensor<?x?xf32>, tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xi32>)
  %v2, %w2 = sdp.contract "bk,kc->bc" %p, %t semiring(#sdp.min) : (tensor<?x?xf32>, tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xi32>)
  return %w : tensor<?x?xi32>
}

// CHECK-LABEL: func @linear_chain
func.func @linear_chain(%em: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %edges: tensor<?x?x?x?xf32>,
                        %start: tensor<?xf32>, %end: tensor<?xf32>, %len: tensor<?xi32>,
                        %em64: tensor<2x5x3xf64>, %tr64: tensor<3x3xf64>, %s64: tensor<3xf64>, %len2: tensor<2xi32>) {
  // CHECK: sdp.linear_chain %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  %0 = sdp.linear_chain %em, %tr, %start, %end, %len semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  // CHECK: sdp.linear_chain {{.*}} semiring(#sdp.max) : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  %1, %2 = sdp.linear_chain %em, %tr, %start, %end, %len semiring(#sdp.max)
         : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  // CHECK: sdp.linear_chain {{.*}} semiring(#sdp.real) : (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  %3 = sdp.linear_chain %em, %edges, %start, %end, %len semiring(#sdp.real)
         : (tensor<?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  // CHECK: sdp.linear_chain {{.*}} semiring(#sdp.min) : (tensor<2x5x3xf64>, tensor<3x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<2xi32>) -> (tensor<2xf64>, tensor<2x5xi32>)
  %4, %5 = sdp.linear_chain %em64, %tr64, %s64, %s64, %len2 semiring(#sdp.min)
         : (tensor<2x5x3xf64>, tensor<3x3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<2xi32>) -> (tensor<2xf64>, tensor<2x5xi32>)
  return
}

// CHECK-LABEL: func @alignment
// CHECK: sdp.alignment %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} semiring(#sdp.min) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
// CHECK: sdp.alignment {{.*}} semiring(#sdp.log) : (tensor<2x4x5xf64>, tensor<2x4x5xf64>, tensor<2x4x5xf64>, tensor<2xi32>, tensor<2xi32>) -> tensor<2xf64>
func.func @alignment(%w: tensor<?x?x?xf32>, %n: tensor<?xi32>, %s: tensor<2x4x5xf64>, %m: tensor<2xi32>) -> (tensor<?xf32>, tensor<2xf64>) {
  %0 = sdp.alignment %w, %w, %w, %n, %n semiring(#sdp.min) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  %1 = sdp.alignment %s, %s, %s, %m, %m semiring(#sdp.log) : (tensor<2x4x5xf64>, tensor<2x4x5xf64>, tensor<2x4x5xf64>, tensor<2xi32>, tensor<2xi32>) -> tensor<2xf64>
  return %0, %1 : tensor<?xf32>, tensor<2xf64>
}

func.func @lse(%x: tensor<?x?xf32>, %n: tensor<?xi32>) -> tensor<?xf32> {
  %r = sdp.contract "bc->b" %x semiring(#sdp.log) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// CHECK-LABEL: func @vjp_round_trip
// CHECK: %{{.*}} = sdp.vjp @lse(%{{.*}}, %{{.*}}) cotangents(%{{.*}}) : (tensor<?x?xf32>, tensor<?xi32>), (tensor<?xf32>) -> (tensor<?x?xf32>)
func.func @vjp_round_trip(%x: tensor<?x?xf32>, %n: tensor<?xi32>, %d: tensor<?xf32>) -> tensor<?x?xf32> {
  %g = sdp.vjp @lse(%x, %n) cotangents(%d) : (tensor<?x?xf32>, tensor<?xi32>), (tensor<?xf32>) -> (tensor<?x?xf32>)
  return %g : tensor<?x?xf32>
}

// CHECK-LABEL: func @semi_markov
func.func @semi_markov(%seg: tensor<?x?x?x?xf32>, %tr: tensor<?x?xf32>, %s: tensor<?xf32>, %len: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>) {
  // CHECK: sdp.semi_markov %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} semiring(#sdp.log) : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  %0 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  // CHECK: sdp.semi_markov {{.*}} semiring(#sdp.max) : {{.*}} -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>)
  %1, %2, %3 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.max) : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>)
  return %1, %2, %3 : tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>
}

// CHECK-LABEL: func @gather_scatter
func.func @gather_scatter(%lp: tensor<?x?x?xf32>, %ids: tensor<?x?xi32>, %zeros: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  // CHECK: sdp.gather "btv,bs->bts" %{{.*}}, %{{.*}} : (tensor<?x?x?xf32>, tensor<?x?xi32>) -> tensor<?x?x?xf32>
  %0 = sdp.gather "btv,bs->bts" %lp, %ids : (tensor<?x?x?xf32>, tensor<?x?xi32>) -> tensor<?x?x?xf32>
  // CHECK: sdp.scatter "btv,bs->bts" %{{.*}}, %{{.*}} into %{{.*}} semiring(#sdp.real) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  %1 = sdp.scatter "btv,bs->bts" %0, %ids into %zeros semiring(#sdp.real) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?x?x?xf32>) -> tensor<?x?x?xf32>
  return %1 : tensor<?x?x?xf32>
}

// CHECK-LABEL: func @ctc
func.func @ctc(%lp: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %il: tensor<?xi32>, %tl: tensor<?xi32>) -> (tensor<?xf32>, tensor<?xf32>, tensor<?x?xi32>) {
  // CHECK: sdp.ctc %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} semiring(#sdp.log) {blank = 2 : i64, zero_infinity} : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  %0 = sdp.ctc %lp, %targets, %il, %tl semiring(#sdp.log) {blank = 2 : i64, zero_infinity} : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  // CHECK: sdp.ctc {{.*}} semiring(#sdp.max) : {{.*}} -> (tensor<?xf32>, tensor<?x?xi32>)
  %1, %2 = sdp.ctc %lp, %targets, %il, %tl semiring(#sdp.max) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %0, %1, %2 : tensor<?xf32>, tensor<?xf32>, tensor<?x?xi32>
}

// CHECK-LABEL: func @trees
func.func @trees(%spans: tensor<?x?x?x?xf32>, %arcs: tensor<4x6x6xf64>, %len: tensor<?xi32>, %len4: tensor<4xi32>) -> (tensor<?xf32>, tensor<?x?x?xi32>, tensor<4xf64>, tensor<4x6xi32>) {
  // CHECK: sdp.cky %{{.*}}, %{{.*}} semiring(#sdp.log) : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  %0 = sdp.cky %spans, %len semiring(#sdp.log) : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  // CHECK: sdp.cky %{{.*}}, %{{.*}} semiring(#sdp.max) : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?x?xi32>)
  %1, %2 = sdp.cky %spans, %len semiring(#sdp.max) : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?x?xi32>)
  // CHECK: sdp.eisner %{{.*}}, %{{.*}} semiring(#sdp.log) {multi_root} : (tensor<4x6x6xf64>, tensor<4xi32>) -> tensor<4xf64>
  %3 = sdp.eisner %arcs, %len4 semiring(#sdp.log) {multi_root} : (tensor<4x6x6xf64>, tensor<4xi32>) -> tensor<4xf64>
  // CHECK: sdp.eisner %{{.*}}, %{{.*}} semiring(#sdp.min) : (tensor<4x6x6xf64>, tensor<4xi32>) -> (tensor<4xf64>, tensor<4x6xi32>)
  %4, %5 = sdp.eisner %arcs, %len4 semiring(#sdp.min) : (tensor<4x6x6xf64>, tensor<4xi32>) -> (tensor<4xf64>, tensor<4x6xi32>)
  return %1, %2, %3, %5 : tensor<?xf32>, tensor<?x?x?xi32>, tensor<4xf64>, tensor<4x6xi32>
}

// CHECK-LABEL: func @matrix_tree
func.func @matrix_tree(%arcs: tensor<?x?x?xf32>, %len: tensor<?xi32>) -> tensor<?xf32> {
  // CHECK: sdp.matrix_tree %{{.*}}, %{{.*}} semiring(#sdp.log) {multi_root} : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  %0 = sdp.matrix_tree %arcs, %len semiring(#sdp.log) {multi_root} : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// CHECK-LABEL: func @matrix_tree_best
func.func @matrix_tree_best(%arcs: tensor<?x?x?xf32>, %len: tensor<?xi32>, %arcs4: tensor<4x6x6xf64>, %len4: tensor<4xi32>) -> (tensor<?x?xi32>, tensor<4xf64>) {
  // CHECK: sdp.matrix_tree %{{.*}}, %{{.*}} semiring(#sdp.max) : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  %0, %1 = sdp.matrix_tree %arcs, %len semiring(#sdp.max) : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  // CHECK: sdp.matrix_tree %{{.*}}, %{{.*}} semiring(#sdp.min) {multi_root} : (tensor<4x6x6xf64>, tensor<4xi32>) -> tensor<4xf64>
  %2 = sdp.matrix_tree %arcs4, %len4 semiring(#sdp.min) {multi_root} : (tensor<4x6x6xf64>, tensor<4xi32>) -> tensor<4xf64>
  return %1, %2 : tensor<?x?xi32>, tensor<4xf64>
}

// CHECK-LABEL: func @max_arborescence
func.func @max_arborescence(%arcs: tensor<?x?x?xf32>, %len: tensor<?xi32>, %arcs4: tensor<4x6x6xf64>, %len4: tensor<4xi32>) -> (tensor<?x?xi32>, tensor<4x6xi32>) {
  // CHECK: sdp.max_arborescence %{{.*}}, %{{.*}} : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?x?xi32>
  %0 = sdp.max_arborescence %arcs, %len : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?x?xi32>
  // CHECK: sdp.max_arborescence %{{.*}}, %{{.*}} {multi_root} : (tensor<4x6x6xf64>, tensor<4xi32>) -> tensor<4x6xi32>
  %1 = sdp.max_arborescence %arcs4, %len4 {multi_root} : (tensor<4x6x6xf64>, tensor<4xi32>) -> tensor<4x6xi32>
  return %0, %1 : tensor<?x?xi32>, tensor<4x6xi32>
}

// CHECK-LABEL: func @pcfg
func.func @pcfg(%terms: tensor<?x?x?xf32>, %rules: tensor<?x?x?xf32>, %roots: tensor<?xf32>, %len: tensor<?xi32>) -> tensor<?xf32> {
  // CHECK: sdp.pcfg %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  %0 = sdp.pcfg %terms, %rules, %roots, %len semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// CHECK-LABEL: func @dense_linear_algebra
func.func @dense_linear_algebra(%a: tensor<?x?x?xf32>, %b: tensor<2x3x3xf64>) -> (tensor<?xf32>, tensor<2x3x3xf64>) {
  // CHECK: sdp.logdet %{{.*}} : tensor<?x?x?xf32> -> tensor<?xf32>
  %0 = sdp.logdet %a : tensor<?x?x?xf32> -> tensor<?xf32>
  // CHECK: sdp.inverse %{{.*}} : tensor<2x3x3xf64> -> tensor<2x3x3xf64>
  %1 = sdp.inverse %b : tensor<2x3x3xf64> -> tensor<2x3x3xf64>
  return %0, %1 : tensor<?xf32>, tensor<2x3x3xf64>
}
