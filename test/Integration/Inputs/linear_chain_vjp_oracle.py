"""Checks the compiler-derived adjoints of examples/linear_chain_crf.mlir
(log_partition_vjp, log_partition_full_vjp, marginals, viterbi_vjp), run
through sdp-run, against a float64 forward-backward reference. The reference
itself is checked against central finite differences of a float64 forward
on small cases, and log_partition against the float64 forward everywhere
(including the wide-range transitions the real-arithmetic form used to lose).

usage: linear_chain_vjp_oracle.py SDP_RUN EXAMPLE WORKDIR [SDP_RUN_FLAGS...]
Exits non-zero and prints every mismatch when a check fails.
"""

import os
import subprocess
import sys

import numpy as np

SDP_RUN, EXAMPLE, WORKDIR = sys.argv[1:4]
EXTRA_FLAGS = sys.argv[4:]
os.makedirs(WORKDIR, exist_ok=True)
failures = []
RTOL, ATOL = 1e-3, 1e-4


def logsumexp(x, axis):
    m = np.max(x, axis=axis, keepdims=True)
    m = np.where(np.isneginf(m), 0.0, m)
    with np.errstate(divide="ignore"):
        return np.squeeze(m, axis) + np.log(np.sum(np.exp(x - m), axis=axis))


class Case:
    def __init__(self, name, B, T, C, full, rng, em_std=1.0, tr_std=1.0,
                 forbid=0.0, lengths=None):
        self.name, self.B, self.T, self.C, self.full = name, B, T, C, full
        # sdp-run flags of this case's runs.
        self.flags = []
        self.rtol = None
        f32 = lambda a: np.asarray(a, dtype=np.float32)
        self.em = f32(rng.normal(0, em_std, (B, T, C)))
        shape = (B, T - 1, C, C) if full else (C, C)
        self.tr = f32(rng.normal(0, tr_std, shape))
        if forbid:
            mask = rng.random(shape) < forbid
            eye = np.eye(C, dtype=bool)
            mask &= ~np.broadcast_to(eye, shape)  # keep every label reachable
            self.tr[mask] = -np.inf
        self.start = f32(rng.normal(0, 1, C))
        self.end = f32(rng.normal(0, 1, C))
        self.lengths = np.asarray(lengths if lengths is not None
                                  else rng.integers(1, T + 1, B), dtype=np.int32)

    def trans(self, b, t):  # [C, C] into position t (t >= 1), float64
        tr = self.tr[b, t - 1] if self.full else self.tr
        return tr.astype(np.float64)

    def forward_backward(self, b):
        """log Z and the gradients of log Z_b (float64)."""
        n, C = int(self.lengths[b]), self.C
        em = self.em[b].astype(np.float64)
        alpha = np.empty((n, C))
        alpha[0] = self.start + em[0]
        for t in range(1, n):
            alpha[t] = logsumexp(alpha[t - 1][:, None] + self.trans(b, t), 0) + em[t]
        beta = np.empty((n, C))
        beta[n - 1] = self.end
        for t in range(n - 2, -1, -1):
            beta[t] = logsumexp(self.trans(b, t + 1) + (em[t + 1] + beta[t + 1])[None, :], 1)
        logz = logsumexp(alpha[n - 1] + self.end, 0)
        d_em = np.zeros((self.T, C))
        d_em[:n] = np.exp(alpha + beta - logz)
        d_tr = np.zeros(self.tr.shape)
        for t in range(1, n):
            tr = self.trans(b, t)
            with np.errstate(invalid="ignore"):
                edge = np.exp(alpha[t - 1][:, None] + tr + (em[t] + beta[t])[None, :] - logz)
            edge[np.isneginf(tr)] = 0.0
            if self.full:
                d_tr[b, t - 1] = edge
            else:
                d_tr += edge
        return logz, d_em, d_tr, d_em[0].copy(), np.exp(alpha[n - 1] + self.end - logz)

    def reference(self, d):
        logz = np.empty(self.B)
        d_em = np.zeros(self.em.shape)
        d_tr = np.zeros(self.tr.shape)
        d_start = np.zeros(self.C)
        d_end = np.zeros(self.C)
        for b in range(self.B):
            z, e, t, s, en = self.forward_backward(b)
            logz[b] = z
            d_em[b] = d[b] * e
            d_tr += d[b] * t
            d_start += d[b] * s
            d_end += d[b] * en
        return logz, d_em, d_tr, d_start, d_end

    def logz64(self, em, tr, start, end):
        total = 0.0
        saved = self.em, self.tr, self.start, self.end
        self.em, self.tr, self.start, self.end = em, tr, start, end
        logz = [self.forward_backward(b)[0] for b in range(self.B)]
        self.em, self.tr, self.start, self.end = saved
        return np.array(logz)

    def run(self, entry, extra_inputs, num_outputs):
        base = os.path.join(WORKDIR, self.name)
        arrays = [self.em, self.tr, self.start, self.end, self.lengths] + extra_inputs
        paths = []
        for i, a in enumerate(arrays):
            paths.append("%s.in%d.npy" % (base, i))
            np.save(paths[-1], a)
        outs = ["%s.%s.out%d.npy" % (base, entry, i) for i in range(num_outputs)]
        cmd = [SDP_RUN, EXAMPLE, "--entry=" + entry] + ["--input=" + p for p in paths] + \
              ["--output=" + p for p in outs] + EXTRA_FLAGS + self.flags
        subprocess.run(cmd, check=True)
        return [np.load(p) for p in outs]


