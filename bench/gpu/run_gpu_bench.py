"""GPU benchmarks: sdp kernels against PyTorch on the same GPU, same run.

  * linear-chain log_partition, B=64 T=512 C=64, factored (scalar kernel
    and, from liblcrf_gpu_tc.so, the 3xTF32 tensor-core kernel) and full
    potentials, against a PyTorch forward loop (logsumexp per step);
  * per-sentence BLEU (NLTK rules, method1), B=512 L=1024, 4 references,
    against a TensorBLEU-style implementation (unfold + unique + offset
    bincount) in PyTorch: the host-resident library, the device-resident
    one (libbleu_gpu_resident.so: no copies, on PyTorch's stream), and that
    call captured into a CUDA graph (torch.cuda.graph) and replayed;
  * soft-DTW-style alignment log-sum (sdp.alignment under #sdp.log),
    B=64 N=M=512, against a PyTorch anti-diagonal loop (one vectorised
    logsumexp per anti-diagonal, the usual GPU soft-DTW).

The sdp side is the AOT libraries that `cmake --build build --target
gpu-bench-libs` puts in build/gpu-bench (with libsdp_runtime.so): they need
no MLIR, so they run on a GPU machine that has only the CUDA driver,
PyTorch and this script. Inputs stay on the GPU: the libraries are called
with device pointers (CUDA unified addressing makes their input copies
device-to-device).

usage: run_gpu_bench.py --lib-dir=build/gpu-bench [--repeats=10]
       run_gpu_bench.py --lib-dir=DIR --check-abi   (no GPU: calls the CPU
                                                     build of the same ABI)
"""

import argparse
import ctypes
import os
import statistics
import sys
import time


def descriptor_type(rank):
    class Descriptor(ctypes.Structure):
        _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                    ("offset", ctypes.c_int64), ("sizes", ctypes.c_int64 * rank),
                    ("strides", ctypes.c_int64 * rank)]
    return Descriptor


def descriptor(pointer, shape):
    """A memref descriptor of a C-contiguous buffer at `pointer`."""
    d = descriptor_type(len(shape))()
    d.allocated = d.aligned = pointer
    d.offset = 0
    stride = 1
    for i in reversed(range(len(shape))):
        d.sizes[i] = shape[i]
        d.strides[i] = stride
        stride *= shape[i]
    return d


class SdpFunction:
    """sdp_NAME(result *, args *...) of an sdpc library with one result."""

    def __init__(self, lib, name, result_rank, result_ctype):
        self.fn = getattr(lib, "sdp_" + name)
        self.fn.restype = None
        self.result_type = descriptor_type(result_rank)
        self.result_ctype = result_ctype
        self.libc = ctypes.CDLL(None)
        self.libc.free.argtypes = [ctypes.c_void_p]

    def __call__(self, *args):
        """args: (pointer, shape) pairs. Returns the result as a list."""
        result = self.result_type()
        descriptors = [descriptor(p, s) for p, s in args]
        self.fn(ctypes.byref(result), *[ctypes.byref(d) for d in descriptors])
        count = 1
        for i in range(len(result.sizes)):
            count *= result.sizes[i]
        data = ctypes.cast(result.aligned, ctypes.POINTER(self.result_ctype))
        values = [data[i] for i in range(count)]
        self.libc.free(result.allocated)
        return values


class SdpDeviceFunction:
    """sdp_NAME(result *, args *...) of a --gpu-device-resident library: the
    arguments are device pointers, the result (device memory, allocated on
    the caller's stream) is copied into the torch tensor `out` and freed on
    that stream, so that a captured call is self-contained."""

    def __init__(self, lib, runtime, name, result_rank):
        self.fn = getattr(lib, "sdp_" + name)
        self.fn.restype = None
        self.result_type = descriptor_type(result_rank)
        self.runtime = runtime

    def __call__(self, out, stream, *args):
        result = self.result_type()
        descriptors = [descriptor(p, s) for p, s in args]
        self.fn(ctypes.byref(result), *[ctypes.byref(d) for d in descriptors])
        if tuple(result.sizes) == tuple(out.shape):
            data = (result.aligned or 0) + result.offset * out.element_size()
            self.runtime.mgpuMemcpy(ctypes.c_void_p(out.data_ptr()), data,
                                    out.numel() * out.element_size(), stream)
        self.runtime.mgpuMemFree(result.allocated, stream)
        if tuple(result.sizes) != tuple(out.shape):
            sys.exit("%s returned shape %s, expected %s"
                     % (self.fn.__name__, tuple(result.sizes), tuple(out.shape)))


