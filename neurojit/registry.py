"""Name → lazy loader tables for passes, pipelines and targets.

A table instead of xDSL's 800-line function file: the driver imports a pass only when the
pipeline names it, which keeps `neurojit-opt --help` fast. Each value is
"module:attribute"; add a row when you add a pass file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

PASSES: dict[str, str] = {
    # name                        module:class (one file per pass, named after the pass)
}

TARGETS: dict[str, str] = {
    # name  module:function or Target class
}


def load(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    return getattr(importlib.import_module(module_name), attr)


def pass_loaders() -> dict[str, Callable[[], Any]]:
    return {name: (lambda s=spec: load(s)) for name, spec in PASSES.items()}
