"""The committed passages, their vectors and their BM25 index, kept on local disk so that a
new process loads them in seconds instead of reading every passage back from Chroma and
indexing it again (most of a minute at 100,000 passages; benchmarks/scale.py).

An entry is named by the fingerprint of the index state it was read at (IndexState), so it
cannot go stale: every write that commits or removes a document changes the fingerprint, and
the next reader makes a new entry. An entry is written in a temporary folder and renamed into
place, so no reader sees half of one, and only the newest is kept. A cache that cannot be
written (a read-only or full disk) or read (a damaged file) is passed over: the index is
always the truth, and the cache only saves reading it."""

from __future__ import annotations

import json
import shutil
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ingest.models import is_expansion
from vectorstore.bm25_index import BM25Index
from vectorstore.chroma_store import StoredPassage

# Bumped whenever what an entry holds, or how a passage is read from Chroma, changes.
FORMAT = 4
_PASSAGES = "passages.jsonl"
_VECTORS = "vectors.npy"
_BM25 = "bm25"
_EXTRAS = "extras.npz"
_WRITING = ".writing-"
# A temporary folder this old was left by a process killed while writing it.
_ABANDONED_SECONDS = 3600


@dataclass(frozen=True)
class Snapshot:
    # Every committed record: the passages and the expansion lines stored beside them.
    passages: list[StoredPassage]
    # Row i is record i's unit vector.
    vectors: np.ndarray
    # Over the passages only, each read with its section's expansion lines.
    bm25: BM25Index
    # Further arrays the reader derives from the source passages, kept so it need not derive
    # them again.
    extras: dict[str, np.ndarray] = field(default_factory=dict)


class SnapshotCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def entry(self, fingerprint: str) -> Path:
        return self.folder / f"v{FORMAT}-{fingerprint}"

    def load(self, fingerprint: str) -> Snapshot | None:
        """The snapshot saved for this state, or None when there is none or it cannot be read
        (a damaged entry is removed, so that the next reader saves a good one in its place)."""
        entry = self.entry(fingerprint)
        if not entry.is_dir():
            return None
        try:
            with (entry / _PASSAGES).open(encoding="utf-8") as lines:
                passages = [StoredPassage(*json.loads(line)) for line in lines]
            vectors = np.load(entry / _VECTORS, allow_pickle=False)
            bm25 = BM25Index.load(entry / _BM25)
            with np.load(entry / _EXTRAS, allow_pickle=False) as saved:
                extras = {name: saved[name] for name in saved.files}
        except (OSError, ValueError, TypeError, KeyError, zipfile.BadZipFile):
            shutil.rmtree(entry, ignore_errors=True)
            return None
        source = sum(not is_expansion(p.metadata) for p in passages)
        if not (len(passages) == len(vectors) and source == bm25.size):
            shutil.rmtree(entry, ignore_errors=True)
            return None
        return Snapshot(passages, vectors, bm25, extras)

    def save(self, fingerprint: str, snapshot: Snapshot) -> None:
        """Keep `snapshot` as the one entry, unless the disk refuses it."""
        entry = self.entry(fingerprint)
        if entry.exists():
            return
        writing = self.folder / f"{_WRITING}{uuid.uuid4().hex}"
        try:
            writing.mkdir(parents=True)
            with (writing / _PASSAGES).open("w", encoding="utf-8") as lines:
                for p in snapshot.passages:
                    lines.write(json.dumps([p.passage_id, p.text, p.metadata]) + "\n")
            np.save(writing / _VECTORS, snapshot.vectors, allow_pickle=False)
            (writing / _BM25).mkdir()
            snapshot.bm25.save(writing / _BM25)
            np.savez(writing / _EXTRAS, **snapshot.extras)
            writing.rename(entry)
        except OSError:
            # Also when another process renamed its copy of the same entry into place first.
            shutil.rmtree(writing, ignore_errors=True)
            return
        self._prune(keep=entry)

    def _prune(self, keep: Path) -> None:
        """Remove every other entry, and what killed writers left behind."""
        try:
            stale = [path for path in self.folder.iterdir() if path != keep and not _in_use(path)]
        except OSError:
            return
        for path in stale:
            shutil.rmtree(path, ignore_errors=True)


def _in_use(path: Path) -> bool:
    """A temporary folder that another process may still be writing."""
    if not path.name.startswith(_WRITING):
        return False
    return time.time() - path.stat().st_mtime < _ABANDONED_SECONDS
