"""sdp from Python against the peers a Python user has, same run, same data.

BLEU (per-sentence, NLTK method1 semantics), B=256, L=1024, 1 and 4
references, torch int64 CPU tensors, on two data sets:
  * zipf: Zipf(s=1.1) ids over 32,000 (the shape of real token frequencies),
    references made by noisy edits of the candidate (10% substitutions,
    5% deletions, 5% insertions), ragged lengths;
  * uniform: uniformly random ids over 32,000 (flatters hash tables).
Peers: NLTK's sentence_bleu loop, sacreBLEU's sentence_score loop
(tokenize='none'), and a TensorBLEU-style vectorised torch implementation
(unfold + unique + counting on offset keys, see tensor_bleu) on the
CPU. Also sdp's per-call
overhead at B=1.

CRF: log Z forward + backward through PyTorch autograd, B=16, T=512, C=64,
N(0, 1) scores: sdp.linear_chain against a batched torch loop, pytorch-crf
and Torch-Struct (when installed).

Whole process (--only=process): a second sdp-bleu process (warm compile
cache) against a Python process that loads the same .npy files and runs
NLTK's loop.

usage: PYTHONPATH=build/python python3 bench/python/run_python_bench.py
           [--only=bleu|crf|process] [--repeats=5] [--threads=1]
"""

import argparse
import statistics
import time

import numpy as np
import torch

import sdp

parser = argparse.ArgumentParser()
parser.add_argument("--only", choices=["bleu", "crf", "process"])
parser.add_argument("--sdp-bleu", default=None,
                    help="the sdp-bleu binary for the whole-process figure "
                         "(default: build/bin/sdp-bleu next to this checkout)")
parser.add_argument("--repeats", type=int, default=5)
parser.add_argument("--threads", type=int, default=1,
                    help="threads for sdp and torch (peers in Python loops "
                         "use one)")
parser.add_argument("--B", type=int, default=256)
parser.add_argument("--L", type=int, default=1024)
parser.add_argument("--slow-peer-rows", type=int, default=256,
                    help="rows timed for the Python-loop peers (scaled up)")
args = parser.parse_args()
torch.set_num_threads(args.threads)
sdp.set_num_threads(args.threads)


