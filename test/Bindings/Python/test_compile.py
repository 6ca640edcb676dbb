"""sdp.compile: a module's public functions as attributes, on paths and
text, with errors naming what is wrong."""

import os

import numpy as np
import pytest

import sdp
from conftest import ROOT

CRF = os.path.join(ROOT, "examples", "linear_chain_crf.mlir")

LOG_SUM_EXP = """
func.func @sum_exp(%x: tensor<?x?xf64>) -> tensor<?xf64> {
  %r = sdp.contract "bc->b" %x semiring(#sdp.log)
      : (tensor<?x?xf64>) -> tensor<?xf64>
  return %r : tensor<?xf64>
}
"""


def test_module_from_a_file_has_its_functions():
    module = sdp.compile(CRF)
    assert "log_partition" in module.functions
    assert "log_partition_vjp" in dir(module)
    rng = np.random.default_rng(0)
    em = rng.normal(size=(2, 3, 4)).astype(np.float32)
    tr = rng.normal(size=(4, 4)).astype(np.float32)
    z = np.zeros(4, np.float32)
    lengths = np.array([3, 2], np.int32)
    np.testing.assert_allclose(module.log_partition(em, tr, z, z, lengths),
                               sdp.linear_chain(em, tr, z, z, lengths),
                               rtol=1e-6)
    grads = module.log_partition_vjp(em, tr, z, z, lengths,
                                     np.ones(2, np.float32))
    assert len(grads) == 4 and grads[0].shape == em.shape
    with pytest.raises(AttributeError, match="no public function @nope"):
        module.nope
    with pytest.raises(ValueError, match=r"@log_partition takes 5 arguments"):
        module.log_partition(em, tr)


def test_module_from_text():
    module = sdp.compile(LOG_SUM_EXP)
    x = np.log(np.arange(1, 7, dtype=np.float64).reshape(2, 3))
    np.testing.assert_allclose(module.sum_exp(x), np.log([6.0, 15.0]))


def test_errors():
    with pytest.raises(ValueError, match="cannot parse"):
        sdp.compile("func.func @f( {\n")
    with pytest.raises(ValueError, match="cannot read"):
        sdp.compile("/nonexistent/module.mlir")
    with pytest.raises(ValueError, match="target must be 'cpu' or 'gpu'"):
        sdp.compile(CRF, target="tpu")
