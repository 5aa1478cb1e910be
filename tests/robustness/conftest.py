"""Fixtures of the adversarial suite: hostile files under tmp_path, `reader` run in-process
(click's CliRunner) or, where a hang or a crash of the interpreter is the risk, in a child
process with a timeout and a memory cap."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reader.cli import main

Write = Callable[..., Path]
TIMEOUT = 10  # seconds a child `reader` may take on one small hostile file


def has_raw_control(text: str) -> bool:
    """A character a terminal would act on or reorder text by: C0/C1 controls (newline and
    tab aside), bidi embeddings/overrides/isolates, or a lone surrogate."""
    return any(
        (unicodedata.category(ch) in ("Cc", "Cs") and ch not in "\n\t")
        or ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
        for ch in text
    )


def quoted(text: str) -> str:
    """text as a YAML double-quoted scalar: control characters as escapes YAML decodes."""
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """write("a/b.md", text_or_bytes) -> Path: a real file under tmp_path/src (parents made)."""

    def _write(name: str | bytes, content: str | bytes) -> Path:
        folder = os.fsencode(tmp_path / "src")
        path = os.path.join(folder, name if isinstance(name, bytes) else os.fsencode(name))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content if isinstance(content, bytes) else content.encode("utf-8"))
        return Path(os.fsdecode(path))

    return _write


@pytest.fixture
def src(tmp_path: Path) -> Path:
    """The folder `write` writes into (made empty if nothing was written)."""
    folder = tmp_path / "src"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def run() -> Callable[..., Result]:
    """run("list", "--json", path) -> click Result, stdout and stderr apart. The parse cache is
    the test's own (tests/conftest.py points XDG_CACHE_HOME at tmp_path)."""
    runner = CliRunner()

    def _run(*args: str | Path) -> Result:
        return runner.invoke(main, [str(arg) for arg in args], prog_name="reader")

    return _run


@dataclass
class Completed:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


@pytest.fixture
def run_child() -> Callable[..., Completed]:
    """`reader ARGS` in a child process: a hang fails the test after TIMEOUT seconds, a
    runaway allocation meets a 2 GiB cap, and a crashed interpreter shows as a signal."""

    def _run(*args: str | Path, timeout: float = TIMEOUT) -> Completed:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "reader", *map(str, args)],
                capture_output=True,
                timeout=timeout,
                env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                preexec_fn=_limit_memory,
            )
        except subprocess.TimeoutExpired:
            pytest.fail(f"`reader {' '.join(map(str, args))}` still ran after {timeout} s")
        assert done.returncode >= 0, f"reader was killed by signal {-done.returncode}"
        assert b"Traceback" not in done.stderr, done.stderr.decode(errors="replace")
        return Completed(
            done.returncode,
            done.stdout.decode("utf-8", "replace"),
            done.stderr.decode("utf-8", "replace"),
        )

    return _run
