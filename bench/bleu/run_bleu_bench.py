"""Per-sentence BLEU (NLTK rules, method1), vocabulary 32k, single thread:
sdp against a hand-written C++ hash-map loop (bench-bleu), NLTK's
sentence_bleu loop and sacreBLEU's sentence_score loop (each timed in the
same run when some python3 here imports it), on data that looks like model
output and on adversarial data. Prints times and ratios.

Data sets (--data, comma-separated; default: all):
  uniform      uniform ids, references 70% copied from the candidate
               (flatters hash tables and branch predictors)
  zipf1.0, zipf1.1, zipf1.3
               Zipf-distributed ids (the shape of token frequencies),
               references made by noisy edits of the candidate (10%
               substitutions, 5% deletions, 5% insertions)
  loops        zipf1.1 where 8% of the candidates degenerate into
               repeating a short n-gram (sampled RL output)
  one-token    every candidate one token repeated        (adversarial,
  two-tokens   two tokens alternating                     65,536 tokens
  x-a1-x-a2    a token alternating with distinct tokens   per batch, at
                                                          L = 1024, 4096,
                                                          16384)

usage: run_bleu_bench.py BENCH_BLEU_BINARY [--data=...] [--peer-sentences=N]

The Python peers are slow; they are timed on the first N sentences
(default 64) and scaled to the batch.
"""

import bisect
import itertools
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "test",
                                "Integration", "Inputs"))
import npyio  # noqa: E402

VOCAB = 32000

PEER_TIMER = r"""
import sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[1])
import npyio
_, (B, Lc), c = npyio.read(sys.argv[2])
_, (_, R, Lr), r = npyio.read(sys.argv[3])
n, peer = int(sys.argv[4]), sys.argv[5]
strip = lambda row: row[:row.index(0)] if 0 in row else row
hyps = [strip(c[b * Lc:(b + 1) * Lc]) for b in range(n)]
refs = [[strip(r[(b * R + k) * Lr:(b * R + k + 1) * Lr]) for k in range(R)] for b in range(n)]
if peer == "nltk":
    from nltk.translate.bleu_score import sentence_bleu, SmoothingFunction
    smooth = SmoothingFunction().method1
    run = lambda: [sentence_bleu(rs, h, smoothing_function=smooth) for h, rs in zip(hyps, refs)]
else:
    from sacrebleu.metrics import BLEU
    bleu = BLEU(tokenize="none", effective_order=True)
    text = lambda ids: " ".join(map(str, ids))
    hyps = [text(h) for h in hyps]
    refs = [[text(x) for x in rs] for rs in refs]
    run = lambda: [bleu.sentence_score(h, rs) for h, rs in zip(hyps, refs)]
t0 = time.perf_counter()
run()
print(time.perf_counter() - t0)
"""


def peer_python(module, check="True"):
    for python in (sys.executable, "/usr/bin/python3", "python3"):
        try:
            ok = subprocess.run([python, "-c", "import %s as m; assert %s" % (module, check)],
                                capture_output=True).returncode == 0
        except OSError:
            ok = False
        if ok:
            return python
    return None


class Zipf:
    def __init__(self, s, rng):
        weights = [1.0 / (k ** s) for k in range(1, VOCAB)]
        self.cumulative = list(itertools.accumulate(weights))
        self.rng = rng

    def __call__(self):
        u = self.rng.random() * self.cumulative[-1]
        return bisect.bisect_left(self.cumulative, u) + 1


def noisy_edit(hyp, draw, rng):
    out = []
    for t in hyp:
        x = rng.random()
        if x < 0.05:
            continue
        out.append(draw() if x < 0.15 else t)
        if rng.random() < 0.05:
            out.append(draw())
    return out


def pad(rows, L):
    return [t for row in rows for t in (row[:L] + [0] * (L - min(len(row), L)))]


