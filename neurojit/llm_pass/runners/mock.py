"""`mock`: replays canned answers from a file, in order, for deterministic tests.

The file holds answers separated by lines that are exactly `// -----` (the same separator
as `--split-input-file`, so a response file reads like an MLIR test). Query N returns answer
N; asking for more answers than the file holds is an error, because a test that runs out of
answers is asking the pass for more attempts than it meant to.
"""

from __future__ import annotations

import time
from pathlib import Path

from neurojit.errors import NeuroJITError
from neurojit.llm_pass.runners.base import Query, Runner, RunnerResult

SEPARATOR = "// -----"


def split_responses(text: str) -> list[str]:
    """Split a response file on lines that are exactly the separator."""
    answers: list[list[str]] = [[]]
    for line in text.splitlines(keepends=True):
        if line.rstrip("\r\n") == SEPARATOR:
            answers.append([])
        else:
            answers[-1].append(line)
    return ["".join(lines) for lines in answers]


class MockRunner(Runner):
    """A ModelRunner that serves the answers of a response file one query at a time."""

    name = "mock"

    def __init__(
        self,
        responses: str | Path | None = None,
        model: str | None = None,
        answers: list[str] | None = None,
        **_ignored: object,
    ) -> None:
        # Other runners take options (url, threads, ...) that mean nothing here; ignoring them
        # lets the pass build every runner from the same option set.
        if answers is None and responses is None:
            raise NeuroJITError("the mock runner needs responses=PATH (a response file)")
        self.path = Path(responses) if responses is not None else None
        self.model = model or (self.path.name if self.path is not None else "mock")
        self._answers = answers
        self._next = 0
        self.prompts: list[str] = []
        self.grammars: list[str | None] = []

    def load(self) -> None:
        if self._answers is not None:
            return
        assert self.path is not None
        try:
            text = self.path.read_text()
        except OSError as err:
            raise NeuroJITError(
                f"cannot read mock responses '{self.path}': {err.strerror}"
            ) from None
        self._answers = split_responses(text)

    @property
    def queries(self) -> int:
        """How many queries have been answered so far."""
        return self._next

    def answer(self, query: Query) -> RunnerResult:
        start = time.perf_counter()
        self.load()
        assert self._answers is not None
        if self._next >= len(self._answers):
            raise NeuroJITError(
                f"mock runner ran out of responses after {len(self._answers)} "
                f"(file: {self.path or '<inline>'})"
            )
        text = self._answers[self._next]
        self._next += 1
        self.prompts.append(query.prompt)
        self.grammars.append(query.grammar)
        # Stream word by word so callers' streaming paths are exercised too.
        pieces = text.split(" ")
        produced: list[str] = []
        for i, piece in enumerate(pieces):
            if query.cancelled:
                break
            chunk = piece if i == len(pieces) - 1 else piece + " "
            produced.append(chunk)
            query.emit(chunk)
        out = "".join(produced)
        return RunnerResult(text=out, tokens=len(out.split()), seconds=time.perf_counter() - start)
