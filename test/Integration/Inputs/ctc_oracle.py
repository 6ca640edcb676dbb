"""Checks examples/ctc.mlir (loss, loss_vjp, forced_align, the
zero_infinity variants), run through sdp-run, against brute-force
enumeration of every frame labeling on tiny sizes, a float64 forward
algorithm on larger ones and, where torch is installed, against
torch.nn.functional.ctc_loss (values, and gradients with respect to the
logits through log_softmax).

usage: ctc_oracle.py SDP_RUN EXAMPLE WORKDIR
Prints "N cases, F failures" (and "torch: yes/no") and every mismatch.
"""

import itertools
import os
import sys

import numpy as np

import oracle_checks

try:
    import torch
except ImportError:  # the brute-force and float64 oracles still run
    torch = None

SDP_RUN, EXAMPLE, WORKDIR = sys.argv[1:4]
os.makedirs(WORKDIR, exist_ok=True)
failures = []


def logsumexp(x):
    x = np.asarray(x, dtype=np.float64)
    if x.size == 0 or np.all(np.isneginf(x)):
        return -np.inf
    m = np.max(x)
    return m + np.log(np.sum(np.exp(x - m)))


def collapse(labeling, blank=0):
    out, prev = [], None
    for v in labeling:
        if v != prev and v != blank:
            out.append(v)
        prev = v
    return out


def log_softmax(x):
    m = np.max(x, axis=-1, keepdims=True)
    return x - m - np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True))


class Case:
    def __init__(self, name, B, T, V, S, rng, input_lengths=None,
                 target_lengths=None, targets=None, forbid=0.0, blank=0):
        self.name, self.B, self.T, self.V, self.S = name, B, T, V, S
        self.logits = rng.normal(0, 2, (B, T, V)).astype(np.float32)
        self.lp = log_softmax(self.logits.astype(np.float64)).astype(np.float32)
        if forbid:
            mask = rng.random(self.lp.shape) < forbid
            mask[:, :, blank] = False
            self.lp[mask] = -np.inf
        if targets is None:
            targets = rng.integers(1, V, (B, S))
        self.targets = np.asarray(targets, dtype=np.int32).reshape(B, S)
        self.input_lengths = np.asarray(
            input_lengths if input_lengths is not None else rng.integers(1, T + 1, B),
            dtype=np.int32)
        self.target_lengths = np.asarray(
            target_lengths if target_lengths is not None else rng.integers(0, S + 1, B),
            dtype=np.int32)

    def inputs(self):
        return [self.lp, self.targets, self.input_lengths, self.target_lengths]

    def target(self, b):
        return list(self.targets[b, :self.target_lengths[b]])

    def brute_force(self, b):
        """-log p, best log-probability, gradient of the loss (float64)."""
        n, lp = int(self.input_lengths[b]), self.lp[b].astype(np.float64)
        want = self.target(b)
        scores, labelings = [], []
        for labeling in itertools.product(range(self.V), repeat=n):
            if collapse(labeling) == want:
                labelings.append(labeling)
                scores.append(sum(lp[t, v] for t, v in enumerate(labeling)))
        logp = logsumexp(scores)
        grad = np.zeros((self.T, self.V))
        if np.isfinite(logp):
            for labeling, sc in zip(labelings, scores):
                w = np.exp(sc - logp)
                for t, v in enumerate(labeling):
                    grad[t, v] -= w
        best = max(scores) if scores else -np.inf
        return -logp, best, grad

    def forward64(self, b, semiring="log"):
        reduce = logsumexp if semiring == "log" else (
            lambda x: np.max(x) if len(x) else -np.inf)
        n, lp = int(self.input_lengths[b]), self.lp[b].astype(np.float64)
        ext = [0]
        for y in self.target(b):
            ext += [int(y), 0]
        alpha = np.full(len(ext), -np.inf)
        alpha[0] = lp[0, ext[0]]
        if len(ext) > 1:
            alpha[1] = lp[0, ext[1]]
        for t in range(1, n):
            new = np.full(len(ext), -np.inf)
            for s in range(len(ext)):
                terms = [alpha[s]]
                if s >= 1:
                    terms.append(alpha[s - 1])
                if s >= 2 and ext[s] != 0 and ext[s] != ext[s - 2]:
                    terms.append(alpha[s - 2])
                new[s] = reduce(terms) + lp[t, ext[s]]
            alpha = new
        ends = [alpha[-1]] + ([alpha[-2]] if len(ext) > 1 else [])
        return reduce(ends)

    def run(self, entry, extra, num_outputs):
        return oracle_checks.run_entry(SDP_RUN, EXAMPLE,
                                       os.path.join(WORKDIR, self.name), entry,
                                       self.inputs() + extra, num_outputs)


def compare(where, got, want, rtol=1e-3, atol=1e-4):
    oracle_checks.compare(failures, where, got, want, rtol, atol)


