"""The runtime's own runner utils against upstream's libraries, run by mlir-cpu-runner-19.

The same MLIR program prints memrefs through printMemref* twice: once under neurojit-run
(our implementation, runtime/runner_utils.py) and once under mlir-opt-19 | mlir-cpu-runner-19
with upstream's libmlir_c_runner_utils/libmlir_runner_utils. The bytes must be identical,
except the `base@ = 0x...` addresses, which differ between any two runs.
"""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from neurojit.compiler.pipeline import upstream_flags
from neurojit.runtime import runner_utils

LIBDIR = Path("/usr/lib/llvm-19/lib")
C_LIB = LIBDIR / "libmlir_c_runner_utils.so.19.1"
LIB = LIBDIR / "libmlir_runner_utils.so.19.1"
RUNNER = shutil.which("mlir-cpu-runner-19")
MLIR_OPT = shutil.which("mlir-opt-19")
NEUROJIT_RUN = str(Path(sys.executable).parent / "neurojit-run")

needs_upstream = pytest.mark.skipif(
    not (RUNNER and MLIR_OPT and C_LIB.exists() and LIB.exists()),
    reason="needs mlir-opt-19, mlir-cpu-runner-19 and libmlir-19's runner utils",
)

TYPES = {"F32": "f32", "F64": "f64", "I32": "i32", "I64": "i64"}
SHAPES = {1: [5], 2: [3, 4], 3: [2, 3, 2], 4: [2, 1, 3, 2]}


def _value(elt: str, linear: str, out: list[str]) -> str:
    """MLIR that computes an element from the linear index %lin: varied signs and fractions."""
    out.append(f"%li{elt} = arith.index_cast {linear} : index to i64")
    out.append(f"%k{elt} = arith.constant 7 : i64")
    out.append(f"%s{elt} = arith.constant 23 : i64")
    out.append(f"%m{elt} = arith.muli %li{elt}, %k{elt} : i64")
    out.append(f"%d{elt} = arith.subi %m{elt}, %s{elt} : i64")
    t = TYPES[elt]
    if t == "i64":
        return f"%d{elt}"
    if t == "i32":
        out.append(f"%v{elt} = arith.trunci %d{elt} : i64 to i32")
        return f"%v{elt}"
    out.append(f"%f{elt} = arith.sitofp %d{elt} : i64 to {t}")
    out.append(f"%q{elt} = arith.constant 0.3 : {t}")
    out.append(f"%v{elt} = arith.mulf %f{elt}, %q{elt} : {t}")
    return f"%v{elt}"


