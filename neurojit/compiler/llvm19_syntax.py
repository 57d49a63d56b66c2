"""LLVM 19's textual MLIR that the native front end's parser (MLIR 22) no longer reads.

`mlir-opt-19 ... | neurojit-run` hands us LLVM 19's printer output. Where MLIR later renamed a
spelling without changing its meaning, we rewrite the old spelling before parsing:

- `!llvm.vec<N x ptr>` (a vector of pointers; `!llvm.vec<? x N x ptr>` scalable): MLIR 20
  made pointers valid vector elements, so it is `vector<Nx!llvm.ptr>` (`vector<[N]x!llvm.ptr>`).

Only these exact type spellings change; a line that holds one may report parse errors a few
columns off (the new spelling is one or two characters longer).
"""

from __future__ import annotations

import re

_VEC_OF_PTR = re.compile(r"!llvm\.vec<(\?\s*x\s*)?(\d+)\s*x\s*ptr(<\d+>)?>")


def _vector(match: re.Match[str]) -> str:
    scalable, count, space = match.group(1), match.group(2), match.group(3) or ""
    size = f"[{count}]" if scalable else count
    return f"vector<{size}x!llvm.ptr{space}>"


def modernise(text: str) -> str:
    """`text` with LLVM 19-only spellings replaced by their MLIR 22 equivalents."""
    if "!llvm.vec<" not in text:
        return text
    return _VEC_OF_PTR.sub(_vector, text)
