"""What the structure oracles (semi_markov_oracle.py, ctc_oracle.py,
trees_oracle.py) share: running one entry of an example through sdp-run on
arrays, and array comparison (a mismatch is recorded in `failures`, not
raised, so that one run reports every case)."""

import os
import subprocess

import numpy as np


def run_entry(sdp_run, example, base, entry, arrays, num_outputs):
    """Results of `entry` of `example` on `arrays`, through .npy files named
    after `base` (a path prefix)."""
    paths = []
    for i, a in enumerate(arrays):
        paths.append("%s.%s.in%d.npy" % (base, entry, i))
        np.save(paths[-1], a)
    outs = ["%s.%s.out%d.npy" % (base, entry, i) for i in range(num_outputs)]
    cmd = [sdp_run, example, "--entry=" + entry] + \
          ["--input=" + p for p in paths] + ["--output=" + p for p in outs]
    subprocess.run(cmd, check=True)
    return [np.load(p) for p in outs]


def compare(failures, where, got, want, rtol=1e-3, atol=1e-4):
    """Records a failure unless `got` matches `want` elementwise (equal
    infinities match; NaN in `got` never does)."""
    got = np.asarray(got, dtype=np.float64)
    want = np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        failures.append("%s: shape %s, reference %s" % (where, got.shape, want.shape))
        return
    if np.any(np.isnan(got)):
        failures.append("%s: %d NaN values" % (where, np.sum(np.isnan(got))))
        return
    same_inf = (got == want) & np.isinf(want)
    with np.errstate(invalid="ignore"):
        close = np.abs(got - want) <= atol + rtol * np.abs(want)
    bad = ~same_inf & ~close
    if np.any(bad):
        i = np.unravel_index(np.argmax(bad), got.shape)
        failures.append("%s: %d mismatches, e.g. at %s: %r vs %r" %
                        (where, np.sum(bad), i, got[i], want[i]))
