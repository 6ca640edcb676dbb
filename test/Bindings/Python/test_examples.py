"""The Python examples run end to end on small sizes and learn."""

import os
import re
import shutil
import socket
import subprocess
import sys

import pytest

from conftest import ROOT, needs_torch

EXAMPLES = os.path.join(ROOT, "examples", "python")


def run(command, timeout=300):
    result = subprocess.run(command, capture_output=True, text=True,
                            timeout=timeout, env=dict(os.environ))
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@needs_torch
def test_crf_tagger_learns():
    out = run([sys.executable, os.path.join(EXAMPLES, "crf_tagger.py"),
               "--steps", "60"])
    match = re.search(r"loss ([\d.]+) -> ([\d.]+); held-out tag accuracy "
                      r"([\d.]+)%", out)
    assert match, out
    first, last, accuracy = map(float, match.groups())
    assert last < first / 2 and accuracy > 60.0, out


@needs_torch
def test_bleu_rewards_rise():
    out = run([sys.executable, os.path.join(EXAMPLES, "bleu_rewards.py"),
               "--steps", "200"])
    first, last = map(float, re.search(r"mean reward ([\d.]+) -> ([\d.]+)",
                                       out).groups())
    assert last > first + 0.1, out


def free_port():
    with socket.socket() as s:
        s.bind(("localhost", 0))
        return s.getsockname()[1]


@needs_torch
def test_ddp_bleu_rewards_on_two_processes():
    import torch.distributed

    if not torch.distributed.is_available():
        pytest.skip("this PyTorch has no torch.distributed")
    # torch.distributed.run is torchrun; a private rendezvous port keeps
    # concurrent runs apart. torch 1.13's launcher on Python 3.11 cannot
    # parse the default --redirects/--tee (0), hence 2 (stderr, teed).
    out = run([sys.executable, "-m", "torch.distributed.run",
               "--nnodes=1", "--nproc_per_node=2", "--rdzv_backend=c10d",
               f"--rdzv_endpoint=localhost:{free_port()}",
               "--redirects", "2", "--tee", "2",
               os.path.join(EXAMPLES, "ddp_bleu_rewards.py"), "--steps", "150"],
              timeout=240)
    first, last = map(float, re.search(
        r"mean reward ([\d.]+) -> ([\d.]+) \(2 processes\)", out).groups())
    assert last > first + 0.1, out
