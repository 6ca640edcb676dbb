"""Checks the compiler-derived adjoints of examples/alignment.mlir, run
through sdp-run: log_partition_vjp against float64 forward-backward (the
expected use of each step; the reference is checked by central differences)
and edit_distance_vjp as the indicator of a cheapest path (every entry 0 or
d, the marked steps form one monotone path from (0, 0) to (n, m) whose cost
is the edit distance).

usage: alignment_vjp_oracle.py SDP_RUN EXAMPLE WORKDIR
"""

import os
import subprocess
import sys

import numpy as np

SDP_RUN, EXAMPLE, WORKDIR = sys.argv[1:4]
os.makedirs(WORKDIR, exist_ok=True)
failures = []
NEG_INF = -np.inf


def logaddexp_all(values):
    m = max(values)
    if m == NEG_INF:
        return NEG_INF
    return m + np.log(sum(np.exp(v - m) for v in values))


def forward(w, n, m, add):
    """D[i, j] over (0..n, 0..m); w = (diagonal, down, right) of one pair."""
    diag, down, right = w
    D = np.full((n + 1, m + 1), np.nan)
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                D[i, j] = 0.0
                continue
            terms = []
            if i and j:
                terms.append(D[i - 1, j - 1] + diag[i, j])
            if i:
                terms.append(D[i - 1, j] + down[i, j])
            if j:
                terms.append(D[i, j - 1] + right[i, j])
            D[i, j] = add(terms)
    return D


def log_vjp(w, n, m):
    """Z and the expected use of each step (float64)."""
    diag, down, right = w
    D = forward(w, n, m, logaddexp_all)
    Bk = np.full((n + 1, m + 1), NEG_INF)  # log-sum of paths (i, j) -> (n, m)
    Bk[n, m] = 0.0
    for i in range(n, -1, -1):
        for j in range(m, -1, -1):
            if (i, j) == (n, m):
                continue
            terms = []
            if i < n and j < m:
                terms.append(diag[i + 1, j + 1] + Bk[i + 1, j + 1])
            if i < n:
                terms.append(down[i + 1, j] + Bk[i + 1, j])
            if j < m:
                terms.append(right[i, j + 1] + Bk[i, j + 1])
            Bk[i, j] = logaddexp_all(terms)
    Z = D[n, m]
    grads = [np.zeros_like(diag), np.zeros_like(down), np.zeros_like(right)]
    for i in range(n + 1):
        for j in range(m + 1):
            if i and j:
                grads[0][i, j] = np.exp(D[i - 1, j - 1] + diag[i, j] + Bk[i, j] - Z)
            if i:
                grads[1][i, j] = np.exp(D[i - 1, j] + down[i, j] + Bk[i, j] - Z)
            if j:
                grads[2][i, j] = np.exp(D[i, j - 1] + right[i, j] + Bk[i, j] - Z)
    return Z, grads


def run(name, entry, arrays, num_outputs):
    base = os.path.join(WORKDIR, name)
    paths = []
    for i, a in enumerate(arrays):
        paths.append("%s.in%d.npy" % (base, i))
        np.save(paths[-1], a)
    outs = ["%s.%s.out%d.npy" % (base, entry, i) for i in range(num_outputs)]
    subprocess.run([SDP_RUN, EXAMPLE, "--entry=" + entry] + ["--input=" + p for p in paths] +
                   ["--output=" + p for p in outs], check=True)
    return [np.load(p) for p in outs]


