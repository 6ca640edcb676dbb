"""Checks examples/alignment.mlir, run through sdp-run, against brute-force
enumeration of alignment paths (small grids) and a float64 dynamic program.

usage: alignment_oracle.py SDP_RUN EXAMPLE WORKDIR [SDP_RUN_FLAGS...]
Exits non-zero and prints every mismatch when a check fails.
"""

import math
import os
import random
import struct
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

INF = float("inf")
SDP_RUN, EXAMPLE, WORKDIR = sys.argv[1:4]
EXTRA_FLAGS = sys.argv[4:]  # e.g. --target=gpu
os.makedirs(WORKDIR, exist_ok=True)
failures = []


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def logsumexp(values):
    m = max(values)
    if math.isinf(m):
        return m
    return m + math.log(sum(math.exp(v - m) for v in values))


SEMIRINGS = {
    # entry: (combine the scores of several paths, 0̄)
    "edit_distance": (min, INF),
    "best_alignment": (max, -INF),
    "log_partition": (logsumexp, -INF),
}


def paths(n, m):
    """Every monotone path from (0, 0) to (n, m), as its list of steps."""
    if n == 0 and m == 0:
        yield []
        return
    if n > 0 and m > 0:
        for p in paths(n - 1, m - 1):
            yield p + [("diagonal", n, m)]
    if n > 0:
        for p in paths(n - 1, m):
            yield p + [("down", n, m)]
    if m > 0:
        for p in paths(n, m - 1):
            yield p + [("right", n, m)]


def brute_force(case, b, combine):
    n, m = case.clamped(b)
    scores = [sum(case.w[kind][b][i][j] for kind, i, j in p) for p in paths(n, m)]
    return combine(scores)


def dynamic_program(case, b, combine, zero):
    n, m = case.clamped(b)
    D = [[zero] * (m + 1) for _ in range(n + 1)]
    D[0][0] = 0.0
    w = case.w
    for i in range(n + 1):
        for j in range(m + 1):
            if i == 0 and j == 0:
                continue
            terms = []
            if i > 0 and j > 0:
                terms.append(D[i - 1][j - 1] + w["diagonal"][b][i][j])
            if i > 0:
                terms.append(D[i - 1][j] + w["down"][b][i][j])
            if j > 0:
                terms.append(D[i][j - 1] + w["right"][b][i][j])
            D[i][j] = combine(terms)
    return D[n][m]


class Case:
    def __init__(self, name, B, N, M, rng, kind="random", rows=None, cols=None):
        self.name, self.B, self.N, self.M = name, B, N, M
        shape = (B, N + 1, M + 1)
        if kind == "edit":
            # Edit distance of random strings over a small alphabet.
            a = [[rng.randint(0, 3) for _ in range(N)] for _ in range(B)]
            c = [[rng.randint(0, 3) for _ in range(M)] for _ in range(B)]
            diag = [[[0.0 if i and j and a[b][i - 1] == c[b][j - 1] else 1.0
                      for j in range(M + 1)] for i in range(N + 1)] for b in range(B)]
            ones = [[[1.0] * (M + 1) for _ in range(N + 1)] for _ in range(B)]
            self.w = {"diagonal": diag, "down": ones, "right": ones}
            self.strings = (a, c)
        elif kind in (INF, -INF):
            pick = lambda: kind if rng.random() < 0.2 else f32(rng.gauss(0.0, 1.0))
            self.w = {k: [[[pick() for _ in range(M + 1)] for _ in range(N + 1)]
                          for _ in range(B)] for k in ("diagonal", "down", "right")}
        else:
            g = lambda: f32(rng.gauss(0.0, 1.0))
            self.w = {k: [[[g() for _ in range(M + 1)] for _ in range(N + 1)]
                          for _ in range(B)] for k in ("diagonal", "down", "right")}
        self.shape = shape
        self.rows = rows if rows is not None else [rng.randint(0, N) for _ in range(B)]
        self.cols = cols if cols is not None else [rng.randint(0, M) for _ in range(B)]

    def clamped(self, b):
        return (min(max(self.rows[b], 0), self.N), min(max(self.cols[b], 0), self.M))

    def run(self, entry):
        files = []
        for k in ("diagonal", "down", "right"):
            path = os.path.join(WORKDIR, "%s_%s.npy" % (self.name, k))
            flat = [x for per_b in self.w[k] for row in per_b for x in row]
            npyio.write(path, "<f4", self.shape, flat)
            files.append(path)
        for k, values in (("rows", self.rows), ("cols", self.cols)):
            path = os.path.join(WORKDIR, "%s_%s.npy" % (self.name, k))
            npyio.write(path, "<i4", (self.B,), values)
            files.append(path)
        out = os.path.join(WORKDIR, "%s_%s_out.npy" % (self.name, entry))
        cmd = [SDP_RUN, EXAMPLE, "--entry=" + entry] + EXTRA_FLAGS
        cmd += ["--input=" + f for f in files] + ["--output=" + out]
        subprocess.run(cmd, check=True)
        return npyio.read(out)[2]


