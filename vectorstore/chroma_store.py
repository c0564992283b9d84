"""Passages and their documents in Chroma, with embeddings always passed explicitly.

Three collections: `passages` (one entry per passage, and per expansion line stored with its
document, role "expansion"; cosine space), `documents` (one entry per document: its content
hash, its structured record, and the mean of its passage vectors)
and `state` (the index revision, bumped by every write, so that other processes know to
reload). A document's entry is written last and is its commit record: readers see only the
passages whose document hash matches their document's entry, so a crash or a full disk part
way through a write leaves the previous state visible, and the next ingest completes it.

The store is Chroma's embedded PersistentClient in a folder by default, or a Chroma server
(`chroma run`) through HttpClient when a URL is configured.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

from ingest.models import EXPANSION, Passage, is_expansion

PASSAGES = "passages"
DOCUMENTS = "documents"
STATE = "state"
REVISION = "revision"
SPACE = {"hnsw:space": "cosine"}
# Records per read of a whole collection (see _read_all).
READ_PAGE = 10_000
# Disk an embedded index needs per passage (vector in the log and the graph, text, metadata,
# full-text index), generously: the benchmarks measure about a third of this. A write needs
# this much free space for its passages plus the headroom, or it is not started, because
# Chroma fails part way through a write on a full disk.
BYTES_PER_PASSAGE = 48 * 1024
HEADROOM_BYTES = 4 * 1024 * 1024


class StoreError(RuntimeError):
    """The index cannot be read or written; the message says why and what to do, in one line."""


def _reported(method):
    """Turn the storage layer's failures (a server that does not answer, a full or read-only
    disk) into one-line StoreErrors."""

    @functools.wraps(method)
    def wrapper(self: PassageStore, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except StoreError:
            raise
        except Exception as err:  # noqa: BLE001 - re-raised below unless it is a storage failure
            explained = self._explain(err)
            if explained is None:
                raise
            raise explained from err

    return wrapper


@dataclass(frozen=True)
class StoredPassage:
    passage_id: str
    text: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class DocumentWrite:
    """One document to store: its entry's metadata and record, its passages and their vectors."""

    doc_meta: dict[str, Any]
    record: dict[str, Any] | None
    passages: Sequence[Passage]
    embeddings: np.ndarray


@dataclass(frozen=True)
class IndexState:
    """What is committed: each document's content hash, and a fingerprint of every document
    entry. Every write that commits or removes a document changes the fingerprint (an entry
    records when it was written), so equal fingerprints mean the same committed passages."""

    fingerprint: str
    committed: dict[str, str]


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    content_hash: str
    metadata: dict[str, Any]
    record: dict[str, Any] | None