def check_log(name, B, N, M, rng, scale=1.0, finite_differences=False):
    w = [(rng.normal(0, scale, (B, N + 1, M + 1))).astype(np.float32) for _ in range(3)]
    rows = rng.integers(0, N + 1, B).astype(np.int32)
    cols = rng.integers(0, M + 1, B).astype(np.int32)
    d = rng.normal(0, 1, B).astype(np.float32)
    want = [np.zeros((B, N + 1, M + 1)) for _ in range(3)]
    for b in range(B):
        _, g = log_vjp([x[b].astype(np.float64) for x in w], rows[b], cols[b])
        for k in range(3):
            want[k][b] = d[b] * g[k]
    got = run(name, "log_partition_vjp", w + [rows, cols, d], 3)
    for k, kind in enumerate(("diagonal", "down", "right")):
        g = got[k].astype(np.float64)
        if not np.all(np.isfinite(g)):
            failures.append("%s: d_%s has non-finite values" % (name, kind))
            continue
        bad = np.abs(g - want[k]) > 1e-4 + 1e-3 * np.abs(want[k])
        if np.any(bad):
            i = np.unravel_index(np.argmax(np.abs(g - want[k])), g.shape)
            failures.append("%s: d_%s %d mismatches, worst at %s: %r vs %r"
                            % (name, kind, np.sum(bad), i, g[i], want[k][i]))
    if finite_differences:
        h = 1e-5
        for _ in range(5):
            b = int(rng.integers(0, B))
            k = int(rng.integers(0, 3))
            i, j = int(rng.integers(0, rows[b] + 1)), int(rng.integers(0, cols[b] + 1))
            ws = [x[b].astype(np.float64) for x in w]
            plus = [x.copy() for x in ws]
            minus = [x.copy() for x in ws]
            plus[k][i, j] += h
            minus[k][i, j] -= h
            fd = d[b] * (log_vjp(plus, rows[b], cols[b])[0] -
                         log_vjp(minus, rows[b], cols[b])[0]) / (2 * h)
            if abs(fd - want[k][b, i, j]) > 1e-6 + 1e-5 * abs(fd):
                failures.append("%s: reference %r, finite difference %r at %s"
                                % (name, want[k][b, i, j], fd, (k, b, i, j)))


def check_edit_distance(name, B, N, M, rng):
    a = rng.integers(0, 3, (B, N))
    c = rng.integers(0, 3, (B, M))
    diag = np.zeros((B, N + 1, M + 1), np.float32)
    diag[:, 1:, 1:] = (a[:, :, None] != c[:, None, :])
    down = np.ones((B, N + 1, M + 1), np.float32)
    right = np.ones((B, N + 1, M + 1), np.float32)
    rows = rng.integers(0, N + 1, B).astype(np.int32)
    cols = rng.integers(0, M + 1, B).astype(np.int32)
    d = (rng.integers(1, 4, B) * np.where(rng.random(B) < 0.5, -1, 1)).astype(np.float32)
    (dist,) = run(name, "edit_distance", [diag, down, right, rows, cols], 1)
    got = run(name, "edit_distance_vjp", [diag, down, right, rows, cols, d], 3)
    for b in range(B):
        marks = [g[b] / d[b] for g in got]
        if any(np.any((x != 0) & (x != 1)) for x in marks):
            failures.append("%s[b=%d]: cotangents are not a 0/d indicator" % (name, b))
            continue
        # Walk back from (n, m) along the marked steps.
        i, j, cost, steps = rows[b], cols[b], 0.0, 0
        ok = True
        while (i, j) != (0, 0):
            into = [k for k in range(3) if marks[k][i, j] == 1]
            if len(into) != 1:
                ok = False
                break
            k = into[0]
            cost += (diag, down, right)[k][b, i, j]
            i, j = (i - 1, j - 1) if k == 0 else (i - 1, j) if k == 1 else (i, j - 1)
            steps += 1
            if i < 0 or j < 0:
                ok = False
                break
        total = int(sum(x.sum() for x in marks))
        if not ok or total != steps:
            failures.append("%s[b=%d]: marked steps are not one path to (%d, %d)"
                            % (name, b, rows[b], cols[b]))
        elif cost != dist[b]:
            failures.append("%s[b=%d]: the marked path costs %r, the distance is %r"
                            % (name, b, cost, dist[b]))


rng = np.random.default_rng(2024)
check_log("log_small", 4, 3, 4, rng, finite_differences=True)
check_log("log_medium", 3, 17, 12, rng, scale=3.0)
check_log("log_empty_rows", 2, 1, 5, rng)
check_edit_distance("edit_small", 6, 4, 5, rng)
check_edit_distance("edit_medium", 4, 20, 16, rng)
cases = 5

for f in failures:
    print("FAIL:", f)
print("%d cases, %d failures" % (cases, len(failures)))
sys.exit(1 if failures else 0)
