"""Checks the tree structures of examples/trees.mlir, run through sdp-run:
CKY (cky_log_partition, cky_argmax, cky_log_partition_vjp), projective and
non-projective dependency trees (projective_*, nonprojective_*, single- and
multi-root; the best non-projective tree also against a float64 recursive
Chu-Liu-Edmonds) and the PCFG inside score (pcfg_log_partition,
pcfg_log_partition_vjp) against brute-force enumeration of every tree on tiny sizes (with labels, head assignments
checked for acyclicity and projectivity), the known counts under zero
scores (Catalan numbers), and float64 chart algorithms with central
differences for the gradients on larger sizes.

usage: trees_oracle.py SDP_RUN TREES WORKDIR
Prints "N cases, F failures" and every mismatch; exits non-zero on failures.
"""

import itertools
import math
import os
import sys

import numpy as np

import oracle_checks

SDP_RUN, EXAMPLE, WORKDIR = sys.argv[1:4]
os.makedirs(WORKDIR, exist_ok=True)
failures = []
cases = 0


def compare(where, got, want, rtol=1e-3, atol=1e-4):
    oracle_checks.compare(failures, where, got, want, rtol, atol)


def run(name, entry, arrays, num_outputs):
    return oracle_checks.run_entry(SDP_RUN, EXAMPLE, os.path.join(WORKDIR, name),
                                   entry, arrays, num_outputs)


def logsumexp(x):
    x = np.asarray(list(x), dtype=np.float64)
    if x.size == 0 or np.all(np.isneginf(x)):
        return -np.inf
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


# --------------------------------------------------------------------------
# CKY
# --------------------------------------------------------------------------

def bracketings(i, j):
    """Every binary bracketing of words i..j as a list of spans."""
    if i == j:
        yield [(i, i)]
        return
    for k in range(i, j):
        for left in bracketings(i, k):
            for right in bracketings(k + 1, j):
                yield [(i, j)] + left + right


def cky_enumerate(spans, n):
    """(score, {(i, j): label}) of every labelled bracketing of 0..n-1."""
    L = spans.shape[-1]
    for tree in bracketings(0, n - 1):
        for labels in itertools.product(range(L), repeat=len(tree)):
            score = sum(float(spans[i, j, l]) for (i, j), l in zip(tree, labels))
            yield score, dict(zip(tree, labels))


def cky_chart(spans, n, reduce):
    """float64 inside (reduce=logsumexp) or Viterbi (reduce=max) score."""
    s = np.asarray(spans, dtype=np.float64)
    own = [[reduce(s[i, j, :]) for j in range(n)] for i in range(n)]
    x = {}
    for w in range(n):
        for i in range(n - w):
            j = i + w
            if w == 0:
                x[i, j] = own[i][j]
            else:
                x[i, j] = own[i][j] + reduce(
                    [x[i, k] + x[k + 1, j] for k in range(i, j)])
    return x[0, n - 1]


