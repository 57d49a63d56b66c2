#!/usr/bin/env python3
"""Fetch a repair model into models/: `tools/fetch_model.py [name]` (default smollm2-135m).

Same as `neurojit models fetch`; kept as a script so `make` and the demo need no entry point.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from neurojit.cli.models import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["fetch", *sys.argv[1:]], prog="fetch_model.py"))
