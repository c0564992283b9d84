"""Passages and their documents in Chroma, with embeddings always passed explicitly.

Two collections: `passages` (one entry per passage, cosine space) and `documents` (one entry
per document: its content hash, its structured record, and the mean of its passage vectors).
A document's entry is written last, so it marks that document's passages as complete: a
crash before it leaves a hash mismatch that the next ingest repairs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from ingest.models import Passage

PASSAGES = "passages"
DOCUMENTS = "documents"
SPACE = {"hnsw:space": "cosine"}


@dataclass(frozen=True)
class StoredPassage:
    passage_id: str
    text: str
    metadata: dict[str, Any]


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    content_hash: str
    metadata: dict[str, Any]
    record: dict[str, Any] | None


class PassageStore:
    def __init__(self, path: Path):
        import chromadb
        from chromadb.config import Settings

        path.mkdir(parents=True, exist_ok=True)
        self._client = chromadb.PersistentClient(
            path=str(path), settings=Settings(anonymized_telemetry=False, allow_reset=False)
        )
        # embedding_function=None: Chroma's default would download a model.
        self._passages = self._client.get_or_create_collection(
            PASSAGES, metadata=SPACE, embedding_function=None
        )
        self._documents = self._client.get_or_create_collection(
            DOCUMENTS, metadata=SPACE, embedding_function=None
        )
        self._batch = self._client.get_max_batch_size()

    def count(self) -> int:
        return self._passages.count()

    def documents(self) -> dict[str, StoredDocument]:
        got = self._documents.get(include=["metadatas", "documents"])
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

    def snapshot(
        self, embed: Callable[[list[StoredPassage]], np.ndarray]
    ) -> tuple[list[StoredPassage], np.ndarray]:
        """Every passage with its stored embedding: the passages and an (n, dim) float32 matrix
        whose row i is passage i's unit vector.

        After a process was killed mid-write, Chroma can hold a passage whose vector it can no
        longer return ("Error finding id"). Such passages are embedded again with `embed` (the
        same encoder on the same text gives the same vector) and written back, so the index
        heals instead of failing every search."""
        got = self._passages.get(include=["metadatas", "documents"])
        passages = [
            StoredPassage(pid, text or "", dict(meta or {}))
            for pid, text, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
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

    def write_document(
        self,
        doc_meta: dict[str, Any],
        record: dict[str, Any] | None,
        passages: Sequence[Passage],
        embeddings: np.ndarray,
    ) -> None:
        """Replace a document's passages with these, then record the document as complete."""
        doc_id = str(doc_meta["doc_id"])
        ids = [p.passage_id for p in passages]
        for start in range(0, len(ids), self._batch):
            end = start + self._batch
            self._passages.upsert(
                ids=ids[start:end],
                embeddings=embeddings[start:end],
                documents=[p.text for p in passages[start:end]],
                metadatas=[p.metadata for p in passages[start:end]],
            )
        self._delete_passages(doc_id, keep=set(ids))
        centroid = embeddings.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        meta = {**doc_meta, "ingested_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        self._documents.upsert(
            ids=[doc_id],
            embeddings=centroid[None, :],
            documents=[json.dumps(record) if record else ""],
            metadatas=[{k: v for k, v in meta.items() if v not in ("", None, [])}],
        )

    def delete_document(self, doc_id: str) -> int:
        """Remove a document: its passages first, its entry last (so a crash leaves an entry
        that the next sync removes again). Returns the number of passages removed."""
        removed = self._delete_passages(doc_id, keep=set())
        self._documents.delete(ids=[doc_id])
        return removed

    def orphans(self) -> dict[str, str]:
        """Documents with passages but no entry (left by a crash before the entry was
        written), each with the source file its passages came from."""
        entries = set(self._documents.get(include=[])["ids"])
        found: dict[str, str] = {}
        for meta in self._passages.get(include=["metadatas"])["metadatas"]:
            doc_id = str((meta or {}).get("doc_id", ""))
            if doc_id not in entries:
                found[doc_id] = str((meta or {}).get("source", ""))
        return found

    def _delete_passages(self, doc_id: str, keep: set[str]) -> int:
        existing = self._passages.get(where={"doc_id": doc_id}, include=[])["ids"]
        stale = [pid for pid in existing if pid not in keep]
        for start in range(0, len(stale), self._batch):
            self._passages.delete(ids=stale[start : start + self._batch])
        return len(stale)
