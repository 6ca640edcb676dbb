"""Checks examples/semi_markov.mlir (log_partition, viterbi,
log_partition_vjp, viterbi_score_vjp), run through sdp-run, against
brute-force enumeration of every segmentation on tiny sizes and a float64
forward algorithm (with central finite differences for the gradients) on
larger ones; with K = 1 also against examples/linear_chain_crf.mlir.

usage: semi_markov_oracle.py SDP_RUN SEMI_MARKOV LINEAR_CHAIN WORKDIR
Prints "N cases, F failures" and every mismatch; exits non-zero on failures.
"""

import itertools
import os
import sys

import numpy as np

import oracle_checks

SDP_RUN, EXAMPLE, LINEAR_CHAIN, WORKDIR = sys.argv[1:5]
os.makedirs(WORKDIR, exist_ok=True)
failures = []
RTOL, ATOL = 1e-3, 1e-4


def logsumexp(x):
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0:
        return -np.inf
    m = np.max(x)
    if np.isneginf(m):
        return -np.inf
    return m + np.log(np.sum(np.exp(x - m)))


def segmentations(n, K):
    """Every composition of n into parts of size 1..K, as (start, length)."""
    if n == 0:
        yield []
        return
    for length in range(1, min(K, n) + 1):
        for rest in segmentations(n - length, K):
            yield [(0, length)] + [(s + length, l) for s, l in rest]


class Case:
    def __init__(self, name, B, T, K, C, rng, lengths=None, forbid=0.0,
                 scale=1.0):
        self.name, self.B, self.T, self.K, self.C = name, B, T, K, C
        f32 = lambda a: np.asarray(a, dtype=np.float32)
        self.seg = f32(rng.normal(0, scale, (B, T, K, C)))
        if forbid:
            mask = rng.random(self.seg.shape) < forbid
            mask[:, :, 0, :] = False  # length-1 segments keep all reachable
            self.seg[mask] = -np.inf
        self.tr = f32(rng.normal(0, 1, (C, C)))
        self.start = f32(rng.normal(0, 1, C))
        self.end = f32(rng.normal(0, 1, C))
        self.lengths = np.asarray(lengths if lengths is not None
                                  else rng.integers(1, T + 1, B), dtype=np.int32)

    def inputs(self):
        return [self.seg, self.tr, self.start, self.end, self.lengths]

    def score(self, b, segs, labels, seg=None, tr=None, start=None, end=None):
        seg = self.seg if seg is None else seg
        tr = self.tr if tr is None else tr
        start = self.start if start is None else start
        end = self.end if end is None else end
        total = float(start[labels[0]]) + float(end[labels[-1]])
        for j, ((s, l), y) in enumerate(zip(segs, labels)):
            total += float(seg[b, s, l - 1, y])
            if j:
                total += float(tr[labels[j - 1], y])
        return total

    def enumerate(self, b):
        n = int(self.lengths[b])
        for segs in segmentations(n, self.K):
            for labels in itertools.product(range(self.C), repeat=len(segs)):
                yield segs, labels

    def forward64(self, b, seg, tr, start, end, semiring="log"):
        """alpha over end positions, float64."""
        reduce = logsumexp if semiring == "log" else (
            lambda x: np.max(x) if len(x) else -np.inf)
        n, C, K = int(self.lengths[b]), self.C, self.K
        alpha = np.full((n + 1, C), -np.inf)
        for e in range(1, n + 1):
            for c in range(C):
                terms = []
                for k in range(1, min(K, e) + 1):
                    s = e - k
                    w = float(seg[b, s, k - 1, c])
                    if s == 0:
                        terms.append(float(start[c]) + w)
                    else:
                        terms.extend(alpha[s] + tr[:, c].astype(np.float64) + w)
                alpha[e, c] = reduce(terms)
        return reduce(alpha[n] + end.astype(np.float64))

    def run(self, entry, extra, num_outputs, example=None, inputs=None):
        arrays = (inputs if inputs is not None else self.inputs()) + extra
        return oracle_checks.run_entry(SDP_RUN, example or EXAMPLE,
                                       os.path.join(WORKDIR, self.name), entry,
                                       arrays, num_outputs)


def compare(where, got, want, rtol=RTOL):
    oracle_checks.compare(failures, where, got, want, rtol, ATOL)


def decode(case, b, labels, lengths):
    """The segmentation that viterbi's two outputs describe, or None."""
    n = int(case.lengths[b])
    if np.any(labels[b, n:] != -1) or np.any(lengths[b, n:] != -1):
        return None
    segs, ys, s = [], [], 0
    while s < n:
        l = int(lengths[b, s])
        if l < 1 or l > case.K or s + l > n:
            return None
        if np.any(labels[b, s:s + l] != labels[b, s]) or np.any(lengths[b, s + 1:s + l] != 0):
            return None
        segs.append((s, l))
        ys.append(int(labels[b, s]))
        s += l
    return segs, ys


