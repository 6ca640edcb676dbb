"""Runs the entries (contractions, scans) of contractions.mlir through
sdp-run on the CPU and on the GPU (--target=gpu) with random inputs and
compares the results (contraction_cases.py: values to 1e-5 relative, f64 to
1e-12, witnesses exactly).

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
from contraction_cases import CASES, arguments, compare  # noqa: E402

parser = argparse.ArgumentParser()
parser.add_argument("sdp_run")
parser.add_argument("module")
parser.add_argument("workdir")
parser.add_argument("--target", default="gpu")
args = parser.parse_args()
rng = random.Random(9)
os.makedirs(args.workdir, exist_ok=True)
DESCR = {"f32": "<f4", "f64": "<f8", "i32": "<i4"}

failed = False
for entry, (specs, results) in CASES.items():
    inputs = []
    for k, ((kind, shape), values) in enumerate(zip(specs, arguments(rng, entry))):
        path = os.path.join(args.workdir, "%s.%d.npy" % (entry, k))
        npyio.write(path, DESCR[kind], shape, values)
        inputs.append(path)

    def run(target):
        outs = [os.path.join(args.workdir, "%s.%s.out%d.npy" % (entry, target, i))
                for i in range(len(results))]
        subprocess.run([args.sdp_run, args.module, "--entry=" + entry,
                        "--target=" + target] + ["--input=" + i for i in inputs] +
                       ["--output=" + o for o in outs], check=True)
        return [npyio.read(o)[1:] for o in outs]

    count, differ = compare(entry, run("cpu"), run(args.target), args.target)
    failed |= differ > 0
    print("%s: %d values, %d differ" % (entry, count, differ))
sys.exit(1 if failed else 0)
