"""BLEU cases for sdp-bleu and their reference values.

usage:
  bleu_oracle.py generate-nltk GOLDEN.json        (Python with nltk 3.8)
  bleu_oracle.py generate-sacrebleu GOLDEN.json   (Python with sacrebleu 2.x)
  bleu_oracle.py check SDP_BLEU GOLDEN.json WORKDIR [--spread-tokens]
                [--only=CONFIG,...] [SDP_BLEU_FLAGS...]
  bleu_oracle.py live-nltk GOLDEN.json           (Python with nltk 3.8)
  bleu_oracle.py live-sacrebleu GOLDEN.json      (Python with sacrebleu 2.x)

The cases are fixed (seeded); `generate-*` writes the reference packages'
scores into GOLDEN.json (merging), `check` compares sdp-bleu with them, and
`live-*` recomputes them with the installed package and compares with the
checked-in values: together, sdp-bleu agrees with the live package. Equality means relative error <= 1e-9 (NLTK)
or 1e-9 on the 0-100 scale (sacreBLEU); NLTK's method6 assertion failure is
expected as NaN.
"""

import json
import math
import os
import random
import subprocess
import sys
import warnings

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

PAD = 0


def edge_cases():
    """(name, hypothesis, references) with trailing padding added later."""
    return [
        ("empty_hypothesis", [], [[1, 2, 3], [4, 5]]),
        ("shorter_than_n_1", [3], [[3, 4, 5, 6]]),
        ("shorter_than_n_2", [3, 4], [[3, 4, 5, 6], [3, 4]]),
        ("shorter_than_n_3", [3, 4, 5], [[3, 4, 5, 6, 7]]),
        ("no_unigram_match", [7, 8, 9, 10], [[1, 2, 3, 4, 5]]),
        ("reference_length_tie", [1, 2, 3, 4, 5], [[1, 2, 3, 4], [1, 2, 3, 4, 5, 6]]),
        ("different_lengths", [2, 3, 4, 5, 6, 7, 8], [[2, 3], [2, 3, 4, 5, 6, 7, 8, 9, 10], [4, 5, 6]]),
        ("clipping", [4, 4, 4, 4, 4, 4, 4], [[4, 4, 1, 2], [4, 1, 4, 4]]),
        ("perfect", [5, 6, 7, 8, 9], [[5, 6, 7, 8, 9]]),
        ("pad_inside", [1, 2, 3, PAD, 4, 5], [[1, 2, 3, 4, 5]]),
        ("pad_inside_reference", [1, 2, 3, 4, 5], [[1, 2, PAD, 3, 4, 5], [1, 2, 3, 4]]),
        ("long_repeats", [1, 2] * 10, [[1, 2, 1, 2, 1], [2, 1, 2, 1, 2, 1, 2]]),
        ("single_token_match", [9, 1, 8], [[1, 2, 3]]),
        ("bigram_but_no_trigram", [1, 2, 7, 3, 4], [[1, 2, 3, 4, 5]]),
    ]


def random_cases(rng, count, vocab, max_len):
    cases = []
    for i in range(count):
        hyp = [rng.randint(1, vocab) for _ in range(rng.randint(0, max_len))]
        refs = []
        for _ in range(rng.randint(1, 4)):
            # References share pieces of the hypothesis so that n-grams match.
            ref = list(hyp)
            for _ in range(rng.randint(0, 4)):
                if ref and rng.random() < 0.5:
                    del ref[rng.randrange(len(ref))]
                else:
                    ref.insert(rng.randint(0, len(ref)), rng.randint(1, vocab))
            refs.append(ref)
        cases.append(("random_%d" % i, hyp, refs))
    return cases


def batches():
    """Cases grouped by reference count (a batch has one R)."""
    rng = random.Random(20261123)
    cases = edge_cases() + random_cases(rng, 60, 6, 18) + random_cases(rng, 20, 40, 40)
    groups = {}
    for name, hyp, refs in cases:
        groups.setdefault(len(refs), []).append((name, hyp, refs))
    return groups


NLTK_CONFIGS = (
    [("nltk_method%d" % m, dict(compat="nltk", smoothing="method%d" % m)) for m in range(8)]
    + [("nltk_weights_half", dict(compat="nltk", smoothing="method1", weights=[0.5, 0.5])),
       ("nltk_weights_unigram", dict(compat="nltk", smoothing="method0", weights=[1.0])),
       ("nltk_weights_custom", dict(compat="nltk", smoothing="method3", weights=[0.4, 0.3, 0.2, 0.1])),
       ("nltk_weights_five", dict(compat="nltk", smoothing="method2", weights=[0.2] * 5)),
       ("nltk_auto_reweigh", dict(compat="nltk", smoothing="method1", auto_reweigh=True))])
