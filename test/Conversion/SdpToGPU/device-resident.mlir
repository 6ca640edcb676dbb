// RUN: sdp-opt %s --convert-sdp-to-gpu="device-resident" --canonicalize --cse | FileCheck %s

// Device-resident: the operands are read in place (no device copy, no
// gpu.memcpy), the results are the kernels' device buffers (no host
// buffer), and only the temporaries are freed.

// CHECK-LABEL: func @viterbi
// CHECK-SAME: (%[[EM:.*]]: tensor<?x?x?xf32>, %[[TR:.*]]: tensor<?x?xf32>
// CHECK-NOT: gpu.memcpy
// CHECK-NOT: memref.alloc
// CHECK-DAG: %[[SCORES:.*]] = gpu.alloc ({{.*}}) : memref<?xf32>
// CHECK-DAG: %[[BACK:.*]] = gpu.alloc ({{.*}}) : memref<?x?x?xi32>
// CHECK-DAG: %[[PATH:.*]] = gpu.alloc ({{.*}}) : memref<?x?xi32>
// CHECK: gpu.launch
// (the canonicalizer turns loads of an operand's buffer into extracts)
// CHECK:   tensor.extract %[[EM]]
// CHECK: gpu.terminator
// CHECK-NOT: gpu.memcpy
// CHECK-DAG: %[[S:.*]] = bufferization.to_tensor %[[SCORES]]
// CHECK-DAG: %[[P:.*]] = bufferization.to_tensor %[[PATH]]
// CHECK-DAG: gpu.dealloc %[[BACK]]
// CHECK-NOT: gpu.dealloc %[[SCORES]] :
// CHECK-NOT: gpu.dealloc %[[PATH]] :
// CHECK: return %[[S]], %[[P]]
func.func @viterbi(%emissions: tensor<?x?x?xf32>, %transitions: tensor<?x?xf32>, %start: tensor<?xf32>, %end: tensor<?xf32>, %lengths: tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>) {
  %score, %path = sdp.linear_chain %emissions, %transitions, %start, %end, %lengths semiring(#sdp.max)
            : (tensor<?x?x?xf32>, tensor<?x?xf32>, tensor<?xf32>, tensor<?xf32>, tensor<?xi32>) -> (tensor<?xf32>, tensor<?x?xi32>)
  return %score, %path : tensor<?xf32>, tensor<?x?xi32>
}

// A static result type views the device buffer at that shape.
// CHECK-LABEL: func @corpus_bleu
// CHECK-NOT: gpu.memcpy
// CHECK: %[[SCORE:.*]] = gpu.alloc () : memref<1xf64>
// CHECK-COUNT-2: gpu.launch
// CHECK-NOT: gpu.memcpy
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[SCORE]] restrict writable : memref<1xf64>
// CHECK-COUNT-4: gpu.dealloc
// CHECK-NOT: gpu.dealloc
// CHECK: return %[[T]]
func.func @corpus_bleu(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> tensor<1xf64> {
  %s = sdp.bleu %c, %r {weights = [0.25, 0.25, 0.25, 0.25],
         smoothing = #sdp.smoothing<method0>, compat = #sdp.compat<nltk>, corpus}
       : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> tensor<1xf64>
  return %s : tensor<1xf64>
}

// CHECK-LABEL: func @soft_alignment
// CHECK-NOT: gpu.memcpy
// CHECK: %[[OUT:.*]] = gpu.alloc ({{.*}}) : memref<?xf32>
// CHECK: gpu.launch
// CHECK-NOT: gpu.memcpy
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[OUT]]
// CHECK-NOT: gpu.dealloc %[[OUT]] :
// CHECK: return %[[T]]
func.func @soft_alignment(%diagonal: tensor<?x?x?xf32>, %down: tensor<?x?x?xf32>,
                          %right: tensor<?x?x?xf32>, %rows: tensor<?xi32>,
                          %cols: tensor<?xi32>) -> tensor<?xf32> {
  %z = sdp.alignment %diagonal, %down, %right, %rows, %cols semiring(#sdp.log)
         : (tensor<?x?x?xf32>, tensor<?x?x?xf32>, tensor<?x?x?xf32>,
            tensor<?xi32>, tensor<?xi32>) -> tensor<?xf32>
  return %z : tensor<?xf32>
}

// A scan overwrites its carried buffer: a device copy of the init (the
// caller's stays intact), which becomes the result.
// CHECK-LABEL: func @forward_scan
// CHECK-SAME: (%[[INIT:[^:]*]]: tensor<?x?xf32>
// CHECK: %[[IN:.*]] = bufferization.to_buffer %[[INIT]]
// CHECK: %[[STATE:.*]] = gpu.alloc ({{.*}}) : memref<?x?xf32>
// CHECK: gpu.memcpy %[[STATE]], %[[IN]]
// CHECK: gpu.launch
// CHECK: %[[T:.*]] = bufferization.to_tensor %[[STATE]]
// CHECK-NOT: gpu.dealloc %[[STATE]] :
// CHECK: return %[[T]]
func.func @forward_scan(%init: tensor<?x?xf32>, %xs: tensor<?x?x?xf32>, %w: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = sdp.scan along 1 init(%init : tensor<?x?xf32>) over(%xs : tensor<?x?x?xf32>) -> (tensor<?x?xf32>) {
  ^bb0(%t: index, %prev: tensor<?x?xf32>, %x: tensor<?x?xf32>):
    %next = sdp.contract "bk,kc,bc->bc" %prev, %w, %x semiring(#sdp.log)
              : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
    sdp.yield %next : tensor<?x?xf32>
  }
  return %r : tensor<?x?xf32>
}
