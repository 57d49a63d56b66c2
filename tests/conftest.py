"""Session-wide test settings."""

import os

# llama.cpp's OpenMP threads spin at barriers by default; on 2 shared cores that made
# generation ~20x slower. libgomp reads this once, when llama_cpp is first imported, which
# in a test session can be any test module: set it before all of them (see runners/llama.py).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
