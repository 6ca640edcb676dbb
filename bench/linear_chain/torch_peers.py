"""Linear-chain forward and gradients against the CPU peers a PyTorch user
has, single-threaded, in the same run. First the forward alone against a
batched PyTorch forward loop (with the machine's limit from
bench-linear-chain: the read bandwidth for full potentials, the arithmetic
of the factored step); then sdp's compiler-derived VJP against:

  * a batched PyTorch forward loop (logsumexp over [B, C, C] per step,
    vectorised across the batch) with autograd backward;
  * Torch-Struct's LinearChainCRF(...).partition backward (when installed);
  * pytorch-crf's CRF log-likelihood backward (when installed; factored
    potentials only, as that library has no others).

sdp's figure comes from bench-linear-chain (the same shapes and N(0, 1)
scores, generated there), run as a subprocess in the same session.

usage: torch_peers.py BENCH_LINEAR_CHAIN [--B=16 --T=512 --C=64 --repeats=5]
"""

import argparse
import re
import statistics
import subprocess
import time

import torch

parser = argparse.ArgumentParser()
parser.add_argument("bench")
parser.add_argument("--B", type=int, default=16)
parser.add_argument("--T", type=int, default=512)
parser.add_argument("--C", type=int, default=64)
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--only", choices=["factored", "full"], default=None,
                    help="time one kind of potentials")
parser.add_argument("--forward-only", action="store_true",
                    help="only the forward table (issue 19's sizes run fast)")
parser.add_argument("--struct-repeats", type=int, default=1,
                    help="timed runs of Torch-Struct (slow on the CPU)")
args = parser.parse_args()
B, T, C = args.B, args.T, args.C
torch.set_num_threads(1)
torch.manual_seed(0)


def median_seconds(run, repeats=None):
    run()
    times = []
    for _ in range(repeats or args.repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def torch_forward_loop(full):
    """The forward alone, as a PyTorch user writes it: one logsumexp over
    [B, C, C] per step, vectorised across the batch, no autograd."""
    emissions = torch.randn(B, T, C)
    trans = torch.randn(*((B, T - 1, C, C) if full else (C, C)))
    start = torch.randn(C)
    end = torch.randn(C)

    def run():
        with torch.no_grad():
            alpha = start + emissions[:, 0]
            for t in range(1, T):
                edge = trans[:, t - 1] if full else trans
                alpha = torch.logsumexp(alpha.unsqueeze(2) + edge, dim=1) + emissions[:, t]
            return torch.logsumexp(alpha + end, dim=1)
    return median_seconds(run)


def torch_loop(full):
    emissions = torch.randn(B, T, C, requires_grad=True)
    trans = torch.randn(*((B, T - 1, C, C) if full else (C, C)), requires_grad=True)
    start = torch.randn(C, requires_grad=True)
    end = torch.randn(C, requires_grad=True)

    def run():
        # unbind: slicing a tensor that requires grad once per step would
        # make its backward add a full-size gradient per step.
        steps = emissions.unbind(1)
        edges = trans.unbind(1) if full else [trans] * (T - 1)
        alpha = start + steps[0]
        for t in range(1, T):
            alpha = torch.logsumexp(alpha.unsqueeze(2) + edges[t - 1], dim=1) + steps[t]
        logz = torch.logsumexp(alpha + end, dim=1)
        logz.sum().backward()
    return median_seconds(run)


def torch_struct(full):
    try:
        import torch_struct
    except ImportError:
        return None
    emissions = torch.randn(B, T, C)
    trans = torch.randn(*((B, T - 1, C, C) if full else (C, C)))
    first = torch.randn(C)
    # Torch-Struct scores edges [B, T-1, C_next, C_prev]; the first edge also
    # carries the start scores and the first emissions.
    edges = trans if full else trans.expand(B, T - 1, C, C)
    potentials = edges.transpose(-1, -2) + emissions[:, 1:, :, None]
    potentials[:, 0] += (first + emissions[:, 0])[:, None, :]
    potentials = potentials.detach().requires_grad_(True)

    def run():
        dist = torch_struct.LinearChainCRF(potentials)
        dist.partition.sum().backward()
    return median_seconds(run, args.struct_repeats)


def pytorch_crf():
    try:
        from torchcrf import CRF
    except ImportError:
        return None
    crf = CRF(C, batch_first=True)
    emissions = torch.randn(B, T, C, requires_grad=True)
    tags = torch.randint(0, C, (B, T))

    def run():
        crf(emissions, tags).backward()
    return median_seconds(run)


out = subprocess.run([args.bench, "--sdp-threads=1", "--B=%d" % B, "--T=%d" % T,
                      "--C=%d" % C, "--repeats=%d" % args.repeats],
                     capture_output=True, text=True).stdout
sdp, sdp_forward, sdp_limit = {}, {}, {}
forward_part, gradient_part = out.split("log_partition_vjp")
for kind in ("factored", "full"):
    m = re.search(r"^%s\s+([\d.]+)\s+([\d.]+)\s+[\d.]+x\s+([\d.]+)" % kind,
                  gradient_part, re.M)
    sdp[kind] = float(m.group(2)) / 1e3
    m = re.search(r"^%s\s+([\d.]+)\s+[\d.]+\s+[\d.]+x\s+\S+\s+([\d.]+)" % kind,
                  forward_part, re.M)
    sdp_forward[kind] = float(m.group(1)) / 1e3
    sdp_limit[kind] = float(m.group(2)) / 1e3

print(forward_part.splitlines()[0])
print("linear-chain log Z forward alone, B=%d T=%d C=%d, one thread, torch %s, "
      "median of %d" % (B, T, C, torch.__version__, args.repeats))
print("%-10s %12s %12s %10s %12s %14s" % ("potentials", "torch [ms]", "sdp [ms]",
                                         "sdp faster", "limit [ms]", "us/step (sdp)"))
for full in (False, True):
    kind = "full" if full else "factored"
    if args.only and args.only != kind:
        continue
    seconds = torch_forward_loop(full)
    print("%-10s %12.2f %12.3f %9.1fx %12.3f %14.2f" % (
        kind, seconds * 1e3, sdp_forward[kind] * 1e3, seconds / sdp_forward[kind],
        sdp_limit[kind] * 1e3, sdp_forward[kind] * 1e6 / (T - 1)), flush=True)
print()
if args.forward_only:
    raise SystemExit(0)

print("linear-chain log Z forward + gradients, B=%d T=%d C=%d, one thread, "
      "torch %s, median of %d" % (B, T, C, torch.__version__, args.repeats))
print("%-10s %-34s %12s %12s %10s" % ("potentials", "peer", "peer [ms]", "sdp [ms]", "sdp faster"))
for full in (False, True):
    kind = "full" if full else "factored"
    if args.only and args.only != kind:
        continue
    peers = [("batched torch loop + autograd", lambda: torch_loop(full))]
    if not full:
        peers.append(("pytorch-crf log-likelihood", pytorch_crf))
    peers.append(("Torch-Struct LinearChainCRF", lambda: torch_struct(full)))
    for name, measure in peers:
        seconds = measure()
        if seconds is None:
            print("%-10s %-34s %12s" % (kind, name, "not installed"))
            continue
        print("%-10s %-34s %12.1f %12.1f %9.1fx" % (kind, name, seconds * 1e3,
                                                     sdp[kind] * 1e3, seconds / sdp[kind]),
              flush=True)
