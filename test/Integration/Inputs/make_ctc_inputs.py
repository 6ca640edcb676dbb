"""Writes small CTC inputs for ctc-errors.test into DIR: log_probs [2, 5, 4]
(uniform), targets [2, 2], and good and out-of-range lengths."""

import os
import sys

import npyio

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
quarter = -1.3862943611198906  # log(1/4)
npyio.write(os.path.join(out, "log_probs.npy"), "<f4", (2, 5, 4), [quarter] * 40)
npyio.write(os.path.join(out, "targets.npy"), "<i4", (2, 2), [1, 2, 3, 1])
for name, values in (("input_lengths", [5, 4]), ("input_too_long", [5, 6]),
                     ("input_zero", [0, 4]), ("target_lengths", [2, 1]),
                     ("target_too_long", [2, 3])):
    npyio.write(os.path.join(out, name + ".npy"), "<i4", (2,), values)
npyio.write(os.path.join(out, "d.npy"), "<f4", (2,), [1.0, 1.0])