def check_cky(name, spans, lengths, rng, brute):
    global cases
    cases += 1
    B, N, _, L = spans.shape
    d = rng.normal(0, 1, B).astype(np.float32)
    (logz,) = run(name, "cky_log_partition", [spans, lengths], 1)
    score, labels = run(name, "cky_argmax", [spans, lengths], 2)
    (grad,) = run(name, "cky_log_partition_vjp", [spans, lengths, d], 1)
    if labels.shape != (B, N, N) or labels.dtype != np.int32:
        failures.append("%s: labels %s %s" % (name, labels.shape, labels.dtype))
        return
    for b in range(B):
        n = int(lengths[b])
        where = "%s[b=%d]" % (name, b)
        want_logz = cky_chart(spans[b], n, logsumexp)
        want_best = cky_chart(spans[b], n, np.max)
        compare(where + " log Z", logz[b], want_logz)
        compare(where + " best score", score[b], want_best)
        # The labels describe a bracketing of 0..n-1 with that score.
        chosen = {(i, j): int(labels[b, i, j]) for i in range(N)
                  for j in range(N) if labels[b, i, j] >= 0}
        trees = [set(t) for t in bracketings(0, n - 1)]
        if set(chosen) not in trees:
            failures.append("%s: labels are not a bracketing of 0..%d: %s" %
                            (where, n - 1, sorted(chosen)))
        else:
            compare(where + " score of the labels",
                    sum(float(spans[b, i, j, l]) for (i, j), l in chosen.items()),
                    want_best)
        if brute:
            all_trees = list(cky_enumerate(spans[b], n))
            compare(where + " log Z (brute force)", logz[b],
                    logsumexp(s for s, _ in all_trees))
            best = max(all_trees, key=lambda t: t[0])
            if best[1] != chosen:
                failures.append("%s: best tree %s, brute force %s" %
                                (where, chosen, best[1]))
            marg = np.zeros((N, N, L))
            z = logsumexp(s for s, _ in all_trees)
            for s, tree in all_trees:
                for (i, j), l in tree.items():
                    marg[i, j, l] += math.exp(s - z)
            compare(where + " marginals (brute force)", grad[b], d[b] * marg)
        else:
            # Central differences of the float64 inside score.
            for _ in range(4):
                i = int(rng.integers(0, n))
                j = int(rng.integers(i, n))
                l = int(rng.integers(0, L))
                eps = 1e-4
                plus = spans[b].astype(np.float64)
                minus = spans[b].astype(np.float64)
                plus[i, j, l] += eps
                minus[i, j, l] -= eps
                fd = (cky_chart(plus, n, logsumexp) -
                      cky_chart(minus, n, logsumexp)) / (2 * eps)
                compare("%s d(log Z)/d spans[%d,%d,%d]" % (where, i, j, l),
                        grad[b, i, j, l], d[b] * fd, rtol=1e-2, atol=1e-4)
        # Nothing outside the sentence's spans gets a gradient or a label.
        outside = np.ones((N, N), dtype=bool)
        for i in range(n):
            outside[i, i:n] = False
        if np.any(grad[b][outside] != 0) or np.any(labels[b][outside] != -1):
            failures.append("%s: gradient or label outside the sentence" % where)


# --------------------------------------------------------------------------
# PCFG
# --------------------------------------------------------------------------

def pcfg_derivations(terms, rules, NT, i, j, symbol):
    """Scores of every derivation of words i..j-1 from `symbol`."""
    if j - i == 1:
        if symbol >= NT:
            yield float(terms[i, symbol - NT])
        return
    if symbol >= NT:
        return
    S = rules.shape[1]
    for k in range(i + 1, j):
        for X in range(S):
            for Y in range(S):
                r = float(rules[symbol, X, Y])
                for left in pcfg_derivations(terms, rules, NT, i, k, X):
                    for right in pcfg_derivations(terms, rules, NT, k, j, Y):
                        yield r + left + right


def pcfg_inside(terms, rules, roots, n):
    """float64 inside algorithm."""
    NT, S = rules.shape[0], rules.shape[1]
    terms = np.asarray(terms, dtype=np.float64)
    rules = np.asarray(rules, dtype=np.float64)
    beta = np.full((n, n + 1, S), -np.inf)
    for i in range(n):
        beta[i, i + 1, NT:] = terms[i]
    for w in range(2, n + 1):
        for i in range(n - w + 1):
            j = i + w
            for A in range(NT):
                parts = [rules[A] + beta[i, k][:, None] + beta[k, j][None, :]
                         for k in range(i + 1, j)]
                beta[i, j, A] = logsumexp(np.concatenate([p.ravel() for p in parts]))
    return logsumexp(np.asarray(roots, dtype=np.float64) + beta[0, n, :NT])


def check_pcfg(name, terms, rules, roots, lengths, rng, brute):
    global cases
    cases += 1
    B, N, P = terms.shape
    NT = rules.shape[0]
    d = rng.normal(0, 1, B).astype(np.float32)
    (logz,) = run(name, "pcfg_log_partition", [terms, rules, roots, lengths], 1)
    g_terms, g_rules, g_roots = run(name, "pcfg_log_partition_vjp",
                                    [terms, rules, roots, lengths, d], 3)
    for b in range(B):
        n = int(lengths[b])
        where = "%s[b=%d]" % (name, b)
        compare(where + " log Z", logz[b], pcfg_inside(terms[b], rules, roots, n))
        if brute:
            scores = [float(roots[A]) + s for A in range(NT)
                      for s in pcfg_derivations(terms[b], rules, NT, 0, n, A)]
            compare(where + " log Z (brute force)", logz[b], logsumexp(scores))
    # Gradients: central differences of Σ_b d[b] log Z_b (float64).
    def total(t, r, o):
        return sum(float(d[b]) * pcfg_inside(t[b], r, o, int(lengths[b]))
                   for b in range(B) if lengths[b] > 1)
    eps = 1e-4
    for _ in range(3):
        for label, array, grad in (("terms", terms, g_terms),
                                   ("rules", rules, g_rules),
                                   ("roots", roots, g_roots)):
            idx = tuple(int(rng.integers(0, n)) for n in array.shape)
            if label == "terms" and lengths[idx[0]] <= 1:
                continue
            plus = array.astype(np.float64)
            minus = array.astype(np.float64)
            plus[idx] += eps
            minus[idx] -= eps
            args_p = {"terms": terms, "rules": rules, "roots": roots}
            args_m = dict(args_p)
            args_p[label], args_m[label] = plus, minus
            fd = (total(args_p["terms"], args_p["rules"], args_p["roots"]) -
                  total(args_m["terms"], args_m["rules"], args_m["roots"])) / (2 * eps)
            compare("%s d/d %s%s" % (name, label, list(idx)), grad[idx], fd,
                    rtol=1e-2, atol=2e-5)


