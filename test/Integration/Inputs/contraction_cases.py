"""The cases of contractions.mlir that both GPU-vs-CPU checks run: the lit
test's contract_targets.py (through sdp-run) and, on a GPU machine without
MLIR, bench/gpu/check_gpu_kernels.py (through sdpc libraries). One place
for the shapes, the random inputs and the comparison rule.
"""

# entry: (arguments as (element type, shape), results as (element type, rank))
CASES = {
    "log_matmul": ([("f32", (37, 70)), ("f32", (70, 300))], [("f32", 2)]),
    "forward_step": ([("f32", (64, 33)), ("f32", (33, 33)), ("f32", (64, 33))],
                     [("f32", 2)]),
    "row_argmax": ([("f64", (300, 129))], [("f64", 1), ("i32", 1)]),
    "min_plus": ([("f32", (50, 60)), ("f32", (60, 45))], [("f32", 2)]),
    "trace": ([("f32", (513, 513))], [("f32", 0)]),
    "forward_scan": ([("f32", (24, 17)), ("f32", (24, 40, 17)), ("f32", (17, 17))],
                     [("f32", 2)]),
    "swap_scan": ([("f32", (9, 12)), ("f32", (9, 12)), ("f32", (9, 31, 12)),
                   ("f32", (12, 12))], [("f32", 2), ("f32", 2)]),
    "carry_scan": ([("f32", (5, 7)), ("f32", (5, 7)), ("f32", (5, 6, 7)),
                    ("f32", (5, 7))], [("f32", 2), ("f32", 2)]),
}


def arguments(rng, name):
    """Random values for each argument of `name`, with some -inf (0̄ of the
    log semiring) and repeated maxima (ties) where they matter."""
    values = []
    for _, shape in CASES[name][0]:
        count = 1
        for d in shape:
            count *= d
        v = [rng.gauss(0.0, 2.0) for _ in range(count)]
        if name in ("log_matmul", "forward_step", "forward_scan"):
            v = [float("-inf") if rng.random() < 0.05 else x for x in v]
        if name == "row_argmax":
            v = [float(round(x)) for x in v]
        values.append(v)
    return values


def compare(name, want, got, target):
    """Results as (shape, values) lists: the CPU's and `target`'s. Values to
    1e-5 relative (f64: 1e-12), i32 (witnesses) exactly. Prints the first
    differences and returns (values compared, values that differ)."""
    differ, count = 0, 0
    for k, ((ws, wv), (gs, gv)) in enumerate(zip(want, got)):
        kind = CASES[name][1][k][0]
        tolerance = {"i32": 0.0, "f64": 1e-12, "f32": 1e-5}[kind]
        if tuple(ws) != tuple(gs):
            print("  %s result #%d: shape %r vs %r" % (name, k, ws, gs))
            differ += 1
        for w, g in zip(wv, gv):
            count += 1
            if not (w == g or abs(w - g) <= tolerance * max(1.0, abs(w))):
                differ += 1
                if differ <= 5:
                    print("  %s result #%d: cpu %r %s %r" % (name, k, w, target, g))
    return count, differ
