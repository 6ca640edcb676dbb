"""Tree structures against Torch-Struct on the CPU, same run, same data,
through PyTorch (CPU tensors, the user's path): log Z, and log Z plus its
gradient (the marginals), B=16 with N=40 and N=100, scores N(0, 1),
lengths uniform in [0.8 N, N] (the longest sentence is always N).

  * CKY with L=20 labels: sdp.cky against torch_struct.TreeCRF (same
    [B, N, N, L] span potentials, same trees: log Z is compared).
  * PCFG inside score with NT=30 nonterminals and P=60 preterminals:
    sdp.pcfg against torch_struct.SentCFG (its rules and roots per
    sentence: the shared grammar is expanded, a view).
  * Projective dependency trees, one root: sdp.projective_tree against
    torch_struct.DependencyCRF(multiroot=False) (its root scores sit on the
    diagonal of an [B, N, N] tensor; ours in row 0 of [B, N+1, N+1]: the
    same numbers are placed in both and log Z is compared).
  * Non-projective trees, one root: sdp.nonprojective_tree against
    torch_struct.NonProjectiveDependencyCRF (same placement).

Peak memory (--memory): each case runs once in a fresh process (with the
compiled code already in sdp's disk cache); the figure is the growth of
the peak resident set (VmHWM, reset first) over the resident set once the
data exists.

usage: PYTHONPATH=build/python python3 bench/trees/run_tree_bench.py
           [--only=cky|pcfg|projective|nonprojective] [--sizes=40,100] [--repeats=3]
           [--threads=1] [--memory]
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import warnings

import numpy as np
import torch

import sdp

parser = argparse.ArgumentParser()
parser.add_argument("--only",
                    choices=["cky", "pcfg", "projective", "nonprojective"])
parser.add_argument("--nonterminals", type=int, default=30)
parser.add_argument("--preterminals", type=int, default=60)
parser.add_argument("--sizes", default="40,100")
parser.add_argument("--batch", type=int, default=16)
parser.add_argument("--labels", type=int, default=20)
parser.add_argument("--repeats", type=int, default=3)
parser.add_argument("--threads", type=int, default=1,
                    help="threads for sdp and torch (0: all cores)")
parser.add_argument("--memory", action="store_true",
                    help="also measure peak memory, one process per case")
parser.add_argument("--child", help=argparse.SUPPRESS)
args = parser.parse_args()
# Torch-Struct's distributions predate torch's arg_constraints.
warnings.filterwarnings("ignore", message=".*arg_constraints.*")
threads = args.threads or os.cpu_count()
torch.set_num_threads(threads)
sdp.set_num_threads(args.threads)


def median_seconds(run, repeats=None):
    run()
    times = []
    for _ in range(repeats or args.repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def data(structure, N):
    rng = np.random.default_rng(N)
    B = args.batch
    lengths = rng.integers(int(0.8 * N), N + 1, B)
    lengths[0] = N
    if structure == "cky":
        spans = rng.normal(size=(B, N, N, args.labels)).astype(np.float32)
        return torch.from_numpy(spans), torch.from_numpy(lengths)
    if structure == "pcfg":
        NT, P = args.nonterminals, args.preterminals
        terms = rng.normal(size=(B, N, P)).astype(np.float32)
        rules = rng.normal(size=(NT, NT + P, NT + P)).astype(np.float32)
        roots = rng.normal(size=NT).astype(np.float32)
        return ((torch.from_numpy(terms), torch.from_numpy(rules),
                 torch.from_numpy(roots)), torch.from_numpy(lengths))
    scores = rng.normal(size=(B, N + 1, N + 1)).astype(np.float32)
    return torch.from_numpy(scores), torch.from_numpy(lengths)


def patch_torch_struct_masking():
    """Torch-Struct 0.5's DepTree masks past each length with fill_ on a
    view of a tensor that requires grad, which torch >= 1.13 refuses; mask
    out of place instead (same values, same cost order)."""
    from torch_struct import deptree

    def check_potentials(self, arc_scores, lengths=None):
        batch, N, N2, *_ = self._get_dimension(arc_scores)
        assert N == N2, "Non-square potentials"
        if lengths is None:
            lengths = torch.LongTensor([N - 1] * batch).to(arc_scores.device)
        arc_scores = self.semiring.convert(arc_scores)
        keep = torch.arange(N)[None, :] <= lengths[:, None]
        mask = (keep[:, :, None] & keep[:, None, :])[None]
        arc_scores = torch.where(mask, arc_scores,
                                 torch.tensor(-1e5, dtype=arc_scores.dtype))
        return arc_scores, batch, N, lengths

    deptree.DepTree._check_potentials = check_potentials


def runners(structure, N):
    """{(impl, kind): callable} for kind in {"logz", "grad"}; and a check."""
    import torch_struct

    patch_torch_struct_masking()
    x, lengths = data(structure, N)
    lengths32 = lengths.to(torch.int32)
    if structure == "cky":
        ours = lambda v: sdp.cky(v, lengths32)
        peer_x = x
        # (clone: Torch-Struct masks its input in place)
        theirs = lambda v: torch_struct.TreeCRF(v.clone(),
                                                lengths=lengths).partition
    elif structure == "pcfg":
        ours = lambda v: sdp.pcfg(*v, lengths32)
        peer_x = x
        B = args.batch
        theirs = lambda v: torch_struct.SentCFG(
            (v[0], v[1].expand(B, *v[1].shape), v[2].expand(B, *v[2].shape)),
            lengths=lengths).partition
    else:
        tree = (sdp.projective_tree if structure == "projective"
                else sdp.nonprojective_tree)
        ours = lambda v: tree(v, lengths32)
        # Torch-Struct: arcs[h, m] between words (1-based: h-1, m-1), the
        # root's arc into m on the diagonal.
        peer_x = x[:, 1:, 1:].clone()
        idx = torch.arange(N)
        peer_x[:, idx, idx] = x[:, 0, 1:]
        peer = (torch_struct.DependencyCRF if structure == "projective"
                else torch_struct.NonProjectiveDependencyCRF)
        theirs = lambda v: peer(v.clone(), lengths=lengths,
                                multiroot=False).partition

    def grad(fn, base):
        def run():
            if isinstance(base, tuple):
                v = tuple(t.clone().requires_grad_(True) for t in base)
            else:
                v = base.clone().requires_grad_(True)
            fn(v).sum().backward()
        return run

    return {
        ("sdp", "logz"): lambda: ours(x),
        ("torch-struct", "logz"): lambda: theirs(peer_x),
        ("sdp", "grad"): grad(ours, x),
        ("torch-struct", "grad"): grad(theirs, peer_x),
    }, (lambda: float((ours(x) - theirs(peer_x)).abs().max()))


def resident_kb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def child(spec):
    structure, N, impl, kind = spec.split(":")
    run = runners(structure, int(N))[0][(impl, kind)]
    # Resident now (the data, the libraries), then the high-water mark of a
    # run: a fresh process's peak may predate the run (imports), so the
    # growth is measured against the current resident set, in a process
    # whose peak so far is below it after a reset of the mark.
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")  # reset the peak resident set (VmHWM)
    before = resident_kb("VmRSS")
    run()
    print((resident_kb("VmHWM") - before) / 1024.0)


def peak_mb(structure, N, impl, kind):
    out = subprocess.run(
        [sys.executable, __file__, f"--child={structure}:{N}:{impl}:{kind}",
         f"--threads={args.threads}", f"--batch={args.batch}",
         f"--labels={args.labels}", f"--nonterminals={args.nonterminals}",
         f"--preterminals={args.preterminals}"],
        check=True, capture_output=True, text=True)
    return float(out.stdout.split()[-1])


def bench(structure):
    what = {"cky": f"CKY (L={args.labels}) vs TreeCRF",
            "pcfg": f"PCFG (NT={args.nonterminals}, P={args.preterminals}) "
                    f"vs SentCFG",
            "projective": "projective trees vs DependencyCRF(multiroot=False)",
            "nonprojective": "non-projective trees vs "
                             "NonProjectiveDependencyCRF(multiroot=False)"}
    print(f"{what[structure]}, B={args.batch}, {threads} thread(s), float32")
    for N in [int(n) for n in args.sizes.split(",")]:
        runs, check = runners(structure, N)
        diff = check()
        for kind, label in (("logz", "log Z"), ("grad", "log Z + gradient")):
            ours = median_seconds(runs[("sdp", kind)])
            theirs = median_seconds(runs[("torch-struct", kind)])
            line = (f"  N={N:<4} {label:<17} sdp {ours * 1e3:9.2f} ms   "
                    f"torch-struct {theirs * 1e3:9.2f} ms   "
                    f"{theirs / ours:6.1f}x")
            if args.memory:
                m_ours = peak_mb(structure, N, "sdp", kind)
                m_theirs = peak_mb(structure, N, "torch-struct", kind)
                line += (f"   peak MB sdp {m_ours:7.1f}  torch-struct "
                         f"{m_theirs:7.1f}")
            print(line)
        print(f"  N={N:<4} max |log Z difference| = {diff:.2e}")


if args.child:
    child(args.child)
else:
    for structure in ("cky", "pcfg", "projective", "nonprojective"):
        if args.only in (None, structure):
            bench(structure)
