"""Writes small BLEU inputs and malformed variants into argv[1] for
sdp-bleu's command-line tests."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
p = lambda name: os.path.join(out, name)

# B=3, Lc=8; R=2, Lr=8 (0 pads).
cand = [[1, 2, 3, 4, 5, 6, 0, 0], [7, 7, 7, 0, 0, 0, 0, 0], [1, 2, 3, 1, 2, 3, 1, 2]]
refs = [[[1, 2, 3, 4, 9, 6, 0, 0], [2, 3, 4, 5, 0, 0, 0, 0]],
        [[7, 8, 0, 0, 0, 0, 0, 0], [7, 7, 0, 0, 0, 0, 0, 0]],
        [[1, 2, 3, 1, 2, 0, 0, 0], [3, 1, 2, 3, 0, 0, 0, 0]]]
flat = lambda x: [v for row in x for v in (flat(row) if isinstance(row, list) else [row])]
npyio.write(p("c.npy"), "<i4", (3, 8), flat(cand))
npyio.write(p("r.npy"), "<i4", (3, 2, 8), flat(refs))
npyio.write(p("r1.npy"), "<i4", (3, 8), flat([r[0] for r in refs]))
npyio.write(p("c64.npy"), "<i8", (3, 8), flat(cand))
npyio.write(p("r64.npy"), "<i8", (3, 2, 8), flat(refs))
npyio.write(p("c_f32.npy"), "<f4", (3, 8), [float(v) for v in flat(cand)])
npyio.write(p("c_rank1.npy"), "<i4", (8,), cand[0])
npyio.write(p("r_batch2.npy"), "<i4", (2, 2, 8), flat(refs[:2]))
