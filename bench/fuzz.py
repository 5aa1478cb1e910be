"""Run the robustness properties of tests/robustness/properties.py for a long time.

Usage: ``python bench/fuzz.py [--examples N] [--seed S] [PROPERTY ...]``

Each property (front-matter splitting and parsing, YAML loading, the normaliser, JSON pages,
read_file on arbitrary bytes, the text cleaners, the query parser if present) gets N examples
from Hypothesis; the table shows how many passed and the time taken. A failure prints the
smallest input Hypothesis found and the exit status is 1.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.robustness.properties import PROPERTIES


def fuzz(name: str, examples: int, random_seed: int) -> tuple[int, float, str | None]:
    """(examples passed, seconds, failure or None) of one property."""
    strategy, check = PROPERTIES[name]
    passed = 0

    @seed(random_seed)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def run(value: Any) -> None:
        nonlocal passed
        check(value)
        passed += 1

    start = time.perf_counter()
    try:
        run()
    except Exception:  # the property failed: Hypothesis has shrunk the input and re-raised
        return passed, time.perf_counter() - start, traceback.format_exc()
    return passed, time.perf_counter() - start, None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000, help="examples per property")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    parser.add_argument("properties", nargs="*", metavar="PROPERTY", help=", ".join(PROPERTIES))
    args = parser.parse_args()
    names = args.properties or list(PROPERTIES)
    if unknown := set(names) - set(PROPERTIES):
        parser.error(f"unknown properties: {', '.join(sorted(unknown))}")
    failed = False
    print(f"{'property':<20} {'passed':>8} {'seconds':>8} {'per example':>12}")
    for name in names:
        passed, seconds, failure = fuzz(name, args.examples, args.seed)
        per = f"{seconds / max(passed, 1) * 1e3:.2f} ms"
        print(f"{name:<20} {passed:>8} {seconds:>8.1f} {per:>12}", flush=True)
        if failure:
            failed = True
            print(failure, file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
