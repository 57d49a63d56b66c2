# lit configuration for NeuroJIT's .mlir tests.
# ruff: noqa
import os
import shutil
import sys

import lit.formats

config.name = "NeuroJIT"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir"]
config.excludes = ["Inputs", "lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
# %t files go to a scratch dir of this lit run, not to Output/ in the source tree: several
# lit runs in one work tree (parallel sessions, pytest + a manual lit) otherwise overwrite
# each other's %t files and fail at random.
import tempfile

config.test_exec_root = tempfile.mkdtemp(prefix="neurojit-lit-")

# Tools come from the interpreter's own bin dir (the .venv), so lit runs the code under test.
bindir = os.path.dirname(sys.executable)
config.environment["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])
# NEUROJIT_FRONTEND: tests/test_lit.py runs the neurojit-run tests once per compiler front end.
for var in ("HOME", "NEUROJIT_HOME", "NEUROJIT_MODEL", "TMPDIR", "NEUROJIT_FRONTEND"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

config.substitutions.append(("FileCheck", os.path.join(bindir, "filecheck")))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

mlir_opt = shutil.which("mlir-opt-19")
if mlir_opt:
    config.available_features.add("mlir-opt")
    config.substitutions.append(("%mlir-opt", mlir_opt))
for tool in ("mlir-translate-19", "mlir-cpu-runner-19"):
    path = shutil.which(tool)
    if path:
        config.available_features.add(tool.removesuffix("-19"))
        config.substitutions.append((f"%{tool.removesuffix('-19')}", path))

# Upstream's runner-utils libraries (Debian libmlir-19), for mlir-cpu-runner-19 oracles.
for lib in ("mlir_c_runner_utils", "mlir_runner_utils"):
    path = f"/usr/lib/llvm-19/lib/lib{lib}.so.19.1"
    if os.path.exists(path):
        config.available_features.add(lib.replace("_", "-"))
        config.substitutions.append((f"%{lib}", path))

# The native compiler front end (upstream MLIR's Python bindings) is installed: mlir(...) works.
import importlib.util

if importlib.util.find_spec("mlir") is not None and importlib.util.find_spec("llvm") is not None:
    config.available_features.add("native")
