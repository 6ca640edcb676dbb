"""sdp.semi_markov, sdp.ctc_loss and sdp.ctc_forced_align from Python:
values against brute force / PyTorch's ctc_loss, gradients through PyTorch
autograd (gradcheck in float64) and jax.grad, argument errors that name the
argument."""

import itertools

import numpy as np
import pytest

import sdp
from conftest import jax, needs_jax, needs_torch, torch
from references import logsumexp


def segmentations(n, K):
    if n == 0:
        yield []
        return
    for length in range(1, min(K, n) + 1):
        for rest in segmentations(n - length, K):
            yield [(0, length)] + [(s + length, l) for s, l in rest]


def semi_markov_brute_force(seg, tr, start, end, lengths):
    K, C = seg.shape[2], seg.shape[3]
    out = []
    for b, n in enumerate(lengths):
        scores = []
        for segs in segmentations(int(n), K):
            for ys in itertools.product(range(C), repeat=len(segs)):
                s = start[ys[0]] + end[ys[-1]]
                for j, ((p, l), y) in enumerate(zip(segs, ys)):
                    s += seg[b, p, l - 1, y] + (tr[ys[j - 1], y] if j else 0.0)
                scores.append(float(s))
        out.append((logsumexp(scores), max(scores)))
    return np.array(out)


def semi_markov_inputs(rng, B=3, T=5, K=3, C=2, dtype=np.float32):
    return [rng.normal(size=(B, T, K, C)).astype(dtype),
            rng.normal(size=(C, C)).astype(dtype),
            rng.normal(size=C).astype(dtype),
            rng.normal(size=C).astype(dtype),
            np.array([5, 1, 3][:B], dtype=np.int64)]


def test_semi_markov_matches_brute_force():
    rng = np.random.default_rng(1)
    arrays = semi_markov_inputs(rng)
    want = semi_markov_brute_force(*arrays)
    np.testing.assert_allclose(sdp.semi_markov(*arrays), want[:, 0], rtol=1e-5)
    score, labels, seg_lengths = sdp.semi_markov(*arrays, semiring="max")
    np.testing.assert_allclose(score, want[:, 1], rtol=1e-5)
    assert labels.dtype == np.int32 and seg_lengths.shape == (3, 5)
    assert list(labels[1]) [1:] == [-1] * 4 and seg_lengths[1, 0] == 1


def test_semi_markov_bad_arguments_are_named():
    rng = np.random.default_rng(2)
    arrays = semi_markov_inputs(rng)
    with pytest.raises(TypeError, match="lengths must be integers"):
        sdp.semi_markov(*arrays[:4], arrays[4].astype(np.float32))
    with pytest.raises(Exception, match="transitions"):
        sdp.semi_markov(arrays[0], arrays[1][:1], *arrays[2:])


def ctc_inputs(rng, B=4, T=12, V=6, S=4, dtype=np.float32):
    logits = rng.normal(size=(B, T, V))
    lp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    targets = rng.integers(1, V, (B, S))
    targets[0, :2] = 3  # a repeat needs a blank between
    return (lp.astype(dtype), targets, np.array([12, 7, 3, 1][:B]),
            np.array([4, 3, 2, 0][:B]))


@needs_torch
def test_ctc_loss_matches_torch_values_and_gradients():
    rng = np.random.default_rng(3)
    lp, targets, il, tl = ctc_inputs(rng, dtype=np.float64)
    logits = torch.tensor(lp, requires_grad=True)
    ours = sdp.ctc_loss(torch.log_softmax(logits, -1), torch.tensor(targets),
                        torch.tensor(il), torch.tensor(tl), zero_infinity=True)
    ours.sum().backward()
    ref_logits = torch.tensor(lp, requires_grad=True)
    want = torch.nn.functional.ctc_loss(
        torch.log_softmax(ref_logits, -1).transpose(0, 1),
        torch.tensor(targets), torch.tensor(il), torch.tensor(tl),
        reduction="none", zero_infinity=True)
    want.sum().backward()
    np.testing.assert_allclose(ours.detach().numpy(), want.detach().numpy(),
                               rtol=1e-6)
    np.testing.assert_allclose(logits.grad.numpy(), ref_logits.grad.numpy(),
                               rtol=1e-5, atol=1e-7)


@needs_torch
def test_torch_gradcheck_sequences_float64():
    rng = np.random.default_rng(4)
    lp, targets, il, tl = ctc_inputs(rng, B=2, T=6, V=4, S=2,
                                     dtype=np.float64)
    x = torch.tensor(lp, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda v: sdp.ctc_loss(v, targets[:2], [6, 4], [2, 1]), (x,))
    arrays = semi_markov_inputs(rng, dtype=np.float64)
    floats = [torch.tensor(a, requires_grad=True) for a in arrays[:4]]
    lengths = torch.tensor(arrays[4])
    for semiring in ("log", "max"):
        def f(*xs):
            out = sdp.semi_markov(*xs, lengths, semiring=semiring)
            return out if semiring == "log" else out[0]
        assert torch.autograd.gradcheck(f, floats)


def test_ctc_forced_align_collapses_to_the_target():
    rng = np.random.default_rng(5)
    lp, targets, il, tl = ctc_inputs(rng)
    score, alignment = sdp.ctc_forced_align(lp, targets, il, tl)
    for b in range(len(il)):
        path = [int(v) for v in alignment[b, :il[b]]]
        assert all(v == -1 for v in alignment[b, il[b]:])
        collapsed = [v for i, v in enumerate(path)
                     if v != 0 and (i == 0 or v != path[i - 1])]
        if np.isfinite(score[b]):
            assert collapsed == list(targets[b, :tl[b]])
            assert abs(sum(lp[b, t, v] for t, v in enumerate(path))
                       - score[b]) < 1e-4