def check(case, brute):
    rng = np.random.default_rng(17)
    d = rng.uniform(0.5, 1.5, case.B).astype(np.float32)
    (loss,) = case.run("loss", [], 1)
    (grad,) = case.run("loss_vjp", [d], 1)
    best, alignment = case.run("forced_align", [], 2)
    (loss_zi,) = case.run("loss_zero_infinity", [], 1)
    (grad_zi,) = case.run("loss_zero_infinity_vjp", [d], 1)
    if brute:
        refs = [case.brute_force(b) for b in range(case.B)]
        want_loss = np.array([r[0] for r in refs])
        want_best = np.array([r[1] for r in refs])
        want_grad = np.stack([d[b] * r[2] for b, r in enumerate(refs)])
        compare("%s: d_log_probs" % case.name, grad, want_grad)
    else:
        want_loss = -np.array([case.forward64(b) for b in range(case.B)])
        want_best = np.array([case.forward64(b, "max") for b in range(case.B)])
    compare("%s: loss" % case.name, loss, want_loss, 1e-5)
    compare("%s: forced_align score" % case.name, best, want_best, 1e-5)
    impossible = np.isinf(want_loss)
    compare("%s: zero_infinity loss" % case.name, loss_zi,
            np.where(impossible, 0.0, want_loss), 1e-5)
    if np.any(np.isnan(grad)) or np.any(np.isnan(grad_zi)):
        failures.append("%s: NaN in a gradient" % case.name)
    if np.any(grad_zi[impossible] != 0.0):
        failures.append("%s: zero_infinity gradient of an impossible target is not 0"
                        % case.name)
    past = np.arange(case.T)[None, :] >= case.input_lengths[:, None]
    if np.any(grad[past] != 0.0):
        failures.append("%s: gradient past an input length" % case.name)

    # The alignment collapses to the target and scores the best score.
    for b in range(case.B):
        n = int(case.input_lengths[b])
        if np.any(alignment[b, n:] != -1):
            failures.append("%s[b=%d]: alignment past the length: %r"
                            % (case.name, b, alignment[b]))
            continue
        if not np.isfinite(want_best[b]):
            continue
        path = [int(v) for v in alignment[b, :n]]
        if collapse(path) != case.target(b):
            failures.append("%s[b=%d]: alignment %r collapses to %r, not %r"
                            % (case.name, b, path, collapse(path), case.target(b)))
            continue
        own = sum(float(case.lp[b, t, v]) for t, v in enumerate(path))
        if abs(own - want_best[b]) > 1e-4 * max(1.0, abs(want_best[b])):
            failures.append("%s[b=%d]: alignment scores %r, best is %r"
                            % (case.name, b, own, want_best[b]))

    if torch is not None:
        check_torch(case, d, loss, grad, loss_zi)


def check_torch(case, d, loss, grad, loss_zi):
    logits = torch.tensor(case.logits.astype(np.float64), requires_grad=True)
    lp = torch.log_softmax(logits, dim=-1)
    if np.any(np.isneginf(case.lp)):
        return  # the logits do not produce the forbidden entries
    targets = torch.tensor(case.targets.astype(np.int64))
    il = torch.tensor(case.input_lengths.astype(np.int64))
    tl = torch.tensor(case.target_lengths.astype(np.int64))
    for zero_inf, got in ((False, loss), (True, loss_zi)):
        want = torch.nn.functional.ctc_loss(lp.transpose(0, 1), targets, il, tl,
                                            reduction="none", zero_infinity=zero_inf)
        compare("%s: torch ctc_loss (zero_infinity=%s)" % (case.name, zero_inf),
                got, want.detach().numpy(), 1e-4)
    want = torch.nn.functional.ctc_loss(lp.transpose(0, 1), targets, il, tl,
                                        reduction="none", zero_infinity=True)
    (want * torch.tensor(d.astype(np.float64))).sum().backward()
    # Ours is the derivative with respect to log_probs; through log_softmax
    # it becomes g - softmax · Σ_v g.
    g = grad.astype(np.float64)
    finite = np.isfinite(loss)
    probs = np.exp(case.lp.astype(np.float64))
    ours = g - probs * g.sum(axis=-1, keepdims=True)
    compare("%s: torch logit gradients" % case.name, ours[finite],
            logits.grad.numpy()[finite], 1e-3, 1e-4)


rng = np.random.default_rng(99)
cases = [
    (Case("tiny", 3, 4, 3, 2, rng), True),
    (Case("length-one", 2, 3, 3, 1, rng, input_lengths=[1, 1], target_lengths=[1, 0]), True),
    (Case("repeats", 2, 5, 3, 2, rng, targets=[[1, 1], [2, 2]], input_lengths=[5, 3],
          target_lengths=[2, 2]), True),
    (Case("impossible", 2, 3, 3, 3, rng, targets=[[1, 1, 2], [1, 2, 1]],
          input_lengths=[3, 2], target_lengths=[3, 2]), True),
    (Case("empty-targets", 3, 4, 3, 2, rng, target_lengths=[0, 0, 0]), True),
    (Case("empty-s", 2, 4, 3, 0, rng, target_lengths=[0, 0]), True),
    (Case("forbidden", 3, 5, 3, 2, rng, forbid=0.3), True),
    (Case("ragged", 6, 60, 20, 12, rng), False),
    (Case("long", 2, 400, 30, 80, rng, input_lengths=[400, 333], target_lengths=[80, 57]), False),
    (Case("large-vocab", 3, 50, 500, 10, rng), False),
]
for case, brute in cases:
    check(case, brute)

# Targets holding the blank or ids outside [0, V) give NaN, never a score.
bad = Case("invalid-targets", 3, 6, 4, 2, rng, targets=[[1, 0], [1, 4], [1, 0]],
           target_lengths=[2, 2, 1], input_lengths=[6, 6, 6])
(loss,) = bad.run("loss", [], 1)
if not (np.isnan(loss[0]) and np.isnan(loss[1]) and np.isfinite(loss[2])):
    failures.append("invalid-targets: loss %r (want NaN, NaN, finite)" % loss)

print("torch: %s" % ("yes" if torch is not None else "no"))
print("%d cases, %d failures" % (len(cases) + 1, len(failures)))
for f in failures:
    print("FAIL " + f)
sys.exit(1 if failures else 0)
