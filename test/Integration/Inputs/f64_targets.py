"""Runs the f64 functions of MODULE (test/Integration/GPU/ptx-f64.mlir,
ptx-libdevice.mlir) through sdp-run on the CPU and on the GPU with one
random batch and compares them: scores to 1e-12 relative (both compute in
double precision, in the same order; 1e-10 under #sdp.log, whose exp and
log come from libm on the CPU and libdevice on the GPU), Viterbi paths
exactly.

usage: f64_targets.py SDP_RUN MODULE WORKDIR
"""

import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

SDP_RUN, MODULE, WORKDIR = sys.argv[1:4]
os.makedirs(WORKDIR, exist_ok=True)
rng = random.Random(13)


def write(name, dtype, shape, values):
    path = os.path.join(WORKDIR, name)
    npyio.write(path, dtype, shape, values)
    return path


def gauss(n):
    return [rng.gauss(0.0, 1.0) for _ in range(n)]


B, T, C, N, M = 8, 40, 12, 30, 25
cases = {
    "viterbi_f64": ([write("em.npy", "<f8", (B, T, C), gauss(B * T * C)),
                     write("tr.npy", "<f8", (C, C), gauss(C * C)),
                     write("start.npy", "<f8", (C,), gauss(C)),
                     write("end.npy", "<f8", (C,), gauss(C)),
                     write("len.npy", "<i4", (B,), [rng.randint(1, T) for _ in range(B)])], 2),
    "edit_distance_f64": ([write(k + ".npy", "<f8", (B, N + 1, M + 1), gauss(B * (N + 1) * (M + 1)))
                           for k in ("diag", "down", "right")] +
                          [write("rows.npy", "<i4", (B,), [rng.randint(0, N) for _ in range(B)]),
                           write("cols.npy", "<i4", (B,), [rng.randint(0, M) for _ in range(B)])], 1),
}
cases["log_partition_f64"] = (cases["viterbi_f64"][0], 1)
cases["soft_alignment_f64"] = cases["edit_distance_f64"]
tolerance = {"log_partition_f64": 1e-10, "soft_alignment_f64": 1e-10}
with open(MODULE) as f:
    source = f.read()
failed = False
for entry, (inputs, outputs) in cases.items():
    if "@%s(" % entry not in source:
        continue
    results = {}
    for target in ("cpu", "gpu"):
        outs = [os.path.join(WORKDIR, "%s.%s.%d.npy" % (entry, target, i)) for i in range(outputs)]
        subprocess.run([SDP_RUN, MODULE, "--entry=" + entry, "--target=" + target] +
                       ["--input=" + i for i in inputs] + ["--output=" + o for o in outs],
                       check=True)
        results[target] = [npyio.read(o)[2] for o in outs]
    differ = 0
    for k, (want, got) in enumerate(zip(results["cpu"], results["gpu"])):
        for w, g in zip(want, got):
            if (w != g) if k == 1 else not abs(w - g) <= tolerance.get(entry, 1e-12) * max(1.0, abs(w)):
                differ += 1
    failed |= differ > 0
    print("%s: %d differ" % (entry, differ))
sys.exit(1 if failed else 0)