# --------------------------------------------------------------------------
# Projective dependency trees
# --------------------------------------------------------------------------

def is_tree(heads, n, multi_root):
    """heads[m] for m = 1..n (heads[0] unused): every word reaches the root
    without a cycle (and, unless multi_root, the root has one child)."""
    if not multi_root and sum(1 for m in range(1, n + 1) if heads[m] == 0) != 1:
        return False
    for m in range(1, n + 1):
        seen, h = set(), m
        while h != 0:
            if h in seen:
                return False
            seen.add(h)
            h = heads[h]
    return True


def is_projective_tree(heads, n, multi_root):
    if not is_tree(heads, n, multi_root):
        return False

    def dominates(h, m):
        while m != 0 and m != h:
            m = heads[m]
        return m == h

    for m in range(1, n + 1):
        h = heads[m]
        for k in range(min(h, m) + 1, max(h, m)):
            if not dominates(h, k):
                return False
    return True


def head_assignments(n, multi_root, projective):
    """Every tree over words 1..n as heads (heads[0] = -1)."""
    accept = is_projective_tree if projective else is_tree
    for choice in itertools.product(range(n + 1), repeat=n):
        heads = (-1,) + choice
        if all(heads[m] != m for m in range(1, n + 1)) and \
                accept(heads, n, multi_root):
            yield heads


def eisner(arcs, n, reduce, multi_root):
    """float64 Eisner: log Z (reduce=logsumexp) or the best score (max)."""
    a = np.asarray(arcs, dtype=np.float64)
    P = n + 1
    C = {}  # C[s, t, d]: d = 0 head t (left), 1 head s (right)
    I = {}
    for s in range(P):
        C[s, s, 0] = C[s, s, 1] = 0.0
    for w in range(1, P):
        for s in range(P - w):
            t = s + w
            inner = reduce([C[s, r, 1] + C[r + 1, t, 0] for r in range(s, t)])
            I[s, t, 0] = inner + a[t, s]
            I[s, t, 1] = inner + a[s, t]
            C[s, t, 0] = reduce([C[s, r, 0] + I[r, t, 0] for r in range(s, t)])
            C[s, t, 1] = reduce([I[s, r, 1] + C[r, t, 1]
                                 for r in range(s + 1, t + 1)])
    if multi_root:
        return C[0, n, 1]
    return reduce([a[0, m] + C[1, m, 0] + C[m, n, 1] for m in range(1, n + 1)])


def tree_score(arcs, heads, n):
    return sum(float(arcs[heads[m], m]) for m in range(1, n + 1))


def check_arc_gradient(where, arcs, grad, d, n, trees, logz64, rng):
    """The VJP of single-root log Z by the arcs of one sentence: d times the
    arc marginals of `trees` (brute force) or, without them, central
    differences of the float64 `logz64(arcs, n)`; nothing outside the
    sentence's arcs."""
    P = arcs.shape[0]
    if trees is not None:
        scores = [tree_score(arcs, t, n) for t in trees]
        marg = np.zeros((P, P))
        z = logsumexp(scores)
        for t, s in zip(trees, scores):
            for m in range(1, n + 1):
                if np.isfinite(s):
                    marg[t[m], m] += math.exp(s - z)
        compare(where + " marginals (brute force)", grad, d * marg)
    else:
        for _ in range(4):
            m = int(rng.integers(1, n + 1))
            h = int(rng.integers(0, n + 1))
            if h == m:
                continue
            eps = 1e-4
            plus = arcs.astype(np.float64)
            minus = arcs.astype(np.float64)
            plus[h, m] += eps
            minus[h, m] -= eps
            fd = (logz64(plus, n) - logz64(minus, n)) / (2 * eps)
            compare("%s d(log Z)/d arcs[%d,%d]" % (where, h, m),
                    grad[h, m], d * fd, rtol=1e-2, atol=1e-4)
    outside = np.ones((P, P), dtype=bool)
    outside[:n + 1, 1:n + 1] = False
    np.fill_diagonal(outside, True)
    if np.any(grad[outside] != 0):
        failures.append("%s: gradient outside the sentence's arcs" % where)


