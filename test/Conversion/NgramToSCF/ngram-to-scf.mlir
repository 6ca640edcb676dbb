// RUN: sdp-opt %s --convert-ngram-to-scf --split-input-file | FileCheck %s
// RUN: sdp-opt %s --convert-ngram-to-scf=vector-size=8 --split-input-file \
// RUN:   | FileCheck %s --check-prefix=WIDTH8
// RUN: not sdp-opt %s --convert-ngram-to-scf=vector-size=0 --split-input-file \
// RUN:   2>&1 | FileCheck %s --check-prefix=BADWIDTH
// BADWIDTH: error: convert-ngram-to-scf: vector-size must be at least 1, got 0

// The first pad is a min-reduction over positions: per row, a vector of
// running minima (a pad lane gives its position, any other the length),
// reduced once at the end of the row.
// CHECK-LABEL: func @lengths
// CHECK: %[[TOKENS:.*]] = bufferization.to_buffer
// CHECK: %[[OUT:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK-DAG: %[[PAD:.*]] = arith.constant dense<7> : vector<16xi32>
// CHECK-DAG: %[[FULL:.*]] = vector.broadcast %{{.*}} : i32 to vector<16xi32>
// CHECK: scf.for %[[B:.*]] =
// CHECK:   %[[ROW:.*]] = scf.for %[[I:.*]] = %{{.*}} step %c16 iter_args(%[[ACC:.*]] = %[[FULL]]) -> (vector<16xi32>)
// CHECK:     %[[T:.*]] = vector.maskedload %[[TOKENS]][%[[B]], %[[I]]]
// CHECK:     %[[EQ:.*]] = arith.cmpi eq, %[[T]], %[[PAD]] : vector<16xi32>
// CHECK:     %[[ISPAD:.*]] = arith.andi %{{.*}}, %[[EQ]]
// CHECK:     %[[CAND:.*]] = arith.select %[[ISPAD]], %{{.*}}, %[[FULL]]
// CHECK:     arith.minsi %[[ACC]], %[[CAND]] : vector<16xi32>
// CHECK:   %[[FIRST:.*]] = vector.reduction <minsi>, %[[ROW]]
// CHECK:   memref.store %[[FIRST]], %[[OUT]][%[[B]]]
func.func @lengths(%t: tensor<?x?xi32>) -> tensor<?xi32> {
  %0 = sdp.sequence_lengths %t {pad_id = 7 : i64} : tensor<?x?xi32> -> tensor<?xi32>
  return %0 : tensor<?xi32>
}

// -----

// Windows gather tokens[i + k], zero past the end.
// CHECK-LABEL: func @extract
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<?x?x3xi64>)
// CHECK-DAG:   %[[I:.*]] = linalg.index 1
// CHECK-DAG:   %[[K:.*]] = linalg.index 2
// CHECK:   %[[POS:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK:   %[[IN:.*]] = arith.cmpi ult, %[[POS]]
// CHECK:   tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<?x?xi64>
// CHECK:   arith.select %[[IN]]
func.func @extract(%t: tensor<?x?xi64>, %l: tensor<?xi32>) -> tensor<?x?x3xi64> {
  %0 = sdp.ngram_extract %t, %l : (tensor<?x?xi64>, tensor<?xi32>) -> tensor<?x?x3xi64>
  return %0 : tensor<?x?x3xi64>
}

// -----

