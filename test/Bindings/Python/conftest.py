"""pytest set-up for the sdp Python package: run with PYTHONPATH pointing at
build/python (ctest does). Optional peers (torch, jax, nltk, sacrebleu) skip
their tests when missing."""

import importlib
import os

import pytest


def optional(module):
    try:
        return importlib.import_module(module)
    except Exception:  # ImportError, or a broken install
        return None


torch = optional("torch")
jax = optional("jax")
needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch is not installed")
needs_jax = pytest.mark.skipif(jax is None, reason="JAX is not installed")

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