def check_projective(name, arcs, lengths, rng, brute, multi_root=False):
    global cases
    cases += 1
    B, P, _ = arcs.shape
    prefix = "projective_multi_root_" if multi_root else "projective_"
    d = rng.normal(0, 1, B).astype(np.float32)
    (logz,) = run(name, prefix + "log_partition", [arcs, lengths], 1)
    score, heads = run(name, prefix + "argmax", [arcs, lengths], 2)
    grad = None
    if not multi_root:
        (grad,) = run(name, "projective_log_partition_vjp", [arcs, lengths, d], 1)
    if heads.shape != (B, P) or heads.dtype != np.int32:
        failures.append("%s: heads %s %s" % (name, heads.shape, heads.dtype))
        return
    for b in range(B):
        n = int(lengths[b])
        where = "%s[b=%d]" % (name, b)
        want_logz = eisner(arcs[b], n, logsumexp, multi_root)
        want_best = eisner(arcs[b], n, np.max, multi_root)
        compare(where + " log Z", logz[b], want_logz)
        compare(where + " best score", score[b], want_best)
        got = tuple(int(h) for h in heads[b])
        if got[0] != -1 or any(h != -1 for h in got[n + 1:]):
            failures.append("%s: heads past the sentence: %s" % (where, got))
        elif not is_projective_tree(got, n, multi_root):
            failures.append("%s: heads %s are not a projective tree" %
                            (where, got[:n + 1]))
        else:
            compare(where + " score of the heads", tree_score(arcs[b], got, n),
                    want_best)
        if brute:
            trees = list(head_assignments(n, multi_root, projective=True))
            scores = [tree_score(arcs[b], t, n) for t in trees]
            compare(where + " log Z (brute force)", logz[b], logsumexp(scores))
            best = trees[int(np.argmax(scores))]
            if np.isfinite(max(scores)) and best != got[:n + 1]:
                failures.append("%s: best heads %s, brute force %s" %
                                (where, got[:n + 1], best))
        if grad is not None:
            check_arc_gradient(
                where, arcs[b], grad[b], d[b], n, trees if brute else None,
                lambda a, n: eisner(a, n, logsumexp, False), rng)


# --------------------------------------------------------------------------
# Non-projective dependency trees (matrix-tree theorem)
# --------------------------------------------------------------------------

def matrix_tree_logz(arcs, n, multi_root):
    """float64 reference: numpy's slogdet of Koo et al.'s matrix."""
    a = np.asarray(arcs, dtype=np.float64)[:n + 1, :n + 1]
    w = np.exp(a)
    np.fill_diagonal(w, 0.0)
    w[:, 0] = 0.0
    lap = -w[1:, 1:].copy()
    np.fill_diagonal(lap, w[1:, 1:].sum(0))
    if multi_root:
        lap[np.diag_indices(n)] += w[0, 1:]
    else:
        lap[0, :] = w[0, 1:]
    sign, logdet = np.linalg.slogdet(lap)
    return logdet if sign > 0 else -np.inf