def compare(where, got, want, rtol=None):
    rtol = RTOL if rtol is None else rtol
    got = np.asarray(got, dtype=np.float64)
    if got.shape != want.shape:
        failures.append("%s: shape %s, reference %s" % (where, got.shape, want.shape))
        return
    if not np.all(np.isfinite(got)):
        failures.append("%s: %d non-finite values" % (where, np.sum(~np.isfinite(got))))
        return
    bad = np.abs(got - want) > ATOL + rtol * np.abs(want)
    if np.any(bad):
        i = np.unravel_index(np.argmax(np.abs(got - want)), got.shape)
        failures.append("%s: %d mismatches, worst at %s: %r vs %r" %
                        (where, np.sum(bad), i, got[i], want[i]))


def check(case, finite_differences=False):
    rng = np.random.default_rng(7)
    d = rng.normal(0, 1, case.B).astype(np.float32)
    suffix = "_full" if case.full else ""
    logz, d_em, d_tr, d_start, d_end = case.reference(d.astype(np.float64))
    (got_logz,) = case.run("log_partition" + suffix, [], 1)
    if np.any(np.abs(got_logz - logz) > 1e-5 * np.maximum(1.0, np.abs(logz))):
        failures.append("%s: log_partition %r, reference %r" % (case.name, got_logz, logz))
    got = case.run("log_partition%s_vjp" % suffix, [d], 4)
    for name, g, w in zip(("emissions", "transitions", "start", "end"), got,
                          (d_em, d_tr, d_start, d_end)):
        compare("%s: d_%s" % (case.name, name), g, w, case.rtol)
    if not case.full and case.T > 64:
        # Checkpoints every 64 positions give the same gradients.
        checkpointed = case.run("log_partition_vjp_checkpointed", [d], 4)
        for name, g, w in zip(("emissions", "transitions", "start", "end"),
                              checkpointed, (d_em, d_tr, d_start, d_end)):
            compare("%s: checkpointed d_%s" % (case.name, name), g, w, case.rtol)
    # Forbidden transitions get exactly 0.
    forbidden = np.isneginf(case.tr)
    if np.any(forbidden) and np.any(got[1][forbidden] != 0.0):
        failures.append("%s: forbidden transitions have nonzero cotangents" % case.name)
    if not case.full:
        (p,) = case.run("marginals", [], 1)
        compare("%s: marginals" % case.name, p, case.reference(np.ones(case.B))[1],
                case.rtol)
        sums = p.astype(np.float64).sum(axis=2)
        for b in range(case.B):
            n = case.lengths[b]
            if np.any(np.abs(sums[b, :n] - 1.0) > 1e-3) or np.any(sums[b, n:] != 0.0):
                failures.append("%s[b=%d]: marginals sum to %r" % (case.name, b, sums[b]))
        check_viterbi(case, d)
    if finite_differences:
        check_finite_differences(case, d.astype(np.float64), d_em, d_tr)


def check_viterbi(case, d):
    """The best score's cotangents are its path as an indicator."""
    _, path = case.run("viterbi", [], 2)
    want = [np.zeros(case.em.shape), np.zeros(case.tr.shape), np.zeros(case.C),
            np.zeros(case.C)]
    for b in range(case.B):
        n = case.lengths[b]
        y = path[b, :n]
        for t in range(n):
            want[0][b, t, y[t]] += d[b]
        for t in range(1, n):
            want[1][y[t - 1], y[t]] += d[b]
        want[2][y[0]] += d[b]
        want[3][y[n - 1]] += d[b]
    got = case.run("viterbi_vjp", [d], 4)
    for name, g, w in zip(("emissions", "transitions", "start", "end"), got, want):
        compare("%s: viterbi d_%s" % (case.name, name), g, w)


def check_finite_differences(case, d, d_em, d_tr):
    """The reference against central differences of the float64 forward."""
    h = 1e-5
    em, tr = case.em.astype(np.float64), case.tr.astype(np.float64)
    start, end = case.start.astype(np.float64), case.end.astype(np.float64)
    rng = np.random.default_rng(3)
    for which, base, grad in (("emissions", em, d_em), ("transitions", tr, d_tr)):
        for _ in range(6):
            i = tuple(rng.integers(0, s) for s in base.shape)
            if not np.isfinite(base[i]):
                continue
            plus, minus = base.copy(), base.copy()
            plus[i] += h
            minus[i] -= h
            args = lambda x: (x, tr, start, end) if which == "emissions" else (em, x, start, end)
            fd = (d @ case.logz64(*args(plus)) - d @ case.logz64(*args(minus))) / (2 * h)
            if abs(fd - grad[i]) > 1e-6 + 1e-5 * abs(fd):
                failures.append("%s: reference d_%s%s %r, finite difference %r" %
                                (case.name, which, i, grad[i], fd))


