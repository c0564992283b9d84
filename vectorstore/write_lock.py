"""One writer at a time: an exclusive lock on a file in the assistant's home folder.

Chroma does not guard against two processes writing the same index at once. The lock is an
OS file lock (flock), so it is released when its holder exits, even by `kill -9`. With a
Chroma server it guards the writers of this machine only.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from vectorstore.chroma_store import StoreError

LOCK_FILE = "ingest.lock"
HOLDER_FILE = "ingest.lock.holder"


class IndexBusy(StoreError):
    """Another process is writing to the index."""


@contextmanager
def write_lock(home: Path, wait: float = 0.0) -> Iterator[None]:
    """Hold the index's write lock for the block; raise IndexBusy if another process holds it
    for longer than `wait` seconds."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        lock = FileLock(home / LOCK_FILE, timeout=wait)
        lock.acquire()
    except Timeout:
        raise IndexBusy(
            f"another ingest is writing to this index ({_holder(home)}); wait for it to "
            "finish and run this again"
        ) from None
    except OSError as err:
        raise StoreError(
            f"cannot write the lock file in {home} ({err.strerror}); the assistant needs to "
            "write to its home folder (CONDUCT_ASSISTANT_HOME)"
        ) from None
    try:
        started = datetime.now(timezone.utc).isoformat(timespec="seconds")
        # Only to name the holder to a second writer: not worth failing a write for.
        with suppress(OSError):
            (home / HOLDER_FILE).write_text(
                f"pid {os.getpid()} on {socket.gethostname()}, since {started}", "utf-8"
            )
        yield
    finally:
        lock.release()


def _holder(home: Path) -> str:
    try:
        return (home / HOLDER_FILE).read_text("utf-8").strip() or "process unknown"
    except OSError:
        return "process unknown"