def chu_liu_edmonds(scores):
    """Textbook recursive Chu-Liu-Edmonds (float64, -inf = no arc) over
    nodes 0..V-1 rooted at 0: the best arborescence's score, or -inf."""
    V = scores.shape[0]
    s = np.array(scores, dtype=np.float64)
    s[:, 0] = -np.inf
    np.fill_diagonal(s, -np.inf)
    best = [int(np.argmax(s[:, v])) if v else -1 for v in range(V)]
    if any(not np.isfinite(s[best[v], v]) for v in range(1, V)):
        return -np.inf
    for start in range(1, V):
        path, v = [], start
        while v > 0 and v not in path:
            path.append(v)
            v = best[v]
        if v > 0:
            cycle = path[path.index(v):]
            break
    else:
        return sum(s[best[v], v] for v in range(1, V))
    # Contract the cycle into one node c; arcs into it are re-scored.
    rest = [v for v in range(V) if v not in cycle]
    c = len(rest)
    t = np.full((c + 1, c + 1), -np.inf)
    inner = sum(s[best[v], v] for v in cycle)
    for i, u in enumerate(rest):
        for j, v in enumerate(rest):
            t[i, j] = s[u, v]
        t[i, c] = max(s[u, v] - s[best[v], v] for v in cycle)
        t[c, i] = max(s[v, u] for v in cycle)
    return inner + chu_liu_edmonds(t)


def best_nonprojective(arcs, n, multi_root):
    """float64 reference best score: CLE, and with one root child the best
    over which child that is (other root arcs forbidden)."""
    a = np.asarray(arcs, dtype=np.float64)[:n + 1, :n + 1]
    if multi_root:
        return chu_liu_edmonds(a)
    best = -np.inf
    for r in range(1, n + 1):
        b = a.copy()
        b[0, :] = -np.inf
        b[0, r] = a[0, r]
        best = max(best, chu_liu_edmonds(b))
    return best


def check_nonprojective(name, arcs, lengths, rng, brute, multi_root=False):
    global cases
    cases += 1
    B, P, _ = arcs.shape
    prefix = "nonprojective_multi_root_" if multi_root else "nonprojective_"
    d = rng.normal(0, 1, B).astype(np.float32)
    (logz,) = run(name, prefix + "log_partition", [arcs, lengths], 1)
    score, heads = run(name, prefix + "argmax", [arcs, lengths], 2)
    grad = best_grad = None
    if not multi_root:
        (grad,) = run(name, "nonprojective_log_partition_vjp",
                      [arcs, lengths, d], 1)
        (best_grad,) = run(name, "nonprojective_max_score_vjp",
                           [arcs, lengths, d], 1)
    if heads.shape != (B, P) or heads.dtype != np.int32:
        failures.append("%s: heads %s %s" % (name, heads.shape, heads.dtype))
        return
    for b in range(B):
        n = int(lengths[b])
        where = "%s[b=%d]" % (name, b)
        compare(where + " log Z", logz[b],
                matrix_tree_logz(arcs[b], n, multi_root))
        want_best = best_nonprojective(arcs[b], n, multi_root)
        compare(where + " best score", score[b], want_best)
        got = tuple(int(h) for h in heads[b])
        if not np.isfinite(want_best):
            if any(h != -1 for h in got):
                failures.append("%s: heads %s without a tree" % (where, got))
        elif got[0] != -1 or any(h != -1 for h in got[n + 1:]):
            failures.append("%s: heads past the sentence: %s" % (where, got))
        elif not is_tree(got, n, multi_root):
            failures.append("%s: heads %s are not a tree" % (where, got[:n + 1]))
        else:
            compare(where + " score of the heads", tree_score(arcs[b], got, n),
                    want_best)
            # Crossing arcs allowed: never below the best projective tree.
            projective = eisner(arcs[b], n, np.max, multi_root)
            if score[b] < projective - 1e-4 * max(1.0, abs(projective)):
                failures.append("%s: best %g below the projective best %g" %
                                (where, score[b], projective))
        if best_grad is not None:
            indicator = np.zeros((P, P))
            if np.isfinite(want_best):
                for m in range(1, n + 1):
                    indicator[got[m], m] = 1.0
            compare(where + " gradient of the best score", best_grad[b],
                    d[b] * indicator)
        if brute:
            trees = list(head_assignments(n, multi_root, projective=False))
            scores = [tree_score(arcs[b], t, n) for t in trees]
            compare(where + " log Z (brute force)", logz[b], logsumexp(scores))
            compare(where + " best score (brute force)", score[b], max(scores))
        if grad is not None:
            check_arc_gradient(
                where, arcs[b], grad[b], d[b], n, trees if brute else None,
                lambda a, n: matrix_tree_logz(a, n, False), rng)


