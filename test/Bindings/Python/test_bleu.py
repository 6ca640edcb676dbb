"""sdp.bleu and sdp.corpus_bleu against NLTK 3.8 and sacreBLEU, on NumPy,
PyTorch and JAX inputs, with clear errors for bad ones."""

import numpy as np
import pytest

import sdp
from conftest import jax, needs_jax, needs_torch, optional, torch

nltk_bleu = optional("nltk.translate.bleu_score")
sacrebleu = optional("sacrebleu")
needs_nltk = pytest.mark.skipif(nltk_bleu is None, reason="NLTK is not installed")
needs_sacrebleu = pytest.mark.skipif(sacrebleu is None,
                                     reason="sacreBLEU is not installed")


def zipf_batch(rng, B=24, L=30, R=2, vocab=50):
    """Zipf-distributed ids (skewed, many repeated n-grams), ragged lengths
    with pad 0, references made by noisy edits of the candidate."""
    cand = np.zeros((B, L), np.int64)
    refs = np.zeros((B, R, L), np.int64)
    for b in range(B):
        n = rng.integers(1, L + 1)
        sentence = np.minimum(rng.zipf(1.3, size=n), vocab)
        cand[b, :n] = sentence
        for r in range(R):
            edited = [t if rng.random() > 0.2 else int(rng.integers(1, vocab))
                      for t in sentence if rng.random() > 0.1][:L]
            refs[b, r, :len(edited)] = edited
    return cand, refs


def unpad(row):
    return [int(t) for t in row if t != 0]


@needs_nltk
@pytest.mark.parametrize("method", [0, 1, 2, 3, 4, 5, 7])
def test_sentence_bleu_matches_nltk(method):
    rng = np.random.default_rng(method)
    cand, refs = zipf_batch(rng)
    smoothing = getattr(nltk_bleu.SmoothingFunction(), f"method{method}")
    want = [nltk_bleu.sentence_bleu([unpad(r) for r in refs[b]],
                                    unpad(cand[b]),
                                    smoothing_function=smoothing)
            for b in range(len(cand))]
    got = sdp.bleu(cand, refs, smoothing=f"method{method}")
    assert got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


@needs_nltk
def test_corpus_bleu_weights_and_auto_reweigh_match_nltk():
    rng = np.random.default_rng(42)
    cand, refs = zipf_batch(rng)
    refs_list = [[unpad(r) for r in refs[b]] for b in range(len(cand))]
    hyps = [unpad(c) for c in cand]
    want = nltk_bleu.corpus_bleu(refs_list, hyps, weights=(0.5, 0.3, 0.2))
    got = sdp.corpus_bleu(cand, refs, weights=[0.5, 0.3, 0.2])
    assert isinstance(got, float)
    assert got == pytest.approx(want, rel=1e-12)
    sm = nltk_bleu.SmoothingFunction().method1
    want = [nltk_bleu.sentence_bleu(refs_list[b], hyps[b], auto_reweigh=True,
                                    smoothing_function=sm)
            for b in range(len(cand))]
    np.testing.assert_allclose(sdp.bleu(cand, refs, auto_reweigh=True), want,
                               rtol=1e-12)


@needs_sacrebleu
@pytest.mark.parametrize("smoothing", ["exp", "floor", "add-k", "none"])
def test_sentence_bleu_matches_sacrebleu(smoothing):
    rng = np.random.default_rng(7)
    cand, refs = zipf_batch(rng, R=1)
    refs = refs[:, 0]
    metric = sacrebleu.metrics.BLEU(tokenize="none", smooth_method=smoothing,
                                    effective_order=True)
    want = [metric.sentence_score(" ".join(map(str, unpad(cand[b]))),
                                  [" ".join(map(str, unpad(refs[b])))]).score
            for b in range(len(cand))]
    got = sdp.bleu(cand, refs, compat="sacrebleu",
                   smoothing="method1" if smoothing == "exp" else smoothing)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


