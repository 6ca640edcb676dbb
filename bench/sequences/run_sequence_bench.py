"""Sequence structures against the peers a Python user has, same run, same
data, through PyTorch (CPU tensors, the user's path):

CTC loss + gradient (sdp.ctc_loss(...).sum().backward() against
torch.nn.functional.ctc_loss's, reduction="none", gradients by log_probs):
  * B=32, T=500, S=100 with V=64 and with V=5000;
  * B=4, T=10000, S=2000 (longer than cuDNN's 256-label limit).
  Data: log_softmax of N(0, 1) logits with the blank raised by 3 (trained
  CTC models put most of the mass on the blank), targets Zipf(1.1)-
  distributed over the vocabulary (no blank), input lengths uniform in
  [0.8 T, T], target lengths in [0.8 S, S].

Semi-Markov log Z (and log Z + gradient), B=16, T=256, K=8, C=16, N(0, 1)
scores: sdp.semi_markov against Torch-Struct's SemiMarkovCRF (its
[B, T-1, K, C, C] edge potentials; timing only, the parametrisations
differ) and against sdp.linear_chain at the same T and C (the cost should
grow about K-fold at most).

usage: PYTHONPATH=build/python python3 bench/sequences/run_sequence_bench.py
           [--only=ctc|semi-markov] [--repeats=5] [--threads=1]
"""

import argparse
import os
import statistics
import time

import numpy as np
import torch

import sdp

parser = argparse.ArgumentParser()
parser.add_argument("--only", choices=["ctc", "semi-markov"])
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--threads", type=int, default=1,
                    help="threads for sdp and torch (0: all cores)")
parser.add_argument("--skip-long", action="store_true",
                    help="leave out the T=10000 CTC case")
parser.add_argument("--torch-struct-grad", action="store_true",
                    help="also time Torch-Struct's gradient (minutes)")
args = parser.parse_args()
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


def row(what, ours, peer, peer_name):
    print(f"  {what:<44} sdp {ours * 1e3:9.2f} ms   {peer_name} "
          f"{peer * 1e3:9.2f} ms   {peer / ours:6.1f}x")


def ctc_data(rng, B, T, V, S):
    logits = rng.normal(size=(B, T, V)).astype(np.float32)
    logits[:, :, 0] += 3.0
    lp = torch.log_softmax(torch.from_numpy(logits), dim=-1)
    ranks = np.arange(1, V)
    p = 1.0 / ranks ** 1.1
    targets = rng.choice(ranks, size=(B, S), p=p / p.sum())
    il = rng.integers(int(0.8 * T), T + 1, B)
    tl = rng.integers(int(0.8 * S), S + 1, B)
    return (lp.contiguous(), torch.from_numpy(targets),
            torch.from_numpy(il), torch.from_numpy(tl))


def bench_ctc():
    print(f"CTC loss + gradient, {threads} thread(s), log_probs float32 "
          f"(blank-heavy), Zipf targets")
    rng = np.random.default_rng(0)
    sizes = [(32, 500, 64, 100), (32, 500, 5000, 100)]
    if not args.skip_long:
        sizes.append((4, 10000, 64, 2000))
    for B, T, V, S in sizes:
        lp, targets, il, tl = ctc_data(rng, B, T, V, S)

        def ours():
            x = lp.detach().requires_grad_(True)
            sdp.ctc_loss(x, targets, il, tl).sum().backward()
            return x.grad

        def peer():
            x = lp.detach().requires_grad_(True)
            torch.nn.functional.ctc_loss(x.transpose(0, 1), targets, il, tl,
                                         reduction="none").sum().backward()
            return x.grad

        # Same losses and gradients before any timing.
        with torch.no_grad():
            want = torch.nn.functional.ctc_loss(lp.transpose(0, 1), targets,
                                                il, tl, reduction="none")
            got = sdp.ctc_loss(lp, targets, il, tl)
        finite = torch.isfinite(want)
        assert torch.allclose(got[finite], want[finite], rtol=1e-4), (got, want)
        g_ours, g_peer = ours(), peer()
        # torch's gradient is exp(log_probs) - posterior (it assumes a
        # log_softmax before it); ours the true one, -posterior.
        # (both 0 past each input length). Over thousands of frames torch's
        # float32 gradient drifts (1.5e-2 from float64 at T=4000, ours
        # 5e-4), so long cases get a looser bound.
        inside = (torch.arange(T)[None, :] < il[:, None]) & finite[:, None]
        drift = (g_ours[inside] + lp.exp()[inside] - g_peer[inside]).abs().max()
        assert drift < (2e-3 if T <= 1000 else 5e-2), drift
        repeats = 1 if T > 5000 else None
        row(f"B={B} T={T} S={S} V={V}", median_seconds(ours, repeats),
            median_seconds(peer, repeats), "torch.ctc_loss")


def bench_semi_markov():
    print(f"Semi-Markov CRF, {threads} thread(s), N(0, 1) scores")
    B, T, K, C = 16, 256, 8, 16
    rng = np.random.default_rng(1)
    seg = torch.from_numpy(rng.normal(size=(B, T, K, C)).astype(np.float32))
    tr = torch.from_numpy(rng.normal(size=(C, C)).astype(np.float32))
    start = torch.from_numpy(rng.normal(size=C).astype(np.float32))
    end = torch.from_numpy(rng.normal(size=C).astype(np.float32))
    lengths = torch.full((B,), T, dtype=torch.int64)
    em = seg[:, :, 0, :].contiguous()

    def ours():
        return sdp.semi_markov(seg, tr, start, end, lengths)

    def ours_grad():
        x = seg.detach().requires_grad_(True)
        sdp.semi_markov(x, tr, start, end, lengths).sum().backward()

    def chain():
        return sdp.linear_chain(em, tr, start, end, lengths)

    t_ours, t_grad, t_chain = (median_seconds(ours), median_seconds(ours_grad),
                               median_seconds(chain))
    try:
        import torch_struct
    except ImportError:
        torch_struct = None
    if torch_struct is not None:
        edge = torch.from_numpy(
            rng.normal(size=(B, T - 1, K, C, C)).astype(np.float32))
        ts_lengths = torch.full((B,), T, dtype=torch.int64)

        def peer():
            with torch.no_grad():
                return torch_struct.SemiMarkovCRF(
                    edge, lengths=ts_lengths).partition

        def peer_grad():
            x = edge.detach().requires_grad_(True)
            torch_struct.SemiMarkovCRF(x, lengths=ts_lengths).partition.sum(
            ).backward()

        # One timed call each: Torch-Struct takes over a minute per call.
        row(f"log Z, B={B} T={T} K={K} C={C}", t_ours,
            median_seconds(peer, 1), "Torch-Struct")
        if args.torch_struct_grad:
            row("log Z + gradient", t_grad, median_seconds(peer_grad, 1),
                "Torch-Struct")
        else:
            print(f"  log Z + gradient: sdp {t_grad * 1e3:.2f} ms "
                  f"(Torch-Struct's: --torch-struct-grad)")
    else:
        print(f"  log Z, B={B} T={T} K={K} C={C}: sdp {t_ours * 1e3:.2f} ms "
              f"(Torch-Struct not installed)")
    print(f"  against sdp.linear_chain at T={T} C={C}: {t_chain * 1e3:.2f} ms, "
          f"semi-Markov/chain = {t_ours / t_chain:.1f}x for K={K}")


if args.only in (None, "ctc"):
    bench_ctc()
if args.only in (None, "semi-markov"):
    bench_semi_markov()
