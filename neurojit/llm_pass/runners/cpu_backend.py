"""Pick llama.cpp's CPU code at run time, from what this CPU offers, never the AMX kernels.

`make setup` builds llama-cpp-python with `GGML_BACKEND_DL=ON GGML_CPU_ALL_VARIANTS=ON
GGML_NATIVE=OFF`: the CPU backend is then one shared library per instruction-set level
(`libggml-cpu-haswell.so`, `-icelake`, `-sapphirerapids`, ...) next to `libllama.so`, and
nothing is compiled for the build machine alone. Someone has to load one of them before a
model loads; llama-cpp-python 0.3.36 never does, so this module does.

Each variant exports `ggml_backend_score()`, 0 when this CPU lacks an instruction it needs,
higher for better fits. ggml's own `ggml_backend_load_best` takes the top score, which on a
CPU with AMX is `sapphirerapids`, whose AMX matmul crashes: llama.cpp enables AMX tiles on
one thread only and an OpenMP worker then faults in `ldtilecfg` (llama.cpp issue 20824; the
fix, pull request 26954, is not merged). So AMX variants are skipped unless
`NEUROJIT_LLAMA_AMX=1`, and the next best (icelake/zen4 on such a CPU) is loaded.
`NEUROJIT_LLAMA_CPU=<variant>` forces one by name.

A llama-cpp-python built without `GGML_BACKEND_DL` (the plain `pip install`) has its CPU
backend linked in: there is nothing to choose, and this module reports "built-in".
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import os
import threading
from collections.abc import Iterator
from pathlib import Path

# Variants whose kernels use AMX tiles (the list of llama-cpp-python 0.3.36's ggml).
AMX_VARIANTS = frozenset({"sapphirerapids"})
_PREFIX = "libggml-cpu-"

_lock = threading.Lock()
_loaded: str | None = None


def llama_lib_dir() -> Path | None:
    """llama_cpp's `lib/` directory, found without importing llama_cpp."""
    spec = importlib.util.find_spec("llama_cpp")
    if spec is None or not spec.submodule_search_locations:
        return None
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib"
    return lib if lib.is_dir() else None


def variant_name(path: Path) -> str:
    return path.name[len(_PREFIX) :].split(".so")[0]


def cpu_variants(lib_dir: Path) -> list[Path]:
    """The runtime-loadable CPU backends, one per instruction-set level."""
    return sorted(p for p in lib_dir.glob(f"{_PREFIX}*.so") if p.is_file())


def score(path: Path) -> int:
    """The variant's own verdict on this CPU: 0 = cannot run here, else higher is better."""
    import _ctypes

    lib = ctypes.CDLL(str(path), mode=os.RTLD_LOCAL)
    try:
        fn = getattr(lib, "ggml_backend_score", None)
        if fn is None:
            return 0
        fn.restype = ctypes.c_int
        return int(fn())
    finally:
        _ctypes.dlclose(lib._handle)


def choose(paths: list[Path], *, allow_amx: bool, forced: str = "") -> Path | None:
    """The best-scoring variant this CPU can run; AMX ones only when allowed."""
    if forced:
        return next((p for p in paths if variant_name(p) == forced), None)
    best: tuple[int, Path] | None = None
    for path in paths:
        if variant_name(path) in AMX_VARIANTS and not allow_amx:
            continue
        s = score(path)
        if s > 0 and (best is None or s > best[0]):
            best = (s, path)
    return best[1] if best else None


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def ensure_cpu_backend() -> str:
    """Load the chosen CPU variant into llama.cpp (once per process); returns its name,
    or "built-in" for a build without runtime-loaded variants."""
    global _loaded
    with _lock:
        if _loaded is not None:
            return _loaded
        lib_dir = llama_lib_dir()
        paths = cpu_variants(lib_dir) if lib_dir else []
        if not paths:
            _loaded = "built-in"
            return _loaded
        assert lib_dir is not None
        # A wheel holds no symlinks: libggml.so, .so.0 and .so.0.25.3 are three copies, and
        # dlopen by path would load a second ggml with a registry of its own. So load
        # libllama by the path llama_cpp uses, then reach the ggml it linked by soname.
        # (The variants need libggml-base by soname too, and carry no rpath.)
        ctypes.CDLL(str(lib_dir / "libllama.so"), mode=os.RTLD_GLOBAL)
        ggml = ctypes.CDLL("libggml.so.0", mode=os.RTLD_GLOBAL)
        allow_amx = os.environ.get("NEUROJIT_LLAMA_AMX", "") == "1"
        forced = os.environ.get("NEUROJIT_LLAMA_CPU", "").strip()
        path = choose(paths, allow_amx=allow_amx, forced=forced)
        if path is None:
            names = ", ".join(variant_name(p) for p in paths)
            why = f"no variant named '{forced}'" if forced else "none fits this CPU"
            raise RuntimeError(f"llama.cpp CPU backend: {why} (built: {names})")
        ggml.ggml_backend_load.restype = ctypes.c_void_p
        ggml.ggml_backend_load.argtypes = [ctypes.c_char_p]
        with _quiet_stderr():  # ggml announces the load on fd 2, past Python's sys.stderr
            loaded = ggml.ggml_backend_load(str(path).encode())
        if not loaded:
            raise RuntimeError(f"llama.cpp CPU backend: cannot load {path.name}")
        _loaded = variant_name(path)
        return _loaded
