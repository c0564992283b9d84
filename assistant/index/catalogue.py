"""The knowledge base as a catalogue: every indexed document with its sections."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assistant.index.view import IndexView
from assistant.models import Catalogue, DocumentSummary, SectionSummary

Badges = Callable[[str, Mapping[str, Any]], tuple[str, ...]]


def catalogue(view: IndexView, badges: Badges) -> Catalogue:
    """Documents in kind and title order; `badges` names each one's status (superseded...)."""
    sections: dict[str, dict[str, SectionSummary]] = {}
    for p in view.passages:
        meta = p.metadata
        by_section = sections.setdefault(str(meta.get("doc_id", "")), {})
        name = str(meta.get("section", ""))
        seen = by_section.get(name)
        by_section[name] = SectionSummary(
            section=name,
            heading=str(meta.get("heading", "")),
            url=str(meta.get("url", "")),
            passages=(seen.passages if seen else 0) + 1,
        )
    documents = [
        DocumentSummary(
            doc_id=doc_id,
            title=str(doc.metadata.get("title", doc_id)),
            kind=str(doc.metadata.get("kind", "")),
            status=str(doc.metadata.get("status", "")),
            url=str(doc.metadata.get("url", "")),
            recognised=str(doc.metadata.get("recognised", "")),
            ingested_at=str(doc.metadata.get("ingested_at", "")),
            passages=int(doc.metadata.get("passages", 0)),
            sections=tuple(sections.get(doc_id, {}).values()),
            badges=badges("", doc.metadata),
        )
        for doc_id, doc in view.documents.items()
    ]
    return Catalogue(tuple(sorted(documents, key=lambda d: (d.kind, d.title.lower()))))
