"""Writes .npy files whose headers lie about their size.

usage: hostile_npy.py DIR
"""
import os
import sys


def write(path, descr, shape, payload):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join("%d, " % d for d in shape))
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little"))
        f.write(header.encode() + payload)


d = sys.argv[1]
os.makedirs(d, exist_ok=True)
write(os.path.join(d, "huge.npy"), "<i4", (2000000000, 5), b"\0" * 40)
write(os.path.join(d, "huge3.npy"), "<i4", (1000000, 1000000, 1), b"\0" * 40)
write(os.path.join(d, "overflow.npy"), "<f4", (2**62, 4, 4), b"\0" * 40)
write(os.path.join(d, "lengths.npy"), "<i4", (2**62,), b"\0" * 40)
write(os.path.join(d, "toolong.npy"), "<i4", (99999999999999999999999,), b"")
write(os.path.join(d, "ok.npy"), "<i4", (2, 5), b"\1\0\0\0" * 10)
# No elements (a 0 size) but other sizes whose product overflows: strides
# and offsets computed from them would overflow.
write(os.path.join(d, "empty_overflow.npy"), "<f4", (0, 2**62, 2**62), b"")
