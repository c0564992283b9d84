"""What the index holds at one revision, and the tables features derive from it.

A view never changes: when another process (or this one) writes to the index, `LiveIndex`
makes a new view for the new revision, so a table derived from a view (the precedent rows,
the catalogue, the values a filter offers) is computed once and is never stale for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from vectorstore.chroma_store import StoredDocument, StoredPassage

Derived = TypeVar("Derived")


@dataclass(frozen=True)
class IndexView:
    revision: str
    # The knowledge base's passages (not the expansion lines), in the retriever's table order.
    passages: tuple[StoredPassage, ...]
    documents: Mapping[str, StoredDocument]
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, compare=False, repr=False)

    def derived(self, name: str, build: Callable[[IndexView], Derived]) -> Derived:
        """The table `name`, built from this view by `build` the first time it is asked for."""
        with self._lock:
            if name not in self._derived:
                self._derived[name] = build(self)
            return self._derived[name]

    def values(self, key: str) -> list[str]:
        """Every value of a passage metadata field (forces, themes, kinds, years), sorted."""
        return self.derived(f"values:{key}", lambda view: _values(view.passages, key))

    def records(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Structured recommendation records, in document-id order."""
        return [
            dict(self.documents[key].record or {})
            for key in sorted(self.documents)
            if self.documents[key].record and (doc_id is None or key == doc_id)
        ]

    def document_metadata(self) -> dict[str, Mapping[str, Any]]:
        """Each document's first passage's metadata (its force, month, themes...)."""
        first: dict[str, Mapping[str, Any]] = {}
        for p in self.passages:
            first.setdefault(str(p.metadata.get("doc_id", "")), p.metadata)
        return first


def _values(passages: tuple[StoredPassage, ...], key: str) -> list[str]:
    found: set[str] = set()
    for p in passages:
        value = p.metadata.get(key)
        found.update(value if isinstance(value, list) else [value] if value else [])
    return sorted(str(v) for v in found)
