"""The structures (sequences, alignments, trees), forward and VJP.

Each (structure, semiring, float type, form) is a small module around one
named op and an `sdp.vjp` of it, compiled on first use (and found in the
persistent cache by later processes). Gradients come from the compiler's
adjoints: marginals under #sdp.log, the selected structure's indicator under
#sdp.max and #sdp.min.
"""

import threading

import numpy as np

from . import _arrays
from . import _sdp
from . import _settings

_SEMIRINGS = ("log", "max", "min")
_FLOATS = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64"}

_modules = {}
_lock = threading.Lock()


def _compile(key, source, entry):
    threads = _settings.num_threads
    module = _modules.get((key, entry, threads))
    if module is None:
        module = _sdp.compile(source, f"sdp.{key[0]}", entry_points=[entry],
                              num_threads=threads)
        with _lock:
            _modules[(key, entry, threads)] = module
    return module


def _module_source(op, params, semiring, t, paths=(), attrs="",
                   score_entry=False):
    """A module around one named op `sdp.<op>`: @forward (the score, and
    under max/min the best structure's i32 `paths` result types) and @vjp
    (the score's VJP, one cotangent per float parameter). `params`: (name,
    type) in operand order; `attrs`: the op's attribute dictionary body.
    With `score_entry`, @vjp differentiates a separate @score without the
    paths (a structure whose paths are themselves an sdp.vjp)."""
    vec = f"tensor<?x{t}>"
    types = [ty for _, ty in params]
    ins = "(" + ", ".join(types) + ")"
    args = ", ".join(f"%{name}: {ty}" for name, ty in params)
    operands = ", ".join(f"%{name}" for name, _ in params)
    floats = [ty for ty in types if ty.endswith(f"x{t}>")]
    attr_dict = f" {{{attrs}}}" if attrs else ""
    paths = list(paths) if semiring != "log" else []

    def apply(names, results):
        return (f"{names} = sdp.{op} {operands} semiring(#sdp.{semiring})"
                f"{attr_dict}\n      : {ins} -> {results}")

    results, names = vec, "%score"
    if paths:
        results = "(" + ", ".join([vec] + paths) + ")"
        names = ", ".join(["%score"] + [f"%path{i}" for i in range(len(paths))])
    source = f"""
func.func @forward({args}) -> {results} {{
  {apply(names, results)}
  return {names} : {results.strip("()")}
}}
"""
    callee = "forward"
    if paths and score_entry:
        callee = "score"
        source += f"""
func.func @score({args}) -> {vec} {{
  {apply("%score", vec)}
  return %score : {vec}
}}
"""
    grads = "(" + ", ".join(floats) + ")"
    gnames = ", ".join(f"%g{i}" for i in range(len(floats)))
    return source + f"""
func.func @vjp({args}, %d: {vec}) -> {grads} {{
  {gnames} = sdp.vjp @{callee}({operands}) cotangents(%d)
      : {ins}, ({vec}) -> {grads}
  return {gnames} : {grads.strip("()")}
}}
"""


def _tensor(rank, t):
    return f"tensor<{'?x' * rank}{t}>"


_LENGTHS = "tensor<?xi32>"


def _linear_chain_source(semiring, t, full):
    return _module_source(
        "linear_chain",
        [("emissions", _tensor(3, t)), ("transitions", _tensor(4 if full else 2, t)),
         ("start", _tensor(1, t)), ("end", _tensor(1, t)),
         ("lengths", _LENGTHS)],
        semiring, t, paths=[_tensor(2, "i32")])


def _alignment_source(semiring, t):
    w = _tensor(3, t)
    return _module_source(
        "alignment",
        [("diagonal", w), ("down", w), ("right", w), ("rows", _LENGTHS),
         ("cols", _LENGTHS)], semiring, t)


def _semi_markov_source(semiring, t):
    return _module_source(
        "semi_markov",
        [("segments", _tensor(4, t)), ("transitions", _tensor(2, t)),
         ("start", _tensor(1, t)), ("end", _tensor(1, t)),
         ("lengths", _LENGTHS)],
        semiring, t, paths=[_tensor(2, "i32")] * 2)


def _ctc_source(semiring, t, blank, zero_infinity):
    return _module_source(
        "ctc",
        [("log_probs", _tensor(3, t)), ("targets", _tensor(2, "i32")),
         ("input_lengths", _LENGTHS), ("target_lengths", _LENGTHS)],
        semiring, t, paths=[_tensor(2, "i32")],
        attrs=f"blank = {blank} : i64" + (", zero_infinity" if zero_infinity
                                          else ""))


