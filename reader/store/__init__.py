"""SQLite stores: the parse cache (disposable) and the reading state (the user's own).

What every SQLite file of ours shares (reader-mode texts too) is in `reader.store.sqlite`; what
to do about a bad file stays with each store.
"""

from __future__ import annotations

import time
from pathlib import Path


def move_aside(path: Path) -> Path:
    """Rename the file and its -wal/-shm to `<name>.broken-<unix time>`, never over another."""
    stamp = int(time.time())
    while (aside := path.with_name(f"{path.name}.broken-{stamp}")).exists():
        stamp += 1
    path.replace(aside)
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            companion.replace(Path(f"{aside}{suffix}"))
    return aside
