"""Runs the entries of examples/linear_chain_crf.mlir through sdp-run on the
CPU and on the GPU (--target=gpu) with random batches (by default one of
B=16, T=64, C=24, ragged lengths, emissions of standard deviation 3) and
compares the results: scores to 1e-5 relative, Viterbi paths exactly.

usage: compare_targets.py SDP_RUN EXAMPLE WORKDIR [--shape=B,T,C ...]
           [--entry=NAME ...] [--gpu-flag=FLAG ...]
Prints one line per entry and shape; exits non-zero when anything differs.
"""

import argparse
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

ENTRIES = {"log_partition": (False, 1), "log_partition_full": (True, 1),
           "viterbi": (False, 2), "viterbi_full": (True, 2)}
parser = argparse.ArgumentParser()
parser.add_argument("sdp_run")
parser.add_argument("example")
parser.add_argument("workdir")
parser.add_argument("--shape", action="append", default=[],
                    help="B,T,C of one random batch")
parser.add_argument("--entry", action="append", choices=sorted(ENTRIES))
parser.add_argument("--gpu-flag", action="append", default=[],
                    help="an extra sdp-run flag for the GPU runs")
args = parser.parse_args()
SDP_RUN, EXAMPLE, WORKDIR = args.sdp_run, args.example, args.workdir
shapes = [tuple(int(x) for x in s.split(",")) for s in args.shape] or [(16, 64, 24)]
entries = args.entry or ["log_partition", "log_partition_full", "viterbi",
                         "viterbi_full"]
rng = random.Random(5)
os.makedirs(WORKDIR, exist_ok=True)


def write(name, dtype, shape, values):
    path = os.path.join(WORKDIR, name)
    npyio.write(path, dtype, shape, values)
    return path


def randoms(n, scale):
    return [rng.gauss(0.0, scale) for _ in range(n)]


def run(entry, inputs, outputs, target, flags):
    outs = [os.path.join(WORKDIR, "cmp.%s.%s.%d.npy" % (entry, target, i)) for i in range(outputs)]
    subprocess.run([SDP_RUN, EXAMPLE, "--entry=" + entry, "--target=" + target] +
                   ["--input=" + i for i in inputs] + ["--output=" + o for o in outs] + flags,
                   check=True)
    return [npyio.read(o)[2] for o in outs]


failed = False
for B, T, C in shapes:
    emissions = write("cmp.em.npy", "<f4", (B, T, C), randoms(B * T * C, 3.0))
    factored = write("cmp.tr.npy", "<f4", (C, C), randoms(C * C, 1.0))
    start = write("cmp.start.npy", "<f4", (C,), randoms(C, 1.0))
    end = write("cmp.end.npy", "<f4", (C,), randoms(C, 1.0))
    lengths = write("cmp.len.npy", "<i4", (B,), [T] + [rng.randint(1, T) for _ in range(B - 1)])
    if any(ENTRIES[e][0] for e in entries):
        full = write("cmp.edges.npy", "<f4", (B, T - 1, C, C),
                     randoms(B * (T - 1) * C * C, 1.0))
    for entry in entries:
        is_full, outputs = ENTRIES[entry]
        inputs = [emissions, full if is_full else factored, start, end, lengths]
        cpu = run(entry, inputs, outputs, "cpu", [])
        gpu = run(entry, inputs, outputs, "gpu", args.gpu_flag)
        differ, count = 0, 0
        for k, (want, got) in enumerate(zip(cpu, gpu)):
            for w, g in zip(want, got):
                count += 1
                exact = k == 1  # the path
                if (w != g) if exact else not abs(w - g) <= 1e-5 * max(1.0, abs(w)):
                    differ += 1
                    if differ <= 5:
                        print("  %s result #%d: cpu %r gpu %r" % (entry, k, w, g))
        failed |= differ > 0
        label = entry if len(shapes) == 1 else "%s B=%d T=%d C=%d" % (entry, B, T, C)
        print("%s: %d values, %d differ" % (label, count, differ))
sys.exit(1 if failed else 0)