def _tree_source(op, name, semiring, t, rank, attrs, result_rank):
    """A tree structure: one float tensor of `rank` named `name` and the
    lengths; its best tree (i32 of `result_rank`) may be an sdp.vjp itself
    (CKY, Eisner), so the gradient comes from a separate @score."""
    return _module_source(op, [(name, _tensor(rank, t)), ("lengths", _LENGTHS)],
                          semiring, t, paths=[_tensor(result_rank, "i32")],
                          attrs=attrs, score_entry=True)


def _pcfg_source(semiring, t):
    return _module_source(
        "pcfg",
        [("terms", _tensor(3, t)), ("rules", _tensor(3, t)),
         ("roots", _tensor(1, t)), ("lengths", _LENGTHS)], semiring, t)


class Structure:
    """One structure's compiled forward and VJP for a semiring, float type
    and form; `forward` and `vjp` take and return host arrays."""

    def __init__(self, key, source, num_floats):
        self.key, self.source, self.num_floats = key, source, num_floats
        self.semiring = key[1]

    def forward(self, inputs):
        return _compile(self.key, self.source, "forward").call(
            "forward", inputs)

    def vjp(self, inputs, cotangent):
        return _compile(self.key, self.source, "vjp").call(
            "vjp", list(inputs) + [cotangent])


def _check_semiring(semiring):
    if semiring not in _SEMIRINGS:
        raise ValueError(
            f"semiring must be one of {', '.join(_SEMIRINGS)}, got "
            f"{semiring!r}")


def _float_type(array, name):
    dtype = _arrays.dtype_of(array)
    if dtype not in _FLOATS:
        raise TypeError(
            f"{name} must be float32 or float64, got "
            f"{dtype if dtype is not None else 'bfloat16'}")
    return dtype


def linear_chain_structure(emissions, transitions, semiring):
    _check_semiring(semiring)
    dtype = _float_type(emissions, "emissions")
    rank = len(getattr(transitions, "shape", np.shape(transitions)))
    full = rank == 4
    key = ("linear_chain", semiring, _FLOATS[dtype], full)
    return dtype, Structure(key, _linear_chain_source(semiring,
                                                      _FLOATS[dtype], full), 4)


def alignment_structure(diagonal, semiring):
    _check_semiring(semiring)
    dtype = _float_type(diagonal, "diagonal")
    key = ("alignment", semiring, _FLOATS[dtype])
    return dtype, Structure(key, _alignment_source(semiring, _FLOATS[dtype]),
                            3)


def semi_markov_structure(segments, semiring):
    _check_semiring(semiring)
    dtype = _float_type(segments, "segments")
    key = ("semi_markov", semiring, _FLOATS[dtype])
    return dtype, Structure(key, _semi_markov_source(semiring,
                                                     _FLOATS[dtype]), 4)


def ctc_structure(log_probs, semiring, blank, zero_infinity):
    dtype = _float_type(log_probs, "log_probs")
    key = ("ctc", semiring, _FLOATS[dtype], blank, zero_infinity)
    return dtype, Structure(
        key, _ctc_source(semiring, _FLOATS[dtype], blank, zero_infinity), 1)


def cky_structure(spans, semiring):
    _check_semiring(semiring)
    dtype = _float_type(spans, "spans")
    key = ("cky", semiring, _FLOATS[dtype])
    return dtype, Structure(
        key, _tree_source("cky", "spans", semiring, _FLOATS[dtype], 4, "", 3), 1)


def _dependency_structure(op, arcs, semiring, multi_root):
    """sdp.eisner or sdp.matrix_tree on arcs [B, N+1, N+1]."""
    _check_semiring(semiring)
    dtype = _float_type(arcs, "arcs")
    key = (op, semiring, _FLOATS[dtype], multi_root)
    return dtype, Structure(
        key, _tree_source(op, "arcs", semiring, _FLOATS[dtype], 3,
                          "multi_root" if multi_root else "", 2), 1)


def projective_structure(arcs, semiring, multi_root):
    return _dependency_structure("eisner", arcs, semiring, multi_root)


def pcfg_structure(terms, semiring):
    _check_semiring(semiring)
    dtype = _float_type(terms, "terms")
    key = ("pcfg", semiring, _FLOATS[dtype])
    return dtype, Structure(key, _pcfg_source(semiring, _FLOATS[dtype]), 3)


def nonprojective_structure(arcs, semiring, multi_root):
    return _dependency_structure("matrix_tree", arcs, semiring, multi_root)


def check_integers(arrays, names, num_floats):
    """The inputs after the floats (lengths) must be integers."""
    for array, name in zip(arrays[num_floats:], names[num_floats:]):
        dtype = _arrays.dtype_of(array)
        if dtype is None or dtype.kind not in "iu":
            raise TypeError(f"{name} must be integers, got {dtype}")


def host_inputs(arrays, names, num_floats):
    """Float inputs in place, integer lengths as int32 (a copy of B ints)."""
    return [_arrays.host(array, name, None if i < num_floats else np.int32)
            for i, (array, name) in enumerate(zip(arrays, names))]