def load(lib_dir, name):
    """An sdpc library and the runtime it needs, loaded from lib_dir (loaded
    first and globally, it satisfies the library's dependency wherever the
    library's rpath points)."""
    runtime = ctypes.CDLL(os.path.join(lib_dir, "libsdp_runtime.so"), mode=ctypes.RTLD_GLOBAL)
    runtime.sdpGpuTakeError.restype = ctypes.c_char_p
    runtime.sdpGpuSetStream.argtypes = [ctypes.c_void_p]
    runtime.mgpuMemcpy.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t,
                                   ctypes.c_void_p]
    runtime.mgpuMemFree.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    return ctypes.CDLL(os.path.join(lib_dir, name)), runtime


def median_ms(fn, repeats, sync=lambda: None):
    fn()
    sync()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


# --- PyTorch baselines ------------------------------------------------------

def torch_log_partition(torch, em, tr, start, end, lengths):
    """Forward algorithm, one logsumexp per step; tr [C,C] or [B,T-1,C,C]."""
    B, T, C = em.shape
    alpha = start[None, :] + em[:, 0]
    for t in range(1, T):
        w = tr[None] if tr.dim() == 2 else tr[:, t - 1]
        step = torch.logsumexp(alpha[:, :, None] + w, dim=1) + em[:, t]
        alpha = torch.where((t < lengths)[:, None], step, alpha)
    return torch.logsumexp(alpha + end[None, :], dim=1)


def torch_bleu(torch, cand, refs, max_n=4):
    """TensorBLEU-style sentence BLEU (NLTK method1, uniform weights) of
    full-length sentences: unfold + unique + offset bincount per order."""
    B, L = cand.shape
    R = refs.shape[1]
    log_p = torch.zeros(B, dtype=torch.float64, device=cand.device)
    for n in range(1, max_n + 1):
        c = cand.unfold(1, n, 1)                      # [B, W, n]
        r = refs.unfold(2, n, 1)                      # [B, R, W, n]
        W = c.shape[1]
        both = torch.cat([c.reshape(-1, n), r.reshape(-1, n)])
        _, ids = torch.unique(both, dim=0, return_inverse=True)
        U = int(ids.max()) + 1
        cid = ids[:B * W].view(B, W) + torch.arange(B, device=cand.device)[:, None] * U
        rid = ids[B * W:].view(B, R, W) + \
            torch.arange(B * R, device=cand.device).view(B, R)[:, :, None] * U
        cc = torch.bincount(cid.reshape(-1), minlength=B * U).view(B, U)
        rc = torch.bincount(rid.reshape(-1), minlength=B * R * U).view(B, R, U).max(1).values
        matches = torch.minimum(cc, rc).sum(1).double()
        # method1: epsilon 0.1 for a zero numerator
        p = torch.where(matches > 0, matches, torch.full_like(matches, 0.1)) / W
        log_p += torch.log(p) / max_n
    # Full-length hypotheses and references: the brevity penalty is 1.
    return torch.exp(log_p)


# --- the runs ---------------------------------------------------------------

def torch_alignment(torch, diag, down, right):
    """log-sum over all alignment paths (full lengths), one anti-diagonal
    at a time: D[i, j] = logsumexp(D[i-1, j-1] + diag, D[i-1, j] + down,
    D[i, j-1] + right)."""
    B, N1, M1 = diag.shape
    ninf = torch.full((B, N1, M1), float("-inf"), device=diag.device)
    D = ninf.clone()
    D[:, 0, 0] = 0.0
    for d in range(1, N1 + M1 - 1):
        i = torch.arange(max(0, d - M1 + 1), min(N1 - 1, d) + 1, device=diag.device)
        j = d - i
        up, left = i > 0, j > 0
        im, jm = (i - 1).clamp(min=0), (j - 1).clamp(min=0)
        t1 = torch.where(up & left, D[:, im, jm] + diag[:, i, j], ninf[:, i, j])
        t2 = torch.where(up, D[:, im, j] + down[:, i, j], ninf[:, i, j])
        t3 = torch.where(left, D[:, i, jm] + right[:, i, j], ninf[:, i, j])
        D[:, i, j] = torch.logsumexp(torch.stack((t1, t2, t3)), dim=0)
    return D[:, N1 - 1, M1 - 1]


