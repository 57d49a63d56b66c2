"""Bounds on untrusted text: user files, model answers and cache entries.

Nothing untrusted may hang or exhaust the host. xDSL 0.74 has four ways to do that on small
inputs, closed here once for every caller of `neurojit.ir.parse_module`:

- its string-literal regex, `"(?:[^"\\\n]+|\\...)*"`, nests a `+` inside a `*`: on an
  unterminated literal the engine tries every way of splitting the run of characters, so a
  40-character literal backtracks for minutes. `fix_string_lexer()` swaps in the same
  language without the nested quantifier (each character is matched by exactly one
  alternative), which fails in linear time;
- `i99999999999` is accepted and later costs memory without bound: widths are capped;
- `dense<1> : memref<100000000xi64>` materialises every element of a splat: element counts
  of dense literals are capped;
- deep nesting recurses in the parser, the verifier and every walk: the depth of `{`, `(`,
  `[` and `<` is capped before xDSL sees the text (a `RecursionError` left over is still
  turned into a located error by `parse_module`).

`prescan(text, filename)` enforces these in one linear pass and raises a located
`SourceError`; `read_source(path)` refuses what is not a regular file of bounded size.
"""

from __future__ import annotations

import os
import re
import stat

from neurojit.errors import NeuroJITError

MAX_SOURCE_BYTES = 16 * 1024 * 1024  # a .mlir file, a cached function, a model answer
MAX_INT_WIDTH = 1024  # bits; the lowering handles up to 64, verification a little more
MAX_DENSE_ELEMENTS = 1 << 20  # elements a dense literal may spell (a splat is expanded)
MAX_NESTING = 256  # brackets of any kind open at once
MAX_REGION_NESTING = 64  # `{` open at once (each level costs ~10 Python frames in xDSL)
PARSE_RECURSION_LIMIT = 12_000  # Python frames allowed while xDSL parses bounded text
DEFAULT_PARSE_BUDGET = 120.0  # seconds one parse may take ($NEUROJIT_PARSE_BUDGET)

MAX_ANSWER_BYTES = 256 * 1024  # a model answer or a cached function, before extraction
MIN_OP_BUDGET = 256  # ops a candidate may spell whatever the original's size

# The same strings as xDSL's `_unescaped_characters_regex`, without the nested quantifier.
_STRING_LITERAL = re.compile(r'"(?:[^"\\\n\v\f]|\\(?:["nt\\]|[0-9A-Fa-f]{2}))*"')


def parse_budget() -> float:
    """Seconds one parse may take: xDSL parses ~1,000 ops in 0.2 s, so the default is far
    beyond any real module, and a bound on what a huge or adversarial one can cost."""
    try:
        value = float(os.environ.get("NEUROJIT_PARSE_BUDGET", DEFAULT_PARSE_BUDGET))
    except ValueError:
        return DEFAULT_PARSE_BUDGET
    return value if 0 < value < float("inf") else DEFAULT_PARSE_BUDGET


def fix_string_lexer() -> None:
    """Make xDSL's string-literal lexing linear (idempotent, process-wide)."""
    from xdsl.utils.mlir_lexer import MLIRLexer

    if MLIRLexer._unescaped_characters_regex is not _STRING_LITERAL:  # noqa: SLF001
        MLIRLexer._unescaped_characters_regex = _STRING_LITERAL  # noqa: SLF001


class InputLimitError(NeuroJITError):
    """Input beyond a bound (raised as `neurojit.ir.SourceError` when it has a position)."""


def _error(message: str, filename: str, text: str, offset: int) -> NeuroJITError:
    from neurojit.ir import SourceError

    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    column = offset - start + 1
    end = text.find("\n", offset)
    source = text[start : end if end >= 0 else len(text)]
    return SourceError(message, filename, line, column, f"{source}\n{' ' * (column - 1)}^")


_INT_TYPE = re.compile(r"(?<![\w$.%@#!^-])[su]?i(\d{4,})\b")  # only widths >= 1000
_DENSE = re.compile(r"\bdense(?:_resource)?<")
_DIMS = r"(?:tensor|memref|vector)<\s*((?:(?:\d+|\?)\s*x\s*)+)"
_TYPE_AFTER = re.compile(r"\s*:\s*" + _DIMS)


def _elements(dims: str) -> int:
    count = 1
    for dim in re.findall(r"\d+|\?", dims):
        if dim != "?":
            count *= int(dim)
    return count


def prescan(text: str, filename: str = "<stdin>") -> None:
    """Raise a located error if `text` exceeds a bound; linear in its length."""
    if len(text) > MAX_SOURCE_BYTES:
        raise InputLimitError(
            f"input is {len(text)} characters, over the limit of {MAX_SOURCE_BYTES}", filename
        )
    nul = text.find("\0")
    if nul >= 0:
        raise _error("NUL character in the input", filename, text, nul)
    strings = _scan_nesting(text, filename)
    for match in _INT_TYPE.finditer(text):
        if _in_string(strings, match.start()):
            continue
        digits = match.group(1)
        if len(digits) > 6 or int(digits) > MAX_INT_WIDTH:
            raise _error(
                f"integer width {digits} is over NeuroJIT's limit of {MAX_INT_WIDTH} bits",
                filename,
                text,
                match.start(),
            )
    for match in _DENSE.finditer(text):
        if _in_string(strings, match.start()):
            continue
        # The literal's type follows it (`dense<1> : memref<..>`, maybe on the next lines) or,
        # in memref.global, precedes it (`: memref<..> = dense<1>`). Only a short literal (a
        # splat) can expand; a long one is bounded by the text's size. One type each, from a
        # bounded window, so that many literals on one long line stay linear.
        types: list[re.Match[str]] = []
        close = text.find(">", match.end(), match.end() + 4096)
        if close >= 0 and (after := _TYPE_AFTER.match(text, close + 1, close + 512)):
            types.append(after)
        head = text[max(0, match.start() - 512) : match.start()].rstrip()
        if head.endswith("="):  # `... : memref<..> = dense<..>`
            colon = head.rfind(":")
            if colon >= 0 and (before := _TYPE_AFTER.match(head, colon)):
                types.append(before)
        for shaped in types:
            count = _elements(shaped.group(1))
            if count > MAX_DENSE_ELEMENTS:
                raise _error(
                    f"dense literal of {count} elements is over the limit of {MAX_DENSE_ELEMENTS}",
                    filename,
                    text,
                    match.start(),
                )


