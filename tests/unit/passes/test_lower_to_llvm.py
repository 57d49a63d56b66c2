# ruff: noqa: E501  (MLIR program text)
"""End to end: MLIR -> neurojit-lower-to-llvm -> LLVM IR -> llvmlite MCJIT -> call via ctypes.

Each program's `main() -> i64` is checked two ways: against a value computed here in Python
(independent of both compilers), and, when mlir-opt-19 is installed, against
mlir-cpu-runner-19 running upstream's lowering of the same text. The oracle pipeline is the
brief's, preceded by `--arith-expand --expand-strided-metadata --lower-affine` for the ops
upstream only lowers after expansion (ceildiv/floordiv, subview); those change no semantics.
"""

from __future__ import annotations

import ctypes
import math
import re
import shutil
import subprocess

import pytest

from neurojit.compiler.pipeline import upstream_flags
from neurojit.errors import NeuroJITError
from neurojit.ir import parse_module
from neurojit.lowering import lower_to_llvm, to_llvm_ir

llvm = pytest.importorskip("llvmlite.binding")

MLIR_OPT = shutil.which("mlir-opt-19")
CPU_RUNNER = shutil.which("mlir-cpu-runner-19")
UPSTREAM_PIPELINE = upstream_flags()  # defined once: neurojit/compiler/pipeline.py


class Jitted:
    """A minimal MCJIT holder: keeps the engine alive while its functions are called."""

    def __init__(self, ir_text: str) -> None:
        llvm.initialize_native_target()
        llvm.initialize_native_asmprinter()
        module = llvm.parse_assembly(ir_text)
        module.verify()
        machine = llvm.Target.from_default_triple().create_target_machine()
        self.engine = llvm.create_mcjit_compiler(module, machine)
        self.engine.finalize_object()

    def fn(self, name: str, restype: object, *argtypes: object):  # ctypes function
        address = self.engine.get_function_address(name)
        assert address, f"{name} not found"
        return ctypes.CFUNCTYPE(restype, *argtypes)(address)


def compile_text(text: str) -> Jitted:
    module = parse_module(text, "test.mlir")
    lower_to_llvm(module)
    return Jitted(to_llvm_ir(module))


