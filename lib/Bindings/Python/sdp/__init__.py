"""sdp: compiled semiring dynamic programs and token-id BLEU for Python.

    import sdp
    rewards = sdp.bleu(candidates, references)            # [B] float64
    log_z = sdp.linear_chain(emissions, transitions, start, end, lengths)
    log_z.sum().backward()                                # marginals
    module = sdp.compile("my_recurrence.mlir")
    out = module.my_function(x, y)

Arrays are NumPy, PyTorch (CPU) or JAX arrays, read in place; results come
back in the caller's framework. Compiled code is cached on disk
($SDP_CACHE_DIR, default ~/.cache/sdp), so only the first process compiles.
"""

import os as _os

import numpy as _np

from . import _arrays
from . import _sdp
from ._bleu import bleu, corpus_bleu
from . import _settings
from . import _structures

__all__ = [
    "alignment",
    "bleu",
    "cache_dir",
    "cky",
    "compile",
    "corpus_bleu",
    "ctc_forced_align",
    "ctc_loss",
    "linear_chain",
    "linear_chain_marginals",
    "Module",
    "nonprojective_tree",
    "pcfg",
    "projective_tree",
    "semi_markov",
    "set_num_threads",
]


def set_num_threads(n):
    """Threads the batch of a call to bleu, linear_chain, alignment, ...
    may be split over (0, the default: one per core). Calls are independent
    per sentence, so results do not depend on it."""
    if int(n) < 0:
        raise ValueError(f"set_num_threads: {n} is negative")
    _settings.num_threads = int(n)


def cache_dir():
    """The directory of the persistent compile cache, or None when it is
    disabled (SDP_CACHE_DIR set to the empty string)."""
    explicit = _os.environ.get("SDP_CACHE_DIR")
    if explicit is not None:
        return explicit or None
    base = _os.environ.get("XDG_CACHE_HOME") or _os.path.join(
        _os.path.expanduser("~"), ".cache")
    return _os.path.join(base, "sdp")


def _run(structure, names, arrays, num_paths):
    # Integer inputs are checked before any path converts them to int32.
    _structures.check_integers(arrays, names, structure.num_floats)
    kind = _arrays.framework(*arrays)
    if kind == "torch":
        from . import _torch

        if _torch.needs_grad(arrays):
            return _torch.apply(structure, names, arrays)
    if kind == "jax":
        from . import _jax

        return _jax.apply(structure, arrays, num_paths)
    inputs = _structures.host_inputs(arrays, names, structure.num_floats)
    outputs = [_arrays.to_framework(o, kind)
               for o in structure.forward(inputs)]
    return outputs[0] if len(outputs) == 1 else tuple(outputs)


def linear_chain(emissions, transitions, start, end, lengths, *,
                 semiring="log"):
    """A linear-chain CRF (pytorch-crf's convention), batch first.

    emissions [B, T, C]; transitions [C, C] (factored, shared) or
    [B, T-1, C, C] (full edge potentials, transitions[b, t] scoring the step
    from t to t+1); start [C], end [C]; lengths [B] (integers, clamped to
    [1, T]). float32 or float64.

    semiring="log": log Z [B]. "max" / "min": (best score [B], best path
    [B, T] int32, -1 past each length). Differentiable under PyTorch
    autograd and jax.grad: the gradient of log Z is the marginals, that of a
    best score the indicator of the best structure.
    """
    names = ("emissions", "transitions", "start", "end", "lengths")
    _, structure = _structures.linear_chain_structure(emissions, transitions,
                                                      semiring)
    return _run(structure, names, (emissions, transitions, start, end,
                                   lengths), int(semiring != "log"))


