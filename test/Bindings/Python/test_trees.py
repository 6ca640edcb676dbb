"""sdp.cky, sdp.pcfg, sdp.projective_tree and sdp.nonprojective_tree from
Python: values and best trees
against brute-force enumeration, marginals through PyTorch autograd
(gradcheck in float64) and jax.grad, argument errors that name the
argument."""

import itertools
import math

import numpy as np
import pytest

import sdp
from conftest import jax, needs_jax, needs_torch, torch
from references import logsumexp


def bracketings(i, j):
    if i == j:
        yield [(i, i)]
        return
    for k in range(i, j):
        for left in bracketings(i, k):
            for right in bracketings(k + 1, j):
                yield [(i, j)] + left + right


def cky_brute_force(spans, n):
    """(log Z, best score, best {span: label}) over labelled bracketings."""
    L = spans.shape[-1]
    trees = []
    for tree in bracketings(0, n - 1):
        for labels in itertools.product(range(L), repeat=len(tree)):
            score = sum(float(spans[i, j, l]) for (i, j), l in zip(tree, labels))
            trees.append((score, dict(zip(tree, labels))))
    best = max(trees, key=lambda t: t[0])
    return logsumexp([s for s, _ in trees]), best[0], best[1]


def dependency_trees(n, multi_root, projective=True):
    for choice in itertools.product(range(n + 1), repeat=n):
        heads = (-1,) + choice
        if any(heads[m] == m for m in range(1, n + 1)):
            continue
        if not multi_root and sum(h == 0 for h in heads[1:]) != 1:
            continue

        def ancestor(h, m):
            for _ in range(n + 1):  # a cycle never reaches 0 or h
                if m in (0, h):
                    return m == h
                m = heads[m]
            return False

        if not all(ancestor(0, m) for m in range(1, n + 1)):
            continue  # a cycle
        if not projective or all(ancestor(heads[m], k) for m in range(1, n + 1)
               for k in range(min(heads[m], m) + 1, max(heads[m], m))):
            yield heads


def test_cky_matches_brute_force():
    rng = np.random.default_rng(1)
    spans = rng.normal(0, 1, (3, 4, 4, 2)).astype(np.float32)
    lengths = np.array([4, 1, 3], dtype=np.int32)
    log_z = sdp.cky(spans, lengths)
    score, labels = sdp.cky(spans, lengths, semiring="max")
    assert labels.dtype == np.int32 and labels.shape == (3, 4, 4)
    for b, n in enumerate(lengths):
        want_z, want_best, want_tree = cky_brute_force(spans[b], int(n))
        assert log_z[b] == pytest.approx(want_z, rel=1e-4)
        assert score[b] == pytest.approx(want_best, rel=1e-4)
        got = {(i, j): int(labels[b, i, j]) for i in range(4)
               for j in range(4) if labels[b, i, j] >= 0}
        assert got == want_tree


def test_projective_tree_matches_brute_force():
    rng = np.random.default_rng(2)
    arcs = rng.normal(0, 1, (3, 5, 5)).astype(np.float32)
    lengths = np.array([4, 2, 3], dtype=np.int32)
    for multi_root in (False, True):
        log_z = sdp.projective_tree(arcs, lengths, multi_root=multi_root)
        score, heads = sdp.projective_tree(arcs, lengths, semiring="max",
                                           multi_root=multi_root)
        for b, n in enumerate(lengths):
            trees = list(dependency_trees(int(n), multi_root))
            scores = [sum(arcs[b, t[m], m] for m in range(1, n + 1))
                      for t in trees]
            assert log_z[b] == pytest.approx(logsumexp(scores), rel=1e-4)
            assert score[b] == pytest.approx(max(scores), rel=1e-4)
            assert tuple(heads[b, :n + 1]) == trees[int(np.argmax(scores))]
            assert all(heads[b, n + 1:] == -1)


@needs_torch
def test_tree_marginals_through_torch_autograd():
    rng = np.random.default_rng(3)
    arcs = torch.tensor(rng.normal(0, 1, (2, 4, 4)).astype(np.float32),
                        requires_grad=True)
    lengths = torch.tensor([3, 2], dtype=torch.int32)
    sdp.projective_tree(arcs, lengths).sum().backward()
    # Every word has exactly one head: the marginals of its column sum to 1.
    sums = arcs.grad.sum(1)
    assert torch.allclose(sums[0, 1:4], torch.ones(3), atol=1e-5)
    assert torch.allclose(sums[1, 1:3], torch.ones(2), atol=1e-5)
    assert float(sums[1, 3]) == 0.0

    spans = torch.tensor(rng.normal(0, 1, (2, 4, 4, 3)).astype(np.float32),
                         requires_grad=True)
    sdp.cky(spans, torch.tensor([4, 3])).sum().backward()
    # A tree over n words has 2n - 1 spans.
    assert spans.grad.sum().item() == pytest.approx(7 + 5, rel=1e-4)


