# -*- Python -*-
# lit configuration of the sdp regression tests.

import os
import sys

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "SDP"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.sdp_obj_root, "test")
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "Unit"]

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%cmake_generator", '"%s"' % config.cmake_generator))
config.substitutions.append(("%cmake", config.cmake))
config.substitutions.append(("%sdp_src_root", config.sdp_src_root))
config.substitutions.append(("%sdp_obj_root", config.sdp_obj_root))
# Code lowered by the sdp pipelines calls the sdp runtime (buffer
# allocation, memref copies).
config.substitutions.append(
    ("%sdp_runtime_lib", os.path.join(config.sdp_obj_root, "lib", "libsdp_runtime.so")))
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils.so")))

llvm_config.use_default_substitutions()
# Compiled modules are cached in the build tree, not in the user's cache;
# tests of the cache itself set SDP_CACHE_DIR to a directory of their own.
config.environment["SDP_CACHE_DIR"] = os.path.join(config.sdp_obj_root, "test", "sdp-cache")
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# In the sanitized (fuzz) build, sdp's libraries need the sanitizer runtimes
# of the executable that loads them: uninstrumented programs (mlir-runner, a
# host app, a library sdpc links) cannot load them. Tests that need those, or
# targets that build only in the normal build (benchmarks, reference docs),
# say `UNSUPPORTED: sanitized`.
if config.sdp_sanitized.upper() in ("ON", "1", "TRUE", "YES"):
    config.available_features.add("sanitized")

tool_dirs = [config.sdp_tools_dir, config.llvm_tools_dir]
tools = ["sdp-opt", "sdp-run", "sdpc", "sdp-bleu", "bench-linear-chain", "bench-bleu", "bench-alignment", "mlir-runner", "llvm-readelf", "llvm-nm"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Reference packages for the live BLEU cross-checks: NLTK 3.8 usually comes
# from Debian (python3-nltk, the system Python), sacreBLEU from pip.
import subprocess


def python_with(module, check):
    import shutil
    for python in (sys.executable, shutil.which("python3"), "/usr/bin/python3"):
        if not python:
            continue
        try:
            if subprocess.run([python, "-c", "import %s as m; %s" % (module, check)],
                              capture_output=True, timeout=60).returncode == 0:
                return python
        except (OSError, subprocess.TimeoutExpired):
            pass
    return None


nltk_python = python_with("nltk", "assert m.__version__.startswith('3.8')")
if nltk_python:
    config.available_features.add("nltk")
    config.substitutions.append(("%nltk_python", nltk_python))
sacrebleu_python = python_with("sacrebleu", "assert m.__version__.startswith('2.')")
if sacrebleu_python:
    config.available_features.add("sacrebleu")
    config.substitutions.append(("%sacrebleu_python", sacrebleu_python))

# GPU: PTX is always checked as text; `ptxas` assembles it when the CUDA
# toolkit is on PATH; `cuda-device` runs kernels when the driver finds a GPU.
import shutil

if shutil.which("ptxas"):
    config.available_features.add("ptxas")
# `libdevice`: the GPU pipeline finds a CUDA toolkit to link libdevice from
# (f64 exp/log in kernels), as it looks for one: CUDA_ROOT, CUDA_HOME,
# CUDA_PATH, else the toolkit of the ptxas on PATH.
toolkits = [os.environ.get(v) for v in ("CUDA_ROOT", "CUDA_HOME", "CUDA_PATH")]
toolkit = next((t for t in toolkits if t), None)
if not toolkit and shutil.which("ptxas"):
    toolkit = os.path.dirname(os.path.dirname(os.path.realpath(shutil.which("ptxas"))))
if toolkit and os.path.exists(os.path.join(toolkit, "nvvm", "libdevice", "libdevice.10.bc")):
    config.available_features.add("libdevice")
try:
    import ctypes
    cuda = ctypes.CDLL("libcuda.so.1")
    count = ctypes.c_int(0)
    if cuda.cuInit(0) == 0 and cuda.cuDeviceGetCount(ctypes.byref(count)) == 0 \
            and count.value > 0:
        config.available_features.add("cuda-device")
except OSError:
    pass