def linear_chain_marginals(emissions, transitions, start, end, lengths):
    """Marginal probabilities p(y_t = c) [B, T, C] of a linear-chain CRF
    (0 past each length): the gradient of log Z by the emissions, computed
    by the compiled VJP. Same arguments as linear_chain()."""
    names = ("emissions", "transitions", "start", "end", "lengths")
    arrays = (emissions, transitions, start, end, lengths)
    dtype, structure = _structures.linear_chain_structure(
        emissions, transitions, "log")
    kind = _arrays.framework(*arrays)
    _structures.check_integers(arrays, names, structure.num_floats)
    inputs = _structures.host_inputs(arrays, names, structure.num_floats)
    ones = _np.ones(inputs[0].shape[0], dtype=dtype)
    marginals = structure.vjp(inputs, ones)[0]
    return _arrays.to_framework(marginals, kind)


def alignment(diagonal, down, right, rows, cols, *, semiring="log"):
    """The 2-D alignment recurrence of edit distance, DTW and soft-DTW.

    diagonal, down, right [B, N+1, M+1]: the weights of the step into each
    cell; rows, cols [B]: the lengths. semiring="log" (soft-DTW's log
    partition), "max" or "min" (edit distance, DTW). Returns [B];
    differentiable like linear_chain() (expected alignment / best path's
    steps).
    """
    names = ("diagonal", "down", "right", "rows", "cols")
    _, structure = _structures.alignment_structure(diagonal, semiring)
    return _run(structure, names, (diagonal, down, right, rows, cols), 0)


def semi_markov(segments, transitions, start, end, lengths, *,
                semiring="log"):
    """A semi-Markov CRF (segmentation), batch first.

    segments [B, T, K, C]: the score of a segment that starts at position t,
    has length k+1 and label c; transitions [C, C] between the labels of
    consecutive segments; start [C], end [C]; lengths [B] (integers,
    clamped to [1, T]). float32 or float64.

    semiring="log": log Z [B]. "max" / "min": (best score [B], labels
    [B, T] int32 (the label of the segment covering each position),
    seg_lengths [B, T] int32 (the segment's length where it starts, 0
    inside it)), both -1 past each length. Differentiable like
    linear_chain(): the gradient of log Z by the segments is the segment
    marginals.
    """
    names = ("segments", "transitions", "start", "end", "lengths")
    _, structure = _structures.semi_markov_structure(segments, semiring)
    return _run(structure, names, (segments, transitions, start, end,
                                   lengths), 0 if semiring == "log" else 2)


def cky(spans, lengths, *, semiring="log"):
    """Labelled binary bracketings (the span-based tree CRF), batch first.

    spans [B, N, N, L]: spans[b, i, j, l] scores span i..j (words i to j
    inclusive, i <= j) with label l; lengths [B] (integers, the words, in
    [1, N]). A tree is a binary bracketing of the sentence with one label
    per span. float32 or float64.

    semiring="log": log Z [B]. "max" / "min": (best score [B], labels
    [B, N, N] int32: each span's label when it is in the best tree, -1
    otherwise). Differentiable: the gradient of log Z by the spans is the
    labelled span marginals.
    """
    _, structure = _structures.cky_structure(spans, semiring)
    return _run(structure, ("spans", "lengths"), (spans, lengths),
                0 if semiring == "log" else 1)


def nonprojective_tree(arcs, lengths, *, semiring="log", multi_root=False):
    """Non-projective dependency trees, batch first: the same arcs
    [B, N+1, N+1] and lengths as projective_tree(); arcs may cross.

    semiring="log": log Z [B] (the matrix-tree theorem). "max" / "min":
    (best score [B], heads [B, N+1] int32: each word's head, -1 at the root
    and past n; all -1 for a sentence without a tree), by Chu-Liu-Edmonds.
    Differentiable: the gradient of log Z by the arcs is the arc marginals,
    that of the best score the best tree's arcs.
    """
    _, structure = _structures.nonprojective_structure(arcs, semiring,
                                                       bool(multi_root))
    return _run(structure, ("arcs", "lengths"), (arcs, lengths),
                0 if semiring == "log" else 1)


