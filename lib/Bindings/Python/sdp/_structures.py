"""The structures: linear chains and alignments, forward and VJP.

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


def _linear_chain_source(semiring, t, full):
    em = f"tensor<?x?x?x{t}>"
    tr = f"tensor<?x?x?x?x{t}>" if full else f"tensor<?x?x{t}>"
    vec = f"tensor<?x{t}>"
    ins = f"({em}, {tr}, {vec}, {vec}, tensor<?xi32>)"
    args = (f"%emissions: {em}, %transitions: {tr}, %start: {vec}, "
            f"%end: {vec}, %lengths: tensor<?xi32>")
    operands = "%emissions, %transitions, %start, %end, %lengths"
    if semiring == "log":
        results, names = vec, "%score"
    else:
        results, names = f"({vec}, tensor<?x?xi32>)", "%score, %path"
    grads = f"({em}, {tr}, {vec}, {vec})"
    return f"""
func.func @forward({args}) -> {results} {{
  {names} = sdp.linear_chain {operands} semiring(#sdp.{semiring})
      : {ins} -> {results}
  return {names} : {results.strip("()")}
}}
func.func @vjp({args}, %d: {vec}) -> {grads} {{
  %g0, %g1, %g2, %g3 = sdp.vjp @forward({operands}) cotangents(%d)
      : {ins}, ({vec}) -> {grads}
  return %g0, %g1, %g2, %g3 : {grads.strip("()")}
}}
"""


def _alignment_source(semiring, t):
    w = f"tensor<?x?x?x{t}>"
    vec = f"tensor<?x{t}>"
    ins = f"({w}, {w}, {w}, tensor<?xi32>, tensor<?xi32>)"
    args = (f"%diagonal: {w}, %down: {w}, %right: {w}, "
            f"%rows: tensor<?xi32>, %cols: tensor<?xi32>")
    operands = "%diagonal, %down, %right, %rows, %cols"
    grads = f"({w}, {w}, {w})"
    return f"""
func.func @forward({args}) -> {vec} {{
  %score = sdp.alignment {operands} semiring(#sdp.{semiring})
      : {ins} -> {vec}
  return %score : {vec}
}}
func.func @vjp({args}, %d: {vec}) -> {grads} {{
  %g0, %g1, %g2 = sdp.vjp @forward({operands}) cotangents(%d)
      : {ins}, ({vec}) -> {grads}
  return %g0, %g1, %g2 : {grads.strip("()")}
}}
"""


def _semi_markov_source(semiring, t):
    seg = f"tensor<?x?x?x?x{t}>"
    tr = f"tensor<?x?x{t}>"
    vec = f"tensor<?x{t}>"
    ins = f"({seg}, {tr}, {vec}, {vec}, tensor<?xi32>)"
    args = (f"%segments: {seg}, %transitions: {tr}, %start: {vec}, "
            f"%end: {vec}, %lengths: tensor<?xi32>")
    operands = "%segments, %transitions, %start, %end, %lengths"
    if semiring == "log":
        results, names = vec, "%score"
    else:
        results = f"({vec}, tensor<?x?xi32>, tensor<?x?xi32>)"
        names = "%score, %labels, %seg_lengths"
    grads = f"({seg}, {tr}, {vec}, {vec})"
    return f"""
func.func @forward({args}) -> {results} {{
  {names} = sdp.semi_markov {operands} semiring(#sdp.{semiring})
      : {ins} -> {results}
  return {names} : {results.strip("()")}
}}
func.func @vjp({args}, %d: {vec}) -> {grads} {{
  %g0, %g1, %g2, %g3 = sdp.vjp @forward({operands}) cotangents(%d)
      : {ins}, ({vec}) -> {grads}
  return %g0, %g1, %g2, %g3 : {grads.strip("()")}
}}
"""


def _ctc_source(semiring, t, blank, zero_infinity):
    lp = f"tensor<?x?x?x{t}>"
    vec = f"tensor<?x{t}>"
    ins = f"({lp}, tensor<?x?xi32>, tensor<?xi32>, tensor<?xi32>)"
    args = (f"%log_probs: {lp}, %targets: tensor<?x?xi32>, "
            f"%input_lengths: tensor<?xi32>, %target_lengths: tensor<?xi32>")
    operands = "%log_probs, %targets, %input_lengths, %target_lengths"
    attrs = f"blank = {blank} : i64" + (", zero_infinity" if zero_infinity
                                         else "")
    if semiring == "log":
        results, names = vec, "%score"
    else:
        results, names = f"({vec}, tensor<?x?xi32>)", "%score, %alignment"
    return f"""
func.func @forward({args}) -> {results} {{
  {names} = sdp.ctc {operands} semiring(#sdp.{semiring}) {{{attrs}}}
      : {ins} -> {results}
  return {names} : {results.strip("()")}
}}
func.func @vjp({args}, %d: {vec}) -> {lp} {{
  %g = sdp.vjp @forward({operands}) cotangents(%d)
      : {ins}, ({vec}) -> ({lp})
  return %g : {lp}
}}
"""


def _tree_source(op, name, semiring, t, rank, attrs, result_rank):
    """A chart structure (sdp.cky, sdp.eisner): one float tensor of `rank`
    `name` and the lengths; under max/min the best tree as i32 of
    `result_rank`."""
    x = f"tensor<{'?x' * rank}{t}>"
    vec = f"tensor<?x{t}>"
    ins = f"({x}, tensor<?xi32>)"
    args = f"%{name}: {x}, %lengths: tensor<?xi32>"
    if semiring == "log":
        results, names = vec, "%score"
    else:
        results = f"({vec}, tensor<{'?x' * result_rank}i32>)"
        names = "%score, %tree"
    attr_dict = f" {{{attrs}}}" if attrs else ""
    return f"""
func.func @forward({args}) -> {results} {{
  {names} = sdp.{op} %{name}, %lengths semiring(#sdp.{semiring}){attr_dict}
      : {ins} -> {results}
  return {names} : {results.strip("()")}
}}
func.func @score({args}) -> {vec} {{
  %score = sdp.{op} %{name}, %lengths semiring(#sdp.{semiring}){attr_dict}
      : {ins} -> {vec}
  return %score : {vec}
}}
func.func @vjp({args}, %d: {vec}) -> {x} {{
  %g = sdp.vjp @score(%{name}, %lengths) cotangents(%d)
      : {ins}, ({vec}) -> ({x})
  return %g : {x}
}}
"""


def _pcfg_source(semiring, t):
    x3 = f"tensor<?x?x?x{t}>"
    vec = f"tensor<?x{t}>"
    ins = f"({x3}, {x3}, {vec}, tensor<?xi32>)"
    args = (f"%terms: {x3}, %rules: {x3}, %roots: {vec}, "
            f"%lengths: tensor<?xi32>")
    operands = "%terms, %rules, %roots, %lengths"
    grads = f"({x3}, {x3}, {vec})"
    return f"""
func.func @forward({args}) -> {vec} {{
  %score = sdp.pcfg {operands} semiring(#sdp.{semiring})
      : {ins} -> {vec}
  return %score : {vec}
}}
func.func @vjp({args}, %d: {vec}) -> {grads} {{
  %g0, %g1, %g2 = sdp.vjp @forward({operands}) cotangents(%d)
      : {ins}, ({vec}) -> {grads}
  return %g0, %g1, %g2 : {grads.strip("()")}
}}
"""


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


def projective_structure(arcs, semiring, multi_root):
    _check_semiring(semiring)
    dtype = _float_type(arcs, "arcs")
    key = ("eisner", semiring, _FLOATS[dtype], multi_root)
    return dtype, Structure(
        key, _tree_source("eisner", "arcs", semiring, _FLOATS[dtype], 3,
                          "multi_root" if multi_root else "", 2), 1)


def pcfg_structure(terms, semiring):
    _check_semiring(semiring)
    dtype = _float_type(terms, "terms")
    key = ("pcfg", semiring, _FLOATS[dtype])
    return dtype, Structure(key, _pcfg_source(semiring, _FLOATS[dtype]), 3)


def nonprojective_structure(arcs, multi_root):
    dtype = _float_type(arcs, "arcs")
    key = ("matrix_tree", "log", _FLOATS[dtype], multi_root)
    return dtype, Structure(
        key, _tree_source("matrix_tree", "arcs", "log", _FLOATS[dtype], 3,
                          "multi_root" if multi_root else "", 2), 1)


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
