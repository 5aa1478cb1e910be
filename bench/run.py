"""Start-up, cursor and memory benchmark of the reader, with baselines measured in the same run.

    python bench/run.py                 # 1k, 20k and 100k records
    python bench/run.py --sizes 20000   # just one size

Collections are generated once under --work (default /tmp/reader-bench) by generate.py.
Every app figure comes from a fresh process (bench/app_probe.py) with its own cache folder, so
"cold" really is cold and "warm" is a second start on unchanged files.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml
from generate import generate

BENCH = Path(__file__).resolve().parent
TARGETS = {  # figure: (target, unit) at 20k unless the size is given
    "warm_first_frame_s": 1.0,
    "cold_first_frame_s": 1.0,
    "cold_index_ratio": 0.65,
    "cursor_step_cpu_ms": 20.0,
    "list_json_warm_ratio": 0.15,
}
RSS_TARGETS = {20_000: 150.0, 100_000: 400.0}


def collection(work: Path, size: int) -> Path:
    folder = work / f"records-{size}"
    marker = folder / ".complete"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate(size, folder)
        marker.touch()
    return folder


def baselines(folder: Path) -> dict[str, float]:
    """Reading every byte, and the single-process CSafeLoader parse the targets compare with."""
    files = sorted(folder.rglob("*.md"))
    start = time.perf_counter()
    for path in files:
        path.read_bytes()
    raw = time.perf_counter() - start
    start = time.perf_counter()
    for path in files:
        front = path.read_text(encoding="utf-8").split("---", 2)[1]
        yaml.load(front, Loader=yaml.CSafeLoader)
    parse = time.perf_counter() - start
    return {"raw_read_s": raw, "csafeloader_parse_s": parse}


def probe_env(cache_home: Path) -> dict[str, str]:
    """The environment of a measured start: its own cache folder, and bytecode as an installed
    reader has it (PYTHONDONTWRITEBYTECODE would make every start compile the package)."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def app_run(folder: Path, cache_home: Path) -> dict[str, float]:
    env = probe_env(cache_home)
    start = time.time()
    out = subprocess.run(
        [sys.executable, str(BENCH / "app_probe.py"), str(start), str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def list_json(folder: Path, cache_home: Path) -> float:
    env = probe_env(cache_home)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "reader", "list", str(folder), "--json"],
        env=env,
        stdout=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - start


def measure(work: Path, size: int) -> dict[str, float]:
    folder = collection(work, size)
    figures = baselines(folder)
    cache_home = work / f"cache-{size}"
    shutil.rmtree(cache_home, ignore_errors=True)
    cold = app_run(folder, cache_home)
    warm = app_run(folder, cache_home)
    figures |= {f"cold_{k}": v for k, v in cold.items()}
    figures |= {f"warm_{k}": v for k, v in warm.items()}
    figures["list_json_warm_s"] = list_json(folder, cache_home)
    figures["cold_index_ratio"] = cold["full_index_s"] / figures["csafeloader_parse_s"]
    figures["list_json_warm_ratio"] = figures["list_json_warm_s"] / figures["csafeloader_parse_s"]
    figures["cursor_step_cpu_ms"] = warm["held_key_cpu_ms"]
    return figures


def target_for(name: str, size: int) -> float | None:
    """The issue's target for a figure at this size, if it sets one (most are for 20k)."""
    if name.endswith("peak_rss_mb"):
        return RSS_TARGETS.get(size)
    if size == 100_000 and name == "warm_first_frame_s":
        return 3.0
    return TARGETS.get(name) if size == 20_000 else None


def report(size: int, figures: dict[str, float]) -> None:
    print(f"\n== {size:,} records ==")
    for name, value in figures.items():
        line = f"  {name:28} {value:10.3f}"
        target = target_for(name, size)
        if target is not None:
            verdict = "ok" if value <= target else "MISSED"
            line += f"   target ≤ {target:g}  ({value / target:.2f} of it, {verdict})"
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 20_000, 100_000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/reader-bench"))
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    compileall.compile_dir(BENCH.parent / "reader", quiet=1)
    for size in args.sizes:
        report(size, measure(args.work, size))


if __name__ == "__main__":
    main()
