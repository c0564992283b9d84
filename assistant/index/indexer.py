"""Ingest files into the index: parse, chunk, embed, store; one report per file."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from ingest.chunking import Chunker
from ingest.expansions import ExpansionFolder
from ingest.loader import discover, load_document
from ingest.models import IngestError, ParsedDocument, Passage, is_expansion
from vectorstore.chroma_store import DocumentWrite, PassageStore, StoredDocument, StoreError
from vectorstore.embedder import Embedder

# A file ready to write: its path, parsed document, passages and "added" or "updated".
Pending = tuple[Path, ParsedDocument, list[Passage], str]

@dataclass(frozen=True)
class FileReport:
    path: str
    doc_id: str
    status: str  # added | unchanged | updated | removed | failed
    passages: int
    error: str
    recognised: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    def line(self) -> str:
        if self.status == "failed":
            return f"error: {self.path}: {self.error}"
        if self.status == "removed":
            return f"removed: {self.path} ({self.doc_id}; {self.passages} passages)"
        return f"{self.status}: {self.path} ({self.recognised}; {self.passages} passages)"


class Indexer:
    def __init__(
        self,
        store: PassageStore,
        embedder: Embedder,
        chunker: Chunker,
        max_bytes: int,
        embed_group: int = 512,
        expansions: ExpansionFolder | None = None,
    ):
        self.store = store
        self.embedder = embedder
        self.chunker = chunker
        self.max_bytes = max_bytes
        self.expansions = expansions or ExpansionFolder(None)
        # Documents are embedded together until this many passages are pending: big groups
        # keep the encoder busy, bounded ones keep memory flat on large folders.
        self.embed_group = embed_group

    def sync(
        self, folder: Path, on_file: Callable[[FileReport], None] | None = None
    ) -> list[FileReport]:
        """Make the index hold exactly the documents of `folder`: add new files, re-index
        changed ones, and remove the documents whose files under `folder` are gone."""
        if not folder.is_dir():
            return [FileReport(str(folder), "", "failed", 0, "not a folder (--sync takes a folder)", "")]
        reports = self.ingest([folder], on_file)
        present = {path.resolve() for path in discover([folder])}
        root = folder.resolve()
        for doc_id, doc in sorted(self.store.documents().items()):
            source = Path(str(doc.metadata.get("source", "")))
            if source.is_relative_to(root) and source not in present:
                count = self.store.delete_document(doc_id)
                report = FileReport(str(source), doc_id, "removed", count, "", str(doc.metadata.get("recognised", "")))
                reports.append(report)
                if on_file:
                    on_file(report)
        for doc_id, source in sorted(self.store.orphans().items()):
            # Passages of a file whose first ingest crashed and which is gone now.
            if Path(source).is_relative_to(root):
                self.store.delete_document(doc_id)
        return reports

    def ingest(
        self, paths: Iterable[Path], on_file: Callable[[FileReport], None] | None = None
    ) -> list[FileReport]:
        files = discover(list(paths))
        stored = self.store.documents()
        claimed: dict[str, str] = {}
        reports: list[FileReport] = []
        pending: list[Pending] = []

        def emit(report: FileReport) -> None:
            reports.append(report)
            if on_file:
                on_file(report)

        def flush() -> None:
            for report in self._write(pending):
                emit(report)
            pending.clear()

        for path in files:
            prepared = self._prepare(path, stored, claimed)
            if isinstance(prepared, FileReport):
                emit(prepared)
                continue
            pending.append(prepared)
            if sum(len(p) for _, _, p, _ in pending) >= self.embed_group:
                flush()
        flush()
        order = {str(path): i for i, path in enumerate(files)}
        return sorted(reports, key=lambda r: order[r.path])

    def _prepare(
        self, path: Path, stored: dict[str, StoredDocument], claimed: dict[str, str]
    ) -> FileReport | Pending:
        """A file's passages ready to write, or its report when it fails or has not changed."""
        try:
            doc = self.expansions.attach(load_document(path, self.max_bytes))
        except IngestError as err:
            return FileReport(str(path), "", "failed", 0, str(err), "")
        except OSError as err:
            return FileReport(str(path), "", "failed", 0, f"cannot read ({err.strerror})", "")
        if doc.doc_id in claimed:
            error = f"document id '{doc.doc_id}' is already used by {claimed[doc.doc_id]}"
            return FileReport(str(path), doc.doc_id, "failed", 0, error, doc.describe())
        claimed[doc.doc_id] = str(path)
        existing = stored.get(doc.doc_id)
        other = str(existing.metadata.get("source", "")) if existing else ""
        if other and Path(other).resolve() != path.resolve() and Path(other).exists():
            error = (
                f"document id '{doc.doc_id}' belongs to {other}; rename this file "
                "or give it its own 'id:' in front matter"
            )
            return FileReport(str(path), doc.doc_id, "failed", 0, error, doc.describe())
        # A file moved to another path is written again: its entry must name where it is
        # now, or a sync would remove it as gone from its old path.
        if (
            existing is not None
            and existing.content_hash == doc.content_hash
            and existing.metadata.get("source") == doc.source
        ):
            count = int(existing.metadata.get("passages", 0))
            return FileReport(str(path), doc.doc_id, "unchanged", count, "", doc.describe())
        try:
            passages = self.chunker.passages(doc)
        except Exception as err:  # noqa: BLE001 - one file's failure must not stop the batch
            return FileReport(str(path), doc.doc_id, "failed", 0, f"cannot split into passages ({err})", doc.describe())
        return path, doc, passages, "updated" if existing is not None else "added"

    def _write(
        self, pending: list[Pending]
    ) -> list[FileReport]:
        if not pending:
            return []
        texts = [p.indexed_text for _, _, passages, _ in pending for p in passages]
        # Checked before anything is written: Chroma fails part way through on a full disk.
        self.store.ensure_space(len(texts))
        embeddings = self.embedder.encode(texts)
        writes, offset = [], 0
        for _, doc, passages, _ in pending:
            vectors = embeddings[offset : offset + len(passages)]
            offset += len(passages)
            meta = _document_metadata(doc, _source_count(passages))
            writes.append(DocumentWrite(meta, _record(doc), passages, vectors))
        try:
            self.store.write_documents(writes)
        except StoreError:
            raise  # the disk or the server: every later write would fail the same way
        except Exception:  # noqa: BLE001 - a document Chroma refuses: find it, store the others
            return [self._write_one(item, write) for item, write in zip(pending, writes, strict=True)]
        return [
            FileReport(str(path), doc.doc_id, status, _source_count(passages), "", doc.describe())
            for path, doc, passages, status in pending
        ]

    def _write_one(
        self, item: tuple[Path, ParsedDocument, list[Passage], str], write: DocumentWrite
    ) -> FileReport:
        path, doc, passages, status = item
        try:
            self.store.write_documents([write])
        except StoreError:
            raise
        except Exception as err:  # noqa: BLE001 - one file's storage failure must not stop the batch
            return FileReport(str(path), doc.doc_id, "failed", 0, f"not stored ({err})", doc.describe())
        count = _source_count(passages)
        return FileReport(str(path), doc.doc_id, status, count, "", doc.describe())


def _source_count(passages: list[Passage]) -> int:
    """Passages of source text, leaving out the expansion lines stored beside them."""
    return sum(not is_expansion(p.metadata) for p in passages)


def _document_metadata(doc: ParsedDocument, passages: int) -> dict[str, object]:
    return {
        "doc_id": doc.doc_id,
        "doc_hash": doc.content_hash,
        "title": doc.title,
        "kind": doc.kind,
        "url": doc.url,
        "status": doc.status,
        "layout": doc.layout,
        "source": doc.source,
        "recognised": doc.describe(),
        "passages": passages,
        "sections": len({s.section_id for s in doc.sections}),
    }


def _record(doc: ParsedDocument) -> dict[str, object] | None:
    return asdict(doc.record) if doc.record else None
