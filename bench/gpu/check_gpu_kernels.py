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

# The cases, inputs and comparison rule the lit test (contract_targets.py)
# uses too.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "..", "test", "Integration", "Inputs"))
from contraction_cases import CASES, arguments, compare  # noqa: E402

CTYPES = {"f32": ctypes.c_float, "f64": ctypes.c_double, "i32": ctypes.c_int32}


def call(lib, name, args, results):
    """sdp_NAME on (ctypes array, shape) args; results as (element type,
    rank); returns [(shape, values)]."""
    fields = [("r%d" % i, descriptor_type(rank))
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
    for i, (kind, rank) in enumerate(results):
        d = getattr(out, "r%d" % i)
        shape = tuple(d.sizes[k] for k in range(rank))
        count = 1
        for n in shape:
            count *= n
        data = ctypes.cast(d.aligned, ctypes.POINTER(CTYPES[kind]))
        values.append((shape, [data[d.offset + k] for k in range(count)]))
        libc.free(d.allocated)
    return values


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
    for name, (specs, results) in CASES.items():
        args = [((CTYPES[kind] * len(values))(*values), shape)
                for (kind, shape), values in zip(specs, arguments(rng, name))]
        want = call(cpu, name, args, results)
        got = call(other, name, args, results)
        error = runtime.sdpGpuTakeError()
        if error:
            sys.exit("%s on the GPU failed: %s" % (name, error.decode()))
        count, differ = compare(name, want, got, "gpu")
        failed |= differ > 0
        print("%s: %d values, %d differ" % (name, count, differ))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
