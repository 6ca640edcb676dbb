"""Arrays in and out: whatever the caller's framework is, read in place.

The extension reads any CPU array that speaks DLPack or the buffer protocol
(NumPy, PyTorch, JAX) without copying it and returns NumPy arrays that own
their buffers; results go back to the framework of the caller's arrays
(zero-copy for PyTorch).
"""

import sys

import numpy as np


def framework(*arrays):
    """'torch', 'jax' or 'numpy': the framework of the first array that has
    one (Python lists count as NumPy)."""
    for array in arrays:
        module = type(array).__module__
        if module.startswith("torch"):
            return "torch"
        if module.startswith("jax") or module.startswith("jaxlib"):
            return "jax"
    return "numpy"


def host(array, name, dtype=None):
    """`array` as something the extension reads in place: a detached CPU
    tensor for PyTorch, the array itself for NumPy and JAX, a NumPy array
    for lists. With `dtype` (a NumPy dtype), converted to it first (a copy
    only when the type differs)."""
    module = type(array).__module__
    if module.startswith("torch"):
        import torch

        if array.device.type != "cpu":
            raise ValueError(
                f"{name}: sdp's Python API runs on the CPU, got a tensor on "
                f"{array.device}")
        array = array.detach()
        if dtype is not None:
            array = array.to(_torch_dtype(np.dtype(dtype)))
        return array.contiguous()
    if module.startswith("jax") or module.startswith("jaxlib"):
        # jax arrays are read through DLPack (CPU) or copied by NumPy.
        if dtype is not None and np.dtype(array.dtype) != np.dtype(dtype):
            array = array.astype(dtype)
        return array
    result = np.asarray(array)
    if dtype is not None and result.dtype != np.dtype(dtype):
        result = result.astype(dtype)
    return np.ascontiguousarray(result)


def dtype_of(array):
    """The NumPy dtype of any framework's array."""
    module = type(array).__module__
    if module.startswith("torch"):
        try:
            return np.dtype(str(array.dtype).replace("torch.", ""))
        except TypeError:  # bfloat16, complex32: no NumPy equivalent
            return None
    dtype = getattr(array, "dtype", None)
    if dtype is None:
        dtype = np.asarray(array).dtype
    try:
        return np.dtype(dtype)
    except TypeError:
        return None


def to_framework(result, kind):
    """A NumPy result returned as the caller's framework's array."""
    if kind == "torch":
        import torch

        return torch.from_numpy(result)
    if kind == "jax":
        import jax.numpy as jnp

        return jnp.asarray(result)
    return result


def _torch_dtype(dtype):
    import torch

    return {
        np.dtype(np.float32): torch.float32,
        np.dtype(np.float64): torch.float64,
        np.dtype(np.int32): torch.int32,
        np.dtype(np.int64): torch.int64,
    }[dtype]
