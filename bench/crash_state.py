"""Crash test of the reading-state store: writers are SIGKILLed at random moments, and every mark
one reported as written must still be there afterwards.

Usage: ``python bench/crash_state.py --rounds 50 [--writers 2] [--max-delay 0.3] [--seed S]``

Each round starts writer processes on one state file; each marks new keys in a tight loop
(single reads, stars, bulk reads) and prints a line before each call and after it returns.
After the kills the file must open clean (quick_check ok, no notice) and hold every key of a
returned call; a call cut off in flight must have landed entirely or not at all. The file is
kept across rounds, so each round also checks that earlier marks survived. ``tests/crash``
imports this module.
"""

from __future__ import annotations

import argparse
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from reader.store.state import StateStore

# Protocol, one line per event: "start <mark> <key>..." before a call, "done <mark> <key>..."
# after it returns, and "notice <text>" if the store had to set the file aside when it opened.
WRITER = """
import sys
from pathlib import Path
from reader.store.state import StateStore

store = StateStore(Path(sys.argv[1]))
if store.notice:
    print("notice", store.notice, flush=True)
tag, i = sys.argv[2], 0
while True:
    mark = "star" if i % 3 == 1 else "read"
    keys = [f"https://example.com/{tag}/{i}/{n}" for n in range(25 if i % 3 == 2 else 1)]
    line = f"{mark} {' '.join(keys)}"
    print("start", line, flush=True)
    if mark == "star":
        store.toggle_star(keys[0])
    else:
        store.set_read(keys)
    print("done", line, flush=True)
    i += 1
"""

Call = tuple[str, tuple[str, ...]]  # mark, keys


@dataclass
class Writer:
    """One writer process and the calls it has reported, read by a thread so it never blocks."""

    process: subprocess.Popen[str]
    done: list[Call] = field(default_factory=list)
    in_flight: Call | None = None
    notice: str | None = None
    writing: threading.Event = field(default_factory=threading.Event)
    reader: threading.Thread | None = None

    def follow(self) -> None:
        assert self.process.stdout is not None
        try:
            for line in self.process.stdout:
                if not line.endswith("\n"):
                    break  # cut off by the kill: not a report
                state, mark, *keys = line.split()
                if state == "notice":
                    self.notice = line
                    continue
                call = (mark, tuple(keys))
                if state == "start":
                    self.in_flight = call
                else:
                    self.done.append(call)
                    self.in_flight = None
                self.writing.set()
        finally:
            self.writing.set()  # also when it died before writing anything

    def stop(self) -> None:
        """SIGKILL it; a writer that ended any other way is a failure, with its stderr."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        assert self.reader and self.process.stdout and self.process.stderr
        self.reader.join()  # it reads stdout to the end: nothing else may read it
        errors = self.process.stderr.read()
        self.process.stdout.close()
        self.process.stderr.close()
        if self.process.returncode != -signal.SIGKILL:
            raise RuntimeError(f"a writer ended by itself ({self.process.returncode}): {errors}")


@dataclass
class Totals:
    rounds: int = 0
    kills: int = 0
    calls: int = 0
    keys: int = 0
    in_flight: int = 0
    in_flight_landed: int = 0
    expected: dict[str, set[str]] = field(default_factory=lambda: {"read": set(), "star": set()})


def start_writer(path: Path, tag: str) -> Writer:
    process = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), tag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    writer = Writer(process)
    writer.reader = threading.Thread(target=writer.follow, daemon=True)
    writer.reader.start()
    return writer


def kill_round(
    path: Path, tag: str, writers: int, rng: random.Random, max_delay: float
) -> list[Writer]:
    """Start the writers, wait until each is writing, then SIGKILL each after a random delay."""
    started = [start_writer(path, f"{tag}w{n}") for n in range(writers)]
    try:
        for writer in started:
            writer.writing.wait(timeout=30)
        began = time.monotonic()
        delays = sorted(((rng.uniform(0, max_delay), w) for w in started), key=lambda p: p[0])
        for delay, writer in delays:
            time.sleep(max(0.0, began + delay - time.monotonic()))
            writer.stop()
    finally:
        for writer in started:  # none may outlive a failed round
            writer.process.kill()
    return started


def verify(path: Path, writers: list[Writer], totals: Totals) -> None:
    """Check the file after a round and add the round to the totals; raises AssertionError."""
    totals.rounds += 1
    totals.kills += len(writers)
    store = StateStore(path)  # first, as a reader starting after the crash would
    try:
        assert store.notice is None, store.notice
        with closing(sqlite3.connect(path)) as db:
            check = db.execute("PRAGMA quick_check").fetchall()
        assert check == [("ok",)], f"quick_check after a kill: {check}"
        found = {"read": store.read, "star": store.starred}
        for writer in writers:
            assert writer.notice is None, f"a writer found the file unusable: {writer.notice}"
            for mark, keys in writer.done:
                totals.calls += 1
                totals.keys += len(keys)
                totals.expected[mark].update(keys)
            if writer.in_flight:
                mark, keys = writer.in_flight
                landed = sum(key in found[mark] for key in keys)
                assert landed in (0, len(keys)), f"a call landed in part: {landed}/{len(keys)}"
                totals.in_flight += 1
                totals.in_flight_landed += landed > 0
        for mark, keys in totals.expected.items():
            missing = keys - found[mark]
            assert not missing, f"{len(missing)} reported {mark} marks lost, e.g. {min(missing)}"
    finally:
        store.close()


def run(rounds: int, writers: int, max_delay: float, seed: int, folder: Path) -> Totals:
    rng = random.Random(seed)
    path = folder / "state.sqlite3"
    totals = Totals()
    for number in range(rounds):
        verify(path, kill_round(path, f"r{number}", writers, rng, max_delay), totals)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--writers", type=int, default=2, help="processes writing at once")
    parser.add_argument("--max-delay", type=float, default=0.3, help="seconds before a kill")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    began = time.monotonic()
    with tempfile.TemporaryDirectory() as folder:
        totals = run(args.rounds, args.writers, args.max_delay, args.seed, Path(folder))
    print(
        f"{totals.rounds} rounds, {totals.kills} kills in {time.monotonic() - began:.1f} s: "
        f"{totals.calls} returned calls ({totals.keys} keys) all found after the kills; "
        f"{totals.in_flight} calls cut off in flight ({totals.in_flight_landed} had landed, "
        f"all whole); {sum(map(len, totals.expected.values()))} marks verified in the final file"
    )


if __name__ == "__main__":
    main()
