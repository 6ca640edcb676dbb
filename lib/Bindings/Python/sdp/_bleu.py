"""Token-id BLEU: sdp.bleu and sdp.corpus_bleu, the sdp.bleu op behind them.

The module text comes from the same builder as sdp-bleu's (C++), so that
options, defaults and error messages agree with the command line.
"""

import threading
import warnings

import numpy as np

from . import _arrays
from . import _sdp
from . import _settings

_modules = {}
_lock = threading.Lock()


def _module(key):
    key = key + (_settings.num_threads,)
    module = _modules.get(key)
    if module is None:
        (pad_id, max_n, weights, smoothing, compat, corpus, auto_reweigh,
         smooth_value, tokens, multiple, threads) = key
        source = _sdp.bleu_source(
            pad_id, max_n, None if weights is None else list(weights),
            smoothing, compat, corpus, auto_reweigh, smooth_value, tokens,
            multiple)
        module = _sdp.compile(source, "sdp.bleu", num_threads=threads)
        with _lock:
            _modules[key] = module
    return module


def _token_array(array, name):
    dtype = _arrays.dtype_of(array)
    if dtype is None or dtype.kind not in "iu":
        raise TypeError(
            f"{name} must be integer token ids (int32 or int64), got "
            f"{dtype if dtype is not None else 'bfloat16'}")
    if dtype not in (np.dtype(np.int32), np.dtype(np.int64)):
        return _arrays.host(array, name, np.int64)
    return _arrays.host(array, name)


def _score(candidates, references, corpus, pad_id, max_n, weights, smoothing,
           compat, auto_reweigh, smooth_value):
    kind = _arrays.framework(candidates, references)
    cand = _token_array(candidates, "candidates")
    refs = _token_array(references, "references")
    cand_dtype, ref_dtype = _arrays.dtype_of(cand), _arrays.dtype_of(refs)
    if cand_dtype != ref_dtype:
        # One id type per call: the wider one.
        cand = _arrays.host(cand, "candidates", np.int64)
        refs = _arrays.host(refs, "references", np.int64)
    if len(cand.shape) != 2:
        raise ValueError(
            f"candidates must be [B, Lc] token ids, got shape "
            f"{tuple(cand.shape)}")
    if len(refs.shape) not in (2, 3):
        raise ValueError(
            f"references must be [B, R, Lr] or [B, Lr] token ids, got shape "
            f"{tuple(refs.shape)}")
    if refs.shape[0] != cand.shape[0]:
        raise ValueError(
            f"references has {refs.shape[0]} rows but candidates has "
            f"{cand.shape[0]}")
    # Each compat's own default smoothing (sacreBLEU has no method1).
    if compat == "sacrebleu" and smoothing == "method1":
        smoothing = "exp"
    # max_n is implied by the weights unless it was given otherwise.
    if weights is not None:
        weights = tuple(float(w) for w in weights)
        if max_n == 4:
            max_n = None
    tokens = "i32" if _arrays.dtype_of(cand) == np.dtype(np.int32) else "i64"
    key = (int(pad_id), None if max_n is None else int(max_n), weights,
           smoothing, compat, bool(corpus), bool(auto_reweigh),
           None if smooth_value is None else float(smooth_value), tokens,
           len(refs.shape) == 3)
    (scores,) = _module(key).call("bleu", [cand, refs])
    _warn_method6_nan(scores, smoothing, compat)
    if corpus:
        return float(scores[0])
    return _arrays.to_framework(scores, kind)


def _warn_method6_nan(scores, smoothing, compat):
    """NLTK's method6 raises where a sentence has no trigram match; sdp
    scores it NaN and says so."""
    if compat != "nltk" or smoothing != "method6":
        return
    bad = int(np.count_nonzero(np.isnan(np.asarray(scores))))
    if bad:
        warnings.warn(
            f"{bad} of {np.asarray(scores).size} BLEU scores are NaN: NLTK's "
            "method6 is undefined without a trigram match (NLTK raises "
            "AssertionError there); choose another smoothing for those "
            "sentences", RuntimeWarning, stacklevel=3)


def bleu(candidates, references, *, pad_id=0, max_n=4, weights=None,
         smoothing="method1", compat="nltk", auto_reweigh=False,
         smooth_value=None):
    """Per-sentence BLEU of token ids, exactly as NLTK 3.8's sentence_bleu
    (compat="nltk") or sacreBLEU 2.x's sentence_bleu on space-joined ids
    (compat="sacrebleu", effective order).

    candidates: [B, Lc] int32/int64 ids; references: [B, R, Lr] or [B, Lr].
    A pad id ends a sentence; an all-pad reference row is an empty reference.
    smoothing: method0..method7 (nltk) or exp, floor, add-k, none (sacrebleu;
    its default, exp, is used when smoothing is left at "method1").
    Returns float64 scores [B] in the caller's framework (NumPy, PyTorch or
    JAX).
    """
    return _score(candidates, references, False, pad_id, max_n, weights,
                  smoothing, compat, auto_reweigh, smooth_value)


def corpus_bleu(candidates, references, *, pad_id=0, max_n=4, weights=None,
                smoothing="method1", compat="nltk", auto_reweigh=False,
                smooth_value=None):
    """Corpus BLEU over the batch (NLTK's corpus_bleu or sacreBLEU's
    corpus_score), same arguments as bleu(); returns a Python float."""
    return _score(candidates, references, True, pad_id, max_n, weights,
                  smoothing, compat, auto_reweigh, smooth_value)
