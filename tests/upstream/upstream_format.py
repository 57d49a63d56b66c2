"""lit test format of tests/upstream: ShTest with the XFAIL table of xfail.py applied.

A module of its own (not a class in lit.cfg.py) so that lit's worker processes can unpickle it.
"""

from __future__ import annotations

from typing import Any

import lit.formats


class UpstreamTest(lit.formats.ShTest):
    """ShTest that marks the tests in `xfail` (path below the suite → reason) XFAIL."""

    def __init__(self, xfail: dict[str, str]) -> None:
        super().__init__(execute_external=False)
        self.xfail = dict(xfail)

    def execute(self, test: Any, lit_config: Any) -> Any:
        if "/".join(test.path_in_suite) in self.xfail:
            test.xfails = ["*"]
        return super().execute(test, lit_config)
