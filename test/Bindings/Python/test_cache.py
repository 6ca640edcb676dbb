"""The persistent compile cache seen from Python: a second process loads
the first one's compiled code; a corrupted entry is rebuilt."""

import os
import subprocess
import sys
import time

SCRIPT = """
import time, numpy as np
start = time.perf_counter()
import sdp
c = np.array([[1, 2, 3, 4, 0]]); r = np.array([[1, 2, 3, 5, 0]])
s = sdp.bleu(c, r, max_n=3)
print(repr(float(s[0])), time.perf_counter() - start)
"""


def run(cache):
    env = dict(os.environ, SDP_CACHE_DIR=str(cache))
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env,
                         capture_output=True, text=True, check=True).stdout
    score, seconds = out.split()
    return score, float(seconds)


def entries(cache):
    return sorted(p for p in os.listdir(cache) if p.endswith(".sdpjit"))


def test_second_process_hits_the_cache(tmp_path):
    cache = tmp_path / "cache"
    first, cold = run(cache)
    (entry,) = entries(cache)
    stamp = os.stat(cache / entry).st_mtime_ns
    second, warm = run(cache)
    assert second == first
    # Loaded, not rewritten, and much faster than compiling.
    assert os.stat(cache / entry).st_mtime_ns == stamp
    assert warm < cold / 3, (cold, warm)


def test_corrupt_entry_is_rebuilt(tmp_path):
    cache = tmp_path / "cache"
    first, _ = run(cache)
    (entry,) = entries(cache)
    path = cache / entry
    size = os.path.getsize(path)
    data = bytearray(path.read_bytes())
    data[size // 2] ^= 0xFF
    path.write_bytes(bytes(data[: size - 100]))
    again, _ = run(cache)
    assert again == first
    assert os.path.getsize(path) == size


def test_disabled_cache_writes_nothing(tmp_path):
    env = dict(os.environ, SDP_CACHE_DIR="", HOME=str(tmp_path),
               XDG_CACHE_HOME=str(tmp_path / "xdg"))
    subprocess.run([sys.executable, "-c", SCRIPT], env=env, check=True,
                   capture_output=True)
    assert os.listdir(tmp_path) == []