@needs_torch
def test_torch_gradcheck_trees_float64():
    rng = np.random.default_rng(4)
    spans = torch.tensor(rng.normal(0, 1, (2, 4, 4, 2)), requires_grad=True)
    arcs = torch.tensor(rng.normal(0, 1, (2, 5, 5)), requires_grad=True)
    lengths = torch.tensor([4, 2])
    for semiring in ("log", "max"):
        def f(x):
            out = sdp.cky(x, lengths, semiring=semiring)
            return out if semiring == "log" else out[0]
        assert torch.autograd.gradcheck(f, (spans,))
        for multi_root in (False, True):
            def g(x):
                out = sdp.projective_tree(x, lengths, semiring=semiring,
                                          multi_root=multi_root)
                return out if semiring == "log" else out[0]
            assert torch.autograd.gradcheck(g, (arcs,))


@needs_jax
def test_jax_tree_grad():
    import jax.numpy as jnp

    rng = np.random.default_rng(5)
    arcs = jnp.asarray(rng.normal(0, 1, (2, 5, 5)).astype(np.float32))
    lengths = np.array([4, 3], dtype=np.int32)
    g = jax.grad(lambda a: sdp.projective_tree(a, lengths).sum())(arcs)
    sums = np.asarray(g).sum(1)
    np.testing.assert_allclose(sums[0, 1:5], 1.0, rtol=1e-4)
    score, heads = sdp.projective_tree(arcs, lengths, semiring="max")
    assert heads.shape == (2, 5)


def test_tree_bad_arguments_are_named():
    spans = np.zeros((2, 4, 4, 3), dtype=np.float32)
    with pytest.raises(ValueError, match=r"lengths.*entry 1 is 5, outside \[1, 4\]"):
        sdp.cky(spans, np.array([4, 5], dtype=np.int32))
    with pytest.raises(ValueError, match=r"spans.*size 5 in dimension 2"):
        sdp.cky(np.zeros((2, 4, 5, 3), dtype=np.float32), [4, 4])
    with pytest.raises(TypeError, match="spans must be float32"):
        sdp.cky(spans.astype(np.float16), [4, 4])
    with pytest.raises(TypeError, match="lengths must be integers"):
        sdp.projective_tree(np.zeros((2, 5, 5), np.float32), [4.0, 3.0])
    with pytest.raises(ValueError, match=r"lengths.*outside \[1, 4\].*- 1"):
        sdp.projective_tree(np.zeros((2, 5, 5), np.float32), [4, 5])
    with pytest.raises(ValueError, match="semiring"):
        sdp.cky(spans, [4, 4], semiring="sum")


def test_zero_scores_count_trees():
    catalan = [1, 1, 2, 5, 14, 42]
    log_z = sdp.cky(np.zeros((6, 6, 6, 1), np.float32), np.arange(1, 7))
    np.testing.assert_allclose(np.exp(log_z), catalan, rtol=1e-5)
    log_z = sdp.projective_tree(np.zeros((4, 5, 5), np.float32),
                                np.arange(1, 5))
    np.testing.assert_allclose(np.exp(log_z), [1, 2, 7, 30], rtol=1e-5)
    assert math.isfinite(float(log_z[0]))


def pcfg_inside(terms, rules, roots, n):
    NT, S = rules.shape[0], rules.shape[1]
    beta = np.full((n, n + 1, S), -np.inf)
    for i in range(n):
        beta[i, i + 1, NT:] = terms[i]
    for w in range(2, n + 1):
        for i in range(n - w + 1):
            j = i + w
            for A in range(NT):
                parts = [rules[A] + beta[i, k][:, None] + beta[k, j][None, :]
                         for k in range(i + 1, j)]
                beta[i, j, A] = logsumexp(
                    np.concatenate([p.ravel() for p in parts]))
    return logsumexp(roots + beta[0, n, :NT])