def bench_alignment(torch, lib, runtime, repeats):
    fn = SdpFunction(lib, "log_partition", 1, ctypes.c_float)
    B, N, M = 64, 512, 512
    g = torch.Generator(device="cuda").manual_seed(11)
    diag, down, right = (-torch.rand(B, N + 1, M + 1, device="cuda", generator=g)
                         for _ in range(3))
    rows = torch.full((B,), N, dtype=torch.int32, device="cuda")
    cols = torch.full((B,), M, dtype=torch.int32, device="cuda")
    args = [(t.data_ptr(), tuple(t.shape)) for t in (diag, down, right, rows, cols)]
    got = fn(*args)
    error = runtime.sdpGpuTakeError()
    if error:
        sys.exit("sdp failed: " + error.decode())
    want = torch_alignment(torch, diag, down, right).tolist()
    diff = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(got, want))
    sync = torch.cuda.synchronize
    sdp_ms = median_ms(lambda: fn(*args), repeats, sync)
    torch_ms = median_ms(lambda: torch_alignment(torch, diag, down, right), repeats, sync)
    return [("alignment log-sum B=%d N=%d M=%d" % (B, N, M), sdp_ms, torch_ms, diff)]


def bench_linear_chain(torch, lib, tc_lib, runtime, repeats):
    fn_factored = SdpFunction(lib, "log_partition", 1, ctypes.c_float)
    fn_tensor_cores = SdpFunction(tc_lib, "log_partition", 1, ctypes.c_float)
    fn_full = SdpFunction(lib, "log_partition_full", 1, ctypes.c_float)
    B, T, C = 64, 512, 64
    g = torch.Generator(device="cuda").manual_seed(3)
    em = torch.randn(B, T, C, device="cuda", generator=g)
    factored = torch.randn(C, C, device="cuda", generator=g)
    full = torch.randn(B, T - 1, C, C, device="cuda", generator=g)
    start = torch.randn(C, device="cuda", generator=g)
    end = torch.randn(C, device="cuda", generator=g)
    lengths = torch.full((B,), T, dtype=torch.int32, device="cuda")
    sync = torch.cuda.synchronize
    rows = []
    for name, fn, tr in (("factored", fn_factored, factored),
                         ("factored TC", fn_tensor_cores, factored),
                         ("full", fn_full, full)):
        args = [(t.data_ptr(), tuple(t.shape)) for t in (em, tr, start, end, lengths)]
        got = fn(*args)
        error = runtime.sdpGpuTakeError()
        if error:
            sys.exit("sdp failed: " + error.decode())
        want = torch_log_partition(torch, em, tr, start, end, lengths).tolist()
        diff = max(abs(a - b) / max(1.0, abs(b)) for a, b in zip(got, want))
        sdp_ms = median_ms(lambda: fn(*args), repeats, sync)
        torch_ms = median_ms(lambda: torch_log_partition(torch, em, tr, start, end, lengths),
                             repeats, sync)
        rows.append(("log_partition %s B=%d T=%d C=%d" % (name, B, T, C), sdp_ms, torch_ms, diff))
    return rows


