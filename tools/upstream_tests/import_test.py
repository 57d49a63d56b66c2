"""Import one of upstream MLIR's execution tests into tests/upstream/ (text on stdin).

    python tools/upstream_tests/import_test.py SOURCE_PATH COMMIT [ADAPTATION ...] < test.mlir

SOURCE_PATH is the file's path in llvm/llvm-project (mlir/test/...), COMMIT the revision the
text was taken at. The test lands at tests/upstream/<path below mlir/test/> with a header
naming its source, revision and licence, and its RUN lines adapted to LLVM 19's tools:
`mlir-runner` (LLVM 20's name) → `mlir-cpu-runner`; the library spellings
`%mlir_lib_dir/lib<name>%shlibext` and `%linalg_test_lib_dir/...` → `%<name>`. Each
ADAPTATION given (`OLD=>NEW`, applied to RUN lines only) is a further change the file needed
for LLVM 19; the header lists every change made, so the diff from upstream is on record.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LICENCE = (
    "// Part of the LLVM Project, under the Apache License v2.0 with LLVM Exceptions.\n"
    "// See https://llvm.org/LICENSE.txt for license information.\n"
    "// SPDX-License-Identifier: Apache-2.0 WITH LLVM-exception\n"
)
_LIB = re.compile(r"%(?:mlir_lib_dir|linalg_test_lib_dir|mlir_runner_utils_dir)/lib(\w+)%shlibext")
_RUNNER = re.compile(r"(?<![\w/.-])mlir-runner(?![\w-])")
# A textual pipeline without its anchor (older upstream tests); LLVM 19 demands one.
_UNANCHORED = re.compile(r'-pass-pipeline="(?!builtin\.module\()([^"]*)"')


def adapt(text: str, extra: list[tuple[str, str]]) -> tuple[str, list[str]]:
    changes: list[str] = []
    out: list[str] = []
    for line in text.splitlines(keepends=True):
        if "RUN:" in line:
            new = _RUNNER.sub("mlir-cpu-runner", line)
            new = _LIB.sub(lambda m: f"%{m.group(1)}", new)
            new = _UNANCHORED.sub(r'-pass-pipeline="builtin.module(\1)"', new)
            for old, repl in extra:
                new = new.replace(old, repl)
            if new != line:
                for found, did in (
                    (
                        _RUNNER.search(line),
                        "tool mlir-runner renamed mlir-cpu-runner (LLVM 19's name)",
                    ),
                    (
                        _LIB.search(line),
                        "library paths spelled %mlir_c_runner_utils/%mlir_runner_utils",
                    ),
                    (_UNANCHORED.search(line), "pass pipeline anchored on builtin.module(...)"),
                ):
                    if found and did not in changes:
                        changes.append(did)
                for old, repl in extra:
                    if old in line:
                        note = f"run lines: '{old}' -> '{repl}'"
                        if note not in changes:
                            changes.append(note)
            line = new
        out.append(line)
    return "".join(out), changes


def main() -> int:
    source, commit, *pairs = sys.argv[1:]
    extra = [tuple(p.split("=>", 1)) for p in pairs]
    text = sys.stdin.read()
    body, changes = adapt(text, extra)  # type: ignore[arg-type]
    relative = source.removeprefix("mlir/test/")
    dest = ROOT / "tests" / "upstream" / relative
    header = (
        f"// Imported from llvm/llvm-project {source}\n"
        f"// at revision {commit}.\n"
        + "".join(f"// LLVM 19 adaptation: {c}\n" for c in changes)
        + LICENCE
        + "\n"
    )
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(header + body)
    print(dest.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