def test_pcfg_matches_inside_and_has_gradients():
    rng = np.random.default_rng(6)
    terms = rng.normal(0, 1, (2, 5, 3))
    rules = rng.normal(0, 1, (2, 5, 5))
    roots = rng.normal(0, 1, 2)
    lengths = np.array([5, 3], dtype=np.int32)
    log_z = sdp.pcfg(terms.astype(np.float32), rules.astype(np.float32),
                     roots.astype(np.float32), lengths)
    for b in range(2):
        assert log_z[b] == pytest.approx(
            pcfg_inside(terms[b], rules, roots, lengths[b]), rel=1e-4)
    assert sdp.pcfg(terms[:, :1], rules, roots, [1, 1])[0] == -np.inf
    with pytest.raises(ValueError, match=r"rules must be \[NT, NT \+ P"):
        sdp.pcfg(terms, rules[:, :4, :4], roots, lengths)
    if torch is not None:
        xs = [torch.tensor(a, requires_grad=True) for a in (terms, rules, roots)]
        assert torch.autograd.gradcheck(
            lambda *v: sdp.pcfg(*v, torch.tensor([5, 3])), xs)


def test_nonprojective_tree_counts_and_marginals():
    # Zero scores: n^(n-1) trees with one root child, (n+1)^(n-1) without.
    lengths = np.arange(1, 6)
    log_z = sdp.nonprojective_tree(np.zeros((5, 6, 6), np.float32), lengths)
    np.testing.assert_allclose(log_z, (lengths - 1) * np.log(lengths),
                               rtol=1e-5, atol=1e-6)
    log_z = sdp.nonprojective_tree(np.zeros((5, 6, 6), np.float32), lengths,
                                   multi_root=True)
    np.testing.assert_allclose(log_z, (lengths - 1) * np.log(lengths + 1),
                               rtol=1e-5, atol=1e-6)
    if torch is not None:
        rng = np.random.default_rng(7)
        arcs = torch.tensor(rng.normal(0, 1, (2, 5, 5)), requires_grad=True)
        for multi_root in (False, True):
            assert torch.autograd.gradcheck(
                lambda a: sdp.nonprojective_tree(a, torch.tensor([4, 3]),
                                                 multi_root=multi_root),
                (arcs,))


def test_nonprojective_best_tree_matches_brute_force():
    rng = np.random.default_rng(8)
    arcs = rng.normal(0, 1, (4, 6, 6)).astype(np.float32)
    arcs[3, rng.random((6, 6)) < 0.5] = -np.inf
    arcs[3, 0, 1] = 0.5
    lengths = np.array([5, 1, 3, 4], dtype=np.int32)
    for multi_root in (False, True):
        for semiring, pick in (("max", max), ("min", min)):
            score, heads = sdp.nonprojective_tree(
                arcs, lengths, semiring=semiring, multi_root=multi_root)
            assert heads.dtype == np.int32 and heads.shape == (4, 6)
            for b, n in enumerate(lengths):
                trees = list(dependency_trees(int(n), multi_root,
                                              projective=False))
                scores = [sum(float(arcs[b, t[m], m]) for m in range(1, n + 1))
                          for t in trees]
                finite = [s for s in scores if math.isfinite(s)]
                if not finite or semiring == "min" and b == 3:
                    # Forbidden arcs are -inf, the best arcs under min.
                    continue
                assert score[b] == pytest.approx(pick(finite), rel=1e-5)
                got = tuple(int(h) for h in heads[b, :n + 1])
                assert got in trees
                assert sum(float(arcs[b, got[m], m])
                           for m in range(1, n + 1)) == pytest.approx(
                               score[b], rel=1e-5)
                assert all(heads[b, n + 1:] == -1)
    # No tree at all: 0̄ and -1 heads.
    score, heads = sdp.nonprojective_tree(
        np.full((1, 4, 4), -np.inf, np.float32), [3], semiring="max")
    assert score[0] == -np.inf and np.all(heads == -1)


@needs_torch
def test_nonprojective_best_score_gradient_is_the_tree():
    rng = np.random.default_rng(9)
    arcs = torch.tensor(rng.normal(0, 1, (3, 6, 6)), requires_grad=True)
    lengths = torch.tensor([5, 3, 1])
    score, heads = sdp.nonprojective_tree(arcs, lengths, semiring="max")
    score.sum().backward()
    indicator = torch.zeros_like(arcs)
    for b, n in enumerate(lengths.tolist()):
        for m in range(1, n + 1):
            indicator[b, int(heads[b, m]), m] = 1.0
    assert torch.equal(arcs.grad, indicator)
    assert torch.autograd.gradcheck(
        lambda a: sdp.nonprojective_tree(a, lengths, semiring="max")[0],
        (arcs.detach().requires_grad_(),))
