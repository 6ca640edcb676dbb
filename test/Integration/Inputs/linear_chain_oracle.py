"""Checks examples/linear_chain_crf.mlir, run through sdp-run, against
brute-force enumeration (small sizes) and a float64 forward algorithm.

usage: linear_chain_oracle.py SDP_RUN EXAMPLE WORKDIR [SDP_RUN_FLAGS...]
Exits non-zero and prints every mismatch when a check fails.
"""

import itertools
import math
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

NEG_INF = float("-inf")
SDP_RUN, EXAMPLE, WORKDIR = sys.argv[1:4]
# Extra sdp-run flags, e.g. --target=gpu.
EXTRA_FLAGS = sys.argv[4:]
os.makedirs(WORKDIR, exist_ok=True)
failures = []


def f32(x):
    return float(__import__("struct").unpack("<f", __import__("struct").pack("<f", x))[0])


def logsumexp(values):
    m = max(values)
    if m == NEG_INF:
        return NEG_INF
    return m + math.log(sum(math.exp(v - m) for v in values))


class Case:
    def __init__(self, name, B, T, C, full, rng, emission_std=1.0,
                 forbid=0.0, lengths=None, masked_emissions=0.0):
        self.name, self.B, self.T, self.C, self.full = name, B, T, C, full
        # sdp-run flags of this case's runs.
        self.flags = []
        g = lambda std: f32(rng.gauss(0.0, std))
        self.em = [[[g(emission_std) for _ in range(C)] for _ in range(T)] for _ in range(B)]
        if full:
            self.tr = [[[[g(1.0) for _ in range(C)] for _ in range(C)] for _ in range(T - 1)]
                       for _ in range(B)]
        else:
            self.tr = [[g(1.0) for _ in range(C)] for _ in range(C)]
        self.start = [g(1.0) for _ in range(C)]
        self.end = [g(1.0) for _ in range(C)]
        if forbid:
            self._forbid(rng, forbid)
        # Emissions of -inf: labels impossible at a position.
        for per_b in self.em:
            for row in per_b:
                for c in range(C):
                    if rng.random() < masked_emissions:
                        row[c] = NEG_INF
        self.lengths = lengths or [rng.randint(1, T) for _ in range(B)]

    def _forbid(self, rng, fraction):
        # Forbid transitions (-inf) but keep each label reachable from one.
        C = self.C
        def mask(m):
            for i in range(C):
                for j in range(C):
                    if i != j and rng.random() < fraction:
                        m[i][j] = NEG_INF
        if self.full:
            for per_b in self.tr:
                for m in per_b:
                    mask(m)
        else:
            mask(self.tr)

    def trans(self, b, t, i, j):  # into position t
        return self.tr[b][t - 1][i][j] if self.full else self.tr[i][j]

    def score(self, b, y):
        n = len(y)
        s = self.start[y[0]] + self.end[y[n - 1]]
        s += sum(self.em[b][t][y[t]] for t in range(n))
        s += sum(self.trans(b, t, y[t - 1], y[t]) for t in range(1, n))
        return s

    def brute_force(self, b):
        n = self.lengths[b]
        scores = {y: self.score(b, y) for y in itertools.product(range(self.C), repeat=n)}
        best = max(scores, key=scores.get)
        return logsumexp(list(scores.values())), scores[best], list(best)

    def forward(self, b, op):
        n, C = self.lengths[b], self.C
        alpha = [self.start[c] + self.em[b][0][c] for c in range(C)]
        for t in range(1, n):
            alpha = [op([alpha[k] + self.trans(b, t, k, c) for k in range(C)]) + self.em[b][t][c]
                     for c in range(C)]
        return op([alpha[c] + self.end[c] for c in range(C)])

    def write_inputs(self):
        base = os.path.join(WORKDIR, self.name)
        flat = lambda x: [v for v in _flatten(x)]
        npyio.write(base + ".em.npy", "<f4", (self.B, self.T, self.C), flat(self.em))
        shape = (self.B, self.T - 1, self.C, self.C) if self.full else (self.C, self.C)
        npyio.write(base + ".tr.npy", "<f4", shape, flat(self.tr))
        npyio.write(base + ".start.npy", "<f4", (self.C,), self.start)
        npyio.write(base + ".end.npy", "<f4", (self.C,), self.end)
        npyio.write(base + ".len.npy", "<i4", (self.B,), self.lengths)
        return [base + s for s in (".em.npy", ".tr.npy", ".start.npy", ".end.npy", ".len.npy")]

    def run(self, entry, num_outputs):
        inputs = self.write_inputs()
        outs = [os.path.join(WORKDIR, "%s.%s.out%d.npy" % (self.name, entry, i))
                for i in range(num_outputs)]
        cmd = [SDP_RUN, EXAMPLE, "--entry=" + entry] + ["--input=" + p for p in inputs] + \
              ["--output=" + p for p in outs] + EXTRA_FLAGS + self.flags
        subprocess.run(cmd, check=True)
        return [npyio.read(p) for p in outs]