def close(got, want):
    if math.isinf(want) or math.isinf(got):
        return got == want
    return abs(got - want) <= 1e-4 * max(1.0, abs(want))


def check(case, brute):
    for entry, (combine, zero) in SEMIRINGS.items():
        got = case.run(entry)
        for b in range(case.B):
            want = dynamic_program(case, b, combine, zero)
            if brute:
                enumerated = brute_force(case, b, combine)
                if not close(want, enumerated):
                    failures.append("%s %s b=%d: oracle DP %r != enumeration %r"
                                    % (case.name, entry, b, want, enumerated))
            if not close(got[b], want):
                failures.append("%s %s b=%d (n, m = %s): got %r, want %r"
                                % (case.name, entry, b, case.clamped(b), got[b], want))


rng = random.Random(7)
cases = [
    (Case("small", 6, 3, 4, rng), True),
    (Case("square", 4, 4, 4, rng, rows=[4, 0, 2, 4], cols=[4, 3, 0, 1]), True),
    (Case("one_by_one", 3, 1, 1, rng, rows=[1, 0, 1], cols=[1, 1, 0]), True),
    # Lengths outside [0, N] and [0, M] are clamped.
    (Case("clamped", 3, 2, 3, rng, rows=[-1, 9, 2], cols=[5, -3, 1]), True),
    # A grid of one cell: every pair is the empty alignment, 1̄.
    (Case("one_cell", 2, 0, 0, rng), True),
    # No pairs at all.
    (Case("no_pairs", 0, 3, 3, rng), True),
    (Case("edit", 8, 5, 6, rng, kind="edit"), True),
    # Infinite weights: forbidden steps (-inf), overflowing ones (+inf).
    (Case("forbidden", 4, 3, 3, rng, kind=-INF, rows=[3, 3, 2, 3], cols=[3, 3, 3, 1]), True),
    (Case("overflow", 4, 3, 3, rng, kind=INF, rows=[3, 3, 2, 3], cols=[3, 3, 3, 1]), True),
    (Case("larger", 5, 40, 33, rng), False),
    (Case("edit_long", 4, 60, 70, rng, kind="edit"), False),
    # The CPU sweeps strips of 16 rows, reading each row in pieces of 8
    # columns for 64 steps at a time: rows shorter than a piece (the pieces
    # run into the next rows and, in the last pair, past the grids' end),
    # strips cut short, rows spanning several segments.
    (Case("tall_narrow", 3, 37, 2, rng, rows=[37, 20, 37], cols=[2, 1, 2]), False),
    (Case("wide", 3, 18, 150, rng, rows=[18, 17, 18], cols=[150, 149, 64]), False),
]
for case, brute in cases:
    check(case, brute)

# The edit distance of the "edit" case also matches the textbook algorithm.
case = next(c for c, _ in cases if c.name == "edit")
got = case.run("edit_distance")
a, c = case.strings
for b in range(case.B):
    n, m = case.clamped(b)
    x, y = a[b][:n], c[b][:m]
    prev = list(range(m + 1))
    for i in range(1, n + 1):
        cur = [i] + [0] * m
        for j in range(1, m + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] != y[j - 1]))
        prev = cur
    if got[b] != prev[m]:
        failures.append("edit distance b=%d: got %r, Levenshtein %d" % (b, got[b], prev[m]))

# On the GPU, also against the CPU, to 1e-5 relative: a batch whose
# diagonals have more cells than a block has threads (256), and one whose
# diagonals do not fit in shared memory (the global-scratch kernel).
if "--target=gpu" in EXTRA_FLAGS:
    compared = 0
    for big in (Case("gpu_vs_cpu", 8, 300, 280, rng,
                     rows=[300, 299, 280, 300, 1, 0, 300, 150],
                     cols=[280, 280, 279, 1, 280, 280, 0, 270]),
                Case("gpu_global", 3, 9000, 3, rng, rows=[9000, 8999, 4000])):
        for entry in SEMIRINGS:
            gpu = big.run(entry)
            flags, EXTRA_FLAGS = EXTRA_FLAGS, []
            cpu = big.run(entry)
            EXTRA_FLAGS = flags
            for b, (g, c) in enumerate(zip(gpu, cpu)):
                compared += 1
                if not (g == c or abs(g - c) <= 1e-5 * max(1.0, abs(c))):
                    failures.append("%s %s b=%d: gpu %r, cpu %r" % (big.name, entry, b, g, c))
    print("gpu vs cpu: %d values compared" % compared)

for f in failures:
    print("FAIL", f)
print("%d cases, %d failures" % (len(cases), len(failures)))
sys.exit(1 if failures else 0)
