"""The fuzzers live in tools/fuzz/ (a user runs them): make the repository root importable."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
