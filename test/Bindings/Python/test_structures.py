"""sdp.linear_chain, sdp.linear_chain_marginals and sdp.alignment against
float64 brute force and dynamic programs; gradients under PyTorch autograd
(gradcheck in float64, a torch reference) and JAX."""

import math
import os
import threading

import numpy as np
import pytest

import sdp
from conftest import jax, needs_jax, needs_torch, torch
from references import (alignment_dp, linear_chain_brute_force,
                        logsumexp, torch_linear_chain)


def crf_inputs(rng, B=3, T=4, C=3, full=False, dtype=np.float32, scale=1.0):
    em = (rng.normal(size=(B, T, C)) * scale).astype(dtype)
    tr = rng.normal(size=(B, T - 1, C, C) if full else (C, C)).astype(dtype)
    start = rng.normal(size=C).astype(dtype)
    end = rng.normal(size=C).astype(dtype)
    lengths = np.array([T, max(T - 2, 1), 1][:B] + [T] * max(B - 3, 0))
    return em, tr, start, end, lengths


@pytest.mark.parametrize("full", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_chain_matches_brute_force(full, dtype):
    rng = np.random.default_rng(1)
    args = crf_inputs(rng, full=full, dtype=dtype)
    log_z, best, paths, marginals = linear_chain_brute_force(*args)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    got = sdp.linear_chain(*args)
    assert got.dtype == dtype and got.shape == (3,)
    np.testing.assert_allclose(got, log_z, rtol=tol, atol=tol)
    score, path = sdp.linear_chain(*args, semiring="max")
    np.testing.assert_allclose(score, best, rtol=tol, atol=tol)
    np.testing.assert_array_equal(path, paths)
    got_marginals = sdp.linear_chain_marginals(*args)
    np.testing.assert_allclose(got_marginals, marginals, atol=1e-5)


def test_marginals_sum_to_one_within_each_length():
    rng = np.random.default_rng(2)
    em, tr, start, end, _ = crf_inputs(rng, B=4, T=9, C=5)
    lengths = np.array([9, 5, 1, 3])
    m = sdp.linear_chain_marginals(em, tr, start, end, lengths)
    for b, n in enumerate(lengths):
        np.testing.assert_allclose(m[b, :n].sum(-1), 1.0, atol=1e-5)
        assert not m[b, n:].any()


def test_min_semiring_is_the_cheapest_path():
    rng = np.random.default_rng(3)
    args = crf_inputs(rng, dtype=np.float64)
    _, best_of_negated, _, _ = linear_chain_brute_force(
        -args[0], -args[1], -args[2], -args[3], args[4])
    score, _ = sdp.linear_chain(*args, semiring="min")
    np.testing.assert_allclose(score, -best_of_negated, rtol=1e-12)


@pytest.mark.parametrize("semiring,combine", [
    ("log", logsumexp), ("max", max), ("min", min)])
def test_alignment_matches_the_dynamic_program(semiring, combine):
    rng = np.random.default_rng(4)
    B, N, M = 3, 4, 5
    w = [rng.normal(size=(B, N + 1, M + 1)) for _ in range(3)]
    rows, cols = np.array([4, 2, 0]), np.array([5, 5, 3])
    want = alignment_dp(*w, rows, cols, combine)
    got = sdp.alignment(*w, rows, cols, semiring=semiring)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    got32 = sdp.alignment(*[x.astype(np.float32) for x in w], rows, cols,
                          semiring=semiring)
    np.testing.assert_allclose(got32, want, rtol=1e-5, atol=1e-5)


def test_bad_arguments_are_named():
    rng = np.random.default_rng(5)
    em, tr, start, end, lengths = crf_inputs(rng)
    with pytest.raises(ValueError, match=r"argument #1 \(%transitions\)"):
        sdp.linear_chain(em, tr[:2], start, end, lengths)
    with pytest.raises(TypeError, match=r"argument #1 \(%transitions.*f64"):
        sdp.linear_chain(em, tr.astype(np.float64), start, end, lengths)
    with pytest.raises(TypeError, match="emissions must be float32 or float64"):
        sdp.linear_chain(em.astype(np.int32), tr, start, end, lengths)
    with pytest.raises(TypeError, match="lengths must be integers"):
        sdp.linear_chain(em, tr, start, end, lengths.astype(np.float32))
    with pytest.raises(ValueError, match="semiring must be one of"):
        sdp.linear_chain(em, tr, start, end, lengths, semiring="sum")
    with pytest.raises(ValueError, match=r"argument #0 \(%emissions.*rank 3"):
        sdp.linear_chain(em[0], tr, start, end, lengths)


def test_non_contiguous_inputs_are_read_correctly():
    rng = np.random.default_rng(6)
    em, tr, start, end, lengths = crf_inputs(rng, B=3, T=5, C=4)
    em_t = np.ascontiguousarray(em.transpose(0, 2, 1)).transpose(0, 2, 1)
    assert not em_t.flags.c_contiguous
    np.testing.assert_allclose(sdp.linear_chain(em_t, tr.T.copy().T, start,
                                                end, lengths),
                               sdp.linear_chain(em, tr, start, end, lengths))


def test_calls_from_many_threads_agree():
    rng = np.random.default_rng(7)
    args = crf_inputs(rng, B=16, T=32, C=8)
    want = sdp.linear_chain(*args)
    results, errors = [], []

    def worker():
        try:
            for _ in range(20):
                results.append(sdp.linear_chain(*args))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for got in results:
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("full", [False, True])
def test_gradients_of_shared_arguments_add_up_across_threads(full):
    # The batch of a VJP is split across threads even when the examples
    # share arguments (transitions, start, end): each sub-batch returns its
    # sum of the shared gradients and the call adds them. Batched gradients
    # are the same bits; shared ones the same sums in another order.
    from sdp import _structures

    rng = np.random.default_rng(11)
    em, tr, start, end, lengths = crf_inputs(rng, B=7, T=6, C=4, full=full)
    _, structure = _structures.linear_chain_structure(em, tr, "log")
    inputs = [em, tr, start, end, lengths.astype(np.int32)]
    d = rng.normal(size=7).astype(np.float32)
    try:
        sdp.set_num_threads(1)
        one = structure.vjp(inputs, d)
        sdp.set_num_threads(4)
        many = structure.vjp(inputs, d)
    finally:
        sdp.set_num_threads(0)
    np.testing.assert_array_equal(one[0], many[0])
    if full:
        np.testing.assert_array_equal(one[1], many[1])
    for got, want in zip(many[1:], one[1:]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    # The shared gradients are the sums of the examples' own.
    for b in range(7):
        sub = [em[b:b + 1], tr[b:b + 1] if full else tr, start, end,
               lengths[b:b + 1].astype(np.int32)]
        grads = structure.vjp(sub, d[b:b + 1])
        if b == 0:
            total = [g.astype(np.float64) for g in grads[2:]]
        else:
            total = [t + g for t, g in zip(total, grads[2:])]
    for got, want in zip(many[2:], total):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def _split_call_in_child(queue):
    rng = np.random.default_rng(12)
    sdp.set_num_threads(2)
    queue.put(sdp.linear_chain(*crf_inputs(rng, B=8, T=6, C=4)).tolist())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_split_calls_work_in_a_forked_child():
    # Split calls run on a thread pool made on first use; a forked child
    # (a data-loader worker) has none of its parent's threads and must make
    # its own instead of waiting forever on the parent's.
    import multiprocessing

    rng = np.random.default_rng(12)
    sdp.set_num_threads(2)
    try:
        want = sdp.linear_chain(*crf_inputs(rng, B=8, T=6, C=4))
        context = multiprocessing.get_context("fork")
        queue = context.Queue()
        child = context.Process(target=_split_call_in_child, args=(queue,))
        child.start()
        try:
            got = queue.get(timeout=60)
            child.join(timeout=60)
        finally:
            if child.is_alive():
                child.kill()
    finally:
        sdp.set_num_threads(0)
    assert child.exitcode == 0
    np.testing.assert_array_equal(np.array(got, dtype=want.dtype), want)


@needs_torch
@pytest.mark.parametrize("full", [False, True])
def test_torch_gradcheck_float64(full):
    rng = np.random.default_rng(8)
    arrays = crf_inputs(rng, full=full, dtype=np.float64)
    floats = [torch.tensor(a, requires_grad=True) for a in arrays[:4]]
    lengths = torch.tensor(arrays[4])
    for semiring in ("log", "max", "min"):
        def f(*xs):
            out = sdp.linear_chain(*xs, lengths, semiring=semiring)
            return out if semiring == "log" else out[0]
        assert torch.autograd.gradcheck(f, floats)


@needs_torch
def test_torch_gradients_match_a_float64_reference():
    rng = np.random.default_rng(9)
    arrays = crf_inputs(rng, B=4, T=7, C=5, dtype=np.float32)
    ours = [torch.tensor(a, requires_grad=True) for a in arrays[:4]]
    ref = [torch.tensor(a, dtype=torch.float64, requires_grad=True)
           for a in arrays[:4]]
    lengths = torch.tensor(arrays[4])
    weights = torch.tensor([1.0, -0.5, 2.0, 0.25])
    (sdp.linear_chain(*ours, lengths) * weights).sum().backward()
    (torch_linear_chain(*ref, lengths) * weights.double()).sum().backward()
    for a, b in zip(ours, ref):
        assert a.grad.dtype == torch.float32
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(),
                                   rtol=1e-3, atol=1e-4)
    # The emission gradient is the marginals when every weight is 1.
    m = sdp.linear_chain_marginals(*[x.detach() for x in ours], lengths)
    assert isinstance(m, torch.Tensor)


@needs_torch
def test_torch_alignment_gradcheck():
    rng = np.random.default_rng(10)
    w = [torch.tensor(rng.normal(size=(3, 4, 5)), requires_grad=True)
         for _ in range(3)]
    rows, cols = torch.tensor([3, 1, 2]), torch.tensor([4, 4, 0])
    for semiring in ("log", "max", "min"):
        assert torch.autograd.gradcheck(
            lambda *xs: sdp.alignment(*xs, rows, cols, semiring=semiring), w)


@needs_torch
def test_torch_results_and_no_grad_path():
    rng = np.random.default_rng(11)
    arrays = [torch.tensor(a) for a in crf_inputs(rng)]
    out = sdp.linear_chain(*arrays)
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32
    score, path = sdp.linear_chain(*arrays, semiring="max")
    assert path.dtype == torch.int32
    # Lengths are checked on the autograd path too, not silently truncated.
    floats = [a.clone().requires_grad_(True) for a in arrays[:4]]
    with pytest.raises(TypeError, match="lengths must be integers"):
        sdp.linear_chain(*floats, arrays[4].float() + 0.5)


@needs_jax
def test_jax_inputs_and_grad():
    import jax.numpy as jnp

    rng = np.random.default_rng(12)
    arrays = crf_inputs(rng, dtype=np.float32)
    em, tr, start, end = (jnp.asarray(a) for a in arrays[:4])
    lengths = jnp.asarray(arrays[4])
    log_z = sdp.linear_chain(em, tr, start, end, lengths)
    want, _, _, marginals = linear_chain_brute_force(*arrays)
    np.testing.assert_allclose(np.asarray(log_z), want, rtol=1e-5)
    grad = jax.grad(lambda e: sdp.linear_chain(e, tr, start, end,
                                               lengths).sum())(em)
    np.testing.assert_allclose(np.asarray(grad), marginals, atol=1e-5)


@pytest.mark.parametrize("N, M", [(6, 7), (40, 37)])
def test_nan_weights_are_not_hidden_by_alignment_max_min(N, M):
    # Every cell of the grid reaches the score and max/min add NaN-
    # propagating there, so a NaN weight the recurrence reads makes the
    # score NaN (as under log); a NaN no cell reads (past the lengths, a
    # diagonal weight in column 0) changes nothing. Both sizes: the row
    # loop and the strips of the CPU lowering.
    rng = np.random.default_rng(14)
    B = 3
    w = [rng.normal(size=(B, N + 1, M + 1)).astype(np.float32)
         for _ in range(3)]
    rows, cols = np.array([N, N, N // 2]), np.array([M, M, M // 2])
    for semiring in ("max", "min", "log"):
        clean = sdp.alignment(*w, rows, cols, semiring=semiring)
        dirty = [x.copy() for x in w]
        dirty[1][0, 2, 3] = np.nan  # a down weight inside pair 0
        dirty[0][1, 3, 0] = np.nan  # diagonal, column 0: no cell reads it
        dirty[2][2, N, M] = np.nan  # right, past pair 2's lengths
        score = sdp.alignment(*dirty, rows, cols, semiring=semiring)
        assert np.isnan(score[0]), semiring
        np.testing.assert_array_equal(score[1:], clean[1:])


def test_nan_scores_are_not_hidden_by_selective_semirings():
    # max/min drop NaN operands (IEEE maxNum); a sequence that reads a NaN
    # score gets a NaN best score, not a plausible one. NaN padding past a
    # length is not read, so it flags nothing.
    rng = np.random.default_rng(13)
    em, tr, start, end, _ = crf_inputs(rng, B=3, T=5, C=4)
    lengths = np.array([5, 3, 4])
    clean, _ = sdp.linear_chain(em, tr, start, end, lengths, semiring="max")
    em[0, 2, 1] = np.nan  # inside sequence 0
    em[1, 4, 0] = np.nan  # past sequence 1's length
    for semiring in ("max", "min"):
        score, _ = sdp.linear_chain(em, tr, start, end, lengths,
                                    semiring=semiring)
        assert np.isnan(score[0]) and np.all(np.isfinite(score[1:]))
    score, _ = sdp.linear_chain(em, tr, start, end, lengths, semiring="max")
    np.testing.assert_array_equal(score[1:], clean[1:])
    tr[0, 0] = np.nan  # shared: every sequence reads it
    score, _ = sdp.linear_chain(em, tr, start, end, lengths, semiring="max")
    assert np.all(np.isnan(score))