@needs_torch
def test_torch_int64_and_int32_inputs_return_torch():
    rng = np.random.default_rng(3)
    cand, refs = zipf_batch(rng)
    want = sdp.bleu(cand, refs)
    got = sdp.bleu(torch.from_numpy(cand), torch.from_numpy(refs))
    assert isinstance(got, torch.Tensor) and got.dtype == torch.float64
    np.testing.assert_array_equal(got.numpy(), want)
    got32 = sdp.bleu(torch.from_numpy(cand).int(), torch.from_numpy(refs).int())
    np.testing.assert_array_equal(got32.numpy(), want)
    # Non-contiguous (a transposed view) and mixed id widths.
    cand_t = torch.from_numpy(np.ascontiguousarray(cand.T)).t()
    assert not cand_t.is_contiguous()
    np.testing.assert_array_equal(sdp.bleu(cand_t, refs.astype(np.int32)),
                                  want)


@needs_jax
def test_jax_inputs():
    import jax.numpy as jnp

    rng = np.random.default_rng(4)
    cand, refs = zipf_batch(rng)
    want = sdp.bleu(cand, refs)
    args = (jnp.asarray(cand, dtype=jnp.int32), jnp.asarray(refs, dtype=jnp.int32))
    # JAX holds float64 results only with jax_enable_x64; else float32.
    got = sdp.bleu(*args)
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6)
    jax.config.update("jax_enable_x64", True)
    try:
        got = sdp.bleu(*args)
        assert got.dtype == jnp.float64
        np.testing.assert_array_equal(np.asarray(got), want)
    finally:
        jax.config.update("jax_enable_x64", False)


def test_pad_id_and_single_reference_layout():
    cand = np.array([[5, 6, 7, 8, 9, 9]])
    refs = np.array([[5, 6, 7, 8, 9, 9]])
    assert sdp.bleu(cand, refs, pad_id=9)[0] == pytest.approx(1.0)
    assert sdp.bleu(cand, refs[:, None, :])[0] == pytest.approx(1.0)


def test_bad_options_and_inputs_are_clear_errors():
    cand = np.array([[1, 2, 3]])
    refs = np.array([[1, 2, 3]])
    cases = [
        (dict(smoothing="floor"), ValueError,
         "smoothing='floor' is not a nltk method"),
        (dict(compat="moses"), ValueError, "compat must be nltk or sacrebleu"),
        (dict(weights=[]), ValueError, "weights is empty"),
        (dict(weights=[float("nan"), 0.5]), ValueError, "not a finite number"),
        (dict(max_n=3, weights=[0.5, 0.5]), ValueError,
         "max_n=3 but weights has 2 entries"),
        (dict(compat="sacrebleu", weights=[1.0]), ValueError,
         "weights is an nltk option"),
        (dict(smooth_value=0.5), ValueError, "smooth_value is a sacrebleu"),
        (dict(compat="sacrebleu", smoothing="floor", smooth_value=-1.0),
         ValueError, "smooth_value must be positive for floor"),
        (dict(max_n=10**6), ValueError, "max_n=1000000 is more n-gram orders"),
    ]
    for kwargs, error, message in cases:
        with pytest.raises(error, match=message):
            sdp.bleu(cand, refs, **kwargs)
    with pytest.raises(TypeError, match="candidates must be integer token ids"):
        sdp.bleu(cand.astype(np.float32), refs)
    with pytest.raises(ValueError, match="references has 2 rows"):
        sdp.bleu(cand, np.ones((2, 3), np.int64))
    with pytest.raises(ValueError, match=r"candidates must be \[B, Lc\]"):
        sdp.bleu(cand[0], refs)
    with pytest.raises(ValueError, match="pad_id=4294967303 does not fit"):
        sdp.bleu(cand.astype(np.int32), refs.astype(np.int32),
                 pad_id=2**32 + 7)


def test_method6_without_trigram_match_warns_and_scores_nan():
    # NLTK raises (an AssertionError) where method6 meets a zero trigram
    # precision; sdp scores NaN and warns, keeping the other scores.
    cand = np.array([[1, 2, 3, 4, 5], [1, 2, 9, 9, 9]], dtype=np.int32)
    refs = np.array([[1, 2, 3, 4, 5], [1, 2, 7, 7, 7]], dtype=np.int32)
    with pytest.warns(RuntimeWarning, match="1 of 2 BLEU scores are NaN"):
        scores = sdp.bleu(cand, refs, smoothing="method6")
    assert scores[0] == pytest.approx(1.0) and np.isnan(scores[1])
