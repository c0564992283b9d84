"""The snapshot cache: a new process loads the committed passages from local disk, and never
a state other than the index's current one."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.config import Settings
from assistant.retrieval.hybrid import HybridRetriever, Mode
from assistant.retrieval.lexicon import Lexicon
from assistant.service import ConductAssistant
from tests.conftest import FIXTURES
from vectorstore.bm25_index import BM25Index
from vectorstore.chroma_store import PassageStore, StoredPassage
from vectorstore.snapshot_cache import Snapshot, SnapshotCache

FIRST = FIXTURES / "pages" / "multi-mixed.txt"
SECOND = FIXTURES / "pages" / "single-yes.txt"
MARK = "A passage that only the cache holds."
QUESTIONS = ("body-worn video footage retained", "was the recommendation accepted", "training")


@pytest.fixture
def home(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    writer = _assistant(tmp_path / "home")
    assert [r.status for r in writer.ingest([FIRST])] == ["added"]
    assert writer.retriever.passages  # the first reader of this state makes its entry
    return tmp_path / "home"


def _assistant(home: Path) -> ConductAssistant:
    """A new assistant on `home`, as a new process would make."""
    corpus = home.parent / "corpus"
    return ConductAssistant(Settings.from_env(home=home, corpus_dir=corpus))


def _uncached(home: Path) -> HybridRetriever:
    reader = _assistant(home)
    return HybridRetriever(reader.store, reader.embedder, Lexicon.bundled())


def _table(retriever: HybridRetriever) -> list[tuple[str, str, dict]]:
    return [(p.passage_id, p.text, p.metadata) for p in retriever.passages]


def _entries(home: Path) -> list[str]:
    return sorted(path.name for path in (home / "snapshot").iterdir())


def _current_entry(home: Path) -> Path:
    reader = _assistant(home)
    return SnapshotCache(reader.settings.snapshot_dir).entry(reader.store.state().fingerprint)


def test_a_new_process_loads_what_chroma_holds_from_the_one_cached_entry(home):
    assert _entries(home) == [_current_entry(home).name]
    cached, uncached = _assistant(home).retriever, _uncached(home)
    assert _table(cached) and _table(cached) == _table(uncached)
    assert np.array_equal(cached._vectors, uncached._vectors)
    for question in QUESTIONS:
        for mode in Mode:
            assert cached.retrieve(question, 8, mode=mode) == uncached.retrieve(question, 8, mode=mode)
        assert cached.term_weight("video") == uncached.term_weight("video")


def test_the_entry_is_what_a_new_process_reads_until_a_write_changes_the_state(home):
    # Mark the entry: a new process showing the mark read the cache, not Chroma.
    passages = _current_entry(home) / "passages.jsonl"
    lines = passages.read_text(encoding="utf-8").splitlines(keepends=True)
    passage_id, _, metadata = json.loads(lines[0])
    lines[0] = json.dumps([passage_id, MARK, metadata]) + "\n"
    passages.write_text("".join(lines), encoding="utf-8")
    assert _assistant(home).retriever.passages[0].text == MARK

    assert [r.status for r in _assistant(home).ingest([SECOND])] == ["added"]

    reader = _assistant(home)
    assert _table(reader.retriever) == _table(_uncached(home))
    assert MARK not in {p.text for p in reader.retriever.passages}
    assert {p.metadata["doc_id"] for p in reader.retriever.passages} == {FIRST.stem, SECOND.stem}
    assert _entries(home) == [_current_entry(home).name]


def test_a_removed_document_changes_the_state(home, tmp_path):
    folder = tmp_path / "casework"
    folder.mkdir()
    (folder / SECOND.name).write_bytes(SECOND.read_bytes())
    _assistant(home).sync(folder)
    assert SECOND.stem in {p.metadata["doc_id"] for p in _assistant(home).retriever.passages}

    (folder / SECOND.name).unlink()
    assert [r.status for r in _assistant(home).sync(folder)][-1] == "removed"
    assert SECOND.stem not in {p.metadata["doc_id"] for p in _assistant(home).retriever.passages}
    assert _entries(home) == [_current_entry(home).name]


@pytest.mark.parametrize("damaged", ["vectors.npy", "extras.npz", "passages.jsonl", "bm25/idf.json"])
def test_a_damaged_entry_is_passed_over_for_chroma_and_replaced(home, damaged):
    reader = _assistant(home)
    cache, fingerprint = SnapshotCache(reader.settings.snapshot_dir), reader.store.state().fingerprint
    target = cache.entry(fingerprint) / damaged
    target.write_bytes(target.read_bytes()[: len(target.read_bytes()) // 2])
    assert _table(reader.retriever) == _table(_uncached(home))
    # The reader that passed over it saved a whole entry in its place.
    replaced = cache.load(fingerprint)
    assert replaced is not None and [p.passage_id for p in replaced.passages] == [
        p.passage_id for p in reader.retriever.passages
    ]


def test_a_cache_that_cannot_be_written_leaves_answers_unchanged(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    # A file where the cache folder would be: nothing can be written under it.
    (home / "snapshot").write_text("not a folder", encoding="utf-8")
    writer = _assistant(home)
    assert [r.status for r in writer.ingest([FIRST])] == ["added"]
    assert _table(_assistant(home).retriever) == _table(_uncached(home))
    assert writer.ask("did Midshire Police accept the recommendation on rousing checks?").citations


class CommitDuringRead(PassageStore):
    """The real store, with another process's ingest committing while the passages are read."""

    def __init__(self, path: Path, other: ConductAssistant, page: Path):
        super().__init__(path)
        self.other, self.page = other, page

    def snapshot(self, embed, state=None):
        read = super().snapshot(embed, state)
        assert [r.status for r in self.other.ingest([self.page])] == ["added"]
        return read