class PassageStore:
    def __init__(self, path: Path, url: str = ""):
        """The index in folder `path`, or on the Chroma server at `url` when one is given."""
        self.path = path
        self.url = url
        self._client = self._connect()
        self._open_collections()

    def _connect(self):
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        if self.url:
            address = urlsplit(self.url if "://" in self.url else f"http://{self.url}")
            if address.scheme not in ("http", "https") or not address.hostname:
                raise StoreError(f"Chroma server URL {self.url!r} is not like http://127.0.0.1:8000")
            try:
                return chromadb.HttpClient(
                    host=address.hostname,
                    port=address.port or (443 if address.scheme == "https" else 8000),
                    ssl=address.scheme == "https",
                    settings=settings,
                )
            except ValueError:
                raise StoreError(self._unreachable()) from None
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError(f"cannot create the index folder {self.path} ({err.strerror})") from None
        if not os.access(self.path, os.W_OK):
            raise StoreError(self._read_only())
        return chromadb.PersistentClient(path=str(self.path), settings=settings)

    @_reported
    def _open_collections(self) -> None:
        # embedding_function=None: Chroma's default would download a model.
        self._passages = self._client.get_or_create_collection(
            PASSAGES, metadata=SPACE, embedding_function=None
        )
        self._documents = self._client.get_or_create_collection(
            DOCUMENTS, metadata=SPACE, embedding_function=None
        )
        self._state = self._client.get_or_create_collection(STATE, embedding_function=None)
        self._batch = self._client.get_max_batch_size()

    def _unreachable(self) -> str:
        return (
            f"cannot reach the Chroma server at {self.url}; start it (chroma run --path DIR "
            "--port PORT) or unset CONDUCT_ASSISTANT_CHROMA_URL to use the local index"
        )

    def _read_only(self) -> str:
        return (
            f"the index folder {self.path} is read-only; the assistant needs to write to it "
            "(set CONDUCT_ASSISTANT_HOME to a writable folder)"
        )

    def _explain(self, err: Exception) -> StoreError | None:
        """A one-line StoreError for a storage failure, None for anything else."""
        import httpx

        if self.url and isinstance(err, httpx.TransportError):
            return StoreError(self._unreachable())
        text = str(err).lower()
        if "readonly" in text or "read-only" in text or getattr(err, "errno", None) == errno.EROFS:
            return StoreError(self._read_only())
        if not self.url and self._free_bytes() < HEADROOM_BYTES:
            return StoreError(
                f"the disk holding the index {self.path} is full; free some space and run "
                "the ingest again (documents whose write failed stay as they were)"
            )
        return None

    def _free_bytes(self) -> int:
        return shutil.disk_usage(self.path).free

    def ensure_space(self, passages: int) -> None:
        """Refuse a write of `passages` passages that the disk may not have room for."""
        if self.url:
            return
        needed = passages * BYTES_PER_PASSAGE + HEADROOM_BYTES
        free = self._free_bytes()
        if free < needed:
            raise StoreError(
                f"not enough disk space for the index {self.path}: {free / 2**20:.1f} MB free, "
                f"about {needed / 2**20:.1f} MB needed for {passages} passages; free some "
                "space and run the ingest again"
            )

    @_reported
    def revision(self) -> str:
        """Changes with every write, in any process: a reader reloads when it differs."""
        return self.mark(REVISION)

    def _bump_revision(self) -> None:
        self.set_mark(REVISION, uuid.uuid4().hex)

    @_reported
    def count(self) -> int:
        """Passages of source text in the index, committed or not (expansion lines aside)."""
        return len(self._passages.get(where={"role": {"$ne": EXPANSION}}, include=[])["ids"])

    @_reported
    def mark(self, name: str) -> str:
        """A value kept with the index under `name` ("" when never set)."""
        got = self._state.get(ids=[name], include=["metadatas"])
        return str(got["metadatas"][0].get(name, "")) if got["ids"] else ""

    @_reported
    def set_mark(self, name: str, value: str) -> None:
        self._state.upsert(ids=[name], embeddings=[[1.0]], metadatas=[{name: value}])

    @_reported
    def has_documents(self) -> bool:
        """Whether any document is committed: a count, not a read of every entry."""
        return self._documents.count() > 0

    @_reported
    def documents(self) -> dict[str, StoredDocument]:
        got = _read_all(self._documents, ["metadatas", "documents"])
        stored = {}
        for doc_id, meta, body in zip(got["ids"], got["metadatas"], got["documents"], strict=True):
            meta = dict(meta or {})
            stored[doc_id] = StoredDocument(
                doc_id=doc_id,
                content_hash=str(meta.get("doc_hash", "")),
                metadata=meta,
                record=json.loads(body) if body else None,
            )
        return stored

    @_reported
    def state(self) -> IndexState:
        got = _read_all(self._documents, ["metadatas"])
        entries = sorted(
            (doc_id, dict(meta or {})) for doc_id, meta in zip(got["ids"], got["metadatas"], strict=True)
        )
        digest = hashlib.sha256(json.dumps(entries, sort_keys=True, default=str).encode("utf-8"))
        return IndexState(
            fingerprint=digest.hexdigest(),
            committed={doc_id: str(meta.get("doc_hash", "")) for doc_id, meta in entries},
        )

    @_reported
    def snapshot(
        self, embed: Callable[[list[StoredPassage]], np.ndarray], state: IndexState | None = None
    ) -> tuple[list[StoredPassage], np.ndarray]:
        """Every committed record (passages and expansion lines) with its stored embedding:
        the records and an (n, dim) float32 matrix whose row i is record i's unit vector. A
        record is committed when its
        document's entry carries the same document hash (see the module docstring); `state`
        is what counts as committed, read now when not given.

        After a process was killed mid-write, Chroma can hold a passage whose vector it can no
        longer return ("Error finding id"). Such passages are embedded again with `embed` (the
        same encoder on the same text gives the same vector) and written back, so the index
        heals instead of failing every search."""
        committed = (state or self.state()).committed
        got = _read_all(self._passages, ["metadatas", "documents"])
        passages = [
            StoredPassage(pid, text or "", dict(meta or {}))
            for pid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
            if meta and committed.get(str(meta.get("doc_id"))) == meta.get("doc_hash")
        ]
        if not passages:
            return [], np.zeros((0, 0), dtype=np.float32)
        stored = self._stored_vectors([p.passage_id for p in passages])
        lost = [p for p in passages if p.passage_id not in stored]
        if lost:
            restored = np.asarray(embed(lost), dtype=np.float32)
            stored.update(zip((p.passage_id for p in lost), restored, strict=True))
            self._passages.upsert(
                ids=[p.passage_id for p in lost],
                embeddings=restored,
                documents=[p.text for p in lost],
                metadatas=[p.metadata for p in lost],
            )
        vectors = np.stack([stored[p.passage_id] for p in passages]).astype(np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return passages, vectors / np.where(norms == 0, 1.0, norms)

    def _stored_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The vectors Chroma can return for `ids`; a batch that fails is read one by one."""
        from chromadb.errors import InternalError

        found: dict[str, np.ndarray] = {}
        for start in range(0, len(ids), self._batch):
            batch = ids[start : start + self._batch]
            try:
                groups = [self._passages.get(ids=batch, include=["embeddings"])]
            except InternalError:
                groups = []
                for pid in batch:
                    try:
                        groups.append(self._passages.get(ids=[pid], include=["embeddings"]))
                    except InternalError:
                        continue
            for got in groups:
                found.update(
                    (pid, np.asarray(vector, dtype=np.float32))
                    for pid, vector in zip(got["ids"], got["embeddings"], strict=True)
                )
        return found

    @_reported
    def write_documents(self, writes: Sequence[DocumentWrite]) -> None:
        """Replace each document's passages with its new ones, then record the documents as
        complete. The whole group goes in a few batched calls: one call per document made an
        ingest of thousands of small documents half as fast as the encoder."""
        if not writes:
            return
        passages = [p for w in writes for p in w.passages]
        embeddings = np.concatenate([w.embeddings for w in writes])
        ids = [p.passage_id for p in passages]
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            self._passages.upsert(
                ids=ids[start:end],
                embeddings=embeddings[start:end],
                documents=[p.text for p in passages[start:end]],
                metadatas=[p.metadata for p in passages[start:end]],
            )
        doc_ids = [str(w.doc_meta["doc_id"]) for w in writes]
        self._delete_passages(doc_ids, keep=set(ids))
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        centroids = np.stack([_centroid(w) for w in writes])
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        centroids /= np.where(norms == 0, 1.0, norms)
        for start in range(0, len(writes), self._batch):
            group = writes[start : start + self._batch]
            self._documents.upsert(
                ids=doc_ids[start : start + self._batch],
                embeddings=centroids[start : start + self._batch],
                documents=[json.dumps(w.record) if w.record else "" for w in group],
                metadatas=[
                    {k: v for k, v in {**w.doc_meta, "ingested_at": now}.items() if v not in ("", None, [])}
                    for w in group
                ],
            )
        self._bump_revision()

    @_reported
    def delete_document(self, doc_id: str) -> int:
        """Remove a document: its passages first, its entry last (so a crash leaves an entry
        that the next sync removes again). Returns the number of passages removed."""
        removed = self._delete_passages([doc_id], keep=set())
        self._documents.delete(ids=[doc_id])
        self._bump_revision()
        return removed

    @_reported
    def orphans(self) -> dict[str, str]:
        """Documents with passages but no entry (left by a crash before the entry was
        written), each with the source file its passages came from."""
        entries = set(self._documents.get(include=[])["ids"])
        found: dict[str, str] = {}
        for meta in _read_all(self._passages, ["metadatas"])["metadatas"]:
            doc_id = str((meta or {}).get("doc_id", ""))
            if doc_id not in entries:
                found[doc_id] = str((meta or {}).get("source", ""))
        return found

    def _delete_passages(self, doc_ids: list[str], keep: set[str]) -> int:
        """Delete the documents' records not in `keep`; returns how many were source passages.
        Ids only: one read of that many records' metadata can break SQLite's variable limit."""
        where = {"doc_id": {"$in": doc_ids}}
        existing = self._passages.get(where=where, include=[])["ids"]
        lines_where = {"$and": [where, {"role": EXPANSION}]}
        lines = set(self._passages.get(where=lines_where, include=[])["ids"])
        stale = [pid for pid in existing if pid not in keep]
        for start in range(0, len(stale), self._batch):
            self._passages.delete(ids=stale[start : start + self._batch])
        return sum(pid not in lines for pid in stale)


def _centroid(write: DocumentWrite) -> np.ndarray:
    """The mean of a document's passage vectors, leaving out its expansion lines."""
    source = [i for i, p in enumerate(write.passages) if not is_expansion(p.metadata)]
    return write.embeddings[source or slice(None)].mean(axis=0)


def _read_all(collection: Any, include: list[str]) -> dict[str, list[Any]]:
    """Every record of a collection: the ids in one read, then their records a page at a
    time. Chroma embedded reads the metadata of one get() with a single SQL statement, and
    SQLite refuses one with more than 32,766 variables ("too many SQL variables", at about
    33,000 passages). Pages go by id, not offset: a record that another process deletes
    between two pages would shift an offset and skip one that is still there."""
    ids = collection.get(include=[])["ids"]
    read: dict[str, list[Any]] = {key: [] for key in ("ids", *include)}
    for start in range(0, len(ids), READ_PAGE):
        page = collection.get(ids=ids[start : start + READ_PAGE], include=include)
        for key, values in read.items():
            values.extend(page[key])
    return read