def upstream_main(text: str) -> int:
    lowered = subprocess.run(
        [MLIR_OPT, *UPSTREAM_PIPELINE], input=text, capture_output=True, text=True, check=True
    ).stdout
    run = subprocess.run(
        [CPU_RUNNER, "-e", "main", "-entry-point-result=i64"],
        input=lowered,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(run.stdout.split()[-1])


def s64(v: int) -> int:
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >> 63 else v


def _int_arith_expected() -> int:
    a, b = -37, 5
    r = [
        a + b,
        a - b,
        a * b,
        int(a / b),  # divsi truncates
        a - b * int(a / b),  # remsi
        ((a & (2**64 - 1)) // b),  # divui
        (a & (2**64 - 1)) % b,  # remui
        a & b,
        a | b,
        a ^ b,
        s64(a << 3),
        a >> 2,  # shrsi
        (a & (2**64 - 1)) >> 60,  # shrui
        max(a, b),
        min(a, b),
        max(a & (2**64 - 1), b),  # maxui
        -(-a // b),  # ceildivsi
        a // b,  # floordivsi
        -(-37 // 5),  # ceildivui on positive values
    ]
    return s64(sum(r[i] * (i + 1) for i in range(len(r))))


INT_ARITH = """
func.func @main() -> i64 {
  %a = arith.constant -37 : i64
  %b = arith.constant 5 : i64
  %ua = arith.constant 37 : i64
  %c3 = arith.constant 3 : i64
  %c2 = arith.constant 2 : i64
  %c60 = arith.constant 60 : i64
  %r0 = arith.addi %a, %b overflow<nsw> : i64
  %r1 = arith.subi %a, %b : i64
  %r2 = arith.muli %a, %b overflow<nsw, nuw> : i64
  %r3 = arith.divsi %a, %b : i64
  %r4 = arith.remsi %a, %b : i64
  %r5 = arith.divui %a, %b : i64
  %r6 = arith.remui %a, %b : i64
  %r7 = arith.andi %a, %b : i64
  %r8 = arith.ori %a, %b : i64
  %r9 = arith.xori %a, %b : i64
  %r10 = arith.shli %a, %c3 : i64
  %r11 = arith.shrsi %a, %c2 : i64
  %r12 = arith.shrui %a, %c60 : i64
  %r13 = arith.maxsi %a, %b : i64
  %r14 = arith.minsi %a, %b : i64
  %r15 = arith.maxui %a, %b : i64
  %r16 = arith.ceildivsi %a, %b : i64
  %r17 = arith.floordivsi %a, %b : i64
  %r18 = arith.ceildivui %ua, %b : i64
  %s = arith.constant 0 : i64
  %vals = arith.constant 0 : i64
  %w1 = arith.constant 1 : i64
  %w2 = arith.constant 2 : i64
  %w3 = arith.constant 3 : i64
  %w4 = arith.constant 4 : i64
  %w5 = arith.constant 5 : i64
  %w6 = arith.constant 6 : i64
  %w7 = arith.constant 7 : i64
  %w8 = arith.constant 8 : i64
  %w9 = arith.constant 9 : i64
  %w10 = arith.constant 10 : i64
  %w11 = arith.constant 11 : i64
  %w12 = arith.constant 12 : i64
  %w13 = arith.constant 13 : i64
  %w14 = arith.constant 14 : i64
  %w15 = arith.constant 15 : i64
  %w16 = arith.constant 16 : i64
  %w17 = arith.constant 17 : i64
  %w18 = arith.constant 18 : i64
  %w19 = arith.constant 19 : i64
  %p0 = arith.muli %r0, %w1 : i64
  %p1 = arith.muli %r1, %w2 : i64
  %p2 = arith.muli %r2, %w3 : i64
  %p3 = arith.muli %r3, %w4 : i64
  %p4 = arith.muli %r4, %w5 : i64
  %p5 = arith.muli %r5, %w6 : i64
  %p6 = arith.muli %r6, %w7 : i64
  %p7 = arith.muli %r7, %w8 : i64
  %p8 = arith.muli %r8, %w9 : i64
  %p9 = arith.muli %r9, %w10 : i64
  %p10 = arith.muli %r10, %w11 : i64
  %p11 = arith.muli %r11, %w12 : i64
  %p12 = arith.muli %r12, %w13 : i64
  %p13 = arith.muli %r13, %w14 : i64
  %p14 = arith.muli %r14, %w15 : i64
  %p15 = arith.muli %r15, %w16 : i64
  %p16 = arith.muli %r16, %w17 : i64
  %p17 = arith.muli %r17, %w18 : i64
  %p18 = arith.muli %r18, %w19 : i64
  %t0 = arith.addi %p0, %p1 : i64
  %t1 = arith.addi %t0, %p2 : i64
  %t2 = arith.addi %t1, %p3 : i64
  %t3 = arith.addi %t2, %p4 : i64
  %t4 = arith.addi %t3, %p5 : i64
  %t5 = arith.addi %t4, %p6 : i64
  %t6 = arith.addi %t5, %p7 : i64
  %t7 = arith.addi %t6, %p8 : i64
  %t8 = arith.addi %t7, %p9 : i64
  %t9 = arith.addi %t8, %p10 : i64
  %t10 = arith.addi %t9, %p11 : i64
  %t11 = arith.addi %t10, %p12 : i64
  %t12 = arith.addi %t11, %p13 : i64
  %t13 = arith.addi %t12, %p14 : i64
  %t14 = arith.addi %t13, %p15 : i64
  %t15 = arith.addi %t14, %p16 : i64
  %t16 = arith.addi %t15, %p17 : i64
  %t17 = arith.addi %t16, %p18 : i64
  return %t17 : i64
}
"""

CASTS_AND_FLOATS = """
func.func @main() -> i64 {
  %x = arith.constant 2.75 : f64
  %y = arith.constant -1.5 : f64
  %s = arith.addf %x, %y fastmath<fast> : f64
  %d = arith.subf %x, %y : f64
  %m = arith.mulf %x, %y : f64
  %q = arith.divf %x, %y : f64
  %n = arith.negf %q : f64
  %mx = arith.maximumf %s, %m : f64
  %mn = arith.minnumf %s, %m : f64
  %f32 = arith.truncf %d : f64 to f32
  %back = arith.extf %f32 : f32 to f64
  %sum1 = arith.addf %s, %d : f64
  %sum2 = arith.addf %sum1, %m : f64
  %sum3 = arith.addf %sum2, %n : f64
  %sum4 = arith.addf %sum3, %mx : f64
  %sum5 = arith.addf %sum4, %mn : f64
  %sum6 = arith.addf %sum5, %back : f64
  %k = arith.constant 1000.0 : f64
  %scaled = arith.mulf %sum6, %k : f64
  %i = arith.fptosi %scaled : f64 to i64
  %neg = arith.constant -7 : i32
  %w = arith.extsi %neg : i32 to i64
  %z = arith.extui %neg : i32 to i64
  %t = arith.trunci %z : i64 to i16
  %t64 = arith.extui %t : i16 to i64
  %sf = arith.sitofp %neg : i32 to f64
  %uf = arith.uitofp %neg : i32 to f64
  %ufi = arith.fptoui %uf : f64 to i64
  %sfi = arith.fptosi %sf : f64 to i64
  %bits = arith.bitcast %x : f64 to i64
  %lt = arith.cmpf olt, %x, %y : f64
  %ge = arith.cmpf uge, %x, %y : f64
  %ltz = arith.extui %lt : i1 to i64
  %gez = arith.extui %ge : i1 to i64
  %cmp = arith.cmpi ult, %w, %z : i64
  %sel = arith.select %cmp, %w, %z : i64
  %a1 = arith.addi %i, %w : i64
  %a2 = arith.addi %a1, %z : i64
  %a3 = arith.addi %a2, %t64 : i64
  %a4 = arith.addi %a3, %ufi : i64
  %a5 = arith.addi %a4, %sfi : i64
  %a6 = arith.xori %a5, %bits : i64
  %a7 = arith.addi %a6, %ltz : i64
  %a8 = arith.addi %a7, %gez : i64
  %a9 = arith.addi %a8, %sel : i64
  return %a9 : i64
}
"""


def _casts_expected() -> int:
    import struct

    x, y = 2.75, -1.5
    s, d, m, q = x + y, x - y, x * y, x / y
    n = -q
    mx, mn = max(s, m), min(s, m)
    back = float(struct.unpack("f", struct.pack("f", d))[0])
    total = s + d + m + n + mx + mn + back
    i = int(total * 1000.0)
    w = -7
    z = (-7) & 0xFFFFFFFF
    t64 = z & 0xFFFF
    ufi = z
    sfi = -7
    bits = struct.unpack("<q", struct.pack("<d", x))[0]
    a5 = i + w + z + t64 + ufi + sfi
    a6 = s64(a5 ^ bits)
    sel = w if (w & (2**64 - 1)) < z else z
    return s64(a6 + 0 + 1 + sel)


CONTROL_FLOW = """
func.func @collatz(%n0: i64) -> i64 {
  %c0 = arith.constant 0 : i64
  %c1 = arith.constant 1 : i64
  %c2 = arith.constant 2 : i64
  %c3 = arith.constant 3 : i64
  %r:2 = scf.while (%n = %n0, %steps = %c0) : (i64, i64) -> (i64, i64) {
    %more = arith.cmpi ne, %n, %c1 : i64
    scf.condition(%more) %n, %steps : i64, i64
  } do {
  ^bb0(%m: i64, %s: i64):
    %rem = arith.remui %m, %c2 : i64
    %even = arith.cmpi eq, %rem, %c0 : i64
    %next = scf.if %even -> (i64) {
      %h = arith.divui %m, %c2 : i64
      scf.yield %h : i64
    } else {
      %t = arith.muli %m, %c3 : i64
      %t1 = arith.addi %t, %c1 : i64
      scf.yield %t1 : i64
    }
    %s1 = arith.addi %s, %c1 : i64
    scf.yield %next, %s1 : i64, i64
  }
  return %r#1 : i64
}
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c30 = arith.constant 30 : index
  %z = arith.constant 0 : i64
  %total = scf.for %i = %c1 to %c30 step %c1 iter_args(%acc = %z) -> (i64) {
    %n = arith.index_cast %i : index to i64
    %steps = func.call @collatz(%n) : (i64) -> i64
    %k = arith.remui %i, %c30 : index
    %kind = scf.index_switch %k -> i64
    case 3 {
      %c100 = arith.constant 100 : i64
      scf.yield %c100 : i64
    }
    case 7 {
      %c200 = arith.constant 200 : i64
      scf.yield %c200 : i64
    }
    default {
      scf.yield %z : i64
    }
    %a = arith.addi %acc, %steps : i64
    %b = arith.addi %a, %kind : i64
    scf.yield %b : i64
  }
  return %total : i64
}
"""


def _collatz(n: int) -> int:
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        steps += 1
    return steps


RECURSION_MULTI = """
func.func @fib(%n: i64) -> i64 {
  %c2 = arith.constant 2 : i64
  %lt = arith.cmpi slt, %n, %c2 : i64
  %r = scf.if %lt -> (i64) {
    scf.yield %n : i64
  } else {
    %c1 = arith.constant 1 : i64
    %a = arith.subi %n, %c1 : i64
    %b = arith.subi %n, %c2 : i64
    %fa = func.call @fib(%a) : (i64) -> i64
    %fb = func.call @fib(%b) : (i64) -> i64
    %s = arith.addi %fa, %fb : i64
    scf.yield %s : i64
  }
  return %r : i64
}
func.func private @divmod(%a: i64, %b: i64) -> (i64, i64, index) {
  %q = arith.divsi %a, %b : i64
  %r = arith.remsi %a, %b : i64
  %i = arith.index_cast %q : i64 to index
  return %q, %r, %i : i64, i64, index
}
func.func @main() -> i64 {
  %c20 = arith.constant 20 : i64
  %f = func.call @fib(%c20) : (i64) -> i64
  %c7 = arith.constant 7 : i64
  %d:3 = func.call @divmod(%f, %c7) : (i64, i64) -> (i64, i64, index)
  %c1000 = arith.constant 1000 : i64
  %hi = arith.muli %d#0, %c1000 : i64
  %x = arith.addi %hi, %d#1 : i64
  %di = arith.index_cast %d#2 : index to i64
  %y = arith.addi %x, %di : i64
  return %y : i64
}
"""

MEMREFS = """
memref.global "private" constant @table : memref<2x3xi64> = dense<[[1, 2, 3], [4, 5, 6]]>
memref.global "private" @zeros : memref<4xi32> = uninitialized
func.func @sum(%m: memref<?x?xi64>) -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %rows = memref.dim %m, %c0 : memref<?x?xi64>
  %cols = memref.dim %m, %c1 : memref<?x?xi64>
  %z = arith.constant 0 : i64
  %s = scf.for %i = %c0 to %rows step %c1 iter_args(%acc = %z) -> (i64) {
    %t = scf.for %j = %c0 to %cols step %c1 iter_args(%a2 = %acc) -> (i64) {
      %v = memref.load %m[%i, %j] : memref<?x?xi64>
      %n = arith.addi %a2, %v : i64
      scf.yield %n : i64
    }
    scf.yield %t : i64
  }
  return %s : i64
}
func.func @fill(%n: index) -> memref<?x?xi64> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %m = memref.alloc(%n, %c3) {alignment = 64 : i64} : memref<?x?xi64>
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %c3 step %c1 {
      %k = arith.muli %i, %c3 : index
      %l = arith.addi %k, %j : index
      %v = arith.index_cast %l : index to i64
      memref.store %v, %m[%i, %j] : memref<?x?xi64>
    }
  }
  return %m : memref<?x?xi64>
}
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c5 = arith.constant 5 : index
  %t = memref.get_global @table : memref<2x3xi64>
  %t12 = memref.load %t[%c1, %c2] : memref<2x3xi64>
  %dyn = "memref.cast"(%t) : (memref<2x3xi64>) -> memref<?x?xi64>
  %st = func.call @sum(%dyn) : (memref<?x?xi64>) -> i64
  %m = func.call @fill(%c5) : (index) -> memref<?x?xi64>
  %sm = func.call @sum(%m) : (memref<?x?xi64>) -> i64
  %sv = memref.subview %m[1, 1] [3, 2] [1, 1] : memref<?x?xi64> to memref<3x2xi64, strided<[?, 1], offset: ?>>
  %v21 = memref.load %sv[%c2, %c1] : memref<3x2xi64, strided<[?, 1], offset: ?>>
  %row = memref.subview %m[4, 0] [1, 3] [1, 1] : memref<?x?xi64> to memref<3xi64, strided<[1], offset: ?>>
  %r2 = memref.load %row[%c2] : memref<3xi64, strided<[1], offset: ?>>
  %col = memref.subview %m[0, 2] [3, 1] [2, 1] : memref<?x?xi64> to memref<3xi64, strided<[?], offset: 2>>
  %c1v = memref.load %col[%c2] : memref<3xi64, strided<[?], offset: 2>>
  memref.dealloc %m : memref<?x?xi64>
  %a = memref.alloca() : memref<4xi64>
  %k9 = arith.constant 9 : i64
  memref.store %k9, %a[%c2] : memref<4xi64>
  %a2 = memref.load %a[%c2] : memref<4xi64>
  %zg = memref.get_global @zeros : memref<4xi32>
  %z3 = memref.load %zg[%c2] : memref<4xi32>
  %z64 = arith.extsi %z3 : i32 to i64
  %x0 = arith.addi %t12, %st : i64
  %x1 = arith.addi %x0, %sm : i64
  %c100 = arith.constant 100 : i64
  %x2 = arith.muli %x1, %c100 : i64
  %x3 = arith.addi %x2, %v21 : i64
  %x4 = arith.muli %x3, %c100 : i64
  %x5 = arith.addi %x4, %r2 : i64
  %x6 = arith.muli %x5, %c100 : i64
  %x7 = arith.addi %x6, %c1v : i64
  %x8 = arith.addi %x7, %a2 : i64
  %x9 = arith.addi %x8, %z64 : i64
  return %x9 : i64
}
"""


def _memrefs_expected() -> int:
    table = [[1, 2, 3], [4, 5, 6]]
    m = [[i * 3 + j for j in range(3)] for i in range(5)]
    t12 = table[1][2]
    st = sum(map(sum, table))
    sm = sum(map(sum, m))
    v21 = m[1 + 2][1 + 1]
    r2 = m[4][2]
    c1v = m[0 + 2 * 2][2]
    x = ((((t12 + st + sm) * 100 + v21) * 100 + r2) * 100) + c1v
    return x + 9 + 0


MATH = """
func.func @main() -> i64 {
  %x = arith.constant 0.7 : f64
  %two = arith.constant 2.0 : f64
  %k = arith.constant 1000000.0 : f64
  %s = math.sqrt %two : f64
  %e = math.exp %x : f64
  %l = math.log %two : f64
  %sn = math.sin %x : f64
  %cs = math.cos %x : f64
  %p = math.powf %x, %two : f64
  %fl = math.floor %e : f64
  %ce = math.ceil %e : f64
  %ab = math.absf %sn : f64
  %fm = math.fma %x, %two, %s : f64
  %cp = math.copysign %two, %x : f64
  %a1 = arith.addf %s, %e : f64
  %a2 = arith.addf %a1, %l : f64
  %a3 = arith.addf %a2, %sn : f64
  %a4 = arith.addf %a3, %cs : f64
  %a5 = arith.addf %a4, %p : f64
  %a6 = arith.addf %a5, %fl : f64
  %a7 = arith.addf %a6, %ce : f64
  %a8 = arith.addf %a7, %ab : f64
  %a9 = arith.addf %a8, %fm : f64
  %a10 = arith.addf %a9, %cp : f64
  %sc = arith.mulf %a10, %k : f64
  %r = arith.fptosi %sc : f64 to i64
  %i = arith.constant 1234567 : i64
  %lz = math.ctlz %i : i64
  %tz = math.cttz %i : i64
  %pc = math.ctpop %i : i64
  %m = arith.constant -99 : i64
  %ai = math.absi %m : i64
  %b1 = arith.addi %r, %lz : i64
  %b2 = arith.addi %b1, %tz : i64
  %b3 = arith.addi %b2, %pc : i64
  %b4 = arith.addi %b3, %ai : i64
  return %b4 : i64
}
"""


def _math_expected() -> int:
    x, two = 0.7, 2.0
    s, e, lg = math.sqrt(two), math.exp(x), math.log(two)
    sn, cs, p = math.sin(x), math.cos(x), x**two
    total = s + e + lg + sn + cs + p + math.floor(e) + math.ceil(e) + abs(sn)
    total += x * two + s
    total += math.copysign(two, x)
    i = 1234567
    lz = 64 - i.bit_length()
    tz = (i & -i).bit_length() - 1
    return int(total * 1e6) + lz + tz + bin(i).count("1") + 99


CF_DIRECT = """
func.func @classify(%v: i32) -> i64 {
  cf.switch %v : i32, [
    default: ^other,
    1: ^one,
    5: ^five(%v : i32)
  ]
^one:
  %a = arith.constant 10 : i64
  return %a : i64
^five(%x: i32):
  %x64 = arith.extsi %x : i32 to i64
  %b = arith.constant 100 : i64
  %r = arith.addi %x64, %b : i64
  return %r : i64
^other:
  %c = arith.constant 1 : i64
  return %c : i64
}
func.func @main() -> i64 {
  %true = arith.constant true
  cf.assert %true, "never fails"
  %c1 = arith.constant 1 : i32
  %c5 = arith.constant 5 : i32
  %c9 = arith.constant 9 : i32
  %r1 = func.call @classify(%c1) : (i32) -> i64
  %r5 = func.call @classify(%c5) : (i32) -> i64
  %r9 = func.call @classify(%c9) : (i32) -> i64
  %s = arith.addi %r1, %r5 : i64
  %t = arith.addi %s, %r9 : i64
  cf.br ^done(%t : i64)
^done(%out: i64):
  return %out : i64
}
"""

# copy, extract_strided_metadata and alloca_scope (generic syntax: xDSL has no custom one).
MEMREF_EXTRAS = """
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %n = arith.constant 4 : index
  %a = memref.alloc(%n) : memref<?x3xi64>
  %b = memref.alloc(%n) : memref<?x3xi64>
  %seven = arith.constant 7 : i64
  memref.store %seven, %a[%c3, %c1] : memref<?x3xi64>
  "memref.copy"(%a, %b) : (memref<?x3xi64>, memref<?x3xi64>) -> ()
  %v = memref.load %b[%c3, %c1] : memref<?x3xi64>
  %base, %off, %s0, %s1, %st0, %st1 = memref.extract_strided_metadata %b : memref<?x3xi64> -> memref<i64>, index, index, index, index, index
  %r = "memref.alloca_scope"() ({
    %t = memref.alloca() : memref<2xi64>
    memref.store %v, %t[%c1] : memref<2xi64>
    %u = memref.load %t[%c1] : memref<2xi64>
    "memref.alloca_scope.return"(%u) : (i64) -> ()
  }) : () -> i64
  %x = arith.index_cast %s0 : index to i64
  %y = arith.index_cast %st0 : index to i64
  %z = arith.addi %r, %x : i64
  %w = arith.addi %z, %y : i64
  memref.dealloc %a : memref<?x3xi64>
  memref.dealloc %b : memref<?x3xi64>
  return %w : i64
}
"""

RESHAPES = """
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c5 = arith.constant 9 : index
  %n = arith.constant 3 : index
  %a = memref.alloc(%n) : memref<?x4x2xi64>
  %v = arith.constant 11 : i64
  memref.store %v, %a[%c2, %c1, %c1] : memref<?x4x2xi64>
  %f = memref.collapse_shape %a [[0, 1], [2]] : memref<?x4x2xi64> into memref<?x2xi64>
  %x = memref.load %f[%c5, %c1] : memref<?x2xi64>
  %g = memref.expand_shape %f [[0, 1], [2]] output_shape [%n, 4, 2] : memref<?x2xi64> into memref<?x4x2xi64>
  %y = memref.load %g[%c2, %c1, %c1] : memref<?x4x2xi64>
  %s = arith.addi %x, %y : i64
  %d = memref.dim %f, %c0 : memref<?x2xi64>
  %di = arith.index_cast %d : index to i64
  %r = arith.addi %s, %di : i64
  memref.dealloc %a : memref<?x4x2xi64>
  return %r : i64
}
"""

MEMREF_SELECT = """
func.func @pick(%c: i1, %a: memref<?xi64>, %b: memref<?xi64>) -> memref<?xi64> {
  %m = arith.select %c, %a, %b : memref<?xi64>
  return %m : memref<?xi64>
}
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %n = arith.constant 2 : index
  %a = memref.alloc(%n) : memref<?xi64>
  %b = memref.alloc(%n) : memref<?xi64>
  %one = arith.constant 1 : i64
  %two = arith.constant 2 : i64
  memref.store %one, %a[%c0] : memref<?xi64>
  memref.store %two, %b[%c0] : memref<?xi64>
  %t = arith.constant true
  %f = arith.constant false
  %x = arith.select %f, %a, %b : memref<?xi64>
  %vx = memref.load %x[%c0] : memref<?xi64>
  %y = func.call @pick(%t, %a, %b) : (i1, memref<?xi64>, memref<?xi64>) -> memref<?xi64>
  %vy = memref.load %y[%c0] : memref<?xi64>
  %k = arith.constant 10 : i64
  %s = arith.muli %vx, %k : i64
  %r = arith.addi %s, %vy : i64
  memref.dealloc %a : memref<?xi64>
  memref.dealloc %b : memref<?xi64>
  return %r : i64
}
"""

# memref.dim with an index only known at run time (the sizes array is spilled and indexed).
DYNAMIC_DIM = """
func.func @dim(%m: memref<?x?xi8>, %i: index) -> index {
  %d = memref.dim %m, %i : memref<?x?xi8>
  return %d : index
}
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c5 = arith.constant 5 : index
  %c7 = arith.constant 7 : index
  %m = memref.alloc(%c5, %c7) : memref<?x?xi8>
  %a = func.call @dim(%m, %c0) : (memref<?x?xi8>, index) -> index
  %b = func.call @dim(%m, %c1) : (memref<?x?xi8>, index) -> index
  %k = arith.constant 10 : index
  %t = arith.muli %a, %k : index
  %s = arith.addi %t, %b : index
  %x = arith.index_cast %s : index to i64
  memref.dealloc %m : memref<?x?xi8>
  return %x : i64
}
"""

# memref.view: typed views at byte offsets into one i8 buffer.
VIEW = """
func.func @main() -> i64 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c16 = arith.constant 16 : index
  %buf = memref.alloc() : memref<256xi8>
  %v = memref.view %buf[%c16][%c3] : memref<256xi8> to memref<?x4xi64>
  %w = memref.view %buf[%c0][] : memref<256xi8> to memref<32xi64>
  %k = arith.constant 42 : i64
  memref.store %k, %v[%c1, %c1] : memref<?x4xi64>
  %c7 = arith.constant 7 : index
  %y = memref.load %w[%c7] : memref<32xi64>
  %d = memref.dim %v, %c0 : memref<?x4xi64>
  %di = arith.index_cast %d : index to i64
  %s = arith.addi %y, %di : i64
  memref.dealloc %buf : memref<256xi8>
  return %s : i64
}
"""

# math.ipowi: upstream's pipeline cannot lower it, so this one is checked against Python only.
IPOWI = """
func.func @main() -> i64 {
  %c3 = arith.constant 3 : i64
  %c5 = arith.constant 5 : i64
  %m2 = arith.constant -2 : i64
  %c7 = arith.constant 7 : i64
  %neg = arith.constant -3 : i64
  %one = arith.constant 1 : i64
  %mone = arith.constant -1 : i64
  %zero = arith.constant 0 : i64
  %a = math.ipowi %c3, %c5 : i64
  %b = math.ipowi %m2, %c7 : i64
  %c = math.ipowi %c7, %neg : i64
  %d = math.ipowi %one, %neg : i64
  %e = math.ipowi %c5, %zero : i64
  %f = math.ipowi %mone, %neg : i64
  %s1 = arith.addi %a, %b : i64
  %s2 = arith.addi %s1, %c : i64
  %s3 = arith.addi %s2, %d : i64
  %s4 = arith.addi %s3, %e : i64
  %s5 = arith.addi %s4, %f : i64
  return %s5 : i64
}
"""
NOT_IN_UPSTREAM_PIPELINE = {"ipowi"}

PROGRAMS = {
    "int_arith": (INT_ARITH, _int_arith_expected),
    "casts_and_floats": (CASTS_AND_FLOATS, _casts_expected),
    "control_flow": (
        CONTROL_FLOW,
        lambda: sum(_collatz(i) for i in range(1, 30)) + 100 + 200,
    ),
    "recursion_multi_result": (
        RECURSION_MULTI,
        lambda: (6765 // 7) * 1000 + 6765 % 7 + 6765 // 7,
    ),
    "memrefs": (MEMREFS, _memrefs_expected),
    "math": (MATH, _math_expected),
    "cf_direct": (CF_DIRECT, lambda: 10 + 105 + 1),
    "memref_extras": (MEMREF_EXTRAS, lambda: 7 + 4 + 3),
    "reshapes": (RESHAPES, lambda: 11 + 11 + 3 * 4),
    "memref_select": (MEMREF_SELECT, lambda: 2 * 10 + 1),
    "dynamic_dim": (DYNAMIC_DIM, lambda: 5 * 10 + 7),
    "view": (VIEW, lambda: 42 + 3),
    "ipowi": (IPOWI, lambda: 3**5 + (-2) ** 7 + 0 + 1 + 1 + (-1)),
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_python(name: str) -> None:
    text, expected = PROGRAMS[name]
    jit = compile_text(text)
    assert jit.fn("main", ctypes.c_int64)() == expected()


@pytest.mark.skipif(
    MLIR_OPT is None or CPU_RUNNER is None, reason="mlir-opt-19/mlir-cpu-runner-19 not installed"
)
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_matches_upstream(name: str) -> None:
    if name in NOT_IN_UPSTREAM_PIPELINE:
        pytest.skip("upstream's pipeline does not lower this op")
    text, _ = PROGRAMS[name]
    jit = compile_text(text)
    assert jit.fn("main", ctypes.c_int64)() == upstream_main(text)


def test_memref_argument_abi_is_upstreams() -> None:
    """A memref argument expands to (allocated, aligned, offset, sizes..., strides...)."""
    jit = compile_text(MEMREFS)
    i64, ptr = ctypes.c_int64, ctypes.c_void_p
    fn = jit.fn("sum", i64, ptr, ptr, i64, i64, i64, i64, i64)
    data = (ctypes.c_int64 * 12)(*range(12))
    base = ctypes.addressof(data)
    # An identity-layout memref has a static offset of 0 (as upstream): the view starts at
    # the aligned pointer. A 3x2 view with row stride 4 at element 1: [1,2], [5,6], [9,10].
    assert fn(base, base + 8, 0, 3, 2, 4, 1) == 33
    assert fn(base, base, 0, 2, 3, 3, 1) == sum(range(6))


def test_libm_functions_are_called() -> None:
    text = """
    func.func @f(%x: f64, %y: f64) -> f64 {
      %t = math.tanh %x : f64
      %a = math.atan2 %x, %y : f64
      %r = arith.addf %t, %a : f64
      return %r : f64
    }
    func.func @g(%x: f32) -> f32 {
      %t = math.tanh %x : f32
      %r = math.rsqrt %t : f32
      return %r : f32
    }
    """
    jit = compile_text(text)
    f = jit.fn("f", ctypes.c_double, ctypes.c_double, ctypes.c_double)
    assert f(0.5, -2.0) == pytest.approx(math.tanh(0.5) + math.atan2(0.5, -2.0), rel=1e-15)
    g = jit.fn("g", ctypes.c_float, ctypes.c_float)
    assert g(0.5) == pytest.approx(1 / math.sqrt(math.tanh(0.5)), rel=1e-6)


def test_failed_assert_traps_in_ir() -> None:
    module = parse_module(
        """
        func.func @f(%c: i1) -> i64 {
          cf.assert %c, "boom"
          %z = arith.constant 0 : i64
          return %z : i64
        }
        """
    )
    lower_to_llvm(module)
    ir_text = to_llvm_ir(module)
    assert 'call void @"llvm.trap"()' in ir_text and "unreachable" in ir_text
    llvm.parse_assembly(ir_text).verify()


def test_unsupported_op_names_op_and_location() -> None:
    text = """func.func @f(%m: memref<4xi64>, %v: i64) -> i64 {
  %c = arith.constant 2 : index
  %r = "memref.atomic_rmw"(%v, %m, %c) <{kind = 0 : i64}> : (i64, memref<4xi64>, index) -> i64
  return %r : i64
}
"""
    module = parse_module(text, "prog.mlir")
    with pytest.raises(NeuroJITError) as info:
        lower_to_llvm(module)
    assert str(info.value).startswith("prog.mlir:3:3: error: cannot lower 'memref.atomic_rmw'")


def test_unsupported_type_names_op_and_location() -> None:
    text = """func.func @f(%a: vector<4xi64>) -> vector<4xi64> {
  %r = arith.addi %a, %a : vector<4xi64>
  return %r : vector<4xi64>
}
"""
    module = parse_module(text, "vec.mlir")
    with pytest.raises(NeuroJITError) as info:
        lower_to_llvm(module)
    assert str(info.value).startswith("vec.mlir:")
    assert "arith.addi" in str(info.value) or "func.func" in str(info.value)


def test_branches_to_one_block_with_different_arguments() -> None:
    """cond_br/switch reaching one block twice with different values need one phi per edge."""
    text = """
    func.func @pick(%c: i1, %a: i64, %b: i64) -> i64 {
      cf.cond_br %c, ^join(%a : i64), ^join(%b : i64)
    ^join(%v: i64):
      return %v : i64
    }
    func.func @sw(%k: i32, %a: i64, %b: i64) -> i64 {
      cf.switch %k : i32, [
        default: ^join(%a : i64),
        1: ^join(%b : i64),
        2: ^join(%a : i64)
      ]
    ^join(%v: i64):
      return %v : i64
    }
    """
    jit = compile_text(text)
    pick = jit.fn("pick", ctypes.c_int64, ctypes.c_bool, ctypes.c_int64, ctypes.c_int64)
    assert (pick(True, 3, 4), pick(False, 3, 4)) == (3, 4)
    sw = jit.fn("sw", ctypes.c_int64, ctypes.c_int32, ctypes.c_int64, ctypes.c_int64)
    assert [sw(k, 10, 20) for k in (0, 1, 2, 3)] == [10, 20, 10, 10]


def test_atomic_load_and_store_translate() -> None:
    """llvm-dialect input (as the runtime writes for dispatch slots) with acquire/release."""
    from xdsl.context import Context
    from xdsl.parser import Parser

    from neurojit.ir import register_dialects

    ctx = Context()
    register_dialects(ctx)
    module = Parser(
        ctx,
        """
        llvm.mlir.global external @slot(0 : i64) {addr_space = 0 : i32} : i64
        llvm.func @swap(%v: i64) -> i64 {
          %p = llvm.mlir.addressof @slot : !llvm.ptr
          %old = llvm.load %p atomic acquire {alignment = 8 : i64} : !llvm.ptr -> i64
          "llvm.store"(%v, %p) <{ordering = 5 : i64, alignment = 8 : i64}> : (i64, !llvm.ptr) -> ()
          llvm.return %old : i64
        }
        """,
    ).parse_module()
    ir_text = to_llvm_ir(module)
    assert re.search(r'load atomic i64, \S+ @"slot" acquire, align 8', ir_text)
    assert re.search(r'store atomic i64 %\S+, \S+ @"slot" release, align 8', ir_text)
    jit = Jitted(ir_text)
    swap = jit.fn("swap", ctypes.c_int64, ctypes.c_int64)
    assert (swap(7), swap(9)) == (0, 7)


def test_llvm_switch_round_trips_in_upstream_syntax() -> None:
    """llvm.switch prints and parses like upstream's (with the llvm_ext ops registered)."""
    from neurojit.dialect.llvm import register
    from neurojit.ir import make_context, print_module

    source = """builtin.module {
  llvm.func @f(%v: i32, %a: i64) -> i64 {
    llvm.switch %v : i32, ^d(%a : i64) [
      1: ^one,
      7: ^d(%a : i64)
    ]
  ^one:
    llvm.return %a : i64
  ^d(%x: i64):
    llvm.return %x : i64
  }
}
"""
    ctx = make_context()
    register(ctx)
    module = parse_module(source, ctx=ctx)
    assert print_module(module) == source
    jit = Jitted(to_llvm_ir(module))
    f = jit.fn("f", ctypes.c_int64, ctypes.c_int32, ctypes.c_int64)
    assert [f(k, 5) for k in (0, 1, 7)] == [5, 5, 5]


def test_half_floats_and_unsupported_bf16() -> None:
    half = """
    func.func @main() -> i64 {
      %a = arith.constant 1.5 : f16
      %b = arith.addf %a, %a : f16
      %c = arith.extf %b : f16 to f64
      %d = arith.fptosi %c : f64 to i64
      return %d : i64
    }
    """
    jit = compile_text(half)
    assert jit.fn("main", ctypes.c_int64)() == 3
    bf16 = """func.func @f() -> f32 {
  %x = arith.constant 2.5 : bf16
  %y = arith.extf %x : bf16 to f32
  return %y : f32
}
"""
    with pytest.raises(NeuroJITError, match=r"^bf\.mlir:2:3: error: .*'arith\.constant'.*bf16"):
        lower_to_llvm(parse_module(bf16, "bf.mlir"))