def memref_program() -> str:
    """Every element type × rank: filled, printed unranked and ranked, and a strided view."""
    decls: list[str] = []
    body: list[str] = ["%c0 = arith.constant 0 : index", "%c1 = arith.constant 1 : index"]
    for elt, t in TYPES.items():
        decls.append(
            f"func.func private @printMemref{elt}(memref<*x{t}>) attributes "
            "{llvm.emit_c_interface}"
        )
        for rank, shape in SHAPES.items():
            name = f"%m{elt}{rank}"
            mtype = f"memref<{'x'.join(map(str, shape))}x{t}>"
            body.append(f"{name} = memref.alloc() : {mtype}")
            n = math.prod(shape)
            body.append(f"%n{elt}{rank} = arith.constant {n} : index")
            # Fill through a 1-D view of the same buffer: one loop for any rank.
            flat = f"%flat{elt}{rank}"
            body.append(
                f"{flat} = memref.reshape {name}(%shape{elt}{rank}) : "
                f"({mtype}, memref<1xindex>) -> memref<{n}x{t}>"
            )
            body.insert(
                len(body) - 1,
                f"%shape{elt}{rank} = memref.alloca() : memref<1xindex>\n"
                f"memref.store %n{elt}{rank}, %shape{elt}{rank}[%c0] : memref<1xindex>",
            )
            loop: list[str] = []
            value = _value(elt, "%lin", loop)
            body.append(f"scf.for %lin = %c0 to %n{elt}{rank} step %c1 {{")
            body += ["  " + x for x in loop]
            body.append(f"  memref.store {value}, {flat}[%lin] : memref<{n}x{t}>")
            body.append("}")
            body.append(f"%u{elt}{rank} = memref.cast {name} : {mtype} to memref<*x{t}>")
            body.append(f"func.call @printMemref{elt}(%u{elt}{rank}) : (memref<*x{t}>) -> ()")
            if rank >= 2:
                # A strided view: every other row of the first dimension... of the last two.
                sizes = list(shape)
                sizes[-1] = max(1, shape[-1] // 2)
                strides = [1] * rank
                strides[-1] = 2
                offsets = [0] * rank
                offsets[0] = shape[0] - 1 if shape[0] > 1 else 0
                sizes[0] = 1
                base = [math.prod(shape[i + 1 :]) for i in range(rank)]
                vstrides = ", ".join(str(b * s) for b, s in zip(base, strides, strict=True))
                voffset = sum(o * b for o, b in zip(offsets, base, strict=True))
                vtype = (
                    f"memref<{'x'.join(map(str, sizes))}x{t}, "
                    f"strided<[{vstrides}], offset: {voffset}>>"
                )
                body.append(
                    f"%sv{elt}{rank} = memref.subview {name}[{', '.join(map(str, offsets))}] "
                    f"[{', '.join(map(str, sizes))}] [{', '.join(map(str, strides))}] : "
                    f"{mtype} to {vtype}"
                )
                body.append(
                    f"%su{elt}{rank} = memref.cast %sv{elt}{rank} : {vtype} to memref<*x{t}>"
                )
                body.append(f"func.call @printMemref{elt}(%su{elt}{rank}) : (memref<*x{t}>) -> ()")
    # Ranked entry points (StridedMemRefType<T, N>*): printMemref{0..4}dF32, printMemref1d*.
    decls.append(
        "func.func private @printMemref0dF32(memref<f32>) attributes {llvm.emit_c_interface}"
    )
    zero = ["%z = memref.alloc() : memref<f32>", "%zv = arith.constant -2.5 : f32"]
    zero += ["memref.store %zv, %z[] : memref<f32>"]
    body += zero + ["func.call @printMemref0dF32(%z) : (memref<f32>) -> ()"]
    for rank, shape in SHAPES.items():
        dyn = "x".join("?" * rank)
        decls.append(
            f"func.func private @printMemref{rank}dF32(memref<{dyn}xf32>) attributes "
            "{llvm.emit_c_interface}"
        )
        mtype = f"memref<{'x'.join(map(str, shape))}xf32>"
        body.append(f"%r{rank} = memref.cast %mF32{rank} : {mtype} to memref<{dyn}xf32>")
        body.append(f"func.call @printMemref{rank}dF32(%r{rank}) : (memref<{dyn}xf32>) -> ()")
    for elt in ("F64", "I32", "I64"):
        t = TYPES[elt]
        decls.append(
            f"func.func private @printMemref1d{elt}(memref<?x{t}>) attributes "
            "{llvm.emit_c_interface}"
        )
        body.append(f"%o{elt} = memref.cast %m{elt}1 : memref<5x{t}> to memref<?x{t}>")
        body.append(f"func.call @printMemref1d{elt}(%o{elt}) : (memref<?x{t}>) -> ()")
    # Scalars and vector.print go through printF32/printI64/printOpen/... (CRunnerUtils).
    body += [
        "%nan = arith.constant 0x7FC00000 : f32",
        "%nnan = arith.constant 0xFFC00000 : f32",
        "%inf = arith.constant 0x7F800000 : f32",
        "%vec = vector.from_elements %nan, %nnan, %inf : vector<3xf32>",
        "vector.print %vec : vector<3xf32>",
        "%big = arith.constant 123456789.0 : f64",
        "%small = arith.constant -0.000001234 : f64",
        "%vd = vector.from_elements %big, %small : vector<2xf64>",
        "vector.print %vd : vector<2xf64>",
        "%iv = arith.constant dense<[-9223372036854775808, 0, 9223372036854775807]>"
        " : vector<3xi64>",
        "vector.print %iv : vector<3xi64>",
    ]
    body.append("return")
    return "\n".join([*decls, "func.func @main() {", *("  " + line for line in body), "}"])


_BASE = re.compile(rb"base@ = 0x[0-9a-f]+")


def _normal(data: bytes) -> bytes:
    return _BASE.sub(b"base@ = <addr>", data)


@needs_upstream
def test_print_memref_bytes_match_mlir_cpu_runner(tmp_path: Path) -> None:
    src = tmp_path / "print.mlir"
    src.write_text(memref_program())
    ours = subprocess.run(
        [NEUROJIT_RUN, str(src), "-e", "main", "-entry-point-result=void", "--runner", "none"],
        capture_output=True,
        timeout=300,
    )
    assert ours.returncode == 0, ours.stderr.decode()
    lowered = subprocess.run(
        [
            MLIR_OPT,
            str(src),
            "--convert-vector-to-scf",
            *upstream_flags()[:3],
            "--convert-scf-to-cf",
            "--convert-vector-to-llvm",
            *upstream_flags()[3:],
        ],
        capture_output=True,
        timeout=300,
    )
    assert lowered.returncode == 0, lowered.stderr.decode()
    theirs = subprocess.run(
        [RUNNER, "-e", "main", "-entry-point-result=void", f"-shared-libs={C_LIB},{LIB}"],
        input=lowered.stdout,
        capture_output=True,
        timeout=300,
    )
    assert theirs.returncode == 0, theirs.stderr.decode()
    # Something was printed for every memref (4 types x 4 ranks + 12 views + 5 + 3 ranked).
    assert _normal(ours.stdout).count(b"Memref base@") == 16 + 12 + 5 + 3
    assert _normal(ours.stdout) == _normal(theirs.stdout)


@needs_upstream
def test_shared_libs_symbols_win_over_the_builtin_ones(tmp_path: Path) -> None:
    """With a real --shared-libs library, printI64 resolves into it, not into our JIT code."""
    import ctypes

    from neurojit.runtime.engine import default_engine

    runner_utils.load_shared_library(str(C_LIB))
    try:
        lib = ctypes.CDLL(str(C_LIB))
        theirs = ctypes.cast(lib.printI64, ctypes.c_void_p).value
        got = runner_utils.resolve(["printI64", "printMemrefF32"], default_engine())
        assert got["printI64"] == theirs
        # Not in that library: ours.
        assert (
            got["printMemrefF32"]
            == runner_utils.builtin_symbols(default_engine())["printMemrefF32"]
        )
    finally:
        runner_utils._shared.clear()


CC = shutil.which("cc")


@pytest.mark.skipif(CC is None, reason="needs a C compiler to build a test library")
def test_shared_libs_library_replaces_printI64_in_a_run(tmp_path: Path) -> None:
    (tmp_path / "mine.c").write_text(
        '#include <stdio.h>\nvoid printI64(long v) { printf("mine<%ld>", v); }\n'
    )
    lib = tmp_path / "libmine.so"
    subprocess.run([CC, "-shared", "-fPIC", "-o", str(lib), str(tmp_path / "mine.c")], check=True)
    src = tmp_path / "p.mlir"
    src.write_text(
        "func.func private @printI64(i64)\nfunc.func private @printNewline()\n"
        "func.func @main() {\n  %c = arith.constant 5 : i64\n"
        "  call @printI64(%c) : (i64) -> ()\n  call @printNewline() : () -> ()\n"
        "  return\n}\n"
    )
    base = [NEUROJIT_RUN, str(src), "-e", "main", "-entry-point-result=void", "--runner", "none"]
    plain = subprocess.run(base, capture_output=True, text=True, timeout=120)
    assert plain.stdout == "5\n", plain.stderr
    mine = subprocess.run([*base, f"-shared-libs={lib}"], capture_output=True, text=True)
    assert mine.stdout == "mine<5>\n", mine.stderr


def test_missing_shared_library_is_a_one_line_error(tmp_path: Path) -> None:
    src = tmp_path / "p.mlir"
    src.write_text("func.func @main() {\n  return\n}\n")
    proc = subprocess.run(
        [NEUROJIT_RUN, str(src), "-shared-libs=/nonexistent/libx.so", "--runner", "none"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("/nonexistent/libx.so: error: cannot load shared library")
    assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1


def test_format_g_matches_glibc_spellings() -> None:
    assert runner_utils.format_g(float("nan")) == "nan"
    assert runner_utils.format_g(-float("nan")) == "-nan"
    assert runner_utils.format_g(float("-inf")) == "-inf"
    assert runner_utils.format_g(1e-5) == "1e-05"
    assert runner_utils.format_g(123456789.0) == "1.23457e+08"


def test_format_data_spacing_of_nested_brackets() -> None:
    """Upstream's layout, worked out by hand from RunnerUtils.h: rank-1 pads after `[`."""
    import ctypes

    buf = (ctypes.c_int64 * 6)(1, 2, 3, 4, 5, 6)
    desc = runner_utils.Descriptor(ctypes.addressof(buf), 0, [2, 3], [3, 1])
    i64 = runner_utils.ELEMENTS["I64"]
    assert runner_utils.format_data(desc, i64) == b"[[1,   2,   3], \n [4,   5,   6]]"
    # A single row and a single element close at once; a column view follows its stride.
    assert runner_utils.format_data(runner_utils.Descriptor(desc.data, 0, [1, 1], [1, 1]), i64) == (
        b"[[1]]"
    )
    column = runner_utils.Descriptor(desc.data, 1, [2], [3])
    assert runner_utils.format_data(column, i64) == b"[2,  5]"
    # I8 elements print as characters, as `std::ostream << int8_t` does upstream.
    text = (ctypes.c_int8 * 2)(ord("h"), ord("i"))
    chars = runner_utils.Descriptor(ctypes.addressof(text), 0, [2], [1])
    assert runner_utils.format_data(chars, runner_utils.ELEMENTS["I8"]) == b"[h,  i]"


def test_verify_memref_counts_mismatches_like_upstream() -> None:
    """verifyMemRef: 0 for equal data, the number of differing elements otherwise (floats
    within upstream's relative epsilon count as equal), -1 for different shapes."""
    import ctypes

    a = (ctypes.c_float * 4)(1.0, 2.0, 3.0, 4.0)
    b = (ctypes.c_float * 4)(1.0, 2.0 * (1 + 1e-7), 30.0, 40.0)
    f32 = runner_utils.ELEMENTS["F32"]
    da = runner_utils.Descriptor(ctypes.addressof(a), 0, [2, 2], [2, 1])
    db = runner_utils.Descriptor(ctypes.addressof(b), 0, [2, 2], [2, 1])
    assert runner_utils.verify(da, da, f32) == 0
    assert runner_utils.verify(da, db, f32) == 2
    other_shape = runner_utils.Descriptor(ctypes.addressof(b), 0, [4, 1], [1, 1])
    assert runner_utils.verify(da, other_shape, f32) == -1


def test_vector_4x4_f32_element_spacing() -> None:
    """printMemrefVector4x4xf32's element, as mlir-cpu-runner-19 printed it for utils.mlir
    (VectorDataPrinter pads middle rows with two spaces, the last with one); distinct values
    show the row order."""
    import struct

    raw = struct.pack("<16f", *[float(i) for i in range(16)])
    assert runner_utils.VECTOR_4X4_F32.show(raw) == (
        b"((0, 1, 2, 3),   (4, 5, 6, 7),   (8, 9, 10, 11),  (12, 13, 14, 15))"
    )
