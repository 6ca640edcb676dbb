"""Writes small valid .npy files (the npy fuzzer's seeds) into DIR: every
dtype sdp reads, ranks 0 to 3, an empty array, a version 2 header.

usage: make_npy_seeds.py DIR
"""
import os
import sys


def write(path, descr, shape, payload, version=1):
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (
        descr, "".join("%d, " % d for d in shape))
    prefix = 10 if version == 1 else 12
    header += " " * ((64 - (prefix + len(header) + 1) % 64) % 64) + "\n"
    size = len(header).to_bytes(2 if version == 1 else 4, "little")
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY" + bytes([version, 0]) + size)
        f.write(header.encode() + payload)


d = sys.argv[1]
os.makedirs(d, exist_ok=True)
for descr, width in (("<f4", 4), ("<f8", 8), ("<i4", 4), ("<i8", 8)):
    for shape in ((), (3,), (2, 3), (2, 1, 2)):
        count = 1
        for s in shape:
            count *= s
        name = "%s_%s.npy" % (descr[1:], "x".join(map(str, shape)) or "scalar")
        write(os.path.join(d, name), descr, shape, bytes(range(count * width)))
write(os.path.join(d, "empty.npy"), "<f4", (0, 4), b"")
write(os.path.join(d, "v2.npy"), "<i4", (2, 2), b"\1\0\0\0" * 4, version=2)
