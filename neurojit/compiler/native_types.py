"""Upstream MLIR (Python bindings) types → the runtime's boundary type model (runtime/abi.py).

The twin of `abi.type_from_xdsl`: same accepted types, same messages, so a function's
Python signature does not depend on the front end.
"""

from __future__ import annotations

from typing import Any

from neurojit.runtime.abi import MemRefType, ScalarType, Signature, UnsupportedSignature, ValueType


def scalar_from_native(t: Any) -> ScalarType | None:
    from mlir import ir

    if isinstance(t, ir.IndexType):
        return ScalarType("index", 64)
    if isinstance(t, ir.IntegerType):
        width = ir.IntegerType(t).width
        if ir.IntegerType(t).is_signless and width in (1, 8, 16, 32, 64):
            return ScalarType("int", width)
        return None
    if isinstance(t, ir.F32Type):
        return ScalarType("float", 32)
    if isinstance(t, ir.F64Type):
        return ScalarType("float", 64)
    return None


def type_from_native(t: Any) -> ValueType:
    """Map an upstream type to the boundary type model, or raise UnsupportedSignature."""
    from mlir import ir

    scalar = scalar_from_native(t)
    if scalar is not None:
        return scalar
    if isinstance(t, ir.MemRefType):
        mt = ir.MemRefType(t)
        element = scalar_from_native(mt.element_type)
        if element is None:
            raise UnsupportedSignature(f"memref element type {mt.element_type} cannot be passed")
        shape = tuple(None if mt.is_dynamic_dim(d) else mt.shape[d] for d in range(mt.rank))
        layout = mt.layout
        if isinstance(layout, ir.AffineMapAttr) and layout.value == ir.AffineMap.get_identity(
            mt.rank
        ):
            return MemRefType(element, shape)
        if isinstance(layout, ir.StridedLayoutAttr):
            strided = ir.StridedLayoutAttr(layout)
            dynamic = ir.ShapedType.get_dynamic_stride_or_offset()
            strides = tuple(None if s == dynamic else s for s in strided.strides)
            offset = None if strided.offset == dynamic else strided.offset
            return MemRefType(element, shape, strides, offset)
        raise UnsupportedSignature(f"memref layout {layout} cannot be passed")
    raise UnsupportedSignature(f"type {t} cannot be passed")


def signature_from_native(name: str, function_type: Any) -> Signature:
    """The boundary signature of a function of upstream type `function_type`."""
    return Signature(
        name,
        tuple(type_from_native(t) for t in function_type.inputs),
        tuple(type_from_native(t) for t in function_type.results),
    )