def make_batch(path, kind, B, L, R, rng):
    cand, refs = [], []
    uniform = lambda: rng.randint(1, VOCAB - 1)
    draw = uniform
    if kind.startswith("zipf") or kind == "loops":
        draw = Zipf(1.1 if kind == "loops" else float(kind[4:]), rng)
    for b in range(B):
        if kind in ("one-token", "two-tokens", "x-a1-x-a2"):
            x, y = 7, 8
            if kind == "one-token":
                hyp = [x] * L
            elif kind == "two-tokens":
                hyp = [x if i % 2 == 0 else y for i in range(L)]
            else:
                hyp = [x if i % 2 == 0 else 100 + i // 2 for i in range(L)]
            cand.append(hyp)
            refs.extend([hyp[::-1]] + [hyp] * (R - 1))
            continue
        n = rng.randint(L * 3 // 4, L)
        hyp = [draw() for _ in range(n)]
        if kind == "loops" and rng.random() < 0.08:
            start = rng.randint(0, n // 2)
            gram = [draw() for _ in range(rng.randint(1, 4))]
            hyp = hyp[:start] + (gram * L)[: n - start]
        cand.append(hyp)
        for _ in range(R):
            if kind == "uniform":
                ref = [t if rng.random() < 0.7 else uniform() for t in hyp]
                m = rng.randint(L * 3 // 4, L)
                ref = (ref + [uniform() for _ in range(L)])[:m]
            else:
                ref = noisy_edit(hyp, draw, rng)
            refs.append(ref)
    npyio.write(path + "_c.npy", "<i4", (B, L), pad(cand, L))
    npyio.write(path + "_r.npy", "<i4", (B, R, L), pad(refs, L))


def sizes(kind):
    if kind in ("one-token", "two-tokens", "x-a1-x-a2"):
        return [(65536 // L, L, 1) for L in (1024, 4096, 16384)]
    return [(256, L, R) for L in (256, 1024) for R in (1, 4)]


def main():
    bench = sys.argv[1]
    peer_n = 64
    kinds = ["uniform", "zipf1.0", "zipf1.1", "zipf1.3", "loops", "one-token",
             "two-tokens", "x-a1-x-a2"]
    for arg in sys.argv[2:]:
        if arg.startswith("--peer-sentences="):
            peer_n = int(arg.split("=")[1])
        elif arg.startswith("--data="):
            kinds = arg.split("=")[1].split(",")
    peers = [("NLTK", "nltk", peer_python("nltk", "m.__version__.startswith('3.8')")),
             ("sacreBLEU", "sacre", peer_python("sacrebleu"))]
    rng = random.Random(7)
    work = tempfile.mkdtemp(prefix="sdp-bleu-bench-")
    print("per-sentence BLEU (NLTK rules, method1), vocabulary %d, one thread; "
          "Python peers on the first %d sentences, scaled" % (VOCAB, peer_n))
    header = "%-11s %6s %5s %2s %9s %9s %7s" % ("data", "B", "L", "R", "sdp ms",
                                                 "C++ ms", "vs C++")
    for name, _, python in peers:
        header += " %11s %8s" % (name + " ms", "vs " + name) if python else ""
    print(header)
    for kind in kinds:
        for B, L, R in sizes(kind):
            path = os.path.join(work, "%s_L%d_R%d" % (kind, L, R))
            make_batch(path, kind, B, L, R, rng)
            out = subprocess.run([bench, "--candidates=" + path + "_c.npy",
                                  "--references=" + path + "_r.npy"],
                                 check=True, capture_output=True, text=True).stdout
            fields = dict(kv.split("=") for kv in out.split())
            sdp_ms, cpp_ms = float(fields["sdp_ms"]), float(fields["cpp_ms"])
            if float(fields["max_abs_diff"]) > 1e-12:
                print("!! sdp and the C++ baseline differ by", fields["max_abs_diff"])
            line = "%-11s %6d %5d %2d %9.2f %9.2f %6.1fx" % (
                kind, B, L, R, sdp_ms, cpp_ms, cpp_ms / sdp_ms)
            for name, peer, python in peers:
                if not python:
                    continue
                n = min(peer_n, B)
                seconds = float(subprocess.run(
                    [python, "-c", PEER_TIMER, os.path.dirname(npyio.__file__),
                     path + "_c.npy", path + "_r.npy", str(n), peer],
                    check=True, capture_output=True, text=True).stdout)
                ms = seconds * 1e3 * B / n
                line += " %11.0f %7.0fx" % (ms, ms / sdp_ms)
            print(line, flush=True)
    for name, _, python in peers:
        if not python:
            print("%s not importable: install it to time it" % name)


if __name__ == "__main__":
    main()
