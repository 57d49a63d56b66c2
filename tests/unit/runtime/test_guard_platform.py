"""The guard's struct layouts are x86-64 glibc's: elsewhere it refuses with one clear line."""

from __future__ import annotations

import platform

import pytest

from neurojit.errors import NeuroJITError
from neurojit.runtime import guard_ir


def test_this_machine_is_supported() -> None:
    guard_ir._check_platform()  # the CI and dev machines are x86-64 glibc


@pytest.mark.parametrize(
    ("machine", "system", "libc", "named"),
    [
        ("aarch64", "Linux", ("glibc", "2.36"), "aarch64 Linux with glibc"),
        ("x86_64", "Linux", ("", ""), "x86_64 Linux with an unknown libc"),
        ("x86_64", "Darwin", ("", ""), "x86_64 Darwin"),
    ],
)
def test_other_platforms_get_one_line(
    monkeypatch: pytest.MonkeyPatch,
    machine: str,
    system: str,
    libc: tuple[str, str],
    named: str,
) -> None:
    monkeypatch.setattr(platform, "machine", lambda: machine)
    monkeypatch.setattr(platform, "system", lambda: system)
    monkeypatch.setattr(platform, "libc_ver", lambda: libc)
    with pytest.raises(NeuroJITError) as err:
        guard_ir._check_platform()
    message = str(err.value)
    assert "\n" not in message and named in message
    assert "x86-64 Linux with glibc only" in message
