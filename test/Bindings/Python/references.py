"""float64 references: brute-force enumeration and plain dynamic programs."""

import itertools
import math

import numpy as np


def logsumexp(values):
    m = max(values)
    if m == -math.inf:
        return -math.inf
    return m + math.log(sum(math.exp(v - m) for v in values))


def linear_chain_paths(emissions, transitions, start, end, length, b):
    """Every (score, labels) of sentence b, in float64."""
    C = emissions.shape[2]
    full = transitions.ndim == 4
    for y in itertools.product(range(C), repeat=length):
        s = float(start[y[0]]) + float(end[y[-1]])
        s += sum(float(emissions[b, t, y[t]]) for t in range(length))
        for t in range(1, length):
            s += float(transitions[b, t - 1, y[t - 1], y[t]] if full
                       else transitions[y[t - 1], y[t]])
        yield s, y


def linear_chain_brute_force(emissions, transitions, start, end, lengths):
    """(log Z, best score, best path, marginals [B, T, C]) in float64."""
    B, T, C = emissions.shape
    log_z, best, paths = np.zeros(B), np.zeros(B), -np.ones((B, T), np.int64)
    marginals = np.zeros((B, T, C))
    for b in range(B):
        n = min(max(int(lengths[b]), 1), T)
        scored = list(linear_chain_paths(emissions, transitions, start, end,
                                         n, b))
        log_z[b] = logsumexp([s for s, _ in scored])
        s, y = max(scored)
        best[b], paths[b, :n] = s, y
        for s, y in scored:
            p = math.exp(s - log_z[b])
            for t in range(n):
                marginals[b, t, y[t]] += p
    return log_z, best, paths, marginals


def alignment_dp(diagonal, down, right, rows, cols, combine):
    B, N1, M1 = diagonal.shape
    out = np.zeros(B)
    for b in range(B):
        n = min(max(int(rows[b]), 0), N1 - 1)
        m = min(max(int(cols[b]), 0), M1 - 1)
        D = np.full((n + 1, m + 1), np.nan)
        D[0, 0] = 0.0
        for i in range(n + 1):
            for j in range(m + 1):
                if i == 0 and j == 0:
                    continue
                terms = []
                if i and j:
                    terms.append(D[i - 1, j - 1] + diagonal[b, i, j])
                if i:
                    terms.append(D[i - 1, j] + down[b, i, j])
                if j:
                    terms.append(D[i, j - 1] + right[b, i, j])
                D[i, j] = combine(terms)
        out[b] = D[n, m]
    return out


def torch_linear_chain(emissions, transitions, start, end, lengths):
    """log Z by the batched forward algorithm in PyTorch (autograd-able)."""
    import torch

    B, T, C = emissions.shape
    alpha = start + emissions[:, 0]
    steps = [alpha]
    for t in range(1, T):
        tr = transitions[:, t - 1] if transitions.dim() == 4 else transitions
        alpha = torch.logsumexp(alpha.unsqueeze(2) + tr, dim=1) + emissions[:, t]
        steps.append(alpha)
    stacked = torch.stack(steps, 1)  # [B, T, C]
    last = (lengths.clamp(1, T) - 1).long()
    final = stacked[torch.arange(B), last]
    return torch.logsumexp(final + end, dim=1)
