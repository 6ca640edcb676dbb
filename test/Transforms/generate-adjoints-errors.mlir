// RUN: sdp-opt %s --sdp-generate-adjoints --split-input-file -verify-diagnostics

func.func @two_reduced(%x: tensor<?x?x?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{'sdp.contract' op is not differentiable: under #sdp.max the adjoint follows the selected term, which needs exactly one reduced index, not 2}}
  %r = sdp.contract "bkc->b" %x semiring(#sdp.max) : (tensor<?x?x?xf32>) -> tensor<?xf32>
  return %r : tensor<?xf32>
}

func.func @request(%x: tensor<?x?x?xf32>, %d: tensor<?xf32>) -> tensor<?x?x?xf32> {
  // expected-error @+1 {{cannot derive the adjoint of 'two_reduced'}}
  %g = sdp.vjp @two_reduced(%x) cotangents(%d) : (tensor<?x?x?xf32>), (tensor<?xf32>) -> (tensor<?x?x?xf32>)
  return %g : tensor<?x?x?xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>

// An op without an adjoint rule inside a scan body is named.
func.func @reduction_in_scan(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>) -> tensor<?x?xf32> {
  %r = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%seq : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    %c0 = arith.constant 0 : index
    %b = tensor.dim %prev, %c0 : tensor<?x?xf32>
    %empty = tensor.empty(%b) : tensor<?xf32>
    // expected-error @+1 {{'linalg.generic' op is not differentiable: only element-wise linalg.generic ops (all loops parallel) have adjoints}}
    %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]}
        ins(%prev : tensor<?x?xf32>) outs(%empty : tensor<?xf32>) {
    ^bb0(%in: f32, %acc: f32):
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    } -> tensor<?xf32>
    %next = sdp.contract "b,bc->bc" %sum, %x semiring(#sdp.real) : (tensor<?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}

func.func @request(%init: tensor<?x?xf32>, %seq: tensor<?x?x?xf32>, %d: tensor<?x?xf32>) -> tensor<?x?xf32> {
  // expected-error @+1 {{cannot derive the adjoint of 'reduction_in_scan'}}
  %g:2 = sdp.vjp @reduction_in_scan(%init, %seq) cotangents(%d) : (tensor<?x?xf32>, tensor<?x?x?xf32>), (tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?x?xf32>)
  return %g#0 : tensor<?x?xf32>
}

// -----

// An element-wise op without a derivative rule.
func.func @no_rule(%x: tensor<?xf32>) -> tensor<?xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<?xf32>
  %empty = tensor.empty(%n) : tensor<?xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
      ins(%x : tensor<?xf32>) outs(%empty : tensor<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    // expected-error @+1 {{'math.sin' op is not differentiable: no derivative rule for it}}
    %s = math.sin %in : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  return %y : tensor<?xf32>
}

func.func @request(%x: tensor<?xf32>, %d: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{cannot derive the adjoint of 'no_rule'}}
  %g = sdp.vjp @no_rule(%x) cotangents(%d) : (tensor<?xf32>), (tensor<?xf32>) -> (tensor<?xf32>)
  return %g : tensor<?xf32>
}

// -----

// Float values computed from integer carried state: the adjoint would read
// the state's final value, so it refuses.
func.func @float_from_integer_state(%init: tensor<?xf32>, %count: tensor<?xi32>, %seq: tensor<?x?xf32>) -> tensor<?xf32> {
  %r:2 = sdp.scan along 1 init(%init, %count : tensor<?xf32>, tensor<?xi32>) over(%seq : tensor<?x?xf32>) -> (tensor<?xf32>, tensor<?xi32>) {
  ^bb0(%t: index, %acc: tensor<?xf32>, %n: tensor<?xi32>, %x: tensor<?xf32>):
    %c0 = arith.constant 0 : index
    %b = tensor.dim %acc, %c0 : tensor<?xf32>
    %empty = tensor.empty(%b) : tensor<?xf32>
    // expected-error @+1 {{'linalg.generic' op is not differentiable: it computes floats from the integer carried state #1 of a scan, which the adjoint does not record}}
    %scaled = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
        ins(%x, %n : tensor<?xf32>, tensor<?xi32>) outs(%empty : tensor<?xf32>) {
    ^bb0(%xi: f32, %ni: i32, %out: f32):
      %f = arith.sitofp %ni : i32 to f32
      %p = arith.mulf %xi, %f : f32
      linalg.yield %p : f32
    } -> tensor<?xf32>
    %next = sdp.contract "b,b->b" %acc, %scaled semiring(#sdp.real) : (tensor<?xf32>, tensor<?xf32>) -> tensor<?xf32>
    sdp.yield %next, %n : tensor<?xf32>, tensor<?xi32>
  }
  return %r#0 : tensor<?xf32>
}

func.func @request(%init: tensor<?xf32>, %count: tensor<?xi32>, %seq: tensor<?x?xf32>, %d: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{cannot derive the adjoint of 'float_from_integer_state'}}
  %g:2 = sdp.vjp @float_from_integer_state(%init, %count, %seq) cotangents(%d) : (tensor<?xf32>, tensor<?xi32>, tensor<?x?xf32>), (tensor<?xf32>) -> (tensor<?xf32>, tensor<?x?xf32>)
  return %g#0 : tensor<?xf32>
}
