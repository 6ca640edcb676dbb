"""Replays every input the fuzzers have kept (fuzz/regressions/) through the
tool it stands for, so the lit suite fails when one of them crashes again:

  mlir/*          sdp-opt --sdp-cpu-pipeline and --sdp-gpu-pipeline
  bleu-options/*  sdp-bleu with the input's `key=value` lines as options
                  (`tokens`, `references` and `spelling` pick the data and
                  are not options of sdp-bleu)
  npy/*           sdp-bleu --candidates=<input>

Each may succeed or be rejected with a message; a signal (a crash, an
abort) or a rejection without a message fails. Prints one line per input.

usage: replay_fuzz_regressions.py REGRESSIONS_DIR WORK_DIR SDP_OPT SDP_BLEU
"""

import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
import npyio  # noqa: E402

FUZZER_ONLY_KEYS = {"tokens", "references", "spelling"}


def run(argv):
    done = subprocess.run(argv, capture_output=True, text=True, timeout=300)
    if done.returncode < 0:
        return "crashed (signal %d): %s" % (-done.returncode, done.stderr[-400:])
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        if not message:
            return "failed with no message"
        return "rejected: " + message[-1]
    return "ok"


def main():
    regressions, work, sdp_opt, sdp_bleu = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    cand = os.path.join(work, "cand.npy")
    refs = os.path.join(work, "refs.npy")
    npyio.write(cand, "<i4", (2, 4), [5, 6, 7, 0, 8, 9, 0, 0])
    npyio.write(refs, "<i4", (2, 4), [5, 6, 7, 8, 8, 9, 9, 0])
    failures = 0
    for kind in sorted(os.listdir(regressions)):
        folder = os.path.join(regressions, kind)
        for name in sorted(os.listdir(folder)):
            path = os.path.join(folder, name)
            runs = []
            if kind == "mlir":
                for pipeline in ("cpu", "gpu"):
                    runs.append((pipeline, [sdp_opt, path,
                                            "--sdp-%s-pipeline" % pipeline,
                                            "-o", os.devnull]))
            elif kind == "bleu-options":
                options = []
                with open(path, errors="replace") as lines:
                    for line in lines:
                        key, _, value = line.strip().partition("=")
                        if key and key not in FUZZER_ONLY_KEYS:
                            options.append("--%s=%s" % (key, value))
                runs.append(("sdp-bleu", [sdp_bleu, "--candidates=" + cand,
                                          "--references=" + refs] + options))
            elif kind == "npy":
                runs.append(("sdp-bleu", [sdp_bleu, "--candidates=" + path,
                                          "--references=" + refs]))
            else:
                print("%s/%s: unknown kind of regression input" % (kind, name))
                failures += 1
                continue
            for label, argv in runs:
                outcome = run(argv)
                print("%s/%s: %s %s" % (kind, name, label, outcome))
                if outcome.startswith(("crashed", "failed")):
                    failures += 1
    print("%d failures" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
