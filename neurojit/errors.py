"""User-facing errors: one line, with file:line:col where there is one, never a traceback."""

from __future__ import annotations


class NeuroJITError(Exception):
    """An error in the user's input or request. The CLIs print `str(err)` and exit 1."""

    def __init__(self, message: str, location: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        return f"{prefix}error: {self.message}"


class UsageError(NeuroJITError):
    """A bad command line: exit code 2."""
