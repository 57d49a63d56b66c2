"""Pull one `func.func` out of a model's answer: fences, prose and wrappers around it go.

Models wrap code in Markdown fences and chat around it even under instructions not to. The
grammar prevents that for the llama runner, but HTTP runners and cached text can't be
trusted, so every answer goes through here before it is parsed.
"""

from __future__ import annotations

import re

_FUNC_START = re.compile(r"func\.func\b")


class ExtractError(ValueError):
    """The answer holds no complete `func.func`."""


def _strip_fences(text: str) -> str:
    """Keep only what is inside the first fenced block that contains a func.func, if any."""
    blocks = re.findall(r"```[A-Za-z0-9_+-]*[ \t]*\n(.*?)```", text, flags=re.S)
    for block in blocks:
        if _FUNC_START.search(block):
            return block
    # An unterminated fence (an answer cut at max_tokens): drop the opening line only.
    return re.sub(r"```[A-Za-z0-9_+-]*", "", text)


def _matching_brace(text: str, open_at: int) -> int | None:
    """Index of the `}` closing the `{` at `open_at`, skipping string literals and comments."""
    depth = 0
    i = open_at
    while i < len(text):
        ch = text[i]
        if ch == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif ch == "/" and text.startswith("//", i):
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
            continue
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return None


def _body_open(text: str, start: int) -> int | None:
    """The `{` opening the function body: the first `{` at paren depth 0 that is not
    `attributes {`, after the signature."""
    depth = 0
    i = start
    while i < len(text):
        ch = text[i]
        if ch in "(<[":
            depth += 1
        elif ch in ")>]":
            # `->` is not a closing angle bracket.
            if not (ch == ">" and i > 0 and text[i - 1] == "-"):
                depth -= 1
        elif ch == '"':
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        elif depth == 0 and text.startswith("func.func", i):
            # A declaration (no body) followed by another function.
            return None
        elif ch == "{" and depth == 0:
            # Only the text just before the brace: rescanning from `start` at every
            # `attributes {` would be quadratic in an adversarial answer.
            if re.search(r"attributes\s*$", text[max(start, i - 256) : i]):
                close = _matching_brace(text, i)
                if close is None:
                    return None
                i = close + 1
                continue
            return i
        i += 1
    return None


def extract_functions(text: str) -> list[str]:
    """Every complete `func.func ... { ... }` in the answer, in order."""
    text = _strip_fences(text)
    found: list[str] = []
    pos = 0
    while (match := _FUNC_START.search(text, pos)) is not None:
        start = match.start()
        open_at = _body_open(text, match.end())
        if open_at is None:
            pos = match.end()
            continue
        close = _matching_brace(text, open_at)
        if close is None:
            break
        found.append(text[start : close + 1])
        pos = close + 1
    return found


def extract_function(text: str, name: str | None = None) -> str:
    """The function called `name` (or the first one) in a model's answer."""
    functions = extract_functions(text)
    if not functions:
        if _FUNC_START.search(text):
            raise ExtractError("the answer's func.func is incomplete (unbalanced braces)")
        raise ExtractError("the answer contains no func.func")
    if name is not None:
        header = re.compile(r"func\.func\s+(?:\w+\s+)?@" + re.escape(name) + r"\s*\(")
        for function in functions:
            if header.match(function):
                return function
    return functions[0]
