"""Checks sdp.logdet and sdp.inverse (Inputs/linear_algebra.mlir, through
sdp-run) and their VJPs against numpy in float64: sizes that need pivoting
(a zero in the corner, rows out of order), odd sizes that leave a vector
tail (N = 1, 7, 37), singular matrices (log|det| = -inf with a zero
gradient), negative determinants (log of the absolute value), f32 and f64.

usage: linear_algebra_oracle.py SDP_RUN MODULE WORKDIR
Prints "N cases, F failures" and every mismatch; exits non-zero on failures.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from oracle_checks import compare as compare_into, run_entry  # noqa: E402

SDP_RUN, MODULE, WORK = sys.argv[1:4]
os.makedirs(WORK, exist_ok=True)
failures = []
cases = 0


def compare(where, got, want, rtol=1e-4, atol=1e-5):
    compare_into(failures, where, got, want, rtol=rtol, atol=atol)


def run(name, entry, arrays, num_outputs=1):
    return run_entry(SDP_RUN, MODULE, os.path.join(WORK, name), entry, arrays,
                     num_outputs)


def matrices(rng, B, N, dtype):
    a = rng.normal(0, 1, (B, N, N))
    if N > 1:
        a[0, 0, 0] = 0.0                  # the first pivot must be swapped in
        a[1] = a[1][::-1]                 # rows out of order
    return a.astype(dtype)


def check(name, a, singular=()):
    global cases
    cases += 1
    dtype = a.dtype
    suffix = "_f64" if dtype == np.float64 else ""
    rtol = 1e-9 if dtype == np.float64 else 2e-4
    B, N, _ = a.shape
    a64 = a.astype(np.float64)
    (logdet,) = run(name, "logdet" + suffix, [a])
    sign, want = np.linalg.slogdet(a64)
    want = np.where(sign == 0, -np.inf, want)
    compare(name + " log|det|", logdet, want, rtol=rtol, atol=rtol)
    regular = [b for b in range(B) if b not in singular]
    if not regular:
        return
    (inverse,) = run(name, "inverse" + suffix, [a[regular]])
    want_inverse = np.linalg.inv(a64[regular])
    scale = max(1.0, np.abs(want_inverse).max())
    compare(name + " inverse", inverse / scale, want_inverse / scale,
            rtol=rtol * 10, atol=rtol * 10)
    if dtype != np.float32:
        return
    rng = np.random.default_rng(N)
    d = rng.normal(0, 1, B).astype(np.float32)
    (grad,) = run(name, "logdet_vjp", [a, d])
    want_grad = np.zeros((B, N, N))
    for b in regular:
        want_grad[b] = d[b] * np.linalg.inv(a64[b]).T
    g_scale = max(1.0, np.abs(want_grad).max())
    compare(name + " d log|det|", grad / g_scale, want_grad / g_scale,
            rtol=1e-3, atol=1e-4)
    for b in singular:
        if np.any(grad[b] != 0):
            failures.append("%s: gradient of singular matrix %d is not 0" %
                            (name, b))
    c = rng.normal(0, 1, (len(regular), N, N)).astype(np.float32)
    (grad_inverse,) = run(name, "inverse_vjp", [a[regular], c])
    want_gi = -np.einsum("bki,bkl,bjl->bij", want_inverse, c, want_inverse)
    gi_scale = max(1.0, np.abs(want_gi).max())
    compare(name + " d inverse", grad_inverse / gi_scale, want_gi / gi_scale,
            rtol=1e-3, atol=1e-4)


def main():
    rng = np.random.default_rng(11)
    for dtype in (np.float32, np.float64):
        tag = "_f64" if dtype == np.float64 else ""
        for N in (1, 7, 37):
            a = matrices(rng, 4, N, dtype)
            a[2] *= -1.0 if N % 2 else 1.0   # a negative determinant
            check("n%d%s" % (N, tag), a)
    # Singular: a zero row, and two equal rows (a zero pivot after
    # elimination, exactly, for integers).
    a = np.round(rng.normal(0, 3, (3, 6, 6))).astype(np.float32)
    a[0, 4] = 0.0
    a[1, 5] = a[1, 2]
    check("singular", a, singular=(0, 1))
    print("%d cases, %d failures" % (cases, len(failures)))
    for f in failures:
        print("FAIL", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
