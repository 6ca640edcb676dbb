"""Dependency-free .npy reading and writing for sdp's test oracles.

Only what the tests need: C-ordered little-endian f4, f8, i4, i8 arrays held
as (dtype, shape, flat list of Python numbers).
"""

import ast
import struct

_CODES = {"<f4": "f", "<f8": "d", "<i4": "i", "<i8": "q"}


def write(path, descr, shape, values):
    assert descr in _CODES, descr
    count = 1
    for d in shape:
        count *= d
    assert len(values) == count, (len(values), shape)
    shape_text = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shape_text)
    total = 6 + 2 + 2 + len(header) + 1
    header += " " * ((64 - total % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00")
        f.write(struct.pack("<H", len(header)))
        f.write(header.encode("latin1"))
        f.write(struct.pack("<%d%s" % (count, _CODES[descr]), *values))


def read(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data[:6] == b"\x93NUMPY", path
    major = data[6]
    if major == 1:
        (hlen,) = struct.unpack("<H", data[8:10])
        start = 10
    else:
        (hlen,) = struct.unpack("<I", data[8:12])
        start = 12
    header = ast.literal_eval(data[start:start + hlen].decode("latin1"))
    shape = tuple(header["shape"])
    count = 1
    for d in shape:
        count *= d
    code = _CODES[header["descr"]]
    body = data[start + hlen:]
    values = list(struct.unpack("<%d%s" % (count, code), body[:count * struct.calcsize(code)]))
    return header["descr"], shape, values