def _flatten(x):
    if isinstance(x, list):
        for e in x:
            yield from _flatten(e)
    else:
        yield x


def close(got, want, tol):
    if want == NEG_INF or got == NEG_INF:
        return got == want
    if math.isnan(got):
        return False
    return abs(got - want) <= tol * max(1.0, abs(want))


def check(case, brute):
    suffix = "_full" if case.full else ""
    (_, _, logz), = case.run("log_partition" + suffix, 1)
    (_, _, best), (_, pshape, path) = case.run("viterbi" + suffix, 2)
    assert pshape == (case.B, case.T), pshape
    for b in range(case.B):
        n = case.lengths[b]
        if brute:
            ref_logz, ref_best, ref_path = case.brute_force(b)
        else:
            ref_logz, ref_best, ref_path = case.forward(b, logsumexp), case.forward(b, max), None
        got_path = path[b * case.T:(b + 1) * case.T]
        where = "%s[b=%d, n=%d]" % (case.name, b, n)
        if not close(logz[b], ref_logz, 1e-5):
            failures.append("%s: log_partition %r, reference %r" % (where, logz[b], ref_logz))
        if not close(best[b], ref_best, 1e-5):
            failures.append("%s: viterbi score %r, reference %r" % (where, best[b], ref_best))
        if got_path[n:] != [-1] * (case.T - n):
            failures.append("%s: path past the length is %r, not -1" % (where, got_path[n:]))
        if ref_path is not None and got_path[:n] != ref_path:
            failures.append("%s: path %r, brute force %r" % (where, got_path[:n], ref_path))
        if ref_path is None and not close(case.score(b, got_path[:n]), ref_best, 1e-5):
            failures.append("%s: path scores %r, best %r" % (where, case.score(b, got_path[:n]), ref_best))


rng = random.Random(1234)
cases = 0
for full in (False, True):
    tag = "full" if full else "factored"
    # Brute force over all label sequences.
    for T, C in ((1, 3), (2, 2), (3, 1), (4, 3), (5, 2)):
        check(Case("bf_%s_T%d_C%d" % (tag, T, C), 3, T, C, full, rng), brute=True)
        cases += 1
    check(Case("bf_%s_len1" % tag, 3, 4, 3, full, rng, lengths=[1, 1, 1]), brute=True)
    check(Case("bf_%s_forbidden" % tag, 4, 4, 3, full, rng, forbid=0.5), brute=True)
    check(Case("bf_%s_wide" % tag, 3, 4, 3, full, rng, emission_std=30.0), brute=True)
    cases += 3
    # float64 forward references at larger sizes.
    check(Case("fw_%s" % tag, 4, 40, 16, full, rng), brute=False)
    check(Case("fw_%s_wide" % tag, 4, 40, 16, full, rng, emission_std=30.0), brute=False)
    check(Case("fw_%s_wide_forbidden" % tag, 4, 30, 12, full, rng, emission_std=30.0,
               forbid=0.3), brute=False)
    check(Case("fw_%s_full_length" % tag, 2, 64, 32, full, rng, lengths=[64, 63]), brute=False)
    check(Case("bf_%s_masked_emissions" % tag, 4, 4, 3, full, rng, masked_emissions=0.3),
          brute=True)
    check(Case("fw_%s_masked_emissions_wide" % tag, 3, 40, 16, full, rng, emission_std=30.0,
               masked_emissions=0.4, forbid=0.2), brute=False)
    cases += 6
# The CPU pipeline's label-major state (at least 16 sequences of fewer than
# 16 labels, or at least 8 of at most 8, in one thread: split across cores,
# the sub-batches would be smaller): brute force, -inf emissions and
# transitions, wide scores, every sequence length from 1 up.
def one_thread(case):
    case.flags = ["--batch-threads=1"]
    return case


check(one_thread(Case("bf_batch_minor", 8, 4, 3, False, rng)), brute=True)
check(one_thread(Case("bf_batch_minor_masked", 9, 4, 2, False, rng, masked_emissions=0.3,
                      forbid=0.3)), brute=True)
check(one_thread(Case("fw_batch_minor_wide", 16, 40, 9, False, rng, emission_std=30.0,
                      lengths=list(range(1, 41, 3)) + [40, 39])), brute=False)
# The scaled real form (transition spread plus a sequence's emission spread
# under 75 nats) with forbidden transitions, and emissions that put some
# sequences near that bound, in both layouts.
check(one_thread(Case("fw_batch_minor_scaled_forbidden", 16, 40, 5, False, rng,
                      emission_std=10.0, forbid=0.4)), brute=False)
check(Case("fw_factored_near_scaled_bound", 4, 60, 16, False, rng, emission_std=12.0,
           forbid=0.2), brute=False)
cases += 5
# The benchmark's shape class, wide scores: long sequences, many labels.
check(Case("fw_factored_long_wide", 2, 256, 32, False, rng, emission_std=30.0,
           lengths=[256, 200]), brute=False)
cases += 1

for f in failures:
    print("FAIL:", f)
print("%d cases, %d failures" % (cases, len(failures)))
sys.exit(1 if failures else 0)
