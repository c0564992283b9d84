"""The one assistant API that the CLI and the UI call."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from assistant.answering import AnswerComposer
from assistant.config import Settings
from assistant.followup import contextual_query
from assistant.indexing import FileReport, Indexer
from assistant.lexicon import Lexicon
from assistant.models import Answer, Catalogue, DocumentSummary, Hit, SectionSummary
from assistant.retrieval import HybridRetriever, Mode
from assistant.sources import SourceWarnings
from ingest.chunking import Chunker
from vectorstore.bm25_index import analyse
from vectorstore.chroma_store import PassageStore
from vectorstore.embedder import Embedder
from vectorstore.filters import SearchFilter


class QuestionError(ValueError):
    """A question the assistant cannot take; the message says why in one line."""


class ConductAssistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        self._store: PassageStore | None = None
        self._embedder: Embedder | None = None
        self._retriever: HybridRetriever | None = None
        self._composer: AnswerComposer | None = None
        # Checked once per instance: every search and answer would otherwise re-read the
        # document registry from Chroma.
        self._index_ready = False

    @property
    def store(self) -> PassageStore:
        if self._store is None:
            self._store = PassageStore(self.settings.index_dir)
        return self._store

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.settings.model_dir)
        return self._embedder

    @property
    def retriever(self) -> HybridRetriever:
        if self._retriever is None:
            self._retriever = HybridRetriever(
                self.store,
                self.embedder,
                Lexicon.bundled(),
                candidates=self.settings.candidates,
                rrf_k=self.settings.rrf_k,
                reference_weight=self.settings.reference_weight,
            )
        return self._retriever

    @property
    def composer(self) -> AnswerComposer:
        if self._composer is None:
            self._composer = AnswerComposer(
                terms=analyse,
                weight=self.retriever.term_weight,
                warnings=SourceWarnings.bundled(),
                decline_threshold=self.settings.decline_threshold,
                off_topic_threshold=self.settings.off_topic_threshold,
                max_sentences=self.settings.answer_sentences,
                max_passages=self.settings.answer_passages,
            )
        return self._composer

    def ensure_index(self, on_file: Callable[[FileReport], None] | None = None) -> list[FileReport]:
        """Build the index from the shipped knowledge base if the index is empty."""
        if self._index_ready:
            return []
        reports = [] if self.store.documents() else self._ingest([self.settings.corpus_dir], on_file)
        self._index_ready = True
        return reports

    def ingest(
        self, paths: Iterable[Path], on_file: Callable[[FileReport], None] | None = None
    ) -> list[FileReport]:
        """Add or update files; the shipped knowledge base is built first on a fresh index."""
        reports = self.ensure_index(on_file)
        return reports + self._ingest(list(paths), on_file)

    def _ingest(
        self, paths: list[Path], on_file: Callable[[FileReport], None] | None
    ) -> list[FileReport]:
        indexer = Indexer(
            self.store,
            self.embedder,
            Chunker(self.settings.model_dir / "tokenizer.json"),
            self.settings.max_file_bytes,
        )
        reports = indexer.ingest(paths, on_file)
        if self._retriever is not None and any(r.status in ("added", "updated") for r in reports):
            self._retriever.refresh()
        return reports

    def search(
        self,
        query: str,
        k: int | None = None,
        search_filter: SearchFilter | None = None,
        mode: Mode = Mode.HYBRID,
    ) -> list[Hit]:
        query = self._check(query)
        self.ensure_index()
        return self.retriever.retrieve(query, k or self.settings.top_k, search_filter, mode).hits

    def ask(
        self,
        question: str,
        search_filter: SearchFilter | None = None,
        history: Sequence[str] = (),
    ) -> Answer:
        """Answer a question; `history` holds the conversation's earlier questions, oldest first."""
        question = self._check(question)
        self.ensure_index()
        search_filter = search_filter or SearchFilter()
        query = contextual_query(question, history)
        retrieval = self.retriever.retrieve(query, self.settings.top_k, search_filter)
        return self.composer.compose(question, retrieval, filtered=not search_filter.is_empty)

    def records(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Structured recommendation records, in document-id order."""
        self.ensure_index()
        documents = self.store.documents()
        return [
            documents[key].record or {}
            for key in sorted(documents)
            if documents[key].record and (doc_id is None or key == doc_id)
        ]

    def catalogue(self) -> Catalogue:
        """Every indexed document with its sections, in title order."""
        self.ensure_index()
        sections: dict[str, dict[str, SectionSummary]] = {}
        for p in self.retriever.passages:
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
                badges=self.composer.warnings.badges("", doc.metadata),
            )
            for doc_id, doc in self.store.documents().items()
        ]
        return Catalogue(tuple(sorted(documents, key=lambda d: (d.kind, d.title.lower()))))

    def known_values(self, key: str) -> list[str]:
        """Every value of a metadata field in the index (forces, themes, kinds...)."""
        self.ensure_index()
        values: set[str] = set()
        for p in self.retriever.passages:
            value = p.metadata.get(key)
            values.update(value if isinstance(value, list) else [value] if value else [])
        return sorted(str(v) for v in values)

    def make_filter(
        self,
        kinds: Sequence[str] = (),
        forces: Sequence[str] = (),
        themes: Sequence[str] = (),
        accepted: Sequence[str] = (),
        doc_ids: Sequence[str] = (),
        year_from: int | None = None,
        year_to: int | None = None,
    ) -> SearchFilter:
        """A filter from user input; force names match case-insensitively by part ("kent")."""
        known = self.known_values("forces") if forces else []
        resolved: list[str] = []
        for force in forces:
            matches = [name for name in known if force.strip().lower() in name.lower()]
            resolved.extend(matches or [force])
        return SearchFilter.build(
            kinds=list(kinds),
            doc_ids=list(doc_ids),
            forces=resolved,
            themes=list(themes),
            accepted=list(accepted),
            year_from=year_from,
            year_to=year_to,
        )

    def _check(self, question: str) -> str:
        question = (question or "").strip()
        if not question:
            raise QuestionError("empty question: type a question about police conduct")
        if not any(ch.isalnum() for ch in question):
            raise QuestionError("not a question: type some words about police conduct")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionError(f"question too long ({len(question):,} characters; the limit is {limit:,})")
        return question
