"""Shared fixtures for the core tests: real files written under pytest's tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

Write = Callable[..., Path]


@pytest.fixture
def write(tmp_path: Path) -> Write:
    """write("a/b.md", text_or_bytes) -> Path: a real file under tmp_path (parents created)."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            # newline="" writes the text exactly as given (CRLF stays CRLF).
            path.write_text(content, encoding="utf-8", newline="")
        return path

    return _write