def pcfg(terms, rules, roots, lengths, *, semiring="log"):
    """The inside score of a PCFG in Chomsky normal form, batch first.

    terms [B, N, P]: preterminal p over word i; rules [NT, NT+P, NT+P]: the
    rule A -> X Y (symbols < NT are nonterminals, NT + p is preterminal p);
    roots [NT]; lengths [B] (integers in [1, N]). The grammar is shared by
    the batch. float32 or float64.

    Returns log Z [B] under "log" (-inf for one-word sentences: no
    nonterminal covers a single word), the best derivation's score under
    "max" / "min". Differentiable: the gradients are the expected
    preterminal, rule and root counts.
    """
    names = ("terms", "rules", "roots", "lengths")
    shape = lambda a: tuple(getattr(a, "shape", _np.shape(a)))
    t, r = shape(terms), shape(rules)
    if len(t) == 3 and len(r) == 3 and r[1] != r[0] + t[2]:
        raise ValueError(
            f"rules must be [NT, NT + P, NT + P] = [{r[0]}, {r[0] + t[2]}, "
            f"{r[0] + t[2]}] for {r[0]} nonterminals and the {t[2]} "
            f"preterminals of terms, got {list(r)}")
    _, structure = _structures.pcfg_structure(terms, semiring)
    return _run(structure, names, (terms, rules, roots, lengths), 0)


def projective_tree(arcs, lengths, *, semiring="log", multi_root=False):
    """Projective dependency trees (Eisner's algorithm), batch first.

    arcs [B, N+1, N+1]: arcs[b, h, m] scores head h taking modifier m;
    position 0 is the root, words are 1..n with n = lengths[b] (integers in
    [1, N]). Unless multi_root, the root has exactly one child. float32 or
    float64.

    semiring="log": log Z [B]. "max" / "min": (best score [B], heads
    [B, N+1] int32: each word's head, -1 at the root and past n).
    Differentiable: the gradient of log Z by the arcs is the arc marginals.
    """
    _, structure = _structures.projective_structure(arcs, semiring,
                                                    bool(multi_root))
    return _run(structure, ("arcs", "lengths"), (arcs, lengths),
                0 if semiring == "log" else 1)


def _check_ctc(log_probs, targets, input_lengths, target_lengths, blank):
    names = ("log_probs", "targets", "input_lengths", "target_lengths")
    arrays = (log_probs, targets, input_lengths, target_lengths)
    _structures.check_integers(arrays, names, 1)
    shapes = [tuple(getattr(a, "shape", _np.shape(a))) for a in arrays]
    if len(shapes[0]) != 3:
        raise ValueError(f"log_probs must be [B, T, V] (batch first), got "
                         f"shape {shapes[0]}")
    B, T, V = shapes[0]
    if len(shapes[1]) != 2 or shapes[1][0] != B:
        raise ValueError(f"targets must be [B, S] with B = {B} (log_probs' "
                         f"batch), got shape {shapes[1]}")
    S = shapes[1][1]
    for name, shape in zip(names[2:], shapes[2:]):
        if shape != (B,):
            raise ValueError(f"{name} must be [B] with B = {B}, got shape "
                             f"{shape}")
    if not 0 <= blank < V:
        raise ValueError(f"blank {blank} is not a symbol of the vocabulary "
                         f"of {V} (log_probs' last dimension)")
    host = [_np.asarray(_arrays.host(a, n, _np.int64))
            for a, n in zip(arrays[1:], names[1:])]
    ids, n, m = host
    if B and (n.min() < 1 or n.max() > T):
        raise ValueError(f"input_lengths must lie in [1, {T}] (T), got "
                         f"{n.min()}..{n.max()}")
    if B and (m.min() < 0 or m.max() > S):
        raise ValueError(f"target_lengths must lie in [0, {S}] (targets' "
                         f"second dimension), got {m.min()}..{m.max()}")
    used = _np.arange(S)[None, :] < m[:, None]
    bad = used & ((ids == blank) | (ids < 0) | (ids >= V))
    if bad.any():
        b, j = map(int, _np.argwhere(bad)[0])
        raise ValueError(f"targets[{b}, {j}] = {ids[b, j]}: a target must be "
                         f"a symbol in [0, {V}) other than the blank {blank}")
    return names, arrays