def median_seconds(run, repeats=None):
    run()
    times = []
    for _ in range(repeats or args.repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


# --------------------------------------------------------------------------
# BLEU
# --------------------------------------------------------------------------

def noisy_copy(rng, sentence, vocab_draw):
    out = []
    for token in sentence:
        r = rng.random()
        if r < 0.05:
            continue  # deletion
        out.append(vocab_draw() if r < 0.15 else token)
        if rng.random() < 0.05:
            out.append(vocab_draw())  # insertion
    return out


def make_bleu_data(kind, B, L, R, seed=0):
    rng = np.random.default_rng(seed)
    V = 32000
    if kind == "zipf":
        draw_many = lambda n: np.minimum(rng.zipf(1.1, n), V - 1)
    else:
        draw_many = lambda n: rng.integers(1, V, n)
    draw = lambda: int(draw_many(1)[0])
    cand = np.zeros((B, L), np.int64)
    refs = np.zeros((B, R, L), np.int64)
    for b in range(B):
        n = int(rng.integers(L // 2, L + 1))
        sentence = draw_many(n)
        cand[b, :n] = sentence
        for r in range(R):
            edited = noisy_copy(rng, sentence, draw)[:L]
            refs[b, r, :len(edited)] = edited
    return torch.from_numpy(cand), torch.from_numpy(refs)


def unpad(row):
    return [int(t) for t in row if t != 0]


def unique(x):
    """torch.unique(x, return_inverse=True, return_counts=True) for 1-D int64
    by one sort: torch 1.13's own is over 10x slower on the CPU."""
    values, order = torch.sort(x)
    new = torch.ones_like(values, dtype=torch.bool)
    new[1:] = values[1:] != values[:-1]
    group = torch.cumsum(new, 0) - 1
    inverse = torch.empty_like(group).scatter_(0, order, group)
    counts = torch.bincount(group)
    return values[new], inverse, counts


def tensor_bleu(cand, refs, max_n=4, pad=0):
    """TensorBLEU-style per-sentence BLEU (NLTK method1) in vectorised torch.

    Per order: unfold the n-grams, pack each into one int64 (15 bits per id),
    number the distinct ones of the batch with torch.unique, and count them
    per sentence on offset keys (sentence * U + id). TensorBLEU's dense
    offset bincount needs B x U counters (600 MB per order here), so the
    counts come from unique(return_counts) on the offset keys instead, the
    faster of the two on a CPU (and unique() by one sort); clipping by the references' maximum count
    is a searchsorted join."""
    B, Lc = cand.shape
    R = refs.shape[1]
    cand_len = (cand != pad).sum(1)
    ref_len = (refs != pad).sum(2)  # [B, R]
    log_p = torch.zeros(B, dtype=torch.float64)

    def pack(grams):  # [..., n] ids < 2^15 -> one int64 each
        code = torch.zeros(grams.shape[:-1], dtype=torch.int64)
        for k in range(grams.shape[-1]):
            code = code * 32768 + grams[..., k]
        return code

    for n in range(1, max_n + 1):
        if Lc < n:
            return torch.zeros(B, dtype=torch.float64)
        cg = pack(cand.unfold(1, n, 1))  # [B, Lc-n+1]
        rg = pack(refs.unfold(2, n, 1))  # [B, R, Lr-n+1]
        c_valid = torch.arange(cg.shape[1])[None] + n <= cand_len[:, None]
        r_valid = torch.arange(rg.shape[2])[None, None] + n <= ref_len[..., None]
        ids, inverse, _ = unique(torch.cat([cg[c_valid], rg[r_valid]]))
        U = ids.shape[0]
        n_c = int(c_valid.sum())
        c_keys = torch.arange(B)[:, None].expand_as(cg)[c_valid] * U + inverse[:n_c]
        r_sent = torch.arange(B)[:, None, None].expand_as(rg)[r_valid]
        r_ref = torch.arange(R)[None, :, None].expand_as(rg)[r_valid]
        r_keys = (r_sent * R + r_ref) * U + inverse[n_c:]
        ck, _, cc = unique(c_keys)
        rk, _, rc = unique(r_keys)
        # Max over the references of each (sentence, n-gram).
        rk = (rk // U) // R * U + rk % U
        rku, rinv, _ = unique(rk)
        rmax = torch.zeros(rku.shape[0], dtype=rc.dtype).scatter_reduce(
            0, rinv, rc, reduce="amax")
        pos = torch.searchsorted(rku, ck).clamp(max=max(rku.shape[0] - 1, 0))
        found = rku[pos] == ck if rku.numel() else torch.zeros_like(ck, dtype=torch.bool)
        clipped = torch.where(found, torch.minimum(cc, rmax[pos]), torch.zeros_like(cc))
        matches = torch.bincount(ck // U, weights=clipped.double(), minlength=B)
        total = c_valid.sum(1).double()
        p = torch.where(matches > 0, matches, torch.full_like(matches, 0.1)) \
            / total.clamp(min=1)
        log_p += torch.log(p) / max_n
    # Closest reference length (ties: the shorter), brevity penalty.
    diff = (ref_len - cand_len[:, None]).abs() * (R * 4096) + ref_len
    closest = ref_len.gather(1, diff.argmin(1, keepdim=True))[:, 0]
    bp = torch.where(cand_len >= closest, torch.ones(B, dtype=torch.float64),
                     torch.exp(1 - closest.double() / cand_len.double().clamp(min=1)))
    return bp * torch.exp(log_p)


def bleu_bench():
    from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
    try:
        import sacrebleu
        sacre = sacrebleu.metrics.BLEU(tokenize="none", effective_order=True)
    except ImportError:
        sacre = None
    method1 = SmoothingFunction().method1
    k = min(args.slow_peer_rows, args.B)
    print(f"BLEU per sentence, B={args.B} L={args.L}, torch int64 CPU tensors, "
          f"{args.threads} thread(s); Python-loop peers timed on {k} rows and "
          f"scaled to B")
    print(f"{'data':8} {'R':>2} {'sdp [ms]':>9} {'NLTK [ms]':>10} {'ratio':>7} "
          f"{'sacreBLEU [ms]':>15} {'ratio':>7} {'TensorBLEU-style [ms]':>22} "
          f"{'ratio':>7} {'max |sdp-NLTK|':>15}")
    for kind in ("zipf", "uniform"):
        for R in (1, 4):
            cand, refs = make_bleu_data(kind, args.B, args.L, R)
            ours = median_seconds(lambda: sdp.bleu(cand, refs))
            scores = sdp.bleu(cand, refs)
            c_rows = [unpad(c) for c in cand[:k]]
            r_rows = [[unpad(r) for r in rs] for rs in refs[:k]]
            want = [sentence_bleu(rr, cc, smoothing_function=method1)
                    for cc, rr in zip(c_rows, r_rows)]
            diff = float(np.max(np.abs(scores[:k].numpy() - np.array(want))))
            nltk = median_seconds(lambda: [
                sentence_bleu(rr, cc, smoothing_function=method1)
                for cc, rr in zip(c_rows, r_rows)], 1) * args.B / k
            sacre_s = None
            if sacre:
                c_txt = [" ".join(map(str, c)) for c in c_rows]
                r_txt = [[" ".join(map(str, r)) for r in rs] for rs in r_rows]
                sacre_s = median_seconds(lambda: [
                    sacre.sentence_score(c, r) for c, r in zip(c_txt, r_txt)],
                    1) * args.B / k
            tb = median_seconds(lambda: tensor_bleu(cand, refs), 3)
            tb_diff = float((tensor_bleu(cand, refs) - scores).abs().max())
            print(f"{kind:8} {R:>2} {ours * 1e3:9.2f} {nltk * 1e3:10.0f} "
                  f"{nltk / ours:6.0f}x "
                  + (f"{sacre_s * 1e3:15.0f} {sacre_s / ours:6.0f}x "
                     if sacre_s else f"{'not installed':>15} {'':7} ")
                  + f"{tb * 1e3:22.1f} {tb / ours:6.1f}x {diff:15.2g}"
                  + ("" if tb_diff < 1e-9 else f"  (TensorBLEU-style differs "
                                                 f"by {tb_diff:.2g})"),
                  flush=True)
    cand, refs = make_bleu_data("zipf", 1, 64, 1)
    overhead = median_seconds(lambda: sdp.bleu(cand, refs), 200)
    print(f"per-call time at B=1, L=64 (zipf, R=1): {overhead * 1e6:.1f} us")


# --------------------------------------------------------------------------
# CRF
# --------------------------------------------------------------------------

def crf_bench():
    B, T, C = 16, 512, 64
    torch.manual_seed(0)
    em = torch.randn(B, T, C, requires_grad=True)
    tr = torch.randn(C, C, requires_grad=True)
    st = torch.randn(C, requires_grad=True)
    en = torch.randn(C, requires_grad=True)
    lengths = torch.full((B,), T)

    def ours():
        sdp.linear_chain(em, tr, st, en, lengths).sum().backward()

    def torch_loop():
        steps = em.unbind(1)
        alpha = st + steps[0]
        for t in range(1, T):
            alpha = torch.logsumexp(alpha.unsqueeze(2) + tr, dim=1) + steps[t]
        torch.logsumexp(alpha + en, dim=1).sum().backward()

    peers = [("batched torch loop + autograd", torch_loop)]
    try:
        from torchcrf import CRF
        crf = CRF(C, batch_first=True)
        tags = torch.randint(0, C, (B, T))
        peers.append(("pytorch-crf log-likelihood", lambda: crf(em, tags).backward()))
    except ImportError:
        peers.append(("pytorch-crf log-likelihood", None))
    try:
        import torch_struct
        pot = (tr.detach().t().expand(B, T - 1, C, C) + em.detach()[:, 1:, :, None]).clone()
        pot[:, 0] += (st.detach() + em.detach()[:, 0])[:, None, :]
        pot.requires_grad_(True)
        peers.append(("Torch-Struct LinearChainCRF",
                      lambda: torch_struct.LinearChainCRF(pot).partition.sum().backward()))
    except ImportError:
        peers.append(("Torch-Struct LinearChainCRF", None))

    mine = median_seconds(ours)
    print(f"\nCRF log Z forward + backward (torch autograd), B={B} T={T} C={C}, "
          f"factored, N(0,1), {args.threads} thread(s), torch {torch.__version__}")
    print(f"{'peer':34} {'peer [ms]':>10} {'sdp [ms]':>9} {'sdp faster':>11}")
    for name, run in peers:
        if run is None:
            print(f"{name:34} {'not installed':>10}")
            continue
        seconds = median_seconds(run, 1 if "Struct" in name else None)
        print(f"{name:34} {seconds * 1e3:10.1f} {mine * 1e3:9.1f} "
              f"{seconds / mine:10.1f}x", flush=True)


# --------------------------------------------------------------------------
# Whole processes: sdp-bleu with a warm compile cache against NLTK's loop
# --------------------------------------------------------------------------

NLTK_PROCESS = """
import sys, numpy as np
from nltk.translate.bleu_score import SmoothingFunction, sentence_bleu
c, r = np.load(sys.argv[1]), np.load(sys.argv[2])
m = SmoothingFunction().method1
un = lambda row: [int(t) for t in row if t != 0]
scores = [sentence_bleu([un(x) for x in rs], un(cc), smoothing_function=m)
          for cc, rs in zip(c, r)]
"""


def process_bench():
    import os
    import subprocess
    import sys
    import tempfile

    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    tool = args.sdp_bleu or os.path.join(root, "build", "bin", "sdp-bleu")
    print(f"\nwhole process, B={args.B} L={args.L}: sdp-bleu with a warm "
          f"compile cache against a Python process running NLTK's loop")
    print(f"{'data':8} {'R':>2} {'sdp-bleu [s]':>13} {'NLTK process [s]':>17} "
          f"{'ratio':>7} {'first sdp-bleu [s]':>19}")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, SDP_CACHE_DIR=os.path.join(tmp, "cache"),
                   OMP_NUM_THREADS="1")
        for kind in ("zipf", "uniform"):
            for R in (1, 4):
                cand, refs = make_bleu_data(kind, args.B, args.L, R)
                c_path, r_path = (os.path.join(tmp, "c.npy"),
                                  os.path.join(tmp, "r.npy"))
                np.save(c_path, cand.numpy())
                np.save(r_path, refs.numpy())
                command = [tool, f"--candidates={c_path}",
                           f"--references={r_path}",
                           f"--output={os.path.join(tmp, 's.npy')}"]

                def run(cmd):
                    start = time.perf_counter()
                    subprocess.run(cmd, env=env, check=True)
                    return time.perf_counter() - start
                first = run(command)  # compiles and fills the cache
                warm = statistics.median(run(command) for _ in range(5))
                nltk = run([sys.executable, "-c", NLTK_PROCESS, c_path, r_path])
                print(f"{kind:8} {R:>2} {warm:13.3f} {nltk:17.2f} "
                      f"{nltk / warm:6.0f}x {first:19.2f}", flush=True)


if args.only == "process":
    process_bench()
if args.only in (None, "bleu"):
    bleu_bench()
if args.only in (None, "crf"):
    crf_bench()
