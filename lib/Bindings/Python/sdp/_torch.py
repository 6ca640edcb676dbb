"""PyTorch autograd through the compiled VJPs."""

import numpy as np
import torch

from . import _arrays


class StructureFunction(torch.autograd.Function):
    """Forward: the structure's compiled forward. Backward: its compiled VJP
    (marginals under log, the selected structure's indicator under max and
    min). Integer inputs (lengths) and the best path get no gradient."""

    @staticmethod
    def forward(ctx, structure, *arrays):
        num_floats = structure.num_floats
        floats = [a.detach().contiguous() for a in arrays[:num_floats]]
        integers = [a.detach().to(torch.int32).contiguous()
                    for a in arrays[num_floats:]]
        inputs = floats + integers
        outputs = [torch.from_numpy(o) for o in structure.forward(inputs)]
        ctx.structure = structure
        ctx.save_for_backward(*inputs)
        if len(outputs) == 1:
            return outputs[0]
        ctx.mark_non_differentiable(*outputs[1:])
        return tuple(outputs)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, d_score, *unused):
        inputs = ctx.saved_tensors
        structure = ctx.structure
        d_score = d_score.to(inputs[0].dtype).contiguous()
        grads = [torch.from_numpy(g) for g in structure.vjp(inputs, d_score)]
        return (None, *grads,
                *([None] * (len(inputs) - structure.num_floats)))


def needs_grad(arrays):
    return torch.is_grad_enabled() and any(
        isinstance(a, torch.Tensor) and a.requires_grad for a in arrays)


def apply(structure, names, arrays):
    tensors = [a if isinstance(a, torch.Tensor) else torch.as_tensor(
        np.asarray(a)) for a in arrays]
    for tensor, name in zip(tensors, names):
        if tensor.device.type != "cpu":
            raise ValueError(
                f"{name}: sdp's Python API runs on the CPU, got a tensor on "
                f"{tensor.device}")
    return StructureFunction.apply(structure, *tensors)