_OPEN = {"{": "}", "(": ")", "[": "]", "<": ">"}
_CLOSE = frozenset("})]>")
_SCAN = re.compile(r'[{}()\[\]<>"]|//')


def _scan_nesting(text: str, filename: str) -> list[tuple[int, int]]:
    """Depth of brackets outside strings and comments. Brackets need not balance here (the
    parser reports that); `->`, `<=` and `>=` are not brackets. Returns the string literals'
    spans, in order."""
    strings: list[tuple[int, int]] = []
    depth = regions = 0
    pos = 0
    find = _SCAN.search
    while (match := find(text, pos)) is not None:
        ch = match.group()
        at = match.start()
        pos = match.end()
        if ch == "//":
            end = text.find("\n", pos)
            pos = len(text) if end < 0 else end
        elif ch == '"':
            lit = _STRING_LITERAL.match(text, at)
            if lit is None:
                raise _error(_bad_string(text, at), filename, text, at)
            pos = lit.end()
            strings.append((at, pos))
        elif ch in _OPEN:
            if ch == "<" and text.startswith("<=", at):
                continue
            depth += 1
            if ch == "{":
                regions += 1
            if depth > MAX_NESTING or regions > MAX_REGION_NESTING:
                what = "regions" if regions > MAX_REGION_NESTING else "brackets"
                limit = MAX_REGION_NESTING if what == "regions" else MAX_NESTING
                raise _error(
                    f"nesting is too deep: more than {limit} {what} open at once",
                    filename,
                    text,
                    at,
                )
        elif ch in _CLOSE:
            if ch == ">" and at > 0 and text[at - 1] in "-=":
                continue
            depth = max(depth - 1, 0)
            if ch == "}":
                regions = max(regions - 1, 0)
    return strings


def _in_string(strings: list[tuple[int, int]], at: int) -> bool:
    """Is `at` inside one of the (sorted, disjoint) string-literal spans?"""
    from bisect import bisect_right

    i = bisect_right(strings, (at, len(strings) and 1 << 62)) - 1
    return i >= 0 and strings[i][0] <= at < strings[i][1]


def _bad_string(text: str, at: int) -> str:
    """Why the string literal at `at` does not lex (it never matched `_STRING_LITERAL`)."""
    i = at + 1
    while i < len(text) and text[i] not in '"\n\v\f':
        i += 2 if text[i] == "\\" else 1
    if i < len(text) and text[i] == '"':
        return "invalid escape sequence in string literal"
    return "string literal is not terminated on its line"


def read_source(path: str | os.PathLike[str], limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; a one-line NeuroJITError for
    anything else (a directory, /dev/zero, a FIFO, a file too large)."""
    name = str(path)
    try:
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as err:
        raise NeuroJITError(f"could not open input file: {err.strerror or err}", name) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise NeuroJITError(f"could not open input file: {kind}", name)
        if info.st_size > limit:
            raise NeuroJITError(
                f"input file is {info.st_size} bytes, over the limit of {limit}", name
            )
        with os.fdopen(os.dup(fd), "rb") as f:
            data = f.read(limit + 1)
    except OSError as err:
        raise NeuroJITError(f"could not read input file: {err.strerror or err}", name) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise NeuroJITError(f"input file is over the limit of {limit} bytes", name)
    return data


def read_source_text(path: str | os.PathLike[str], limit: int = MAX_SOURCE_BYTES) -> str:
    """`read_source` decoded as UTF-8 (else a one-line NeuroJITError naming the byte): how
    every reader of a user's .mlir file gets its text, the CLIs and the Python API alike."""
    data = read_source(path, limit)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise NeuroJITError(
            f"input is not UTF-8: {err.reason} at byte {err.start}", str(path)
        ) from None


def read_stdin(limit: int = MAX_SOURCE_BYTES) -> bytes:
    """At most `limit` bytes of stdin (more is an error, not a hang on an endless stream)."""
    import sys

    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise NeuroJITError(f"input is over the limit of {limit} bytes", "<stdin>")
    return data


_OP_NAME = re.compile(r"(?<![\w$.%@#!^\"-])[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_.]*\b")


def op_budget(original_ops: int) -> int:
    """Ops a replacement for a function of `original_ops` ops may have (the grammar allows
    2x + 8; text from elsewhere gets more slack, but not unbounded)."""
    return max(MIN_OP_BUDGET, 4 * original_ops + 64)


def answer_bytes_reason(answer: str, limit: int = MAX_ANSWER_BYTES) -> str | None:
    """Why an answer is too large to look at, or None."""
    size = len(answer.encode("utf-8", "surrogatepass"))
    if size > limit:
        return f"the answer is {size} bytes, over the limit of {limit}"
    return None


def op_count_reason(text: str, budget: int) -> str | None:
    """Why extracted function text spells too many ops to parse, or None (counted on the
    text, in linear time, before xDSL builds anything)."""
    count = 0
    for _ in _OP_NAME.finditer(text):
        count += 1
        if count > budget:
            return f"the function has more than {budget} ops, over this repair's budget"
    return None
