"""Runs the four entries of examples/linear_chain_crf.mlir through sdp-run on
the CPU and on the GPU (--target=gpu) with one random batch (B=16, T=64, C=24,
ragged lengths, emissions of standard deviation 3) and compares the results:
scores to 1e-5 relative, Viterbi paths exactly.

usage: compare_targets.py SDP_RUN EXAMPLE WORKDIR
Prints one line per entry; exits non-zero when anything differs.
"""

import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

SDP_RUN, EXAMPLE, WORKDIR = sys.argv[1:4]
B, T, C = 16, 64, 24
rng = random.Random(5)
os.makedirs(WORKDIR, exist_ok=True)


def write(name, dtype, shape, values):
    path = os.path.join(WORKDIR, name)
    npyio.write(path, dtype, shape, values)
    return path


def randoms(n, scale):
    return [rng.gauss(0.0, scale) for _ in range(n)]


emissions = write("cmp.em.npy", "<f4", (B, T, C), randoms(B * T * C, 3.0))
factored = write("cmp.tr.npy", "<f4", (C, C), randoms(C * C, 1.0))
full = write("cmp.edges.npy", "<f4", (B, T - 1, C, C), randoms(B * (T - 1) * C * C, 1.0))
start = write("cmp.start.npy", "<f4", (C,), randoms(C, 1.0))
end = write("cmp.end.npy", "<f4", (C,), randoms(C, 1.0))
lengths = write("cmp.len.npy", "<i4", (B,), [T] + [rng.randint(1, T) for _ in range(B - 1)])


def run(entry, transitions, outputs, target):
    outs = [os.path.join(WORKDIR, "cmp.%s.%s.%d.npy" % (entry, target, i)) for i in range(outputs)]
    subprocess.run([SDP_RUN, EXAMPLE, "--entry=" + entry, "--target=" + target,
                    "--input=" + emissions, "--input=" + transitions, "--input=" + start,
                    "--input=" + end, "--input=" + lengths] + ["--output=" + o for o in outs],
                   check=True)
    return [npyio.read(o)[2] for o in outs]


failed = False
for entry, transitions, outputs in (("log_partition", factored, 1),
                                    ("log_partition_full", full, 1),
                                    ("viterbi", factored, 2),
                                    ("viterbi_full", full, 2)):
    cpu = run(entry, transitions, outputs, "cpu")
    gpu = run(entry, transitions, outputs, "gpu")
    differ, count = 0, 0
    for k, (want, got) in enumerate(zip(cpu, gpu)):
        for w, g in zip(want, got):
            count += 1
            exact = k == 1  # the path
            if (w != g) if exact else abs(w - g) > 1e-5 * max(1.0, abs(w)):
                differ += 1
                if differ <= 5:
                    print("  %s result #%d: cpu %r gpu %r" % (entry, k, w, g))
    failed |= differ > 0
    print("%s: %d values, %d differ" % (entry, count, differ))
sys.exit(1 if failed else 0)
