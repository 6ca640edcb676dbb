"""Writes the well-formed and malformed inputs of trees-errors.test."""
import os
import sys

import numpy as np

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
save = lambda name, a: np.save(os.path.join(out, name + ".npy"), a)
save("spans", np.zeros((2, 4, 4, 3), dtype=np.float32))
save("spans_not_square", np.zeros((2, 4, 5, 3), dtype=np.float32))
save("arcs", np.zeros((2, 5, 5), dtype=np.float32))
save("arcs_not_square", np.zeros((2, 5, 4), dtype=np.float32))
save("lengths", np.array([4, 2], dtype=np.int32))
save("lengths_too_long", np.array([4, 5], dtype=np.int32))
save("lengths_zero", np.array([0, 2], dtype=np.int32))
save("lengths_three", np.array([4, 2, 1], dtype=np.int32))
save("d", np.ones(2, dtype=np.float32))
