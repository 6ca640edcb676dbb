// RUN: sdp-opt %s -split-input-file -verify-diagnostics

func.func @spec_without_arrow(%a: tensor<4xf32>) {
  // expected-error @+1 {{'sdp.contract' op spec 'i' has no '->'}}
  %0 = sdp.contract "i" %a semiring(#sdp.log) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @spec_two_arrows(%a: tensor<4xf32>) {
  // expected-error @+1 {{spec 'i->i->i' has more than one '->'}}
  %0 = sdp.contract "i->i->i" %a semiring(#sdp.log) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @spec_bad_letter(%a: tensor<4xf32>) {
  // expected-error @+1 {{spec 'i1->i' has '1' where an index letter (a-z, A-Z) was expected}}
  %0 = sdp.contract "i1->i" %a semiring(#sdp.log) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @spec_bad_result_letter(%a: tensor<4xf32>) {
  // expected-error @+1 {{spec 'i->i ' has ' ' where an index letter (a-z, A-Z) was expected}}
  %0 = sdp.contract "i->i " %a semiring(#sdp.log) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @result_letter_twice(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{result letter 'i' appears twice in spec 'ij->ii'}}
  %0 = sdp.contract "ij->ii" %a semiring(#sdp.log) : (tensor<4x4xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @result_letter_unbound(%a: tensor<4xf32>) {
  // expected-error @+1 {{result letter 'j' appears in no input of spec 'i->j'}}
  %0 = sdp.contract "i->j" %a semiring(#sdp.log) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @no_inputs() {
  // expected-error @+1 {{'sdp.contract' op needs at least one input}}
  %0 = sdp.contract "->" semiring(#sdp.log) : () -> tensor<f32>
  return
}

// -----

func.func @input_count(%a: tensor<4xf32>) {
  // expected-error @+1 {{spec 'i,i->i' names 2 inputs but the op has 1}}
  %0 = sdp.contract "i,i->i" %a semiring(#sdp.log) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @semiring_element_type(%a: tensor<4xi32>) {
  // expected-error @+1 {{semiring #sdp.log does not accept element type 'i32'}}
  %0 = sdp.contract "i->i" %a semiring(#sdp.log) : (tensor<4xi32>) -> tensor<4xi32>
  return
}

// -----

func.func @bool_semiring_on_floats(%a: tensor<4xf32>) {
  // expected-error @+1 {{semiring #sdp.bool does not accept element type 'f32'}}
  %0 = sdp.contract "i->i" %a semiring(#sdp.bool) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @input_rank(%a: tensor<4x4xf32>) {
  // expected-error @+1 {{input #0 has rank 2 but spec 'i->i' gives it 1 indices}}
  %0 = sdp.contract "i->i" %a semiring(#sdp.log) : (tensor<4x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @input_element_type(%a: tensor<4xf32>, %b: tensor<4xf64>) {
  // expected-error @+1 {{input #1 has element type 'f64' but the result has 'f32'}}
  %0 = sdp.contract "i,i->i" %a, %b semiring(#sdp.log) : (tensor<4xf32>, tensor<4xf64>) -> tensor<4xf32>
  return
}

// -----

func.func @letter_size_mismatch(%a: tensor<4x8xf32>, %b: tensor<7x3xf32>) {
  // expected-error @+1 {{index 'k' has size 7 in input #1 but size 8 elsewhere}}
  %0 = sdp.contract "ik,kj->ij" %a, %b semiring(#sdp.max) : (tensor<4x8xf32>, tensor<7x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @result_size_mismatch(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{index 'i' has size 5 in the result but size 4 elsewhere}}
  %0 = sdp.contract "ik->i" %a semiring(#sdp.max) : (tensor<4x8xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @result_rank(%a: tensor<4x8xf32>) {
  // expected-error @+1 {{result has rank 2 but spec 'ik->i' gives it 1 indices}}
  %0 = sdp.contract "ik->i" %a semiring(#sdp.max) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @not_a_semiring(%a: tensor<4xf32>) {
  // expected-error @+1 {{invalid kind of attribute specified}}
  %0 = sdp.contract "i->i" %a semiring(1 : i32) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @unknown_semiring(%a: tensor<4xf32>) {
  // expected-error @+1 {{unknown attribute `plus` in dialect `sdp`}}
  %0 = sdp.contract "i->i" %a semiring(#sdp.plus) : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scan_no_init(%xs: tensor<4x3xf32>) {
  // expected-error @+1 {{'sdp.scan' op needs at least one carried value in 'init'}}
  "sdp.scan"(%xs) <{along = 0 : i64, operandSegmentSizes = array<i32: 0, 1>}> ({
  ^bb0(%t: index, %x: tensor<3xf32>):
    "sdp.yield"() : () -> ()
  }) : (tensor<4x3xf32>) -> ()
  return
}

// -----

func.func @semiring_in_generic_form(%a: tensor<4xf32>) {
  // expected-error @+1 {{Invalid attribute `semiring` in property conversion: 1 : i32}}
  %0 = "sdp.contract"(%a) <{spec = "i->i", semiring = 1 : i32}> : (tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @scan_write_once_range(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{write_once names carried value #1 but there are 1}}
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  } {write_once = array<i64: 1>}
  return
}

// -----

func.func @scan_write_once_twice(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{write_once names carried value #0 twice}}
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  } {write_once = array<i64: 0, 0>}
  return
}

// -----

func.func @scan_no_sequence(%s: tensor<3xf32>) {
  // expected-error @+1 {{'sdp.scan' op needs at least one sequence in 'over'}}
  %r = "sdp.scan"(%s) <{along = 0 : i64, operandSegmentSizes = array<i32: 1, 0>}> ({
  ^bb0(%t: index, %c: tensor<3xf32>):
    "sdp.yield"(%c) : (tensor<3xf32>) -> ()
  }) : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @scan_axis_range(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{axis 2 is out of range for sequence #0 of rank 2}}
  %r = sdp.scan along 2 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  }
  return
}

// -----

func.func @scan_negative_axis(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{attribute 'along' failed to satisfy constraint: 64-bit signless integer attribute whose value is non-negative}}
  %r = sdp.scan along -1 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  }
  return
}

// -----

func.func @scan_step_mismatch(%s: tensor<3xf32>, %xs: tensor<4x3xf32>, %ys: tensor<5x3xf32>) {
  // expected-error @+1 {{sequence #1 has 5 steps along axis 0 but an earlier sequence has 4}}
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs, %ys : tensor<4x3xf32>, tensor<5x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<3xf32>, %y: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  }
  return
}

// -----

func.func @scan_arg_count(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{body must take 3 arguments (step index, 1 carried, 1 slices) but takes 2}}
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%c: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  }
  return
}

// -----

func.func @scan_step_index_type(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{body argument #0 (the step index) must be 'index', not 'i32'}}
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: i32, %c: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  }
  return
}

// -----

func.func @scan_carried_arg_type(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{carried body argument #0 has type 'tensor<?xf32>' but its init has type 'tensor<3xf32>'}}
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<?xf32>, %x: tensor<3xf32>):
    sdp.yield %x : tensor<3xf32>
  }
  return
}

// -----

func.func @scan_slice_arg_type(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{slice body argument #0 has type 'tensor<4xf32>' but sequence #0 sliced along axis 0 gives 'tensor<3xf32>'}}
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<4xf32>):
    sdp.yield %c : tensor<3xf32>
  }
  return
}

// -----

func.func @scan_yield_count(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<3xf32>):
    // expected-error @+1 {{'sdp.yield' op yields 2 values but the scan carries 1}}
    sdp.yield %c, %x : tensor<3xf32>, tensor<3xf32>
  }
  return
}

// -----

func.func @scan_yield_type(%s: tensor<3xf32>, %xs: tensor<4x2xf32>) {
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x2xf32>) -> (tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<2xf32>):
    // expected-error @+1 {{'sdp.yield' op yields 'tensor<2xf32>' for carried value #0 of type 'tensor<3xf32>'}}
    sdp.yield %x : tensor<2xf32>
  }
  return
}

// -----

func.func @scan_result_count(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{'sdp.scan' op has 2 results but carries 1 values}}
  %r:2 = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  }
  return
}

// -----

func.func @scan_result_type(%s: tensor<3xf32>, %xs: tensor<4x3xf32>) {
  // expected-error @+1 {{'sdp.scan' op result #0 has type 'tensor<?xf32>' but carried value #0 has type 'tensor<3xf32>'}}
  %r = sdp.scan along 0 init(%s : tensor<3xf32>) over(%xs : tensor<4x3xf32>) -> (tensor<?xf32>) {
  ^bb0(%t: index, %c: tensor<3xf32>, %x: tensor<3xf32>):
    sdp.yield %c : tensor<3xf32>
  }
  return
}

// -----

func.func @yield_outside_scan(%s: tensor<3xf32>) {
  // expected-error @+1 {{'sdp.yield' op expects parent op 'sdp.scan'}}
  sdp.yield %s : tensor<3xf32>
}

// -----

func.func @witness_not_selective(%p: tensor<4x3xf32>, %t: tensor<3x2xf32>) {
  // expected-error @+1 {{semiring #sdp.log does not select an operand, so it has no witness}}
  %v, %w = sdp.contract "bk,kc->bc" %p, %t semiring(#sdp.log) : (tensor<4x3xf32>, tensor<3x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xi32>)
  return
}

// -----

func.func @witness_two_reduced(%p: tensor<4x3x5xf32>) {
  // expected-error @+1 {{a witness needs exactly one reduced index, spec 'bkj->b' reduces 2}}
  %v, %w = sdp.contract "bkj->b" %p semiring(#sdp.max) : (tensor<4x3x5xf32>) -> (tensor<4xf32>, tensor<4xi32>)
  return
}

// -----

func.func @witness_shape(%p: tensor<4x3xf32>) {
  // expected-error @+1 {{witness type 'tensor<5xi32>' does not match the result shape 'tensor<4xf32>'}}
  %v, %w = sdp.contract "bk->b" %p semiring(#sdp.max) : (tensor<4x3xf32>) -> (tensor<4xf32>, tensor<5xi32>)
  return
}

// -----

func.func @witness_type(%p: tensor<4x3xf32>) {
  // expected-error @+1 {{result #1 must be tensor of 32-bit signless integer values}}
  %v, %w = sdp.contract "bk->b" %p semiring(#sdp.max) : (tensor<4x3xf32>) -> (tensor<4xf32>, tensor<4xi64>)
  return
}

// -----

func.func @chain_emissions_rank(%em: tensor<?x?xf32>, %tr: tensor<?x?xf32>, %s: tensor<?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{emissions must have rank 3 ([B, T, C]), got 'tensor<?x?xf32>'}}
  %0 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @chain_semiring_type(%em: tensor<?x?x?xi1>, %tr: tensor<?x?xi1>, %s: tensor<?xi1>, %len: tensor<?xi32>) {
  // expected-error @+1 {{semiring #sdp.log does not accept element type 'i1'}}
  %0 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<?x?x?xi1>, tensor<?x?xi1>, tensor<?xi1>, tensor<?xi1>, tensor<?xi32>) -> tensor<?xi1>
  return
}

// -----

func.func @chain_transitions_rank(%em: tensor<?x?x?xf32>, %tr: tensor<?x?x?xf32>, %s: tensor<?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{transitions must have rank 2 ([C, C], factored) or 4 ([B, T-1, C, C], full), got 'tensor<?x?x?xf32>'}}
  %0 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @chain_transitions_size(%em: tensor<2x5x3xf32>, %tr: tensor<4x3xf32>, %s: tensor<3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{transitions has size 4 in dimension 0 but [C, C] needs 3}}
  %0 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @chain_full_steps(%em: tensor<2x5x3xf32>, %edges: tensor<2x5x3x3xf32>, %s: tensor<3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{transitions has size 5 in dimension 1 but [B, T-1, C, C] needs 4}}
  %0 = sdp.linear_chain %em, %edges, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<2x5x3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @chain_start_size(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf32>, %s: tensor<4xf32>, %e: tensor<3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{start has size 4 in dimension 0 but [C] needs 3}}
  %0 = sdp.linear_chain %em, %tr, %s, %e, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<3x3xf32>, tensor<4xf32>, tensor<3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @chain_end_rank(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf32>, %s: tensor<3xf32>, %e: tensor<3x1xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{end must have rank 1 ([C]), got 'tensor<3x1xf32>'}}
  %0 = sdp.linear_chain %em, %tr, %s, %e, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<3x3xf32>, tensor<3xf32>, tensor<3x1xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @chain_lengths_size(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf32>, %s: tensor<3xf32>, %len: tensor<3xi32>) {
  // expected-error @+1 {{lengths has size 3 in dimension 0 but [B] needs 2}}
  %0 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @chain_lengths_type(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf32>, %s: tensor<3xf32>, %len: tensor<2xi64>) {
  // expected-error @+1 {{operand #4 must be tensor of 32-bit signless integer values}}
  %0 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi64>) -> tensor<2xf32>
  return
}

// -----

func.func @chain_score_size(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf32>, %s: tensor<3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{score has size 3 in dimension 0 but [B] needs 2}}
  %0 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>) -> tensor<3xf32>
  return
}

// -----

func.func @chain_element_types(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf64>, %s: tensor<3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{transitions has element type 'f64' but emissions have 'f32'}}
  %0 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<3x3xf64>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @chain_path_semiring(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf32>, %s: tensor<3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{a best path needs a selective semiring (#sdp.max or #sdp.min), not #sdp.log}}
  %0, %1 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>) -> (tensor<2xf32>, tensor<2x5xi32>)
  return
}

// -----

func.func @chain_path_shape(%em: tensor<2x5x3xf32>, %tr: tensor<3x3xf32>, %s: tensor<3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{path has size 4 in dimension 1 but [B, T] needs 5}}
  %0, %1 = sdp.linear_chain %em, %tr, %s, %s, %len semiring(#sdp.max) : (tensor<2x5x3xf32>, tensor<3x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xi32>) -> (tensor<2xf32>, tensor<2x4xi32>)
  return
}

// -----

func.func @alignment_rank(%w: tensor<?x?xf32>, %n: tensor<?xi32>) -> tensor<?xf32> {
  // expected-error @+1 {{'sdp.alignment' op diagonal must have rank 3 ([B, N+1, M+1]), got 'tensor<?x?xf32>'}}
  %0 = sdp.alignment %w, %w, %w, %n, %n semiring(#sdp.min) : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @alignment_grid(%w: tensor<2x4x5xf32>, %v: tensor<2x4x6xf32>, %n: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'sdp.alignment' op right has size 6 in dimension 2 but [B, N+1, M+1] like diagonal needs 5}}
  %0 = sdp.alignment %w, %w, %v, %n, %n semiring(#sdp.max) : (tensor<2x4x5xf32>, tensor<2x4x5xf32>, tensor<2x4x6xf32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @alignment_lengths(%w: tensor<2x4x5xf32>, %n: tensor<2xi32>, %m: tensor<3xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'sdp.alignment' op cols has size 3 in dimension 0 but [B] needs 2}}
  %0 = sdp.alignment %w, %w, %w, %n, %m semiring(#sdp.max) : (tensor<2x4x5xf32>, tensor<2x4x5xf32>, tensor<2x4x5xf32>, tensor<2xi32>, tensor<3xi32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

func.func @alignment_element(%w: tensor<?x?x?xf32>, %v: tensor<?x?x?xf64>, %n: tensor<?xi32>) -> tensor<?xf32> {
  // expected-error @+1 {{'sdp.alignment' op down has element type 'f64' but diagonal has 'f32'}}
  %0 = sdp.alignment %w, %v, %w, %n, %n semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?x?xf64>, tensor<?x?x?xf32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

func.func @alignment_semiring(%w: tensor<?x?x?xi32>, %n: tensor<?xi32>) -> tensor<?xi32> {
  // expected-error @+1 {{'sdp.alignment' op semiring #sdp.log does not accept element type 'i32'}}
  %0 = sdp.alignment %w, %w, %w, %n, %n semiring(#sdp.log) : (tensor<?x?x?xi32>, tensor<?x?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xi32>
  return %0 : tensor<?xi32>
}

// -----

func.func @vjp_unknown_callee(%x: tensor<?xf32>, %d: tensor<f32>) -> tensor<?xf32> {
  // expected-error @+1 {{'sdp.vjp' op 'nowhere' does not name a function}}
  %g = sdp.vjp @nowhere(%x) cotangents(%d) : (tensor<?xf32>), (tensor<f32>) -> (tensor<?xf32>)
  return %g : tensor<?xf32>
}

// -----

func.func private @lengths_only(%n: tensor<?xi32>) -> tensor<?xi32>

func.func @vjp_integer_result(%n: tensor<?xi32>, %d: tensor<?xi32>) {
  // expected-error @+1 {{'lengths_only' is not differentiable: it has no float tensor result}}
  %g = sdp.vjp @lengths_only(%n) cotangents(%d) : (tensor<?xi32>), (tensor<?xi32>) -> (tensor<?xi32>)
  return
}

// -----

func.func private @lse(%x: tensor<?x?xf32>) -> tensor<?xf32>

func.func @vjp_wrong_cotangent(%x: tensor<?x?xf32>, %d: tensor<?xf64>) -> tensor<?x?xf32> {
  // expected-error @+1 {{cotangent #0 has type 'tensor<?xf64>' but the float result it pairs with has type 'tensor<?xf32>'}}
  %g = sdp.vjp @lse(%x) cotangents(%d) : (tensor<?x?xf32>), (tensor<?xf64>) -> (tensor<?x?xf32>)
  return %g : tensor<?x?xf32>
}

// -----

func.func private @lse(%x: tensor<?x?xf32>) -> tensor<?xf32>

func.func @vjp_extra_cotangent(%x: tensor<?x?xf32>, %d: tensor<?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{expects 1 cotangents (one per float result of 'lse'), got 2}}
  %g = sdp.vjp @lse(%x) cotangents(%d, %d) : (tensor<?x?xf32>), (tensor<?xf32>, tensor<?xf32>) -> (tensor<?x?xf32>)
  return %g : tensor<?x?xf32>
}

// -----

func.func private @lse(%x: tensor<?x?xf32>) -> tensor<?xf32>

func.func @vjp_wrong_primals(%x: tensor<?xf32>, %d: tensor<?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{primal types 'tensor<?xf32>' do not match the arguments of 'lse'}}
  %g = sdp.vjp @lse(%x) cotangents(%d) : (tensor<?xf32>), (tensor<?xf32>) -> (tensor<?x?xf32>)
  return %g : tensor<?x?xf32>
}

// -----

func.func private @lse(%x: tensor<?x?xf32>) -> tensor<?xf32>

func.func @vjp_wrong_gradients(%x: tensor<?x?xf32>, %d: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{result types 'tensor<?xf32>' must be the float arguments' types 'tensor<?x?xf32>'}}
  %g = sdp.vjp @lse(%x) cotangents(%d) : (tensor<?x?xf32>), (tensor<?xf32>) -> (tensor<?xf32>)
  return %g : tensor<?xf32>
}

// -----

func.func @semi_markov_rank(%seg: tensor<?x?x?xf32>, %tr: tensor<?x?xf32>, %s: tensor<?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{segments must have rank 4 ([B, T, K, C])}}
  %0 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @semi_markov_transitions(%seg: tensor<2x5x3x4xf32>, %tr: tensor<3x3xf32>, %s: tensor<4xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{transitions has size 3 in dimension 0 but [C, C] needs 4}}
  %0 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3x4xf32>, tensor<3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @semi_markov_lengths(%seg: tensor<2x5x3x4xf32>, %tr: tensor<4x4xf32>, %s: tensor<4xf32>, %len: tensor<3xi32>) {
  // expected-error @+1 {{lengths has size 3 in dimension 0 but [B] needs 2}}
  %0 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<2x5x3x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<3xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @semi_markov_element_type(%seg: tensor<?x?x?x?xf32>, %tr: tensor<?x?xf64>, %s: tensor<?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{transitions has element type 'f64' but segments have 'f32'}}
  %0 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<?x?x?x?xf32>, tensor<?x?xf64>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @semi_markov_path_needs_selective(%seg: tensor<?x?x?x?xf32>, %tr: tensor<?x?xf32>, %s: tensor<?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{a best segmentation needs a selective semiring (#sdp.max or #sdp.min), not #sdp.log}}
  %0, %1, %2 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.log) : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>, tensor<?x?xi32>)
  return
}

// -----

func.func @semi_markov_one_path_tensor(%seg: tensor<?x?x?x?xf32>, %tr: tensor<?x?xf32>, %s: tensor<?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{returns the best segmentation as two tensors (labels and seg_lengths), got 1}}
  %0, %1 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.max) : (tensor<?x?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return
}

// -----

func.func @semi_markov_labels_shape(%seg: tensor<2x5x3x4xf32>, %tr: tensor<4x4xf32>, %s: tensor<4xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{labels has size 6 in dimension 1 but [B, T] needs 5}}
  %0, %1, %2 = sdp.semi_markov %seg, %tr, %s, %s, %len semiring(#sdp.max) : (tensor<2x5x3x4xf32>, tensor<4x4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<2xi32>) -> (tensor<2xf32>, tensor<2x6xi32>, tensor<2x5xi32>)
  return
}

// -----

func.func @gather_two_gathered(%src: tensor<?x?x?xf32>, %ids: tensor<?x?xi32>) {
  // expected-error @+1 {{spec 'btv,bs->bs' must leave exactly one letter of the first operand out of the result (the gathered letter), got 2}}
  %0 = sdp.gather "btv,bs->bs" %src, %ids : (tensor<?x?x?xf32>, tensor<?x?xi32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @gather_index_letter(%src: tensor<?x?x?xf32>, %ids: tensor<?x?xi32>) {
  // expected-error @+1 {{gathered letter 'v' must not index the indices}}
  %0 = sdp.gather "btv,bv->bt" %src, %ids : (tensor<?x?x?xf32>, tensor<?x?xi32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @gather_sizes(%src: tensor<2x5x7xf32>, %ids: tensor<3x4xi32>) {
  // expected-error @+1 {{index 'b' has size 3 in indices but size 2 elsewhere}}
  %0 = sdp.gather "btv,bs->bts" %src, %ids : (tensor<2x5x7xf32>, tensor<3x4xi32>) -> tensor<2x5x4xf32>
  return
}

// -----

func.func @gather_float_indices(%src: tensor<?x?x?xf32>, %ids: tensor<?x?xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = sdp.gather "btv,bs->bts" %src, %ids : (tensor<?x?x?xf32>, tensor<?x?xf32>) -> tensor<?x?x?xf32>
  return
}

// -----

func.func @scatter_init_type(%vals: tensor<?x?x?xf32>, %ids: tensor<?x?xi32>, %init: tensor<?x?x?xf32>) {
  // expected-error @+1 {{result type 'tensor<2x?x?xf32>' differs from init type 'tensor<?x?x?xf32>'}}
  %0 = sdp.scatter "btv,bs->bts" %vals, %ids into %init semiring(#sdp.real) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?x?x?xf32>) -> tensor<2x?x?xf32>
  return
}

// -----

func.func @ctc_semiring(%lp: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{semiring must be #sdp.log (the loss) or #sdp.max (forced alignment), not #sdp.real}}
  %0 = sdp.ctc %lp, %targets, %len, %len semiring(#sdp.real) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @ctc_blank(%lp: tensor<2x5x4xf32>, %targets: tensor<2x3xi32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{blank 4 is not a symbol of a vocabulary of 4}}
  %0 = sdp.ctc %lp, %targets, %len, %len semiring(#sdp.log) {blank = 4 : i64} : (tensor<2x5x4xf32>, tensor<2x3xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @ctc_targets_batch(%lp: tensor<2x5x4xf32>, %targets: tensor<3x3xi32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{targets has size 3 in dimension 0 but [B, S] needs 2}}
  %0 = sdp.ctc %lp, %targets, %len, %len semiring(#sdp.log) : (tensor<2x5x4xf32>, tensor<3x3xi32>, tensor<2xi32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @ctc_alignment_needs_max(%lp: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{an alignment needs #sdp.max, not #sdp.log}}
  %0, %1 = sdp.ctc %lp, %targets, %len, %len semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return
}

// -----

func.func @ctc_zero_infinity_max(%lp: tensor<?x?x?xf32>, %targets: tensor<?x?xi32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{zero_infinity applies to the loss (#sdp.log) only}}
  %0 = sdp.ctc %lp, %targets, %len, %len semiring(#sdp.max) {zero_infinity} : (tensor<?x?x?xf32>, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @cky_rank(%spans: tensor<?x?x?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{spans must have rank 4 ([B, N, N, L]), got 'tensor<?x?x?xf32>'}}
  %0 = sdp.cky %spans, %len semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @cky_not_square(%spans: tensor<2x4x5x3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{spans must be square in dimensions 1 and 2 ([B, N, N, L]), got 'tensor<2x4x5x3xf32>'}}
  %0 = sdp.cky %spans, %len semiring(#sdp.log) : (tensor<2x4x5x3xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @cky_labels_need_selective(%spans: tensor<?x?x?x?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{a best labels needs a selective semiring (#sdp.max or #sdp.min), not #sdp.log}}
  %0, %1 = sdp.cky %spans, %len semiring(#sdp.log) : (tensor<?x?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?x?xi32>)
  return
}

// -----

func.func @cky_labels_shape(%spans: tensor<2x4x4x3xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{labels has size 3 in dimension 2 but [B, N, N] needs 4}}
  %0, %1 = sdp.cky %spans, %len semiring(#sdp.max) : (tensor<2x4x4x3xf32>, tensor<2xi32>) -> (tensor<2xf32>, tensor<2x4x3xi32>)
  return
}

// -----

func.func @eisner_not_square(%arcs: tensor<2x5x4xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{arcs must be square in dimensions 1 and 2 ([B, N+1, N+1]), got 'tensor<2x5x4xf32>'}}
  %0 = sdp.eisner %arcs, %len semiring(#sdp.log) : (tensor<2x5x4xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @eisner_lengths(%arcs: tensor<2x5x5xf32>, %len: tensor<3xi32>) {
  // expected-error @+1 {{lengths has size 3 in dimension 0 but [B] needs 2}}
  %0 = sdp.eisner %arcs, %len semiring(#sdp.log) : (tensor<2x5x5xf32>, tensor<3xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @eisner_heads_shape(%arcs: tensor<2x5x5xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{heads has size 4 in dimension 1 but [B, N+1] needs 5}}
  %0, %1 = sdp.eisner %arcs, %len semiring(#sdp.max) : (tensor<2x5x5xf32>, tensor<2xi32>) -> (tensor<2xf32>, tensor<2x4xi32>)
  return
}


// -----

func.func @pcfg_rules_shape(%terms: tensor<2x5x3xf32>, %rules: tensor<4x6x6xf32>, %roots: tensor<4xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{rules has size 6 in dimension 1 but [NT, NT + P, NT + P] needs 7}}
  %0 = sdp.pcfg %terms, %rules, %roots, %len semiring(#sdp.log) : (tensor<2x5x3xf32>, tensor<4x6x6xf32>, tensor<4xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @pcfg_roots(%terms: tensor<?x?x?xf32>, %rules: tensor<4x?x?xf32>, %roots: tensor<3xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{roots has size 3 in dimension 0 but [NT] needs 4}}
  %0 = sdp.pcfg %terms, %rules, %roots, %len semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<4x?x?xf32>, tensor<3xf32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @pcfg_element_type(%terms: tensor<?x?x?xf32>, %rules: tensor<?x?x?xf64>, %roots: tensor<?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{rules has element type 'f64' but terms have 'f32'}}
  %0 = sdp.pcfg %terms, %rules, %roots, %len semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?x?x?xf64>, tensor<?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @matrix_tree_real(%arcs: tensor<?x?x?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{computes log Z (#sdp.log) or the best tree (#sdp.max, #sdp.min), not #sdp.real}}
  %0 = sdp.matrix_tree %arcs, %len semiring(#sdp.real) : (tensor<?x?x?xf32>, tensor<?xi32>) -> tensor<?xf32>
  return
}

// -----

func.func @matrix_tree_heads_under_log(%arcs: tensor<?x?x?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{a best heads needs a selective semiring (#sdp.max or #sdp.min), not #sdp.log}}
  %0, %1 = sdp.matrix_tree %arcs, %len semiring(#sdp.log) : (tensor<?x?x?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return
}

// -----

func.func @matrix_tree_heads_shape(%arcs: tensor<2x5x5xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{heads has size 4 in dimension 1 but [B, N+1] needs 5}}
  %0, %1 = sdp.matrix_tree %arcs, %len semiring(#sdp.max) : (tensor<2x5x5xf32>, tensor<2xi32>) -> (tensor<2xf32>, tensor<2x4xi32>)
  return
}

// -----

func.func @max_arborescence_rank(%arcs: tensor<?x?xf32>, %len: tensor<?xi32>) {
  // expected-error @+1 {{arcs must have rank 3 ([B, N+1, N+1]), got 'tensor<?x?xf32>'}}
  %0 = sdp.max_arborescence %arcs, %len : (tensor<?x?xf32>, tensor<?xi32>) -> tensor<?x?xi32>
  return
}

// -----

func.func @max_arborescence_not_square(%arcs: tensor<2x5x4xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{arcs must be square in dimensions 1 and 2 ([B, N+1, N+1]), got 'tensor<2x5x4xf32>'}}
  %0 = sdp.max_arborescence %arcs, %len : (tensor<2x5x4xf32>, tensor<2xi32>) -> tensor<2x5xi32>
  return
}

// -----

func.func @max_arborescence_lengths(%arcs: tensor<2x5x5xf32>, %len: tensor<3xi32>) {
  // expected-error @+1 {{lengths has size 3 in dimension 0 but [B] needs 2}}
  %0 = sdp.max_arborescence %arcs, %len : (tensor<2x5x5xf32>, tensor<3xi32>) -> tensor<2x5xi32>
  return
}

// -----

func.func @max_arborescence_heads(%arcs: tensor<2x5x5xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{heads has size 6 in dimension 1 but [B, N+1] needs 5}}
  %0 = sdp.max_arborescence %arcs, %len : (tensor<2x5x5xf32>, tensor<2xi32>) -> tensor<2x6xi32>
  return
}

// -----

func.func @max_arborescence_integer_arcs(%arcs: tensor<2x5x5xi32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values}}
  %0 = sdp.max_arborescence %arcs, %len : (tensor<2x5x5xi32>, tensor<2xi32>) -> tensor<2x5xi32>
  return
}

// -----

func.func @matrix_tree_not_square(%arcs: tensor<2x5x4xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{arcs must be square in dimensions 1 and 2 ([B, N+1, N+1]), got 'tensor<2x5x4xf32>'}}
  %0 = sdp.matrix_tree %arcs, %len semiring(#sdp.log) : (tensor<2x5x4xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @logdet_rank(%a: tensor<?x?xf32>) {
  // expected-error @+1 {{matrices must have rank 3 ([B, N, N]), got 'tensor<?x?xf32>'}}
  %0 = sdp.logdet %a : tensor<?x?xf32> -> tensor<?xf32>
  return
}

// -----

func.func @logdet_not_square(%a: tensor<2x3x4xf32>) {
  // expected-error @+1 {{matrices must be square in dimensions 1 and 2 ([B, N, N]), got 'tensor<2x3x4xf32>'}}
  %0 = sdp.logdet %a : tensor<2x3x4xf32> -> tensor<2xf32>
  return
}

// -----

func.func @logdet_result(%a: tensor<2x3x3xf32>) {
  // expected-error @+1 {{result has size 3 in dimension 0 but [B] needs 2}}
  %0 = sdp.logdet %a : tensor<2x3x3xf32> -> tensor<3xf32>
  return
}

// -----

func.func @inverse_element_type(%a: tensor<2x3x3xf32>) {
  // expected-error @+1 {{result has element type 'f64' but matrices have 'f32'}}
  %0 = sdp.inverse %a : tensor<2x3x3xf32> -> tensor<2x3x3xf64>
  return
}

// -----

func.func @inverse_shape(%a: tensor<2x3x3xf32>) {
  // expected-error @+1 {{result must have rank 3 ([B, N, N]), got 'tensor<2x3xf32>'}}
  %0 = sdp.inverse %a : tensor<2x3x3xf32> -> tensor<2x3xf32>
  return
}

// -----

func.func @matrix_tree_bool(%arcs: tensor<?x?x?xi1>, %len: tensor<?xi32>) {
  // expected-error @+1 {{computes log Z (#sdp.log) or the best tree (#sdp.max, #sdp.min), not #sdp.bool}}
  %0 = sdp.matrix_tree %arcs, %len semiring(#sdp.bool) : (tensor<?x?x?xi1>, tensor<?xi32>) -> tensor<?xi1>
  return
}

// -----

func.func @max_arborescence_no_root(%arcs: tensor<2x0x0xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{arcs need the root: size N+1 >= 1, got 'tensor<2x0x0xf32>'}}
  %0 = sdp.max_arborescence %arcs, %len : (tensor<2x0x0xf32>, tensor<2xi32>) -> tensor<2x0xi32>
  return
}

// -----

func.func @max_arborescence_dynamic_rows(%arcs: tensor<2x?x5xf32>, %len: tensor<2xi32>) {
  // expected-error @+1 {{heads has size 4 in dimension 1 but [B, N+1] needs 5}}
  %0 = sdp.max_arborescence %arcs, %len : (tensor<2x?x5xf32>, tensor<2xi32>) -> tensor<2x4xi32>
  return
}

// -----

func.func @inverse_dynamic_rows(%a: tensor<2x?x3xf32>) {
  // expected-error @+1 {{result has size 5 in dimension 1 but [B, N, N] needs 3}}
  %0 = sdp.inverse %a : tensor<2x?x3xf32> -> tensor<2x5x5xf32>
  return
}