def test_a_read_that_a_commit_overlapped_is_not_cached(home):
    reader, other = _assistant(home), _assistant(home)
    assert other.retriever.passages  # so that its ingest reloads, and caches the new state
    before = reader.store.state().fingerprint
    cache = SnapshotCache(reader.settings.snapshot_dir)
    shutil.rmtree(cache.folder)
    store = CommitDuringRead(reader.settings.index_dir, other, SECOND)
    HybridRetriever(store, reader.embedder, Lexicon.bundled(), cache=cache).refresh()

    # Only the other process's entry, made after its commit: the overlapped read was dropped.
    assert _entries(home) == [_current_entry(home).name] != [cache.entry(before).name]
    assert {p.metadata["doc_id"] for p in _assistant(home).retriever.passages} == {FIRST.stem, SECOND.stem}


def test_a_save_keeps_one_entry_and_clears_abandoned_writes_but_not_one_in_progress(tmp_path):
    texts = ["Officers must report misconduct.", "Posts on social media can bring discredit."]
    passages = [StoredPassage(f"p{i}", text, {"doc_id": "d", "section": str(i)}) for i, text in enumerate(texts)]
    snapshot = Snapshot(passages, np.eye(2, 3, dtype=np.float32), BM25Index(texts))
    cache = SnapshotCache(tmp_path / "snapshot")
    cache.save("older-state", snapshot)
    abandoned, in_progress = cache.folder / ".writing-abandoned", cache.folder / ".writing-in-progress"
    abandoned.mkdir()
    in_progress.mkdir()
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))

    cache.save("state", snapshot)

    assert sorted(p.name for p in cache.folder.iterdir()) == [".writing-in-progress", cache.entry("state").name]
    assert cache.load("older-state") is None
    loaded = cache.load("state")
    assert loaded is not None and loaded.passages == passages
    assert np.array_equal(loaded.vectors, snapshot.vectors)
    for query in ("report misconduct", "social media", "unknown words"):
        assert np.array_equal(loaded.bm25.scores(query), snapshot.bm25.scores(query))
    assert loaded.bm25.idf("misconduct") == snapshot.bm25.idf("misconduct")