def main():
    global cases
    rng = np.random.default_rng(7)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    i32 = lambda a: np.asarray(a, dtype=np.int32)

    # CKY: tiny sizes by brute force, ragged lengths, n = 1.
    check_cky("cky_tiny", f32(rng.normal(0, 1, (4, 4, 4, 2))), i32([4, 1, 3, 2]),
              rng, brute=True)
    check_cky("cky_one_label", f32(rng.normal(0, 2, (2, 5, 5, 1))), i32([5, 4]),
              rng, brute=True)
    # Zero scores, one label: log Z = log Catalan(n - 1).
    cases += 1
    (logz,) = run("cky_catalan", "cky_log_partition",
                  [f32(np.zeros((6, 7, 7, 1))), i32([1, 2, 3, 4, 5, 7])], 1)
    catalan = [math.comb(2 * k, k) // (k + 1) for k in range(7)]
    compare("cky_catalan", logz, [math.log(catalan[n - 1]) for n in [1, 2, 3, 4, 5, 7]])
    # Larger: float64 chart and central differences; large scores.
    check_cky("cky_larger", f32(rng.normal(0, 1, (3, 12, 12, 3))), i32([12, 7, 10]),
              rng, brute=False)
    check_cky("cky_scale20", f32(rng.normal(0, 20, (2, 9, 9, 2))), i32([9, 6]),
              rng, brute=False)
    # Forbidden spans (-inf) except the ones of one forced tree.
    spans = np.full((1, 5, 5, 2), -np.inf, dtype=np.float32)
    forced = [(0, 4), (0, 0), (1, 4), (1, 2), (1, 1), (2, 2), (3, 4), (3, 3), (4, 4)]
    for (i, j) in forced:
        spans[0, i, j, 1] = rng.normal()
    check_cky("cky_forced", spans, i32([5]), rng, brute=True)

    # PCFG: brute force over derivations (tiny grammar), float64 inside and
    # central differences; n = 1 gives -inf (no nonterminal covers a word).
    check_pcfg("pcfg_tiny", f32(rng.normal(0, 1, (3, 4, 2))),
               f32(rng.normal(0, 1, (2, 4, 4))), f32(rng.normal(0, 1, 2)),
               i32([4, 3, 2]), rng, brute=True)
    check_pcfg("pcfg_larger", f32(rng.normal(0, 1, (2, 8, 4))),
               f32(rng.normal(0, 1, (3, 7, 7))), f32(rng.normal(0, 1, 3)),
               i32([8, 5]), rng, brute=False)
    cases += 1
    (logz,) = run("pcfg_one_word", "pcfg_log_partition",
                  [f32(np.zeros((2, 3, 2))), f32(np.zeros((2, 4, 4))),
                   f32(np.zeros(2)), i32([1, 3])], 1)
    # n = 3 with zero scores: 2 bracketings × 2 labels for each of the two
    # inner nodes × 2 preterminals for each of the three words.
    compare("pcfg_one_word", logz, [-np.inf, math.log(2 * 4 * 8)])

    # Projective trees.
    for multi in (False, True):
        tag = "_multi" if multi else ""
        check_projective("proj_tiny" + tag, f32(rng.normal(0, 1, (4, 5, 5))),
                         i32([4, 1, 3, 2]), rng, brute=True, multi_root=multi)
        check_projective("proj_larger" + tag, f32(rng.normal(0, 1, (3, 11, 11))),
                         i32([10, 6, 9]), rng, brute=False, multi_root=multi)
    check_projective("proj_scale20", f32(rng.normal(0, 20, (2, 6, 6))), i32([5, 3]),
                     rng, brute=True)
    # Forbidden attachments (-inf) and a forced chain 0 -> 1 -> 2 -> 3.
    arcs = f32(rng.normal(0, 1, (2, 5, 5)))
    arcs[0, :, :] = -np.inf
    for h, m in [(0, 1), (1, 2), (2, 3)]:
        arcs[0, h, m] = rng.normal()
    arcs[1, rng.random((5, 5)) < 0.3] = -np.inf
    arcs[1, 0, 1:] = 0.5
    check_projective("proj_forbidden", arcs, i32([3, 4]), rng, brute=True)
    # Zero scores: the single-root projective tree counts, by enumeration.
    cases += 1
    lens = [1, 2, 3, 4, 5]
    (logz,) = run("proj_counts", "projective_log_partition",
                  [f32(np.zeros((5, 6, 6))), i32(lens)], 1)
    compare("proj_counts", logz,
            [math.log(sum(1 for _ in head_assignments(n, False, projective=True))) for n in lens])

    # Non-projective trees: brute force (every head assignment without a
    # cycle), float64 slogdet and central differences, the Cayley counts
    # under zero scores (n^(n-1) with one root child, (n+1)^(n-1) without
    # the rule), forbidden arcs, a forced chain, no tree at all (-inf).
    for multi in (False, True):
        tag = "_multi" if multi else ""
        check_nonprojective("nonproj_tiny" + tag, f32(rng.normal(0, 1, (4, 5, 5))),
                            i32([4, 1, 3, 2]), rng, brute=True, multi_root=multi)
        check_nonprojective("nonproj_larger" + tag,
                            f32(rng.normal(0, 2, (3, 31, 31))), i32([30, 17, 24]),
                            rng, brute=False, multi_root=multi)
    arcs = f32(rng.normal(0, 1, (2, 5, 5)))
    arcs[0, :, :] = -np.inf
    for h, m in [(0, 3), (3, 1), (1, 2), (1, 4)]:
        arcs[0, h, m] = rng.normal()
    arcs[1, rng.random((5, 5)) < 0.4] = -np.inf
    arcs[1, 0, 2] = 0.3
    check_nonprojective("nonproj_forbidden", arcs, i32([4, 4]), rng, brute=True)
    cases += 1
    lens = [1, 2, 3, 4, 6]
    (logz,) = run("nonproj_counts", "nonprojective_log_partition",
                  [f32(np.zeros((5, 7, 7))), i32(lens)], 1)
    compare("nonproj_counts", logz, [(n - 1) * math.log(n) for n in lens])
    (logz,) = run("nonproj_counts", "nonprojective_multi_root_log_partition",
                  [f32(np.zeros((5, 7, 7))), i32(lens)], 1)
    compare("nonproj_counts_multi", logz,
            [(n - 1) * math.log(n + 1) for n in lens])
    (logz,) = run("nonproj_none", "nonprojective_log_partition",
                  [f32(np.full((1, 4, 4), -np.inf)), i32([3])], 1)
    compare("nonproj_none", logz, [-np.inf])
    # Chu-Liu-Edmonds against its float64 reference where cycles nest:
    # scores that favour 2-cycles and a ring at every scale, ties (integer
    # scores), and sentences whose best tree needs many root children.
    for multi in (False, True):
        tag = "_multi" if multi else ""
        nested = rng.normal(0, 0.1, (4, 21, 21))
        for m in range(1, 21):
            nested[:, m + 1 if m % 2 else m - 1, m] += 5.0   # 2-cycles
            nested[:, (m % 20) + 1, m] += 3.0            # one ring
        nested[1] = np.round(nested[1])                  # ties
        nested[3, 0, :] += 8.0                           # root arcs win
        check_nonprojective("nonproj_nested" + tag, f32(nested),
                            i32([20, 20, 13, 20]), rng, brute=False,
                            multi_root=multi)

    # NaN under max: a NaN the sentence's trees read makes the best score
    # NaN (max would drop it); NaNs nothing reads (the lower triangle,
    # past the length, arcs into the root, self-loops) change nothing.
    cases += 1
    spans = f32(rng.normal(0, 1, (3, 4, 4, 2)))
    spans[0, 1, 2, 1] = np.nan       # inside sentence 0
    spans[1, 2, 1, 0] = np.nan       # lower triangle
    spans[2, 0, 3, 0] = np.nan       # past length 3
    score, _ = run("cky_nan", "cky_argmax", [spans, i32([4, 4, 3])], 2)
    if not np.isnan(score[0]) or np.any(np.isnan(score[1:])):
        failures.append("cky_nan: best scores %s" % score)
    arcs = f32(rng.normal(0, 1, (3, 5, 5)))
    arcs[0, 2, 3] = np.nan           # an arc between words
    arcs[1, 3, 0] = np.nan           # into the root
    arcs[1, 2, 2] = np.nan           # a self-loop
    arcs[2, 1, 4] = np.nan           # to a word past length 3
    for entry in ("projective_argmax", "projective_multi_root_argmax",
                  "nonprojective_argmax", "nonprojective_multi_root_argmax"):
        score, _ = run("proj_nan", entry, [arcs, i32([4, 4, 3])], 2)
        if not np.isnan(score[0]) or np.any(np.isnan(score[1:])):
            failures.append("%s NaN: best scores %s" % (entry, score))

    print("%d cases, %d failures" % (cases, len(failures)))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