def bench_bleu(torch, lib, resident_lib, runtime, repeats):
    fn = SdpFunction(lib, "sentence_bleu", 1, ctypes.c_double)
    on_device = SdpDeviceFunction(resident_lib, runtime, "sentence_bleu", 1)
    B, L, R, vocab = 512, 1024, 4, 32000
    g = torch.Generator(device="cuda").manual_seed(7)
    cand = torch.randint(1, vocab, (B, L), device="cuda", dtype=torch.int32, generator=g)
    keep = torch.rand(B, R, L, device="cuda", generator=g) < 0.7
    noise = torch.randint(1, vocab, (B, R, L), device="cuda", dtype=torch.int32, generator=g)
    refs = torch.where(keep, cand[:, None, :].expand(B, R, L), noise).contiguous()
    args = [(cand.data_ptr(), (B, L)), (refs.data_ptr(), (B, R, L))]
    want = torch_bleu(torch, cand.long(), refs.long()).tolist()
    sync = torch.cuda.synchronize

    def fail_on_error():
        error = runtime.sdpGpuTakeError()
        if error:
            sys.exit("sdp failed: " + error.decode())

    def checked(values):
        fail_on_error()
        return max(abs(a - b) for a, b in zip(values, want))

    rows = []
    torch_ms = median_ms(lambda: torch_bleu(torch, cand.long(), refs.long()), repeats, sync)
    diff = checked(fn(*args))
    rows.append(("sentence BLEU B=%d L=%d R=%d" % (B, L, R),
                 median_ms(lambda: fn(*args), repeats, sync), torch_ms, diff))

    # Device-resident, on a PyTorch stream: direct calls, then one captured
    # into a CUDA graph and replayed.
    side = torch.cuda.Stream()
    side.wait_stream(torch.cuda.current_stream())  # the inputs are ready
    stream = ctypes.c_void_p(side.cuda_stream)
    with torch.cuda.stream(side):
        out = torch.zeros(B, dtype=torch.float64, device="cuda")
        runtime.sdpGpuSetStream(stream)
        on_device(out, stream, *args)
        side.synchronize()
        diff = checked(out.tolist())
        direct_ms = median_ms(lambda: on_device(out, stream, *args), repeats, side.synchronize)
        rows.append(("sentence BLEU device-resident", direct_ms, torch_ms, diff))
        graph = torch.cuda.CUDAGraph()
        out.zero_()
        try:
            with torch.cuda.graph(graph, stream=side, capture_error_mode="thread_local"):
                on_device(out, stream, *args)
        finally:
            runtime.sdpGpuSetStream(None)
            fail_on_error()  # sdp's own account of a failed capture
        graph.replay()
        side.synchronize()
        diff = checked(out.tolist())
        graph_ms = median_ms(graph.replay, repeats, side.synchronize)
        rows.append(("sentence BLEU CUDA graph replay", graph_ms, torch_ms, diff))
    return rows


def check_abi(lib_dir):
    """Without a GPU: the ctypes plumbing against the CPU build of the same
    entry points (lib*_cpu.so), on a tiny CRF with a known log Z."""
    lib, _ = load(lib_dir, "liblcrf_cpu.so")
    fn = SdpFunction(lib, "log_partition", 1, ctypes.c_float)
    floats = lambda *v: (ctypes.c_float * len(v))(*v)
    em = floats(0, 1, 2, .5, 0, -1, 1.5, -2, .25, .75, -.5, 3)
    tr, start, end = floats(.5, -.5, 1, 0), floats(.1, -.2), floats(.3, 0)
    lengths = (ctypes.c_int32 * 2)(3, 2)
    got = fn(*[(ctypes.addressof(a), s) for a, s in
               ((em, (2, 3, 2)), (tr, (2, 2)), (start, (2,)), (end, (2,)), (lengths, (2,)))])
    print("abi check: log_partition = %.5f %.5f" % tuple(got))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib-dir", required=True)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--check-abi", action="store_true")
    opts = parser.parse_args()
    if opts.check_abi:
        return check_abi(opts.lib_dir)
    try:
        import torch
    except ImportError:
        sys.exit("PyTorch is not importable: it is the baseline")
    if not torch.cuda.is_available():
        sys.exit("no CUDA device: the GPU benchmarks need one")
    torch.cuda.init()  # the primary context sdp's runtime shares
    crf, runtime = load(opts.lib_dir, "liblcrf_gpu.so")
    crf_tc, _ = load(opts.lib_dir, "liblcrf_gpu_tc.so")
    bleu, _ = load(opts.lib_dir, "libbleu_gpu.so")
    bleu_resident, _ = load(opts.lib_dir, "libbleu_gpu_resident.so")
    alignment, _ = load(opts.lib_dir, "libalignment_gpu.so")
    if not runtime.sdpGpuAvailable(None):
        sys.exit("sdp's runtime finds no GPU")
    print("GPU: %s" % torch.cuda.get_device_name())
    print("%-40s %10s %10s %9s %12s" % ("", "sdp ms", "torch ms", "ratio", "max diff"))
    for name, sdp_ms, torch_ms, diff in (bench_linear_chain(torch, crf, crf_tc, runtime, opts.repeats) +
                                         bench_bleu(torch, bleu, bleu_resident, runtime, opts.repeats) +
                                         bench_alignment(torch, alignment, runtime,
                                                         opts.repeats)):
        print("%-40s %10.3f %10.3f %8.1fx %12.3g" % (name, sdp_ms, torch_ms, torch_ms / sdp_ms, diff))


if __name__ == "__main__":
    sys.exit(main())
