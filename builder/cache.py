"""A content-addressed cache of a build's outputs, so a rebuild redoes only what changed.

A package or a handout is a pure function of what it is made from, so an output is stored under
the sha256 of everything that goes into it (the course's model or printed HTML, the files it
embeds, the build date, coursesmith's own code and templates, the library versions) and the next
build that asks for the same key copies the stored bytes instead of making them again. A key
that misses an input would hand back a stale file, so the keys err the other way: the whole
model, every template, every module of coursesmith.

The cache lives in `$XDG_CACHE_HOME/coursesmith` (default `~/.cache/coursesmith`); `build
--no-cache` neither reads nor writes it. Entries are written whole (a temporary file renamed into
place), so a build that is killed, or two that run at once, never leave half an entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import sys
import sysconfig
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from . import __version__
from .paths import templates_dir

_PACKAGE_DIR = Path(__file__).resolve().parent
_LIBRARIES = ("weasyprint", "pydyf", "lxml", "jinja2", "fonttools", "brotli", "babel",   # babel: CLDR plurals, dates
              "langcodes")                                                              # the language tag registry
KEEP_ENTRIES = 400            # the oldest beyond this many are removed after a store


def default_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "coursesmith"


class OutputCache:
    def __init__(self, folder: Path | None):
        self.folder = folder          # None: no cache (build --no-cache)

    def key(self, *parts: str | bytes, tool: str | None = None) -> str | None:
        """The key of an output made from `parts` by this coursesmith (`tool`: a stand-in for its
        digest, as `tool_stamp()`); None without a cache."""
        if self.folder is None:
            return None
        digest = hashlib.sha256((tool or _tool_digest(self.folder)).encode())
        for part in parts:
            data = part.encode("utf-8") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "big"))
            digest.update(data)
        return digest.hexdigest()

    def copy_to(self, key: str | None, target: Path) -> bool:
        """Write the stored output for `key` to `target`; False when there is none."""
        if key is None:
            return False
        try:
            shutil.copyfile(self._entry(key), target)
        except FileNotFoundError:
            return False
        return True

    def read(self, key: str | None) -> bytes | None:
        """The stored bytes for `key`; None when there are none."""
        if key is None:
            return None
        try:
            return self._entry(key).read_bytes()
        except FileNotFoundError:
            return None

    def store(self, key: str | None, source: Path) -> None:
        """Keep a copy of `source` under `key`. A cache that cannot be written is only a slower build."""
        self._put(key, lambda temporary: shutil.copyfile(source, temporary))

    def store_bytes(self, key: str | None, data: bytes) -> None:
        """Keep `data` under `key`."""
        self._put(key, lambda temporary: Path(temporary).write_bytes(data))

    def _put(self, key: str | None, write) -> None:
        if key is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".incoming-")
            os.close(handle)
            write(temporary)
            os.replace(temporary, self._entry(key))
            self._prune()
        except OSError:
            return

    def _entry(self, key: str) -> Path:
        return self.folder / key

    def _prune(self) -> None:
        entries = [entry for entry in os.scandir(self.folder) if not entry.name.startswith(".")]
        if len(entries) <= KEEP_ENTRIES:
            return
        entries.sort(key=lambda entry: entry.stat().st_mtime)
        for entry in entries[:len(entries) - KEEP_ENTRIES]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


_remembering = OutputCache(None)


def remember_in(folder: Path | None) -> None:
    """Keep `remembered` results in the cache `folder` for the rest of this process (None: none)."""
    global _remembering
    _remembering = OutputCache(folder)


def remembered(kind: str, parts: tuple[str, ...], work_out: Callable[[], Any]) -> Any:
    """`work_out()`, a JSON value that depends only on `parts` and coursesmith and its libraries
    (the tool's digest is in the key), kept between builds: a library's data that takes longer to
    read than a small course to load (langcodes' registry, Babel reading a catalogue)."""
    key = _remembering.key("remembered", kind, *parts)
    key = key and f"remembered-{key}"       # named apart from the outputs: the same cache, another kind
    stored = _remembering.read(key)
    if stored is not None:
        with contextlib.suppress(ValueError):
            return json.loads(stored)["value"]
    value = work_out()
    # In its own order: a table's order can reach the outputs.
    _remembering.store_bytes(key, json.dumps({"value": value}, ensure_ascii=False).encode("utf-8"))
    return value


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_digests(folder: Path, paths) -> list[str]:
    """`path:sha256` of each of `paths` inside `folder`, for a key."""
    return [f"{path}:{hashlib.sha256((folder / path).read_bytes()).hexdigest()}" for path in sorted(paths)]


# The libraries whose versions build-report.json names (the tool's digest covers _LIBRARIES).
REPORTED_LIBRARIES = ("jinja2", "lxml", "weasyprint", "ruamel.yaml", "PyYAML", "pydantic", "markdown-it-py", "nh3")
FACTS_VERSION = "tool facts 1"


def _tool_digest(folder: Path | None = None) -> str:
    return tool_facts(folder)["digest"]


def library_version(name: str, folder: Path | None = None) -> str:
    """An installed library's version ("not installed" when it is not), as the tool's facts hold it."""
    return tool_facts(folder)["versions"][name]


@lru_cache(maxsize=4)
def tool_facts(folder: Path | None = None) -> dict:
    """coursesmith's digest and the libraries' versions, kept in the cache `folder` under the tool's
    stamp: hashing every file of coursesmith and its templates and asking importlib.metadata
    costs more than a small rebuild, and the stamp already answers "is this the same tool?" for a
    rebuild with nothing changed (unchanged.py). None: worked out afresh, kept nowhere."""
    entry = folder / f"tool-{hashlib.sha256(f'{FACTS_VERSION} {tool_stamp()}'.encode()).hexdigest()}" if folder else None
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        if entry is not None:
            facts = json.loads(entry.read_bytes())
            if isinstance(facts["digest"], str) and all(name in facts["versions"] for name in _ALL_LIBRARIES):
                return facts
    facts = {"digest": _work_out_digest(), "versions": _versions()}
    if folder is not None:
        OutputCache(folder).store_bytes(entry.name, json.dumps(facts, sort_keys=True).encode("utf-8"))
    return facts


_ALL_LIBRARIES = tuple(dict.fromkeys((*_LIBRARIES, *REPORTED_LIBRARIES)))


def _versions() -> dict[str, str]:
    import importlib.metadata      # here: a build whose tool facts are kept never needs it

    versions = {}
    for name in _ALL_LIBRARIES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def _work_out_digest() -> str:
    """coursesmith's code and templates and the libraries' versions: a change to any gives new keys."""
    digest = hashlib.sha256(__version__.encode())
    for root in (_PACKAGE_DIR, templates_dir()):
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    for name, version in _versions().items():
        if name in _LIBRARIES:
            digest.update(f"{name}={'none' if version == 'not installed' else version}".encode())
    return digest.hexdigest()


def tool_stamp() -> str:
    """A cheap stand-in for the tool's digest, for a key that must be made before anything is
    loaded: coursesmith's files by name, size and modification time, and the folder the
    libraries are installed in by its own (installing or upgrading one changes the folder)."""
    digest = hashlib.sha256(f"{__version__} {sys.version} {sys.executable}".encode())
    for root in (_PACKAGE_DIR, templates_dir()):
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                stat = os.stat(os.path.join(folder, name))
                digest.update(f"{folder}/{name} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    for folder in sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}):
        with contextlib.suppress(OSError):
            digest.update(f"{folder} {os.stat(folder).st_mtime_ns}\n".encode())
    return digest.hexdigest()