def test_ctc_bad_arguments_are_named():
    rng = np.random.default_rng(6)
    lp, targets, il, tl = ctc_inputs(rng)
    bad = targets.copy()
    bad[1, 0] = 0
    with pytest.raises(ValueError, match=r"targets\[1, 0\] = 0"):
        sdp.ctc_loss(lp, bad, il, tl)
    bad[1, 0] = 6
    with pytest.raises(ValueError, match=r"targets\[1, 0\] = 6"):
        sdp.ctc_loss(lp, bad, il, tl)
    with pytest.raises(ValueError, match="target_lengths must lie in"):
        sdp.ctc_loss(lp, targets, il, tl + 3)
    with pytest.raises(ValueError, match="input_lengths must lie in"):
        sdp.ctc_loss(lp, targets, il * 0, tl)
    with pytest.raises(ValueError, match="targets must be"):
        sdp.ctc_loss(lp, targets[:2], il, tl)
    with pytest.raises(ValueError, match="input_lengths must be"):
        sdp.ctc_loss(lp, targets, il[:2], tl)
    with pytest.raises(ValueError, match="blank 6"):
        sdp.ctc_loss(lp, targets, il, tl, blank=6)
    with pytest.raises(TypeError, match="log_probs must be float32"):
        sdp.ctc_loss(lp.astype(np.float16), targets, il, tl)


@needs_jax
def test_jax_sequences_grad():
    import jax.numpy as jnp

    rng = np.random.default_rng(7)
    lp, targets, il, tl = ctc_inputs(rng)
    x = jnp.asarray(lp)
    g = jax.grad(lambda v: sdp.ctc_loss(v, targets, il, tl).sum())(x)
    # Minus the posterior occupancy: each frame inside the input sums to -1.
    sums = np.asarray(g).sum(-1)
    for b in range(len(il)):
        np.testing.assert_allclose(sums[b, :il[b]], -1.0, rtol=1e-4)
    arrays = semi_markov_inputs(rng)
    score, labels, seg_lengths = sdp.semi_markov(
        *[jnp.asarray(a) for a in arrays], semiring="max")
    assert labels.shape == (3, 5)


def test_gradients_split_across_threads_match_one_thread():
    # A VJP whose float arguments are all batched (CTC's log_probs) runs
    # its batch across threads like the forward; the result must not
    # depend on it.
    from sdp import _structures

    rng = np.random.default_rng(8)
    lp, targets, il, tl = ctc_inputs(rng, B=4)
    _, structure = _structures.ctc_structure(lp, "log", 0, False)
    inputs = [lp, targets.astype(np.int32), il.astype(np.int32),
              tl.astype(np.int32)]
    d = np.array([1.0, 0.5, -2.0, 3.0], dtype=np.float32)
    try:
        sdp.set_num_threads(1)
        (one,) = structure.vjp(inputs, d)
        sdp.set_num_threads(4)
        (many,) = structure.vjp(inputs, d)
    finally:
        sdp.set_num_threads(0)
    np.testing.assert_array_equal(one, many)


def test_nan_scores_are_not_hidden_by_max():
    # max drops NaN operands (IEEE maxNum): a sequence that reads a NaN gets
    # a NaN best score; NaN past its length (or, for CTC, at a symbol its
    # target never uses) flags nothing.
    rng = np.random.default_rng(9)
    seg, tr, start, end, lengths = semi_markov_inputs(rng)  # lengths 5, 1, 3
    clean = sdp.semi_markov(seg, tr, start, end, lengths, semiring="max")[0]
    seg[0, 1, 0, 1] = np.nan  # a segment inside sequence 0
    seg[2, 2, 1, 0] = np.nan  # ends at 4 > 3: past sequence 2's length
    score = sdp.semi_markov(seg, tr, start, end, lengths, semiring="max")[0]
    assert np.isnan(score[0])
    np.testing.assert_array_equal(score[1:], clean[1:])
    lp, targets, il, tl = ctc_inputs(rng)  # input lengths 12, 7, 3, 1
    clean = sdp.ctc_forced_align(lp, targets, il, tl)[0]
    lp[1, 2, targets[1, 0]] = np.nan  # a symbol sequence 1 uses, inside
    lp[2, 5, 0] = np.nan  # past sequence 2's input length
    score = sdp.ctc_forced_align(lp, targets, il, tl)[0]
    assert np.isnan(score[1])
    np.testing.assert_array_equal(score[[0, 2, 3]], clean[[0, 2, 3]])


def test_infinite_log_scores_give_infinity_not_nan():
    # Under the log semiring a +inf term makes the sum +inf; so do finite
    # scores whose sum overflows f32 (the float64 answer exceeds FLT_MAX).
    # The exp-shifted sums used to compute inf - inf = NaN there.
    rng = np.random.default_rng(10)
    em = rng.normal(size=(3, 5, 3)).astype(np.float32)
    tr = rng.normal(size=(3, 3)).astype(np.float32)
    zeros = np.zeros(3, np.float32)
    em[0, 2, 1] = np.inf
    em[1] = (np.abs(em[1]) + 1.0) * 1e38  # 5 steps of >= 1e38 each
    log_z = sdp.linear_chain(em, tr, zeros, zeros, [5, 5, 5])
    assert log_z[0] == np.inf and log_z[1] == np.inf
    assert np.isfinite(log_z[2])
    seg, tr2, start, end, lengths = semi_markov_inputs(rng)
    seg[0, 0, 0, 0] = np.inf
    log_z = sdp.semi_markov(seg, tr2, start, end, lengths)
    assert log_z[0] == np.inf and np.all(np.isfinite(log_z[1:]))
