"""The index as this process sees it: the one owner of its freshness.

`LiveIndex` builds the index from the shipped knowledge base on first use, writes files to it,
and hands out the `IndexView` of its current revision. It alone compares revisions: when
another process has written (or this one has), it has the tables reloaded (`load`, the
retriever's) and makes a new view; the features only ever read views.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from assistant.config import Settings
from assistant.index.indexer import FileReport, Indexer
from assistant.index.view import IndexView
from ingest.chunking import Chunker
from ingest.expansions import ExpansionFolder
from vectorstore.chroma_store import PassageStore, StoredPassage
from vectorstore.embedder import Embedder
from vectorstore.write_lock import write_lock

# How long a process starting on a fresh index waits for another one building it.
BUILD_WAIT_SECONDS = 600
# The digest of the expansion files the index was last brought up to date with.
EXPANSIONS_MARK = "expansions"

OnFile = Callable[[FileReport], None] | None


class LiveIndex:
    def __init__(
        self,
        settings: Settings,
        store: PassageStore,
        embedder: Embedder,
        load: Callable[[], Sequence[StoredPassage]],
    ):
        self.settings = settings
        self.store = store
        self.embedder = embedder
        # Reloads the searchable tables and returns their passages, in table order.
        self._load = load
        # Checked once per process: every call would otherwise re-read the document registry.
        self._built = False
        self._view: IndexView | None = None

    def ensure_built(self, on_file: OnFile = None) -> list[FileReport]:
        """Build the index from the shipped knowledge base if it is empty, and ingest it again
        when the expansion files changed since (only the documents they name are written)."""
        if self._built:
            return []
        reports: list[FileReport] = []
        expansions = ExpansionFolder(self.settings.expansions_dir).digest()

        def stale() -> bool:
            return not self.store.has_documents() or self.store.mark(EXPANSIONS_MARK) != expansions

        if stale():
            # Two processes starting on a fresh index: the second waits, then finds it built.
            with write_lock(self.settings.home, wait=BUILD_WAIT_SECONDS):
                if stale():
                    reports = self._indexer().ingest([self.settings.corpus_dir], on_file)
                    self.store.set_mark(EXPANSIONS_MARK, expansions)
        self._built = True
        return reports

    def view(self) -> IndexView:
        """The view of the index's current revision (built first if need be)."""
        self.ensure_built()
        revision = self.store.revision()
        if self._view is None or self._view.revision != revision:
            passages = tuple(self._load())
            self._view = IndexView(revision, passages, self.store.documents())
        return self._view

    def ingest(self, paths: Iterable[Path], on_file: OnFile = None) -> list[FileReport]:
        """Add or update files. Raises IndexBusy when another process is writing to the index."""
        reports = self.ensure_built(on_file)
        with write_lock(self.settings.home):
            return reports + self._indexer().ingest(list(paths), on_file)

    def sync(self, folder: Path, on_file: OnFile = None) -> list[FileReport]:
        """Make the index hold exactly what `folder` holds now (added, updated, removed).
        Raises IndexBusy when another process is writing to the index."""
        reports = self.ensure_built(on_file)
        with write_lock(self.settings.home):
            return reports + self._indexer().sync(folder, on_file)

    def _indexer(self) -> Indexer:
        return Indexer(
            self.store,
            self.embedder,
            Chunker(self.settings.model_dir / "tokenizer.json"),
            self.settings.max_file_bytes,
            self.settings.embed_group,
            ExpansionFolder(self.settings.expansions_dir),
        )