def ctc_loss(log_probs, targets, input_lengths, target_lengths, *, blank=0,
             zero_infinity=False):
    """CTC loss per sequence [B], as torch.nn.functional.ctc_loss(...,
    reduction="none") but batch first.

    log_probs [B, T, V] (log_softmax output, float32 or float64); targets
    [B, S] integers (entries past each target length ignored);
    input_lengths [B] in [1, T]; target_lengths [B] in [0, S]. +inf where
    the frames cannot hold the target (0 with zero_infinity). No limit on S,
    V or T. Differentiable under PyTorch autograd and jax.grad: the gradient
    by log_probs is minus the posterior symbol occupancy per frame.
    """
    names, arrays = _check_ctc(log_probs, targets, input_lengths,
                               target_lengths, int(blank))
    _, structure = _structures.ctc_structure(log_probs, "log", int(blank),
                                             bool(zero_infinity))
    return _run(structure, names, arrays, 0)


def ctc_forced_align(log_probs, targets, input_lengths, target_lengths, *,
                     blank=0):
    """The best CTC labeling of each sequence: (its log-probability [B],
    the labeling [B, T] int32, one symbol per frame with blanks, -1 past
    each input length). Arguments as ctc_loss(). -inf (and an arbitrary
    labeling) where no labeling is admissible."""
    names, arrays = _check_ctc(log_probs, targets, input_lengths,
                               target_lengths, int(blank))
    _, structure = _structures.ctc_structure(log_probs, "max", int(blank),
                                             False)
    return _run(structure, names, arrays, 1)


class Function:
    """A public function of a compiled module, callable on arrays."""

    def __init__(self, module, name):
        self._module, self.__name__ = module, name
        arguments, results = module.signature(name)
        self.arguments, self.results = arguments, results
        self.__doc__ = (f"@{name}(" + ", ".join(
            f"{n}: {d}{list(s)}" for n, d, s in arguments) + ") -> (" +
            ", ".join(f"{d}{list(s)}" for _, d, s in results) + ")")

    def __call__(self, *arrays):
        kind = _arrays.framework(*arrays)
        inputs = [_arrays.host(a, n) for a, (n, _, _) in
                  zip(arrays, self.arguments)] + list(
                      arrays[len(self.arguments):])
        outputs = [_arrays.to_framework(o, kind) for o in
                   self._module.call(self.__name__, inputs)]
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def __repr__(self):
        return f"<sdp function {self.__doc__}>"


class Module:
    """A compiled module: its public functions are attributes."""

    def __init__(self, compiled, name):
        self._compiled, self._name = compiled, name
        self._functions = {f: Function(compiled, f)
                           for f in compiled.functions()}

    def __getattr__(self, name):
        functions = self.__dict__.get("_functions", {})
        if name in functions:
            return functions[name]
        raise AttributeError(
            f"{self._name} has no public function @{name} (it has "
            f"{', '.join('@' + f for f in functions) or 'none'})")

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._functions))

    @property
    def functions(self):
        return list(self._functions)

    @property
    def num_threads(self):
        return self._compiled.num_threads

    @num_threads.setter
    def num_threads(self, n):
        self._compiled.num_threads = n


def compile(source, *, target="cpu"):
    """Compiles an sdp module: `source` is a path to a .mlir file or MLIR
    text. Returns a Module whose public functions are attributes
    (`m.log_partition(emissions, ...)`)."""
    source = _os.fspath(source)
    name = "<string>"
    if "\n" not in source and "{" not in source:
        name = source
        try:
            with open(source) as f:
                source = f.read()
        except OSError as error:
            raise ValueError(f"cannot read {name}: {error.strerror}") from None
    return Module(_sdp.compile(source, name, target=target,
                               num_threads=_settings.num_threads), name)