// One hash table per example, probed linearly; keys compared token by token
// (both tokens of a bigram), reference misses are -1.
// CHECK-LABEL: func @dict
// CHECK-DAG: %[[CW:.*]] = bufferization.to_buffer %{{.*}} read_only : tensor<?x?x2xi32> to memref<?x?x2xi32, strided<[?, ?, 1], offset: ?>>
// CHECK-DAG: %[[CIDS:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xi32>
// CHECK: %[[SIZE:.*]] = scf.while
// CHECK: %[[TABLE:.*]] = memref.alloc(%[[SIZE]]) : memref<?xi32>
// CHECK: scf.for %[[B:.*]] =
// CHECK:   linalg.fill ins(%{{.*}} : i32) outs(%[[TABLE]] : memref<?xi32>)
// CHECK:   scf.for %[[I:.*]] = {{.*}} iter_args
// CHECK:     scf.if
// CHECK:       arith.xori
// CHECK:       arith.muli
// CHECK:       scf.while
// CHECK:         memref.load %[[TABLE]]
// CHECK-COUNT-2: arith.cmpi eq, %{{.*}}, %{{.*}} : i64
// CHECK:         scf.condition
// CHECK: bufferization.to_tensor %[[CIDS]] restrict writable
func.func @dict(%cw: tensor<?x?x2xi32>, %cl: tensor<?xi32>, %rw: tensor<?x?x?x2xi32>, %rl: tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>) {
  %a, %b, %c = sdp.ngram_dict %cw, %cl, %rw, %rl : (tensor<?x?x2xi32>, tensor<?xi32>, tensor<?x?x?x2xi32>, tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return %a, %b, %c : tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>
}

// -----

// Counting scatters into a zeroed [B, R, U] buffer, U the largest dictionary.
// CHECK-LABEL: func @count
// CHECK: %[[U:.*]] = scf.for {{.*}} -> (i32)
// CHECK:   arith.maxsi
// CHECK: %[[COUNTS:.*]] = memref.alloc(%{{.*}}, %{{.*}}, %{{.*}}) : memref<?x?x?xi32>
// CHECK: linalg.fill ins(%{{.*}} : i32) outs(%[[COUNTS]] : memref<?x?x?xi32>)
// CHECK: scf.for
// CHECK:   scf.for
// CHECK:     scf.for
// CHECK:       arith.cmpi sge
// CHECK:       scf.if
// CHECK:         memref.load %[[COUNTS]]
// CHECK:         memref.store %{{.*}}, %[[COUNTS]]
func.func @count(%ids: tensor<?x?x?xi32>, %n: tensor<?xi32>) -> tensor<?x?x?xi32> {
  %0 = sdp.ngram_count %ids, %n : (tensor<?x?x?xi32>, tensor<?xi32>) -> tensor<?x?x?xi32>
  return %0 : tensor<?x?x?xi32>
}

// -----

// Clipping: max over references, then min against the candidate and sums.
// CHECK-LABEL: func @clip
// CHECK: %[[MAX:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK:   arith.maxsi
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%{{.*}}, %[[MAX]] : tensor<?x?xi32>, tensor<?x?xi32>)
// CHECK:   arith.minsi
// CHECK:   arith.extsi
// CHECK:   arith.addi
func.func @clip(%c: tensor<?x?xi32>, %r: tensor<?x?x?xi32>) -> (tensor<?xi64>, tensor<?xi64>) {
  %m, %t = sdp.ngram_clip %c, %r : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?xi64>, tensor<?xi64>)
  return %m, %t : tensor<?xi64>, tensor<?xi64>
}

// -----

// NLTK scoring: per sentence, brevity penalty, method1 on zero numerators,
// log-sum weighted, 0 without unigram matches.
// The orders are one loop (carrying the log sum and method3/4's power of
// two), so the code does not grow with max_n.
// CHECK-LABEL: func @score_nltk
// CHECK: scf.for
// CHECK:   scf.for {{.*}} -> (i64, i64)
// CHECK:   math.exp
// CHECK:   scf.for {{.*}} -> (f64, f64)
// CHECK:     arith.constant 1.000000e-01 : f64
// CHECK:     math.log
// CHECK:   math.exp
// CHECK:   memref.store
// CHECK: bufferization.to_tensor
func.func @score_nltk(%m: tensor<2x?xi64>, %t: tensor<2x?xi64>, %h: tensor<?xi32>, %r: tensor<?x?xi32>) -> tensor<?xf64> {
  %0 = sdp.bleu_score %m, %t, %h, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<method1>, compat = #sdp.compat<nltk>} : (tensor<2x?xi64>, tensor<2x?xi64>, tensor<?xi32>, tensor<?x?xi32>) -> tensor<?xf64>
  return %0 : tensor<?xf64>
}

// -----