def check_user_written(case):
    """examples/crf_forward.mlir: the same chain without start, end and
    lengths, written with the core by hand, differentiated by the same
    transform."""
    case.start[:] = 0.0
    case.end[:] = 0.0
    case.lengths[:] = case.T
    d = np.random.default_rng(5).normal(0, 1, case.B).astype(np.float32)
    _, d_em, d_tr, _, _ = case.reference(d.astype(np.float64))
    base = os.path.join(WORKDIR, case.name)
    paths = []
    for i, a in enumerate((case.em, case.tr, d)):
        paths.append("%s.user%d.npy" % (base, i))
        np.save(paths[-1], a)
    outs = ["%s.user.out%d.npy" % (base, i) for i in range(2)]
    subprocess.run([SDP_RUN, EXAMPLE, "--entry=log_partition_vjp"] +
                   ["--input=" + p for p in paths] + ["--output=" + p for p in outs] +
                   EXTRA_FLAGS, check=True)
    got = [np.load(p) for p in outs]
    compare("%s: d_emissions" % case.name, got[0], d_em)
    compare("%s: d_transitions" % case.name, got[1], d_tr)


rng = np.random.default_rng(1234)
cases = 0
if os.path.basename(EXAMPLE) == "crf_forward.mlir":
    for name, B, T, C, std in (("user_small", 3, 5, 3, 1.0), ("user_wide", 4, 50, 12, 30.0),
                               ("user_c1", 2, 7, 1, 1.0)):
        check_user_written(Case(name, B, T, C, False, rng, em_std=std))
        cases += 1
    for f in failures:
        print("FAIL:", f)
    print("%d cases, %d failures" % (cases, len(failures)))
    sys.exit(1 if failures else 0)
for full in (False, True):
    tag = "full" if full else "factored"
    check(Case("small_" + tag, 3, 5, 3, full, rng), finite_differences=True)
    check(Case("len1_" + tag, 3, 4, 3, full, rng, lengths=[1, 1, 1]))
    check(Case("c1_" + tag, 2, 6, 1, full, rng))
    check(Case("ragged_" + tag, 5, 20, 8, full, rng), finite_differences=True)
    check(Case("forbidden_" + tag, 4, 12, 5, full, rng, forbid=0.4))
    check(Case("wide_" + tag, 4, 30, 12, full, rng, em_std=30.0))
    cases += 6
# Wide transition columns: exp(transitions - column max) underflows in the
# real-arithmetic form; the result must still be exact.
check(Case("wide_transitions", 8, 64, 24, False, rng, em_std=50.0, tr_std=30.0))
# Scores of magnitude 1e4 carry f32 rounding of about 1e-3 in log space,
# which exp turns into relative errors of that size: no f32 code does better.
very_wide = Case("very_wide_transitions", 8, 64, 24, False, rng, em_std=50.0, tr_std=100.0)
very_wide.rtol = 1e-2
check(very_wide)
tiny = Case("underflow_on_best_path", 1, 2, 2, False, rng, lengths=[2])
tiny.em[:] = [[[0.0, -200.0], [0.0, 300.0]]]
tiny.tr[:] = [[0.0, -90.0], [0.0, 0.0]]
tiny.start[:] = 0.0
tiny.end[:] = 0.0
check(tiny)
# The CPU pipeline's label-major state (vectors across the batch): at least
# 16 sequences of fewer than 16 labels, or at least 8 of at most 8, in one
# thread (split across cores, the sub-batches would be smaller).
def one_thread(case):
    case.flags = ["--batch-threads=1"]
    return case


check(one_thread(Case("batch_minor_ragged", 16, 40, 9, False, rng)), finite_differences=True)
check(one_thread(Case("batch_minor_c1", 8, 6, 1, False, rng)))
check(one_thread(Case("batch_minor_forbidden", 8, 12, 5, False, rng, forbid=0.4)))
check(one_thread(Case("batch_minor_wide", 17, 30, 15, False, rng, em_std=30.0)))
check(one_thread(Case("batch_minor_checkpoints", 8, 150, 6, False, rng,
                      lengths=[150, 149, 65, 64, 1, 2, 3, 100])))
cases += 5
check(Case("long", 2, 2048, 16, False, rng, lengths=[2048, 1500]))
# Segments of 64 with a partial last one, ragged lengths.
check(Case("checkpoint_segments", 5, 150, 6, False, rng, lengths=[150, 149, 65, 64, 1]))
cases += 5

for f in failures:
    print("FAIL:", f)
print("%d cases, %d failures" % (cases, len(failures)))
sys.exit(1 if failures else 0)
