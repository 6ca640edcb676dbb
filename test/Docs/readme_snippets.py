"""Keeps README's code snippets true.

usage: readme_snippets.py SRC_ROOT SDPC WORKDIR

1. The C++ block after `<!-- jit-example: FILE -->` must equal the part of
   FILE between its `// [readme-jit-example]` markers (FILE is compiled and
   run by the host-app test).
2. The shell block after `<!-- aot-flow -->` is run in WORKDIR with `sdpc`
   and `examples/` pointing into the build and source trees and `app.c`
   standing for test/Integration/Inputs/aot_crf_main.c.
"""

import os
import re
import shutil
import subprocess
import sys

src, sdpc, work = sys.argv[1:4]
readme = open(os.path.join(src, "README.md")).read()


def block_after(marker):
    at = readme.index(marker)
    match = re.compile(r"```\w*\n(.*?)```", re.S).search(readme, at)
    return match.group(1)


marker = re.search(r"<!-- jit-example: (\S+) -->", readme)
source = open(os.path.join(src, marker.group(1))).read()
expected = source.split("// [readme-jit-example]\n")[1]
if block_after(marker.group(0)) != expected:
    sys.exit("README's JIT example differs from " + marker.group(1))
print("jit example matches", marker.group(1))

os.makedirs(work, exist_ok=True)
shutil.copy(os.path.join(src, "test/Integration/Inputs/aot_crf_main.c"),
            os.path.join(work, "app.c"))
for line in block_after("<!-- aot-flow -->").strip().splitlines():
    line = line.replace("sdpc ", sdpc + " ", 1).replace(
        "examples/", os.path.join(src, "examples") + "/")
    result = subprocess.run(line, shell=True, cwd=work, capture_output=True, text=True)
    sys.stdout.write(result.stdout)
    if result.returncode:
        sys.exit("README's AOT flow failed at: %s\n%s" % (line, result.stderr))