// sacreBLEU corpus scoring sums the statistics first and writes one score;
// log(0) is sacreBLEU's -9999999999 (0xC202A05F1FF80000).
// The terms (matches and totals per order, then the two lengths) are summed
// into a buffer, one loop over the orders and one over the lengths.
// CHECK-LABEL: func @score_sacrebleu_corpus
// CHECK: %[[SUMS:.*]] = memref.alloc() : memref<6xi64>
// CHECK: scf.for
// CHECK:   scf.for {{.*}} -> (i64, i64)
// CHECK:   memref.store %{{.*}}, %[[SUMS]]
// CHECK: scf.for {{.*}} -> (i64, i64)
// CHECK: scf.if {{.*}} -> (f64)
// CHECK:   scf.for {{.*}} -> (f64, f64, i1, f64, i1)
// CHECK:     memref.load %[[SUMS]]
// CHECK:     arith.constant 0xC202A05F1FF80000 : f64
// CHECK: memref.store %{{.*}}, %{{.*}}[%{{.*}}] : memref<1xf64>
func.func @score_sacrebleu_corpus(%m: tensor<2x?xi64>, %t: tensor<2x?xi64>, %h: tensor<?xi32>, %r: tensor<?x?xi32>) -> tensor<1xf64> {
  %0 = sdp.bleu_score %m, %t, %h, %r {weights = [0.5, 0.5], smoothing = #sdp.smoothing<none>, compat = #sdp.compat<sacrebleu>, corpus} : (tensor<2x?xi64>, tensor<2x?xi64>, tensor<?xi32>, tensor<?x?xi32>) -> tensor<1xf64>
  return %0 : tensor<1xf64>
}

// -----

// Windows that only a dictionary reads are not materialized: the dictionary
// reads tokens[b, i + k] directly and the extraction disappears.
// CHECK-LABEL: func @dict_fused
// CHECK-SAME: (%[[C:.*]]: tensor<?x?xi32>, %[[CL:.*]]: tensor<?xi32>, %[[R:.*]]: tensor<?x?x?xi32>, %[[RL:.*]]: tensor<?x?xi32>)
// CHECK-NOT: sdp.ngram_extract
// CHECK-NOT: linalg.generic
// CHECK: %[[TOKENS:.*]] = bufferization.to_buffer %[[C]] read_only : tensor<?x?xi32> to memref<?x?xi32, strided<[?, 1], offset: ?>>
// CHECK: %[[POS:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK: memref.load %[[TOKENS]][%{{.*}}, %[[POS]]] : memref<?x?xi32, strided<[?, 1], offset: ?>>
func.func @dict_fused(%c: tensor<?x?xi32>, %cl: tensor<?xi32>, %r: tensor<?x?x?xi32>, %rl: tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>) {
  %cw = sdp.ngram_extract %c, %cl : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x3xi32>
  %rw = sdp.ngram_extract %r, %rl : (tensor<?x?x?xi32>, tensor<?x?xi32>) -> tensor<?x?x?x3xi32>
  %a, %b, %n = sdp.ngram_dict %cw, %cl, %rw, %rl : (tensor<?x?x3xi32>, tensor<?xi32>, tensor<?x?x?x3xi32>, tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return %a, %b, %n : tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>
}

// -----

// With prefix ids, an n-gram is keyed by its prefix and suffix ids: no
// tokens read. The first n-gram of each prefix is kept inline; prefixes
// that repeat go to an open-addressing table on the pair (no lists whose
// walks grow with a frequent prefix).
// CHECK-LABEL: func @dict_chained
// CHECK-SAME: %[[P:[^:]*]]: tensor<?x?xi32>, %[[Q:[^:]*]]: tensor<?x?x?xi32>)
// CHECK-DAG: %[[CP:.*]] = bufferization.to_buffer %[[P]] read_only : tensor<?x?xi32> to memref<?x?xi32, strided<[?, 1], offset: ?>>
// CHECK-DAG: %[[RP:.*]] = bufferization.to_buffer %[[Q]] read_only : tensor<?x?x?xi32> to memref<?x?x?xi32, strided<[?, ?, 1], offset: ?>>
// The first n-gram of each prefix: one i64 (suffix id, id, and whether
// the prefix starts no other n-gram).
// CHECK: %[[FIRST:.*]] = memref.alloc(%[[LC:.*]]) : memref<?xi64>
// The pair table: the smallest power of two >= max(16, 4 Lc) slots, and
// the shift of its Fibonacci hash (64 - log2 size).
// CHECK: arith.muli %[[LC]], %c4
// CHECK: %[[SIZE:.*]] = scf.while
// CHECK: %[[KEYS:.*]] = memref.alloc(%[[SIZE]]) : memref<?xi64>
// CHECK: %[[IDS:.*]] = memref.alloc(%[[SIZE]]) : memref<?xi32>
// CHECK: math.ctlz
// The packed pair table: one i64 per slot, and the shift of its Fibonacci
// hash (64 - log2 size).
// CHECK: %[[SLOTS:.*]] = memref.alloc(%{{.*}}) : memref<?xi64>
// CHECK: %[[CLZ:.*]] = math.ctlz %{{.*}} : i64
// CHECK: %[[SHIFT:.*]] = arith.addi %[[CLZ]], %{{.*}} : i64
// It is emptied once; each example empties the slots it filled, listed in
// USED.
// CHECK: linalg.fill ins(%{{.*}} : i64) outs(%[[SLOTS]] : memref<?xi64>)
// CHECK: %[[USED:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK: %[[ALIVE:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// Per example, first: are the candidate's prefix ids its positions (its
// (n-1)-grams all distinct)? One vector compare per 16 ids.
// CHECK: scf.for
// CHECK:   %[[WRONG:.*]] = scf.for {{.*}} -> (vector<16xi1>)
// CHECK:     vector.maskedload %[[CP]]
// CHECK:     arith.cmpi ne, {{.*}} : vector<16xi32>
// CHECK:   %[[ANY:.*]] = vector.reduction <or>, %[[WRONG]]
// CHECK:   %[[POSITIONAL:.*]] = arith.cmpi eq, %[[ANY]], %false
// Then the n-gram ids are positions too, and reference window (p, q) is the
// candidate's n-gram p exactly when q = p + 1: whole vectors, no table.
// CHECK:   scf.if %[[POSITIONAL]] {
// CHECK:     vector.maskedstore
// CHECK:     scf.for
// CHECK:       %[[RPV:.*]] = vector.maskedload %[[RP]]
// CHECK:       %[[RQV:.*]] = vector.maskedload %[[RP]]
// CHECK:       %[[SUCC:.*]] = arith.addi %[[RPV]], %{{.*}} : vector<16xi32>
// CHECK:       arith.cmpi eq, %[[RQV]], %[[SUCC]] : vector<16xi32>
// CHECK:       vector.maskedstore
// Otherwise, when fewer than 4 in 5 windows have a new prefix (the largest
// prefix id tells how many there are) and the candidate fits the packed
// table, every window probes it: one load gives key and id, and whether the
// pair is new only selects values; a window repeating one of the two
// previous keys reuses its id without a probe.
// CHECK:   } else {
// CHECK:     %[[MAXV:.*]] = scf.for {{.*}} -> (vector<16xi32>)
// CHECK:       vector.maskedload %[[CP]]
// CHECK:       arith.maxsi {{.*}} : vector<16xi32>
// CHECK:     vector.reduction <maxsi>, %[[MAXV]]
// CHECK:     %[[REPEATS:.*]] = arith.andi
// CHECK:     scf.if %[[REPEATS]] {
// CHECK-NOT:   linalg.fill
// CHECK:       scf.for {{.*}} iter_args({{.*}}) -> (i32, i32, i64, i32, i64, i32)
// CHECK:         %[[NEXT:.*]] = memref.load %[[CP]]
// CHECK:         %[[PK:.*]] = arith.select
// CHECK:         %[[LATEST:.*]] = arith.cmpi eq, %[[PK]], %{{.*}} : i64
// CHECK:         %[[EARLIER:.*]] = arith.cmpi eq, %[[PK]], %{{.*}} : i64
// CHECK:         %[[SAME:.*]] = arith.ori %[[LATEST]], %[[EARLIER]]
// CHECK:         scf.if %[[SAME]] -> (i32, i32) {
// CHECK:         } else {
// CHECK:           %[[HASH:.*]] = arith.muli %[[PK]], %{{.*}} : i64
// CHECK:           arith.shrui %[[HASH]], %[[SHIFT]] : i64
// CHECK:           scf.while
// CHECK:             memref.load %[[SLOTS]]
// CHECK:             scf.condition
// CHECK:           arith.select
// CHECK:           memref.store %{{.*}}, %[[SLOTS]]
// CHECK:           memref.store %{{.*}}, %[[USED]]
// The references look their windows up 16 at a time: the lanes' slots are
// gathered, and only lanes whose slot holds another pair probe on.
// CHECK:       scf.for
// CHECK:         vector.maskedload %[[RP]]
// CHECK:         vector.maskedload %[[RP]]
// CHECK:         arith.muli {{.*}} : vector<16xi64>
// CHECK:         arith.shrui {{.*}} : vector<16xi64>
// CHECK:         scf.while {{.*}} -> (vector<16xi32>, vector<16xi1>, vector<16xi32>)
// CHECK:           vector.gather %[[SLOTS]]
// CHECK:           vector.reduction <or>
// CHECK:           scf.condition
// CHECK:         vector.maskedstore
// CHECK:       scf.for
// CHECK:         %[[FILLED:.*]] = memref.load %[[USED]]
// CHECK:         %[[FILLEDI:.*]] = arith.index_cast %[[FILLED]]
// CHECK:         memref.store %{{.*}}, %[[SLOTS]][%[[FILLEDI]]]
// Else the first n-gram of each prefix is kept inline (its suffix and id),
// and only prefixes that repeat use the table.
// CHECK:     } else {
// CHECK:     linalg.fill ins(%{{.*}} : i64) outs(%[[FIRST]] : memref<?xi64>)
// CHECK:     linalg.fill ins(%{{.*}} : i32) outs(%[[IDS]] : memref<?xi32>)
// CHECK:     scf.for
// CHECK:       %[[PID:.*]] = memref.load %[[CP]][%{{.*}}, %[[I:[a-z0-9_]+]]]
// CHECK:       %[[I1:.*]] = arith.addi %[[I]], %{{.*}} : index
// CHECK:       %[[SID:.*]] = memref.load %[[CP]][%{{.*}}, %[[I1]]]
// CHECK:       scf.if
// CHECK:         %[[SEEN:.*]] = memref.load %[[FIRST]]
// CHECK:         %[[NONE:.*]] = arith.cmpi eq, %[[SEEN]], %c-1_i64
// CHECK:         scf.if %[[NONE]]
// CHECK:           memref.store %{{.*}}, %[[FIRST]]
// CHECK:         } else {
// CHECK:           %[[SEENSUF:.*]] = arith.trunci
// CHECK:           arith.cmpi eq, %[[SEENSUF]], %[[SID]]
// CHECK:           } else {
// CHECK:             %[[KEY:.*]] = arith.addi {{.*}} : i64
// CHECK:             scf.while
// CHECK:               memref.load %[[IDS]]
// CHECK:               memref.load %[[KEYS]]
// CHECK:               arith.cmpi eq, %{{.*}}, %[[KEY]] : i64
// CHECK:               scf.condition
// CHECK:             scf.if
// CHECK:               memref.store %{{.*}}, %[[IDS]]
// CHECK:               memref.store %[[KEY]], %[[KEYS]]
// CHECK:               memref.store %{{.*}}, %[[FIRST]]
// Reference windows whose prefix or suffix the candidate lacks are misses
// without a lookup: the others' positions are compacted first, 16 at a time.
// CHECK:     scf.for {{.*}} step %c16
// CHECK:       vector.maskedload %[[RP]]
// CHECK:       vector.maskedload %[[RP]]
// CHECK:       arith.cmpi ult, %{{.*}} : vector<16xi32>
// CHECK:       arith.cmpi ult, %{{.*}} : vector<16xi32>
// CHECK:       %[[PACKED:.*]] = sdp.vector_compress %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK:       vector.store %[[PACKED]], %[[ALIVE]]
// CHECK:       vector.reduction <add>
// CHECK:     memref.load %[[ALIVE]]
// CHECK:     memref.load %[[FIRST]]
// CHECK:     scf.if
// CHECK:       scf.while
// CHECK:         memref.load %[[KEYS]]
func.func @dict_chained(%cw: tensor<?x?x3xi32>, %cl: tensor<?xi32>, %rw: tensor<?x?x?x3xi32>, %rl: tensor<?x?xi32>, %p: tensor<?x?xi32>, %q: tensor<?x?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>) {
  %a, %b, %n = sdp.ngram_dict %cw, %cl, %rw, %rl prefix(%p, %q) : (tensor<?x?x3xi32>, tensor<?xi32>, tensor<?x?x?x3xi32>, tensor<?x?xi32>, tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return %a, %b, %n : tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>
}

// -----

// Counts that are only clipped are fused into the clipping: per example,
// O(num_unique) scratch rows (candidate counts, one reference's counts,
// their running max) and no [B, R, U] tensor.
// CHECK-LABEL: func @count_clip_fused
// CHECK-NOT: sdp.ngram_count
// CHECK-NOT: memref.alloc({{.*}}, {{.*}}, {{.*}}) : memref<?x?x?xi32>
// CHECK: %[[CAND:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK: %[[REF:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK: %[[MAX:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK: %[[PRESENT:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK: scf.for
// Candidate ids that are their positions (no repeated n-gram) count 1 each,
// without counting.
// CHECK:   scf.for {{.*}} -> (vector<16xi1>)
// CHECK:   %[[ANY:.*]] = vector.reduction <or>
// CHECK:   %[[POSITIONAL:.*]] = arith.cmpi eq, %[[ANY]], %{{.*}}
// CHECK:   %[[MOST:.*]] = scf.if %[[POSITIONAL]] -> (i32) {
// CHECK:     memref.store %{{.*}}, %[[CAND]]
// CHECK:   } else {
// Otherwise the ids in [0, U) are compacted, 16 at a time, and only they are
// counted, without a branch.
// CHECK:     scf.for {{.*}} step %c16
// CHECK:       vector.maskedload
// CHECK:       arith.cmpi ult, %{{.*}} : vector<16xi32>
// CHECK:       sdp.vector_compress
// CHECK-NEXT:  vector.store %{{.*}}, %[[PRESENT]]
// CHECK:       vector.reduction <add>
// CHECK-NOT:   scf.if
// CHECK:     memref.load %[[PRESENT]]
// CHECK:     arith.maxsi
// With no candidate n-gram repeated, references only mark the ids they have.
// CHECK:   %[[DISTINCT:.*]] = arith.cmpi sle, %[[MOST]], %{{.*}}
// CHECK:   scf.if %[[DISTINCT]] {
// CHECK:     sdp.vector_compress
// CHECK-NEXT: vector.store %{{.*}}, %[[PRESENT]]
// CHECK:     memref.store %{{.*}}, %[[MAX]]
// CHECK:   } else {
// The first reference counts straight into the maximum, the others into REF.
// CHECK:     sdp.vector_compress
// CHECK-NEXT: vector.store %{{.*}}, %[[PRESENT]]
// CHECK:     memref.store %{{.*}}, %[[MAX]]
// CHECK:     scf.for
// CHECK:       sdp.vector_compress
// CHECK-NEXT:  vector.store %{{.*}}, %[[PRESENT]]
// CHECK:       memref.load %[[REF]]
// CHECK:       arith.maxsi
// Clipped and total sums run over whole vectors.
// CHECK:   scf.for {{.*}} -> (vector<16xi32>, vector<16xi32>)
// CHECK:     arith.minsi {{.*}} : vector<16xi32>
// CHECK:   vector.reduction <add>
// CHECK:   vector.reduction <add>
// CHECK-NOT: linalg.generic
// WIDTH8-LABEL: func @count_clip_fused
// WIDTH8: sdp.vector_compress {{.*}} : vector<8xi32>
// WIDTH8-NEXT: vector.store {{.*}} : memref<?xi32>, vector<8xi32>
func.func @count_clip_fused(%cid: tensor<?x?xi32>, %rid: tensor<?x?x?xi32>, %n: tensor<?xi32>) -> (tensor<?xi64>, tensor<?xi64>) {
  %cc = sdp.ngram_count %cid, %n : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?xi32>
  %rc = sdp.ngram_count %rid, %n : (tensor<?x?x?xi32>, tensor<?xi32>) -> tensor<?x?x?xi32>
  %m, %t = sdp.ngram_clip %cc, %rc : (tensor<?x?xi32>, tensor<?x?x?xi32>) -> (tensor<?xi64>, tensor<?xi64>)
  return %m, %t : tensor<?xi64>, tensor<?xi64>
}

// -----

// When only one side comes from sdp.ngram_extract nothing is fused: the
// windows are built and the dictionary reads them.
// CHECK-LABEL: func @dict_half_fused
// CHECK-NOT: sdp.ngram_extract
// CHECK: %[[W:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<?x?x2xi32>)
// CHECK: bufferization.to_buffer %[[W]] read_only : tensor<?x?x2xi32> to memref<?x?x2xi32, strided<[?, ?, 1], offset: ?>>
func.func @dict_half_fused(%c: tensor<?x?xi32>, %cl: tensor<?xi32>, %rw: tensor<?x?x?x2xi32>, %rl: tensor<?x?xi32>) -> tensor<?xi32> {
  %cw = sdp.ngram_extract %c, %cl : (tensor<?x?xi32>, tensor<?xi32>) -> tensor<?x?x2xi32>
  %a, %b, %n = sdp.ngram_dict %cw, %cl, %rw, %rl : (tensor<?x?x2xi32>, tensor<?xi32>, tensor<?x?x?x2xi32>, tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return %n : tensor<?xi32>
}

// -----

// Unigrams: when the candidates' tokens span a small range (decided at run
// time), a token-indexed table replaces hashing: one load per reference
// token, out-of-range tokens miss. Otherwise the hashed lowering runs. The
// range is found a vector of tokens at a time.
// CHECK-LABEL: func @dict_unigrams
// CHECK: scf.for {{.*}} -> (vector<16xi64>, vector<16xi64>)
// CHECK:   arith.minsi {{.*}} : vector<16xi64>
// CHECK:   arith.maxsi {{.*}} : vector<16xi64>
// CHECK: vector.reduction <minsi>
// CHECK: vector.reduction <maxsi>
// CHECK: scf.if
// CHECK:   %[[TABLE:.*]] = memref.alloc(%{{.*}}) : memref<?xi32>
// CHECK:   linalg.fill ins(%{{.*}} : i32) outs(%[[TABLE]] : memref<?xi32>)
// CHECK:   scf.for
// CHECK:     memref.load %[[TABLE]]
// CHECK:     memref.store %{{.*}}, %[[TABLE]]
// CHECK:     arith.cmpi ult
// CHECK:     memref.load %[[TABLE]]
// CHECK-NOT: arith.muli
// CHECK: } else {
// CHECK:   arith.muli
// CHECK:   scf.while
func.func @dict_unigrams(%c: tensor<?x?xi64>, %cl: tensor<?xi32>, %r: tensor<?x?x?xi64>, %rl: tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>) {
  %cw = sdp.ngram_extract %c, %cl : (tensor<?x?xi64>, tensor<?xi32>) -> tensor<?x?x1xi64>
  %rw = sdp.ngram_extract %r, %rl : (tensor<?x?x?xi64>, tensor<?x?xi32>) -> tensor<?x?x?x1xi64>
  %a, %b, %n = sdp.ngram_dict %cw, %cl, %rw, %rl : (tensor<?x?x1xi64>, tensor<?xi32>, tensor<?x?x?x1xi64>, tensor<?x?xi32>) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return %a, %b, %n : tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>
}

// -----

// The chained dictionary with a run-time order: the same lowering as
// sdp.ngram_dict with prefix ids (the per-prefix arrays and the pair table
// sized by the prefix ids' Lc), whose window counts are max(0, length -
// order + 1) clamped to the capacity - order + 1. Orders below 2 count as 2
// (no read past the prefix ids).
// CHECK-LABEL: func @chain
// CHECK-SAME: %[[P:[^:]*]]: tensor<?x?xi32>, %{{[^:]*}}: tensor<?xi32>, %[[Q:[^:]*]]: tensor<?x?x?xi32>, %{{[^:]*}}: tensor<?x?xi32>, %[[ORDER:[^:]*]]: index)
// CHECK: %[[N:.*]] = arith.maxsi %[[ORDER]], %c2
// CHECK-DAG: %[[CP:.*]] = bufferization.to_buffer %[[P]] read_only
// CHECK-DAG: %[[LC:.*]] = memref.dim %[[CP]], %c1
// CHECK: %[[FIRST:.*]] = memref.alloc(%[[LC]]) : memref<?xi64>
// CHECK: scf.for
// CHECK:   arith.subi %[[LC]], %[[N]] : index
// CHECK:   arith.maxsi
// CHECK:   arith.subi %{{.*}}, %[[N]] : index
// CHECK:   arith.maxsi
// CHECK:   arith.minui
// CHECK: bufferization.to_tensor
func.func @chain(%p: tensor<?x?xi32>, %cl: tensor<?xi32>, %q: tensor<?x?x?xi32>, %rl: tensor<?x?xi32>, %n: index) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>) {
  %a, %b, %c = sdp.ngram_chain %p, %cl, %q, %rl, %n : (tensor<?x?xi32>, tensor<?xi32>, tensor<?x?x?xi32>, tensor<?x?xi32>, index) -> (tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>)
  return %a, %b, %c : tensor<?x?xi32>, tensor<?x?x?xi32>, tensor<?xi32>
}
