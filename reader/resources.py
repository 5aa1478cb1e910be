"""Files shipped with the package: the sample collection and the stylesheets.

An installed wheel carries them inside the package; a source checkout keeps them at the top.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


SAMPLE_CONTENT = _shipped("sample_content")
STYLES = _shipped("styles")