def check(case, brute_force):
    rng = np.random.default_rng(11)
    d = rng.normal(0, 1, case.B).astype(np.float32)
    f64 = lambda a: a.astype(np.float64)
    seg, tr, start, end = map(f64, (case.seg, case.tr, case.start, case.end))

    # log Z and its gradient.
    if brute_force:
        logz = np.empty(case.B)
        grads = [np.zeros(seg.shape), np.zeros(tr.shape), np.zeros(case.C), np.zeros(case.C)]
        best = np.empty(case.B)
        for b in range(case.B):
            items = list(case.enumerate(b))
            scores = np.array([case.score(b, s, y, seg, tr, start, end) for s, y in items])
            logz[b] = logsumexp(scores)
            best[b] = np.max(scores)
            for (segs, ys), sc in zip(items, scores):
                p = d[b] * np.exp(sc - logz[b])
                for j, ((s, l), y) in enumerate(zip(segs, ys)):
                    grads[0][b, s, l - 1, y] += p
                    if j:
                        grads[1][ys[j - 1], y] += p
                grads[2][ys[0]] += p
                grads[3][ys[-1]] += p
    else:
        logz = np.array([case.forward64(b, seg, tr, start, end) for b in range(case.B)])
        best = np.array([case.forward64(b, seg, tr, start, end, "max") for b in range(case.B)])
        grads = None

    (got,) = case.run("log_partition", [], 1)
    compare("%s: log_partition" % case.name, got, logz, 1e-5)
    got_grads = case.run("log_partition_vjp", [d], 4)
    names = ("segments", "transitions", "start", "end")
    if grads is not None:
        for name, g, w in zip(names, got_grads, grads):
            compare("%s: d_%s" % (case.name, name), g, w)
    else:
        check_finite_differences(case, d, got_grads)
    # Segments that end past a length, and forbidden ones, get exactly 0.
    for b in range(case.B):
        n = int(case.lengths[b])
        for s in range(case.T):
            for k in range(case.K):
                if s + k + 1 > n and np.any(got_grads[0][b, s, k] != 0.0):
                    failures.append("%s: d_segments[%d, %d, %d] past the length is %r"
                                    % (case.name, b, s, k, got_grads[0][b, s, k]))
                    break
    if np.any(got_grads[0][np.isneginf(case.seg)] != 0.0):
        failures.append("%s: forbidden segments have nonzero cotangents" % case.name)

    # Viterbi: the best score, a segmentation that scores it, its indicator.
    score, labels, lengths = case.run("viterbi", [], 3)
    compare("%s: viterbi score" % case.name, score, best, 1e-5)
    indicator = [np.zeros(seg.shape), np.zeros(tr.shape), np.zeros(case.C), np.zeros(case.C)]
    for b in range(case.B):
        decoded = decode(case, b, labels, lengths)
        if decoded is None:
            failures.append("%s[b=%d]: not a segmentation: labels %r lengths %r"
                            % (case.name, b, labels[b], lengths[b]))
            continue
        segs, ys = decoded
        own = case.score(b, segs, ys, seg, tr, start, end)
        if abs(own - best[b]) > 1e-4 * max(1.0, abs(best[b])):
            failures.append("%s[b=%d]: best segmentation scores %r, best is %r"
                            % (case.name, b, own, best[b]))
        for j, ((s, l), y) in enumerate(zip(segs, ys)):
            indicator[0][b, s, l - 1, y] += d[b]
            if j:
                indicator[1][ys[j - 1], y] += d[b]
        indicator[2][ys[0]] += d[b]
        indicator[3][ys[-1]] += d[b]
    for name, g, w in zip(names, case.run("viterbi_score_vjp", [d], 4), indicator):
        compare("%s: viterbi d_%s" % (case.name, name), g, w)

    if case.K == 1:
        # K = 1 is the linear chain with emissions segments[:, :, 0, :].
        inputs = [np.ascontiguousarray(case.seg[:, :, 0, :]), case.tr, case.start,
                  case.end, case.lengths]
        (chain,) = case.run("log_partition", [], 1, LINEAR_CHAIN, inputs)
        (own,) = case.run("log_partition", [], 1)
        compare("%s: K=1 against linear_chain" % case.name, own, chain, 1e-5)


def check_finite_differences(case, d, got_grads):
    h = 1e-4
    f64 = lambda a: a.astype(np.float64).copy()
    base = [f64(case.seg), f64(case.tr), f64(case.start), f64(case.end)]
    rng = np.random.default_rng(5)

    def objective(args):
        return sum(d[b] * case.forward64(b, *args) for b in range(case.B))

    for which in range(4):
        for _ in range(4):
            i = tuple(rng.integers(0, s) for s in base[which].shape)
            if not np.isfinite(base[which][i]):
                continue
            plus = [a.copy() for a in base]
            minus = [a.copy() for a in base]
            plus[which][i] += h
            minus[which][i] -= h
            want = (objective(plus) - objective(minus)) / (2 * h)
            got = float(got_grads[which][i])
            if abs(got - want) > 2e-3 + 2e-3 * abs(want):
                failures.append("%s: d[%d]%s = %r, central difference %r"
                                % (case.name, which, i, got, want))


rng = np.random.default_rng(2024)
cases = [
    (Case("tiny", 3, 5, 3, 2, rng), True),
    (Case("length-one", 2, 4, 2, 3, rng, lengths=[1, 1]), True),
    (Case("k-one", 3, 6, 1, 3, rng), True),
    (Case("k-past-t", 2, 3, 5, 2, rng, lengths=[3, 2]), True),
    (Case("ragged", 4, 6, 3, 2, rng, lengths=[6, 1, 4, 3]), True),
    (Case("one-label", 2, 5, 3, 1, rng), True),
    (Case("forbidden", 3, 6, 3, 2, rng, forbid=0.4), True),
    (Case("medium", 4, 24, 5, 4, rng), False),
    (Case("medium-k1", 3, 20, 1, 5, rng), False),
    (Case("wide-scores", 3, 16, 4, 3, rng, scale=20.0), False),
]
for case, brute in cases:
    check(case, brute)

print("%d cases, %d failures" % (len(cases), len(failures)))
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
