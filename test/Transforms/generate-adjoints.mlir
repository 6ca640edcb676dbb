// RUN: sdp-opt %s --sdp-generate-adjoints --split-input-file | FileCheck %s

// A scan of log contractions: the forward sweep tapes the carried state
// before every step and the step's contraction result (a reduction, costly
// to recompute); the reverse scan reads both from the tapes and weights
// each term by its posterior.

// CHECK-LABEL: func private @forward_adjoint
// CHECK-SAME: (%[[INIT:.*]]: tensor<?x?xf32>, %[[SEQ:.*]]: tensor<?x?x?xf32>, %[[TR:.*]]: tensor<?x?xf32>, %[[D:.*]]: tensor<?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>)
// CHECK: %[[TAPE0:.*]] = tensor.empty(%{{.*}}, %{{.*}}, %{{.*}}) : tensor<?x?x?xf32>
// The result tape's sizes come from the inputs: [steps, rows of the state,
// columns of the transitions].
// CHECK: %[[COLS:.*]] = tensor.dim %[[TR]], %{{.*}} : tensor<?x?xf32>
// CHECK: %[[TAPE1:.*]] = tensor.empty(%{{.*}}, %{{.*}}, %[[COLS]]) : tensor<?x?x?xf32>
// CHECK: %[[FWD:.*]]:3 = sdp.scan along 1 init(%[[INIT]], %[[TAPE0]], %[[TAPE1]] : tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>) over(%[[SEQ]] : tensor<?x?x?xf32>)
// CHECK: ^bb0(%[[T:.*]]: index, %[[PREV:.*]]: tensor<?x?xf32>, %[[TAPE:.*]]: tensor<?x?x?xf32>, %[[RTAPE:.*]]: tensor<?x?x?xf32>, %{{.*}}: tensor<?x?xf32>):
// CHECK:   %[[STEP:.*]] = sdp.contract "bk,kc,bc->bc"
// CHECK:   %[[RECORDED:.*]] = tensor.insert_slice %[[PREV]] into %[[TAPE]][%[[T]], 0, 0]
// CHECK:   %[[RECORDED1:.*]] = tensor.insert_slice %[[STEP]] into %[[RTAPE]][%[[T]], 0, 0]
// CHECK:   sdp.yield %[[STEP]], %[[RECORDED]], %[[RECORDED1]]
// CHECK: %[[TOTAL:.*]] = sdp.contract "bc->b" %[[FWD]]#0 semiring(#sdp.log)
// The final log-sum-exp's adjoint: a posterior-weighted broadcast.
// CHECK: linalg.generic {{.*}} ins(%[[FWD]]#0, %[[TOTAL]], %[[D]] : tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>)
// CHECK:   math.exp
// The reverse scan carries the state's cotangent, the transitions' (read
// from above) and the sequence's, and reads the tapes at its step: no
// contraction is recomputed.
// CHECK: %[[REV:.*]]:3 = sdp.scan reverse along 1 init(%{{.*}}, %{{.*}}, %{{.*}} : tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>) over(%[[SEQ]] : tensor<?x?x?xf32>)
// CHECK: ^bb0(%[[RT:.*]]: index,
// CHECK:   %[[STATE:.*]] = tensor.extract_slice %[[FWD]]#1[%[[RT]], 0, 0]
// CHECK:   %[[RESULT:.*]] = tensor.extract_slice %[[FWD]]#2[%[[RT]], 0, 0]
// CHECK-NOT: sdp.contract
// CHECK:   linalg.generic {{.*}} ins(%[[STATE]], %[[TR]], %{{.*}}, %[[RESULT]], %{{.*}} :
// CHECK:     math.exp
// CHECK:   tensor.insert_slice %{{.*}} into %{{.*}}[0, %[[RT]], 0]
// CHECK:   sdp.yield
// CHECK: return %[[REV]]#0, %[[REV]]#2, %[[REV]]#1
// CHECK-LABEL: func @vjp
// CHECK: %[[G:.*]]:3 = call @forward_adjoint(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}})
// CHECK: return %[[G]]#0, %[[G]]#1
func.func @forward(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>) -> tensor<?xf32> {
  %alpha = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%seq : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %tr, %emit semiring(#sdp.log)
              : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  %total = sdp.contract "bc->b" %alpha semiring(#sdp.log) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %total : tensor<?xf32>
}

func.func @vjp(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %d: tensor<?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>) {
  %g:3 = sdp.vjp @forward(%init, %seq, %tr) cotangents(%d)
      : (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>), (tensor<?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>)
  return %g#0, %g#1 : tensor<?x?xf32>, tensor<?x?x?xf32>
}

// -----

// Under #sdp.max the forward computes the witness and the adjoint routes the
// cotangent to the selected position; #sdp.real gives a real contraction.

// CHECK-LABEL: func private @best_adjoint
// CHECK: %[[BEST:.*]], %[[WITNESS:.*]] = sdp.contract "bk->b" %{{.*}} semiring(#sdp.max) : (tensor<?x?xf32>) -> (tensor<?xf32>, tensor<?xi32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[BEST]], %{{.*}}, %[[WITNESS]] :
// CHECK:   linalg.index 1
// CHECK:   arith.cmpi eq
func.func @best(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %r = sdp.contract "bk->b" %x semiring(#sdp.max) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

// CHECK-LABEL: func private @product_adjoint
// CHECK-SAME: (%[[X:.*]]: tensor<?x?xf32>, %[[Y:.*]]: tensor<?x?xf32>, %[[D:.*]]: tensor<?x?xf32>)
// CHECK: %[[DX:.*]] = sdp.contract "bc,kc->bk" %[[D]], %[[Y]] semiring(#sdp.real)
// CHECK: %[[DY:.*]] = sdp.contract "bc,bk->kc" %[[D]], %[[X]] semiring(#sdp.real)
// CHECK: return %[[DX]], %[[DY]]
func.func @product(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = sdp.contract "bk,kc->bc" %x, %y semiring(#sdp.real) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// A max marked sdp.no_gradient is a constant to the adjoint (that this is
// right is the marker's promise, as for a log-sum-exp's shift): no witness
// is computed and no cotangent flows back through it, only through the exp.

// CHECK-LABEL: func private @shifted_adjoint
// CHECK-SAME: (%[[X:.*]]: tensor<?x?xf32>, %[[D:.*]]: tensor<?xf32>)
// CHECK-NOT: -> (tensor<?xf32>, tensor<?xi32>)
// CHECK-NOT: linalg.index
// CHECK: return
func.func @shifted(%x: tensor<?x?xf32>) -> tensor<?xf32> {
  %m = sdp.contract "bk->b" %x semiring(#sdp.max) {sdp.no_gradient} : (tensor<?x?xf32>) -> tensor<?xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(b, k) -> (b, k)>, affine_map<(b, k) -> (b)>, affine_map<(b, k) -> (b, k)>], iterator_types = ["parallel", "parallel"]} ins(%x, %m : tensor<?x?xf32>, tensor<?xf32>) outs(%x : tensor<?x?xf32>) {
  ^bb0(%v: f32, %s: f32, %out: f32):
    %diff = arith.subf %v, %s : f32
    %exp = math.exp %diff : f32
    linalg.yield %exp : f32
  } -> tensor<?x?xf32>
  %sum = sdp.contract "bk->b" %e semiring(#sdp.real) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %sum : tensor<?xf32>
}

// Inside a reverse scan, the cotangent of one factor of a product reads
// the other, loop-invariant factor transposed once before the scan, so that
// it runs along contiguous rows ("bc,ck->bk", not "bc,kc->bk").

// CHECK-LABEL: func private @chain_adjoint
// CHECK-SAME: (%[[INIT:.*]]: tensor<?x?xf32>, %[[SEQ:.*]]: tensor<?x?x?xf32>, %[[W:.*]]: tensor<?x?xf32>, %{{.*}}: tensor<?x?xf32>)
// CHECK: %[[WT:.*]] = sdp.contract "kc->ck" %[[W]] semiring(#sdp.real)
// CHECK: sdp.scan reverse
// CHECK:   sdp.contract "bc,ck->bk" %{{.*}}, %[[WT]] semiring(#sdp.real)
// CHECK:   sdp.contract "bc,bk->kc"
func.func @chain(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %h = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%seq : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc->bc" %prev, %w semiring(#sdp.real) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  return %h : tensor<?x?xf32>
}

func.func @both(%x: tensor<?x?xf32>, %d: tensor<?xf32>, %dp: tensor<?x?xf32>, %seq3: tensor<?x?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %gs = sdp.vjp @shifted(%x) cotangents(%d) : (tensor<?x?xf32>), (tensor<?xf32>) -> (tensor<?x?xf32>)
  %gc:3 = sdp.vjp @chain(%x, %seq3, %x) cotangents(%dp) : (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>), (tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>)
  %g = sdp.vjp @best(%x) cotangents(%d) : (tensor<?x?xf32>), (tensor<?xf32>) -> (tensor<?x?xf32>)
  %gx, %gy = sdp.vjp @product(%x, %x) cotangents(%dp) : (tensor<?x?xf32>, tensor<?x?xf32>), (tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>)
  return %g, %gx : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// A gather's adjoint is the scatter-add of its cotangent with the same
// spec; a real scatter's is the gather of its cotangent (and the cotangent
// itself for init).

// CHECK-LABEL: func private @gathered_adjoint
// CHECK-SAME: (%[[SRC:.*]]: tensor<?x?xf32>, %[[IDX:.*]]: tensor<?x?xi32>, %[[INIT:.*]]: tensor<?x?xf32>, %[[D:.*]]: tensor<?x?xf32>)
// CHECK: %[[DV:.*]] = sdp.gather "bv,bs->bs" %[[D]], %[[IDX]]
// CHECK: %[[ZEROS:.*]] = linalg.fill
// CHECK: %[[DS:.*]] = sdp.scatter "bv,bs->bs" %[[DV]], %[[IDX]] into %[[ZEROS]] semiring(#sdp.real)
// CHECK: return %[[DS]], %[[D]]
func.func @gathered(%source: tensor<?x?xf32>, %indices: tensor<?x?xi32>, %init: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %g = sdp.gather "bv,bs->bs" %source, %indices : (tensor<?x?xf32>, tensor<?x?xi32>) -> tensor<?x?xf32>
  %s = sdp.scatter "bv,bs->bs" %g, %indices into %init semiring(#sdp.real) : (tensor<?x?xf32>, tensor<?x?xi32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  return %s : tensor<?x?xf32>
}

func.func @gathered_vjp(%source: tensor<?x?xf32>, %indices: tensor<?x?xi32>, %init: tensor<?x?xf32>, %d: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>) {
  %ds, %di = sdp.vjp @gathered(%source, %indices, %init) cotangents(%d)
      : (tensor<?x?xf32>, tensor<?x?xi32>, tensor<?x?xf32>), (tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>)
  return %ds, %di : tensor<?x?xf32>, tensor<?x?xf32>
}

// -----

// A write_once table is not recorded per step: the forward copy of the
// scan carries the table alone (no [N, ...] tape), and the reverse step
// reads the table's final value; the re-run of the step's write is skipped
// (the table already holds it), so its reads come straight from the final
// table.

// CHECK-LABEL: func private @table_adjoint
// CHECK-SAME: (%[[XS:.*]]: tensor<?x?xf32>, %[[D:.*]]: tensor<?xf32>)
// CHECK: %[[FINAL:.*]] = sdp.scan along 0 init(%{{.*}} : tensor<?xf32>) over(%[[XS]] : tensor<?x?xf32>) -> (tensor<?xf32>)
// CHECK: sdp.scan reverse along 0
// CHECK: ^bb0(%[[T:.*]]: index,
// CHECK-NOT: tensor.insert_slice %{{.*}} into %[[FINAL]]
// CHECK: tensor.extract_slice %[[FINAL]]
// CHECK: sdp.yield
func.func @table(%xs: tensor<?x?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = tensor.dim %xs, %c0 : tensor<?x?xf32>
  %n1 = arith.addi %n, %c1 : index
  %one = arith.constant 1.0 : f32
  %e = tensor.empty(%n1) : tensor<?xf32>
  %init = linalg.fill ins(%one : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  // table[t + 1] = x_t[0] * table[t]: every cell written once, after the
  // cell it reads.
  %r = sdp.scan along 0 init(%init : tensor<?xf32>) over(%xs : tensor<?x?xf32>) -> (tensor<?xf32>) {
  ^bb0(%t: index, %table: tensor<?xf32>, %x: tensor<?xf32>):
    %before = tensor.extract_slice %table[%t] [1] [1] : tensor<?xf32> to tensor<1xf32>
    %xi = tensor.extract_slice %x[0] [1] [1] : tensor<?xf32> to tensor<1xf32>
    %v = sdp.contract "i,i->i" %before, %xi semiring(#sdp.real) : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
    %next_cell = arith.addi %t, %c1 : index
    %next = tensor.insert_slice %v into %table[%next_cell] [1] [1] : tensor<1xf32> into tensor<?xf32>
    sdp.yield %next : tensor<?xf32>
  } {write_once = array<i64: 0>}
  return %r : tensor<?xf32>
}

func.func @table_vjp(%xs: tensor<?x?xf32>, %d: tensor<?xf32>) -> tensor<?x?xf32> {
  %g = sdp.vjp @table(%xs) cotangents(%d) : (tensor<?x?xf32>), (tensor<?xf32>) -> (tensor<?x?xf32>)
  return %g : tensor<?x?xf32>
}

// -----

// log|det A| has the closed-form adjoint d · A⁻ᵀ (the inverse read
// transposed), 0 where the forward log|det| is -inf (singular).
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[T:.*]] = affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-LABEL: func.func private @logdet_adjoint
// CHECK-SAME: (%[[A:.*]]: tensor<?x?x?xf32>, %[[D:.*]]: tensor<?xf32>)
// CHECK: %[[LD:.*]] = sdp.logdet %[[A]]
// CHECK: %[[INV:.*]] = sdp.inverse %[[A]]
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[T]], #{{.*}}, #{{.*}}, #[[ID]]]{{.*}} ins(%[[A]], %[[INV]], %[[D]], %[[LD]] :
// CHECK:   arith.cmpf oeq, %{{.*}}, %cst
// CHECK:   arith.mulf
// CHECK:   arith.select
// CHECK:   arith.select
func.func @logdet(%a: tensor<?x?x?xf32>) -> tensor<?xf32> {
  %r = sdp.logdet %a : tensor<?x?x?xf32> -> tensor<?xf32>
  return %r : tensor<?xf32>
}
func.func @logdet_vjp(%a: tensor<?x?x?xf32>, %d: tensor<?xf32>) -> tensor<?x?x?xf32> {
  %g = sdp.vjp @logdet(%a) cotangents(%d) : (tensor<?x?x?xf32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>)
  return %g : tensor<?x?x?xf32>
}

// -----

// X = A⁻¹ has the adjoint -Xᵀ C Xᵀ: two real contractions and a negation.
// CHECK-LABEL: func.func private @inverse_adjoint
// CHECK-SAME: (%[[A:.*]]: tensor<?x?x?xf32>, %[[C:.*]]: tensor<?x?x?xf32>)
// CHECK: %[[X:.*]] = sdp.inverse %[[A]]
// CHECK: %[[L:.*]] = sdp.contract "bki,bkl->bil" %[[X]], %[[C]] semiring(#sdp.real)
// CHECK: sdp.contract "bil,bjl->bij" %[[L]], %[[X]] semiring(#sdp.real)
// CHECK: arith.negf
func.func @inverse(%a: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %r = sdp.inverse %a : tensor<?x?x?xf32> -> tensor<?x?x?xf32>
  return %r : tensor<?x?x?xf32>
}
func.func @inverse_vjp(%a: tensor<?x?x?xf32>, %c: tensor<?x?x?xf32>) -> tensor<?x?x?xf32> {
  %g = sdp.vjp @inverse(%a) cotangents(%c) : (tensor<?x?x?xf32>), (tensor<?x?x?xf32>) -> (tensor<?x?x?xf32>)
  return %g : tensor<?x?x?xf32>
}

// -----

// A scan inside an scf.if runs once, with its tapes, in the forward sweep:
// the if returns them (the other branch returns empty placeholders) and the
// adjoint's if runs only the reverse scan.

// CHECK-LABEL: func private @guarded_adjoint
// CHECK: %[[FWD:.*]]:4 = scf.if %{{.*}} -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
// CHECK:   %[[TAPED:.*]]:3 = sdp.scan along 1
// CHECK:   scf.yield %[[TAPED]]#0, %[[TAPED]]#0, %[[TAPED]]#1, %[[TAPED]]#2
// CHECK: } else {
// CHECK:   tensor.empty() : tensor<0x0x0xf32>
// CHECK:   scf.yield %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}
// CHECK: scf.if
// CHECK-NOT: sdp.scan along
// CHECK:   sdp.scan reverse along 1
// CHECK-NOT: sdp.scan along
// CHECK: return
func.func @guarded(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %flag: i1) -> tensor<?xf32> {
  %alpha = scf.if %flag -> (tensor<?x?xf32>) {
    %a = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%seq : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
    ^bb0(%t: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
      %next = sdp.contract "bk,kc,bc->bc" %prev, %tr, %emit semiring(#sdp.log)
                : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
      sdp.yield %next : tensor<?x?xf32>
    }
    scf.yield %a : tensor<?x?xf32>
  } else {
    scf.yield %init : tensor<?x?xf32>
  }
  %total = sdp.contract "bc->b" %alpha semiring(#sdp.log) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %total : tensor<?xf32>
}

func.func @guarded_vjp(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %flag: i1, %d: tensor<?xf32>) -> tensor<?x?xf32> {
  %g:3 = sdp.vjp @guarded(%init, %seq, %tr, %flag) cotangents(%d)
      : (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>, i1), (tensor<?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>)
  return %g#0 : tensor<?x?xf32>
}

// -----

// A scan in an scf.if nested in another runs once too: the outer if returns
// the inner one's results and tapes, so the backward sweep's re-run of the
// outer branch finds them and runs only reverse scans.

// CHECK-LABEL: func private @nested_guard_adjoint
// CHECK: %[[OUTER:.*]]:4 = scf.if %{{.*}} -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
// CHECK:   %[[INNER:.*]]:4 = scf.if %{{.*}} -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>)
// CHECK:     %[[TAPED:.*]]:3 = sdp.scan along 1
// CHECK:   scf.yield %[[INNER]]#0, %[[INNER]]#1, %[[INNER]]#2, %[[INNER]]#3
// CHECK: } else {
// CHECK-NOT: sdp.scan along
// CHECK:   sdp.scan reverse along 1
// CHECK-NOT: sdp.scan along
// CHECK: return
func.func @nested_guard(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %outer: i1, %inner: i1) -> tensor<?xf32> {
  %alpha = scf.if %outer -> (tensor<?x?xf32>) {
    %b = scf.if %inner -> (tensor<?x?xf32>) {
      %a = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%seq : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
      ^bb0(%t: index, %prev: tensor<?x?xf32>, %emit: tensor<?x?xf32>):
        %next = sdp.contract "bk,kc,bc->bc" %prev, %tr, %emit semiring(#sdp.log)
                  : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
        sdp.yield %next : tensor<?x?xf32>
      }
      scf.yield %a : tensor<?x?xf32>
    } else {
      scf.yield %init : tensor<?x?xf32>
    }
    scf.yield %b : tensor<?x?xf32>
  } else {
    scf.yield %init : tensor<?x?xf32>
  }
  %total = sdp.contract "bc->b" %alpha semiring(#sdp.log) : (tensor<?x?xf32>) -> tensor<?xf32>
  return %total : tensor<?xf32>
}

func.func @nested_guard_vjp(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %outer: i1, %inner: i1, %d: tensor<?xf32>) -> tensor<?x?xf32> {
  %g:3 = sdp.vjp @nested_guard(%init, %seq, %tr, %outer, %inner) cotangents(%d)
      : (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>, i1, i1), (tensor<?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>)
  return %g#0 : tensor<?x?xf32>
}

// -----

// A shift marked sdp.no_gradient inside a scan is recorded per step like a
// reduction the adjoint reads: the reverse step's re-run of the body reads
// it from its tape instead of taking the max again.

// CHECK-LABEL: func private @shifted_scan_adjoint
// The product, only yielded, is not recorded: it is the next state.
// CHECK: %[[FWD:.*]]:3 = sdp.scan along 1
// CHECK:   sdp.contract "bk->b" %{{.*}} semiring(#sdp.max) {sdp.no_gradient}
// CHECK: sdp.scan reverse along 1
// CHECK:   tensor.extract_slice %[[FWD]]#2[
// CHECK-NOT: semiring(#sdp.max)
// CHECK:   sdp.yield
func.func @shifted_scan(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %h = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%seq : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    %m = sdp.contract "bk->b" %prev semiring(#sdp.max) {sdp.no_gradient} : (tensor<?x?xf32>) -> tensor<?xf32>
    %e = linalg.generic {indexing_maps = [affine_map<(b, k) -> (b, k)>, affine_map<(b, k) -> (b)>, affine_map<(b, k) -> (b, k)>], iterator_types = ["parallel", "parallel"]} ins(%prev, %m : tensor<?x?xf32>, tensor<?xf32>) outs(%prev : tensor<?x?xf32>) {
    ^bb0(%v: f32, %s: f32, %out: f32):
      %diff = arith.subf %v, %s : f32
      %exp = math.exp %diff : f32
      linalg.yield %exp : f32
    } -> tensor<?x?xf32>
    %next = sdp.contract "bk,kc->bc" %e, %w semiring(#sdp.real) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  return %h : tensor<?x?xf32>
}

func.func @shifted_scan_vjp(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %w: tensor<?x?xf32>, %d: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %g:3 = sdp.vjp @shifted_scan(%init, %seq, %w) cotangents(%d)
      : (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>), (tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>, tensor<?x?xf32>)
  return %g#0 : tensor<?x?xf32>
}