SACRE_CONFIGS = [
    ("sacrebleu_exp", dict(compat="sacrebleu", smoothing="exp")),
    ("sacrebleu_floor", dict(compat="sacrebleu", smoothing="floor")),
    ("sacrebleu_floor_0.3", dict(compat="sacrebleu", smoothing="floor", smooth_value=0.3)),
    ("sacrebleu_add-k", dict(compat="sacrebleu", smoothing="add-k")),
    ("sacrebleu_none", dict(compat="sacrebleu", smoothing="none")),
    ("sacrebleu_exp_max2", dict(compat="sacrebleu", smoothing="exp", max_n=2)),
]


def truncate(tokens):
    return tokens[:tokens.index(PAD)] if PAD in tokens else tokens


def weights_of(config):
    if "weights" in config:
        return tuple(config["weights"])
    n = config.get("max_n", 4)
    return tuple([1.0 / n] * n)


# ---------------------------------------------------------------- references

def nltk_scores(config, cases, corpus):
    from nltk.translate.bleu_score import SmoothingFunction, corpus_bleu
    smoothing = getattr(SmoothingFunction(), config["smoothing"])
    weights = weights_of(config)
    auto = config.get("auto_reweigh", False)

    def score(pairs):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return float(corpus_bleu([[truncate(r) for r in refs] for _, refs in pairs],
                                         [truncate(h) for h, _ in pairs], weights=weights,
                                         smoothing_function=smoothing, auto_reweigh=auto))
        except (AssertionError, ZeroDivisionError):
            return "nan"

    pairs = [(hyp, refs) for _, hyp, refs in cases]
    return [score(pairs)] if corpus else [score([p]) for p in pairs]


def sacrebleu_scores(config, cases, corpus):
    from sacrebleu.metrics import BLEU
    kwargs = dict(tokenize="none", smooth_method=config["smoothing"],
                  max_ngram_order=config.get("max_n", 4), effective_order=not corpus)
    if "smooth_value" in config:
        kwargs["smooth_value"] = config["smooth_value"]
    bleu = BLEU(**kwargs)
    text = lambda tokens: " ".join(str(t) for t in truncate(tokens))
    if corpus:
        streams = [[text(refs[r]) for _, _, refs in cases] for r in range(len(cases[0][2]))]
        return [bleu.corpus_score([text(h) for _, h, _ in cases], streams).score]
    return [bleu.sentence_score(text(h), [text(r) for r in refs]).score for _, h, refs in cases]


# ---------------------------------------------------------------- sdp-bleu

def sdp_scores(sdp_bleu, workdir, config, R, cases, corpus, dtype):
    os.makedirs(workdir, exist_ok=True)
    B = len(cases)
    Lc = max(1, max(len(h) for _, h, _ in cases)) + 1
    Lr = max(1, max(len(r) for _, _, refs in cases for r in refs)) + 1
    cand = [(h + [PAD] * Lc)[:Lc] for _, h, _ in cases]
    refs = [[(r + [PAD] * Lr)[:Lr] for r in rs] for _, _, rs in cases]
    if SPREAD_TOKENS:
        # Renaming tokens leaves every score unchanged; spreading them over
        # the whole integer range (negative too for i64, never the pad)
        # makes sdp hash unigrams instead of indexing a table by token.
        spread = ((lambda t: t * (1 << 24) + 7) if dtype == "i32"
                  else (lambda t: (t - 20) * (1 << 40) + 7))
        cand = [[spread(t) if t != PAD else PAD for t in row] for row in cand]
        refs = [[[spread(t) if t != PAD else PAD for t in r] for r in rs] for rs in refs]
    tag = "%s_R%d_%s" % (dtype, R, "corpus" if corpus else "sentence")
    cpath = os.path.join(workdir, tag + "_c.npy")
    rpath = os.path.join(workdir, tag + "_r.npy")
    code = "<i4" if dtype == "i32" else "<i8"
    npyio.write(cpath, code, (B, Lc), [t for row in cand for t in row])
    if R == 1:  # exercise the [B, Lr] form
        npyio.write(rpath, code, (B, Lr), [t for rs in refs for t in rs[0]])
    else:
        npyio.write(rpath, code, (B, R, Lr), [t for rs in refs for r in rs for t in r])
    args = [sdp_bleu, "--candidates=" + cpath, "--references=" + rpath,
            "--compat=" + config["compat"], "--smoothing=" + config["smoothing"]]
    if "weights" in config:
        args.append("--weights=" + ",".join(repr(w) for w in config["weights"]))
    if "max_n" in config:
        args.append("--max-n=%d" % config["max_n"])
    if config.get("auto_reweigh"):
        args.append("--auto-reweigh")
    if "smooth_value" in config:
        args.append("--smooth-value=%r" % config["smooth_value"])
    if corpus:
        args.append("--corpus")
    args += EXTRA_FLAGS
    out = subprocess.run(args, check=True, capture_output=True, text=True).stdout
    return [float(x) for x in out.split()]


