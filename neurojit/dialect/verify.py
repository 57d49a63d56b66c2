"""Checks that need the op an attribute sits on.

xDSL has no hook for verifying a dialect attribute against its parent op, so the IR layer
(`neurojit.ir.verify_module`) calls these for every `func.func` it verifies.
"""

from __future__ import annotations

from xdsl.dialects.builtin import FloatAttr, IntegerAttr
from xdsl.dialects.func import FuncOp
from xdsl.utils.exceptions import VerifyException

from neurojit.dialect.attributes import FaultAttr, StrategyAttr

FAULT_ATTR_NAME = "neurojit.fault"
STRATEGY_ATTR_NAME = "neurojit.strategy"


def verify_fault_inputs(func: FuncOp) -> None:
    """`neurojit.fault` inputs must be one typed value per argument, of the argument's type."""
    fault = func.attributes.get(FAULT_ATTR_NAME)
    if fault is not None and not isinstance(fault, FaultAttr):
        raise VerifyException(f"'{FAULT_ATTR_NAME}' must be a #neurojit.fault attribute")
    strategy = func.attributes.get(STRATEGY_ATTR_NAME)
    if strategy is not None and not isinstance(strategy, StrategyAttr):
        raise VerifyException(f"'{STRATEGY_ATTR_NAME}' must be a #neurojit.strategy attribute")
    if fault is None:
        return
    arg_types = func.function_type.inputs.data
    inputs = fault.inputs.data
    # No recorded inputs is allowed: a verifier error, for one, has no call that triggered it.
    if not inputs:
        return
    if len(inputs) != len(arg_types):
        raise VerifyException(
            f"#neurojit.fault has {len(inputs)} input(s) but @{func.sym_name.data} "
            f"takes {len(arg_types)} argument(s)"
        )
    for index, (value, arg_type) in enumerate(zip(inputs, arg_types, strict=True)):
        # FaultAttr.verify checks this when the attribute is built, but a parse can hand back
        # an attribute built earlier without it (found by tools/fuzz/drivers.py): check again.
        if not isinstance(value, IntegerAttr | FloatAttr):
            raise VerifyException(
                f"fault inputs must be typed integer or float values, got {value}"
            )
        if value.type != arg_type:
            raise VerifyException(
                f"#neurojit.fault input #{index} has type {value.type} but argument "
                f"#{index} of @{func.sym_name.data} is {arg_type}"
            )
