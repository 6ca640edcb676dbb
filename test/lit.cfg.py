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
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils.so")))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.sdp_tools_dir, config.llvm_tools_dir]
tools = ["sdp-opt", "sdp-run", "sdpc", "sdp-bleu", "mlir-runner", "llvm-readelf", "llvm-nm"]
llvm_config.add_tool_substitutions(tools, tool_dirs)
