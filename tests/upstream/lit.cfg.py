# lit configuration for upstream MLIR's CPU execution tests, imported into tests/upstream/.
#
# Each test runs exactly as upstream wrote it (its RUN lines, its CHECK lines), with
# `mlir-cpu-runner` replaced by `neurojit-run --runner none` and the runner-utils libraries
# named `builtin:...` (neurojit-run's own implementation, runtime/runner_utils.py). mlir-opt
# is mlir-opt-19. `lit -D runner=upstream tests/upstream` runs the same tests with
# mlir-cpu-runner-19 and upstream's real libraries: the oracle that the imports are valid
# LLVM 19 tests. Tests NeuroJIT cannot run yet are XFAIL, each with its reason, in
# xfail.py (an XFAIL that starts passing is reported, XPASS); so are the imported tests
# that LLVM 19's own tools fail (UPSTREAM_XFAIL, upstream mode only).
# ruff: noqa
import os
import re
import shutil
import sys
import tempfile

import lit.formats

sys.path.insert(0, os.path.dirname(__file__))
from upstream_format import UpstreamTest  # noqa: E402
from xfail import UPSTREAM_XFAIL, XFAIL  # noqa: E402

config.name = "NeuroJIT-upstream"
config.suffixes = [".mlir"]
config.excludes = ["Inputs", "lit.cfg.py", "xfail.py", "upstream_format.py", "README.md"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = tempfile.mkdtemp(prefix="neurojit-upstream-lit-")

runner_mode = lit_config.params.get("runner", "neurojit")
bindir = os.path.dirname(sys.executable)
config.environment["PATH"] = os.pathsep.join([bindir, os.environ.get("PATH", "")])
for var in ("HOME", "NEUROJIT_HOME", "TMPDIR", "NEUROJIT_FRONTEND"):
    if var in os.environ:
        config.environment[var] = os.environ[var]

mlir_opt = shutil.which("mlir-opt-19")
upstream_runner = shutil.which("mlir-cpu-runner-19")
libdir = "/usr/lib/llvm-19/lib"
libs = {
    name: f"{libdir}/lib{name}.so.19.1" for name in ("mlir_c_runner_utils", "mlir_runner_utils")
}
if mlir_opt:
    config.available_features.add("mlir-opt")
if all(os.path.exists(p) for p in libs.values()):
    config.available_features.add("runner-utils")


# Whole words only: never inside a path or a longer tool name.
def tool(name: str) -> str:
    return rf"(?<![\w/.%-]){re.escape(name)}(?![\w-])"


if runner_mode == "upstream":
    config.substitutions.append((tool("mlir-cpu-runner"), upstream_runner or "mlir-cpu-runner-19"))
    for name, path in libs.items():
        config.substitutions.append((f"%{name}", path))
else:
    config.substitutions.append((tool("mlir-cpu-runner"), "neurojit-run --runner none"))
    for name in libs:
        config.substitutions.append((f"%{name}", f"builtin:{name}"))
config.substitutions.append((tool("mlir-opt"), mlir_opt or "mlir-opt-19"))
config.substitutions.append((tool("FileCheck"), os.path.join(bindir, "filecheck")))
config.substitutions.append(("%python", sys.executable))


config.test_format = UpstreamTest(UPSTREAM_XFAIL if runner_mode == "upstream" else XFAIL)
# Upstream's tests assume mlir-opt-19 and the runner utils are there; without them, skip all.
if not mlir_opt or (runner_mode == "upstream" and not upstream_runner):
    config.unsupported = True
