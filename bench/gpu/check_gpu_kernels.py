"""Correctness of the GPU kernels on the GPU machine (which has no MLIR, so
the lit tests cannot run there): the sdpc libraries of
test/Integration/Inputs/contractions.mlir (bare contractions and scans of
them) built for the GPU and for the CPU by `gpu-bench-libs` are called on
the same random inputs, and their results compared: values to 1e-5
relative (f64: 1e-12), witnesses exactly.

usage: check_gpu_kernels.py --lib-dir=build/gpu-bench
       check_gpu_kernels.py --lib-dir=DIR --cpu-only   (no GPU: both sides
                                                       on the CPU library)
Exits non-zero when anything differs.
"""

import argparse
import ctypes
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_gpu_bench import descriptor, descriptor_type, load  # noqa: E402

F32, F64, I32 = ctypes.c_float, ctypes.c_double, ctypes.c_int32
# entry: (argument (ctype, shape) list, result (ctype, rank) list)
ENTRIES = {
    "log_matmul": ([(F32, (37, 70)), (F32, (70, 300))], [(F32, 2)]),
    "forward_step": ([(F32, (64, 33)), (F32, (33, 33)), (F32, (64, 33))], [(F32, 2)]),
    "row_argmax": ([(F64, (300, 129))], [(F64, 1), (I32, 1)]),
    "min_plus": ([(F32, (50, 60)), (F32, (60, 45))], [(F32, 2)]),
    "trace": ([(F32, (513, 513))], [(F32, 0)]),
    "forward_scan": ([(F32, (24, 17)), (F32, (24, 40, 17)), (F32, (17, 17))], [(F32, 2)]),
    "swap_scan": ([(F32, (9, 12)), (F32, (9, 12)), (F32, (9, 31, 12)), (F32, (12, 12))],
                  [(F32, 2), (F32, 2)]),
    "carry_scan": ([(F32, (5, 7)), (F32, (5, 7)), (F32, (5, 6, 7)), (F32, (5, 7))],
                   [(F32, 2), (F32, 2)]),
}


def call(lib, name, args, results):
    """sdp_NAME on (ctypes array, shape) args; returns [(shape, values)]."""
    fields = [("r%d" % i, descriptor_type(rank) if rank else _scalar_type())
              for i, (_, rank) in enumerate(results)]
    Results = type("Results", (ctypes.Structure,), {"_fields_": fields})
    out = Results()
    descriptors = [descriptor(ctypes.addressof(a), s) for a, s in args]
    fn = getattr(lib, "sdp_" + name)
    fn.restype = None
    fn(ctypes.byref(out), *[ctypes.byref(d) for d in descriptors])
    libc = ctypes.CDLL(None)
    libc.free.argtypes = [ctypes.c_void_p]
    values = []
    for i, (ctype, rank) in enumerate(results):
        d = getattr(out, "r%d" % i)
        shape = tuple(d.sizes[k] for k in range(rank)) if rank else ()
        count = 1
        for n in shape:
            count *= n
        data = ctypes.cast(d.aligned, ctypes.POINTER(ctype))
        values.append((shape, [data[d.offset + k] for k in range(count)]))
        libc.free(d.allocated)
    return values


def _scalar_type():
    class Scalar(ctypes.Structure):
        _fields_ = [("allocated", ctypes.c_void_p), ("aligned", ctypes.c_void_p),
                    ("offset", ctypes.c_int64)]
    return Scalar


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib-dir", required=True)
    parser.add_argument("--cpu-only", action="store_true")
    opts = parser.parse_args()
    cpu, runtime = load(opts.lib_dir, "libcontractions_cpu.so")
    other = cpu if opts.cpu_only else load(opts.lib_dir, "libcontractions_gpu.so")[0]
    if not opts.cpu_only and not runtime.sdpGpuAvailable(None):
        sys.exit("sdp's runtime finds no GPU")
    rng = random.Random(9)
    failed = False
    for name, (specs, results) in ENTRIES.items():
        args = []
        for ctype, shape in specs:
            count = 1
            for n in shape:
                count *= n
            values = [rng.gauss(0.0, 2.0) for _ in range(count)]
            if name in ("log_matmul", "forward_step", "forward_scan"):
                values = [float("-inf") if rng.random() < 0.05 else v for v in values]
            if name == "row_argmax":
                values = [float(round(v)) for v in values]  # ties
            args.append(((ctype * count)(*values), shape))
        want = call(cpu, name, args, results)
        got = call(other, name, args, results)
        error = runtime.sdpGpuTakeError()
        if error:
            sys.exit("%s on the GPU failed: %s" % (name, error.decode()))
        differ, count = 0, 0
        for k, ((ws, wv), (gs, gv)) in enumerate(zip(want, got)):
            ctype = results[k][0]
            tolerance = 0.0 if ctype is I32 else (1e-12 if ctype is F64 else 1e-5)
            differ += ws != gs
            for w, g in zip(wv, gv):
                count += 1
                if not (w == g or abs(w - g) <= tolerance * max(1.0, abs(w))):
                    differ += 1
                    if differ <= 5:
                        print("  %s result #%d: cpu %r gpu %r" % (name, k, w, g))
        failed |= differ > 0
        print("%s: %d values, %d differ" % (name, count, differ))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
