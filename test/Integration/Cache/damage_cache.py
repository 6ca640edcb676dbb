"""Damages the entries of an sdp cache directory, or checks they are whole.

usage: damage_cache.py DIR truncate|flip|garbage|check
"""
import os
import sys

directory, action = sys.argv[1], sys.argv[2]
entries = sorted(os.path.join(directory, name) for name in os.listdir(directory)
                 if name.endswith(".sdpjit"))
assert entries, "no cache entries in " + directory
for path in entries:
    data = bytearray(open(path, "rb").read())
    if action == "truncate":
        data = data[: len(data) // 2]
    elif action == "flip":
        data[len(data) // 2] ^= 0x40
    elif action == "garbage":
        data = b"SDPJIT01" + b"\xff" * 64
    elif action == "check":
        # A whole entry: the magic, and no leftover temporary files.
        assert data.startswith(b"SDPJIT01") and len(data) > 1000, path
        continue
    open(path, "wb").write(bytes(data))
if action == "check":
    leftovers = [n for n in os.listdir(directory) if n.endswith(".tmp")]
    assert not leftovers, leftovers
