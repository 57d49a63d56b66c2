"""The builtin -> LLVM type mapping every `*-to-llvm` pass shares, and upstream's memref
descriptor types."""

from __future__ import annotations

from xdsl.dialects import llvm
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    IndexType,
    IntegerType,
    MemRefType,
    i64,
)
from xdsl.ir import Attribute, Operation

from neurojit.errors import NeuroJITError
from neurojit.passes.llvm_common.errors import unsupported

PTR = llvm.LLVMPointerType()
I64 = i64
I1 = IntegerType(1)
I32 = IntegerType(32)


def descriptor_type(rank: int) -> llvm.LLVMStructType:
    """Upstream's ranked memref descriptor: {allocated, aligned, offset, sizes[R], strides[R]}."""
    if rank == 0:
        return llvm.LLVMStructType.from_type_list([PTR, PTR, I64])
    arr = llvm.LLVMArrayType(rank, I64)
    return llvm.LLVMStructType.from_type_list([PTR, PTR, I64, arr, arr])


_DESCRIPTORS: dict[int, llvm.LLVMStructType] = {}


def descriptor_for_rank(rank: int) -> llvm.LLVMStructType:
    """The (cached: type construction is costly in xDSL) descriptor type of a rank."""
    desc = _DESCRIPTORS.get(rank)
    if desc is None:
        desc = _DESCRIPTORS[rank] = descriptor_type(rank)
    return desc


def memref_descriptor(t: MemRefType) -> llvm.LLVMStructType:
    return descriptor_for_rank(len(t.shape))


# The float types llvmlite can print (it has no bfloat, x86_fp80 or fp128).
SUPPORTED_FLOATS = (Float16Type, Float32Type, Float64Type)


def convert_type(t: Attribute, op: Operation | None = None) -> Attribute:
    """The LLVM type that carries a value of builtin type `t` (index is i64)."""
    if isinstance(t, IndexType):
        return I64
    if isinstance(t, (IntegerType, *SUPPORTED_FLOATS)):
        return t
    if isinstance(t, MemRefType):
        element_type(t, op)
        return memref_descriptor(t)
    if isinstance(
        t, llvm.LLVMPointerType | llvm.LLVMStructType | llvm.LLVMArrayType | llvm.LLVMVoidType
    ):
        return t
    if op is not None:
        raise unsupported(op, f"type {t} has no LLVM lowering")
    raise NeuroJITError(f"type {t} has no LLVM lowering")


def element_type(t: MemRefType, op: Operation | None = None) -> Attribute:
    el = t.element_type
    if isinstance(el, IndexType):
        return I64
    if isinstance(el, (IntegerType, *SUPPORTED_FLOATS)):
        return el
    msg = f"memref element type {el} has no LLVM lowering"
    if op is not None:
        raise unsupported(op, msg)
    raise NeuroJITError(msg)
