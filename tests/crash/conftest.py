"""The crash tests drive bench/crash_state.py, so the benchmark and the test cannot drift apart."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
