#!/usr/bin/env bash
# Install llama-cpp-python into a venv, built so that its CPU code is chosen at run time.
#
#   tools/install_llama.sh .venv
#
# pip's default build of llama-cpp-python is `-march=native`: a wheel (cached by pip) or a
# .venv moved to another CPU can die with SIGILL, and on CPUs with AMX the build's AMX kernels
# crash llama.cpp (issue 20824). So we build every x86-64 (or arm64) CPU level as a separate,
# runtime-loaded backend (GGML_BACKEND_DL + GGML_CPU_ALL_VARIANTS, GGML_NATIVE=OFF);
# neurojit/llm_pass/runners/cpu_backend.py loads the best one the CPU supports, skipping AMX.
#
# The wheel is built once per version and flags (about 15 min on 2 cores) and kept in
# ~/.cache/neurojit/wheels/<key>/: pip's own wheel cache is keyed by the sdist, not by
# CMAKE_ARGS, so it could hand back a -march=native wheel from an earlier install.
# GGML_BACKEND_DIR is typed STRING on purpose: as a PATH, CMake makes it absolute (relative
# to the build directory) and the backends are installed outside the wheel.
# Quiet and quick when the venv already has it.
set -euo pipefail
VENV="${1:?usage: tools/install_llama.sh VENV}"
PY="$VENV/bin/python"
VERSION=0.3.36
FLAGS="-DGGML_NATIVE=OFF -DGGML_BACKEND_DL=ON -DGGML_CPU_ALL_VARIANTS=ON -DGGML_BACKEND_DIR:STRING=llama_cpp/lib -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF"

# Already there: this version, with runtime-loaded CPU backends next to libllama.
if "$PY" - "$VERSION" <<'PY' 2>/dev/null; then exit 0; fi
import importlib.metadata, importlib.util, pathlib, sys
assert importlib.metadata.version("llama_cpp_python") == sys.argv[1]
spec = importlib.util.find_spec("llama_cpp")
lib = pathlib.Path(next(iter(spec.submodule_search_locations))) / "lib"
assert any(lib.glob("libggml-cpu-*.so"))
PY

key=$(printf '%s %s %s' "$VERSION" "$FLAGS" "$("$PY" -c 'import sys; print(sys.implementation.cache_tag)')" | sha256sum | cut -c1-16)
dir="${XDG_CACHE_HOME:-$HOME/.cache}/neurojit/wheels/$key"
# The platform is in the wheel's name, not in the key: a home directory shared by machines of
# two architectures must not hand one the other's wheel.
arch=$(uname -m)
wheel=$(ls "$dir"/llama_cpp_python-"$VERSION"-*"$arch".whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
    echo "building llama-cpp-python $VERSION for every CPU level (once, about 15 min; kept in $dir)" >&2
    tmp="$dir.tmp.$$"
    rm -rf "$tmp" && mkdir -p "$tmp"
    if ! CMAKE_ARGS="$FLAGS" "$PY" -m pip wheel -q --no-deps --no-cache-dir \
            --no-binary llama-cpp-python -w "$tmp" "llama-cpp-python==$VERSION" >"$tmp.log" 2>&1; then
        tail -n 30 "$tmp.log" >&2
        echo "install_llama: building llama-cpp-python failed (log: $tmp.log)" >&2
        exit 1
    fi
    mkdir -p "$dir"
    mv "$tmp"/llama_cpp_python-*.whl "$dir"/
    rm -rf "$tmp" "$tmp.log"
    wheel=$(ls "$dir"/llama_cpp_python-"$VERSION"-*"$arch".whl | head -n 1)
fi
"$PY" -m pip install -q --no-deps --force-reinstall "$wheel"