def same(got, want):
    want = float(want)
    if math.isnan(want) or math.isnan(got):
        return math.isnan(want) and math.isnan(got)
    return abs(got - want) <= 1e-9 * max(1.0, abs(want))


def compare(sdp_bleu, workdir, configs, reference):
    failures, count = [], 0
    for cname, config in configs:
        for R, cases in sorted(batches().items()):
            for corpus in (False, True):
                want = reference(cname, config, R, cases, corpus)
                dtype = "i64" if (R + corpus) % 2 else "i32"
                got = sdp_scores(sdp_bleu, workdir, config, R, cases, corpus, dtype)
                names = ["corpus"] if corpus else [n for n, _, _ in cases]
                for name, g, w in zip(names, got, want):
                    count += 1
                    if not same(g, w):
                        failures.append("%s R=%d %s: sdp %r, reference %r" % (cname, R, name, g, w))
    for f in failures[:40]:
        print("FAIL:", f)
    print("%d scores compared, %d mismatches" % (count, len(failures)))
    return 1 if failures else 0


def key(cname, R, corpus):
    return "%s/R%d/%s" % (cname, R, "corpus" if corpus else "sentence")


# Extra sdp-bleu flags of the check mode.
EXTRA_FLAGS = []
# check --spread-tokens: tokens renamed to values far apart.
SPREAD_TOKENS = False


def main():
    mode = sys.argv[1]
    if mode.startswith("generate-"):
        path = sys.argv[2]
        golden = json.load(open(path)) if os.path.exists(path) else {}
        configs, scorer = ((NLTK_CONFIGS, nltk_scores) if mode == "generate-nltk"
                           else (SACRE_CONFIGS, sacrebleu_scores))
        for cname, config in configs:
            for R, cases in sorted(batches().items()):
                for corpus in (False, True):
                    golden[key(cname, R, corpus)] = scorer(config, cases, corpus)
        json.dump(golden, open(path, "w"), indent=0, sort_keys=True)
        return 0
    if mode == "check":
        global SPREAD_TOKENS
        sdp_bleu, path, workdir = sys.argv[2:5]
        configs = NLTK_CONFIGS + SACRE_CONFIGS
        for arg in sys.argv[5:]:
            if arg == "--spread-tokens":
                SPREAD_TOKENS = True
            elif arg.startswith("--only="):
                names = arg[len("--only="):].split(",")
                configs = [c for c in configs if c[0] in names]
            else:
                EXTRA_FLAGS.append(arg)  # e.g. --target=gpu
        golden = json.load(open(path))
        return compare(sdp_bleu, workdir, configs,
                       lambda c, cfg, R, cases, corpus: golden[key(c, R, corpus)])
    if mode in ("live-nltk", "live-sacrebleu"):
        golden = json.load(open(sys.argv[2]))
        configs, scorer = ((NLTK_CONFIGS, nltk_scores) if mode == "live-nltk"
                           else (SACRE_CONFIGS, sacrebleu_scores))
        failures, count = 0, 0
        for cname, config in configs:
            for R, cases in sorted(batches().items()):
                for corpus in (False, True):
                    live = scorer(config, cases, corpus)
                    for g, w in zip(golden[key(cname, R, corpus)], live):
                        count += 1
                        if not same(float(w), g):
                            failures += 1
                            print("FAIL: %s R=%d: package %r, checked in %r" % (cname, R, w, g))
        print("%d scores recomputed, %d differ from the checked-in values" % (count, failures))
        return 1 if failures else 0
    sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    sys.exit(main())
