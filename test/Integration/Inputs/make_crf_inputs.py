"""Writes a small linear-chain CRF batch (B=2, T=3, C=2) and malformed
variants of it into the folder given as argv[1], for sdp-run's tests."""

import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
p = lambda name: os.path.join(out, name)

npyio.write(p("em.npy"), "<f4", (2, 3, 2), [0, 1, 2, .5, 0, -1, 1.5, -2, .25, .75, -.5, 3])
npyio.write(p("tr.npy"), "<f4", (2, 2), [.5, -.5, 1, 0])
npyio.write(p("start.npy"), "<f4", (2,), [0.1, -0.2])
npyio.write(p("end.npy"), "<f4", (2,), [0.3, 0.0])
npyio.write(p("len.npy"), "<i4", (2,), [3, 2])
# Malformed variants.
npyio.write(p("tr_f64.npy"), "<f8", (2, 2), [.5, -.5, 1, 0])
npyio.write(p("tr_rank1.npy"), "<f4", (4,), [.5, -.5, 1, 0])
npyio.write(p("tr_3x3.npy"), "<f4", (3, 3), [0.0] * 9)
npyio.write(p("len_i64.npy"), "<i8", (2,), [3, 2])
npyio.write(p("len_3.npy"), "<i4", (3,), [3, 2, 1])
npyio.write(p("em_empty.npy"), "<f4", (2, 0, 2), [])
with open(p("not_npy.npy"), "wb") as f:
    f.write(b"this is not a numpy file")
