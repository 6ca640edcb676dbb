"""Runs the entries (contractions, scans) of contractions.mlir through sdp-run on the CPU and on
the GPU (--target=gpu) with random inputs and compares the results: values
to 1e-5 relative (f32; f64 exactly up to 1e-12), witnesses exactly.

usage: contract_targets.py SDP_RUN CONTRACTIONS WORKDIR [--target=cpu]
With --target=cpu both runs are on the CPU: the script's own check.
Prints one line per entry; exits non-zero when anything differs.
"""

import argparse
import os
import random
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("sdp_run")
parser.add_argument("module")
parser.add_argument("workdir")
parser.add_argument("--target", default="gpu")
args = parser.parse_args()
rng = random.Random(9)
os.makedirs(args.workdir, exist_ok=True)

F32, F64 = "<f4", "<f8"
# entry: (inputs as (dtype, shape), number of results, exact result indices)
ENTRIES = {
    "log_matmul": ([(F32, (37, 70)), (F32, (70, 300))], 1, ()),
    "forward_step": ([(F32, (64, 33)), (F32, (33, 33)), (F32, (64, 33))], 1, ()),
    "row_argmax": ([(F64, (300, 129))], 2, (1,)),
    "min_plus": ([(F32, (50, 60)), (F32, (60, 45))], 1, ()),
    "trace": ([(F32, (513, 513))], 1, ()),
    "forward_scan": ([(F32, (24, 17)), (F32, (24, 40, 17)), (F32, (17, 17))], 1, ()),
    "swap_scan": ([(F32, (9, 12)), (F32, (9, 12)), (F32, (9, 31, 12)), (F32, (12, 12))],
                  2, ()),
    "carry_scan": ([(F32, (5, 7)), (F32, (5, 7)), (F32, (5, 6, 7)), (F32, (5, 7))], 2, ()),
}

failed = False
for entry, (specs, outputs, exact) in ENTRIES.items():
    inputs = []
    for k, (dtype, shape) in enumerate(specs):
        count = 1
        for d in shape:
            count *= d
        values = [rng.gauss(0.0, 2.0) for _ in range(count)]
        # Some -inf (0̄ of the log semiring) and repeated maxima (ties).
        if entry in ("log_matmul", "forward_step", "forward_scan"):
            values = [float("-inf") if rng.random() < 0.05 else v for v in values]
        if entry == "row_argmax":
            values = [round(v) for v in values]
        path = os.path.join(args.workdir, "%s.%d.npy" % (entry, k))
        npyio.write(path, dtype, shape, values)
        inputs.append(path)

    def run(target):
        outs = [os.path.join(args.workdir, "%s.%s.out%d.npy" % (entry, target, i))
                for i in range(outputs)]
        subprocess.run([args.sdp_run, args.module, "--entry=" + entry,
                        "--target=" + target] + ["--input=" + i for i in inputs] +
                       ["--output=" + o for o in outs], check=True)
        return [npyio.read(o) for o in outs]

    cpu, other = run("cpu"), run(args.target)
    differ, count = 0, 0
    for k, (want, got) in enumerate(zip(cpu, other)):
        tolerance = 0.0 if k in exact else (1e-12 if want[0] == F64 else 1e-5)
        if want[1] != got[1]:
            print("  %s result #%d: shape %r vs %r" % (entry, k, want[1], got[1]))
            differ += 1
        for w, g in zip(want[2], got[2]):
            count += 1
            same = w == g or abs(w - g) <= tolerance * max(1.0, abs(w))
            if not same:
                differ += 1
                if differ <= 5:
                    print("  %s result #%d: cpu %r %s %r" % (entry, k, w, args.target, g))
    failed |= differ > 0
    print("%s: %d values, %d differ" % (entry, count, differ))
sys.exit(1 if failed else 0)
