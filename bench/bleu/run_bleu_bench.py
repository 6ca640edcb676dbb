"""Per-sentence BLEU at B=256, L=256 and 1024, 1 and 4 references, vocabulary
32k: sdp against NLTK's sentence_bleu (timed in the same run when NLTK 3.8 is
importable by some python3 here) and a hand-written C++ hash-map loop,
single-threaded. Prints times and ratios.

usage: run_bleu_bench.py BENCH_BLEU_BINARY [--nltk-sentences=N]

NLTK is slow; it is timed on the first N sentences (default: all) and scaled
to the batch.
"""

import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test",
                                "Integration", "Inputs"))
import npyio  # noqa: E402

NLTK_TIMER = r"""
import sys, time, warnings
sys.path.insert(0, sys.argv[1])
import npyio
from nltk.translate.bleu_score import sentence_bleu, SmoothingFunction
_, (B, Lc), c = npyio.read(sys.argv[2])
_, (_, R, Lr), r = npyio.read(sys.argv[3])
n = int(sys.argv[4])
strip = lambda row: row[:row.index(0)] if 0 in row else row
hyps = [strip(c[b * Lc:(b + 1) * Lc]) for b in range(n)]
refs = [[strip(r[(b * R + k) * Lr:(b * R + k + 1) * Lr]) for k in range(R)] for b in range(n)]
smooth = SmoothingFunction().method1
t0 = time.perf_counter()
for h, rs in zip(hyps, refs):
    sentence_bleu(rs, h, smoothing_function=smooth)
print(time.perf_counter() - t0)
"""


def nltk_python():
    for python in (sys.executable, "/usr/bin/python3"):
        ok = subprocess.run([python, "-c", "import nltk; assert nltk.__version__.startswith('3.8')"],
                            capture_output=True).returncode == 0
        if ok:
            return python
    return None


def make_batch(path, B, L, R, vocab, rng):
    cand, refs = [], []
    for _ in range(B):
        n = rng.randint(L * 3 // 4, L)
        hyp = [rng.randint(1, vocab - 1) for _ in range(n)]
        cand.append(hyp + [0] * (L - n))
        for _ in range(R):
            ref = [t if rng.random() < 0.7 else rng.randint(1, vocab - 1) for t in hyp]
            m = rng.randint(L * 3 // 4, L)
            ref = (ref + [rng.randint(1, vocab - 1) for _ in range(L)])[:m]
            refs.append(ref + [0] * (L - m))
    npyio.write(path + "_c.npy", "<i4", (B, L), [t for row in cand for t in row])
    npyio.write(path + "_r.npy", "<i4", (B, R, L), [t for row in refs for t in row])


def main():
    bench = sys.argv[1]
    nltk_n = None
    for arg in sys.argv[2:]:
        if arg.startswith("--nltk-sentences="):
            nltk_n = int(arg.split("=")[1])
    python = nltk_python()
    rng = random.Random(7)
    work = tempfile.mkdtemp(prefix="sdp-bleu-bench-")
    B, vocab = 256, 32000
    print("per-sentence BLEU (NLTK rules, method1), B=%d, vocab %d, single thread" % (B, vocab))
    print("%6s %3s %10s %10s %10s %10s %10s" % ("L", "R", "sdp ms", "C++ ms", "NLTK ms",
                                               "vs C++", "vs NLTK"))
    for L in (256, 1024):
        for R in (1, 4):
            path = os.path.join(work, "L%d_R%d" % (L, R))
            make_batch(path, B, L, R, vocab, rng)
            out = subprocess.run([bench, "--candidates=" + path + "_c.npy",
                                  "--references=" + path + "_r.npy"],
                                 check=True, capture_output=True, text=True).stdout
            fields = dict(kv.split("=") for kv in out.split())
            sdp_ms, cpp_ms = float(fields["sdp_ms"]), float(fields["cpp_ms"])
            nltk_ms = None
            if python:
                n = min(nltk_n or B, B)
                seconds = float(subprocess.run(
                    [python, "-c", NLTK_TIMER, os.path.dirname(npyio.__file__),
                     path + "_c.npy", path + "_r.npy", str(n)],
                    check=True, capture_output=True, text=True).stdout)
                nltk_ms = seconds * 1e3 * B / n
            print("%6d %3d %10.2f %10.2f %10s %9.1fx %10s" % (
                L, R, sdp_ms, cpp_ms, "%.0f" % nltk_ms if nltk_ms else "-",
                cpp_ms / sdp_ms, "%.0fx" % (nltk_ms / sdp_ms) if nltk_ms else "-"))
    if not python:
        print("NLTK 3.8 not importable: install python3-nltk to time it")


if __name__ == "__main__":
    main()
