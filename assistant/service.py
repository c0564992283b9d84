"""The one assistant API that the CLI and the UI call."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

import prompts
from assistant.answers.composer import AnswerComposer, AnswerShape
from assistant.answers.followup import contextual_query, is_follow_up
from assistant.answers.generative import GenerativeAnswerer
from assistant.answers.grounding import SupportChecker
from assistant.answers.llm import LLMError, describe, load_chat_model
from assistant.answers.sources import SourceWarnings
from assistant.briefs.writer import BriefWriter
from assistant.config import Settings
from assistant.index.indexer import FileReport, Indexer
from assistant.models import (
    Answer,
    Catalogue,
    DocumentSummary,
    Hit,
    PrecedentRecord,
    PrecedentResult,
    SectionSummary,
    TrainingBrief,
)
from assistant.precedents.table import PrecedentError, PrecedentQuery, PrecedentTable, parse_key
from assistant.retrieval.hybrid import HybridRetriever, Mode
from assistant.retrieval.lexicon import Lexicon
from ingest.chunking import Chunker
from ingest.expansions import ExpansionFolder
from vectorstore.bm25_index import analyse
from vectorstore.chroma_store import PassageStore
from vectorstore.embedder import Embedder
from vectorstore.filters import SearchFilter
from vectorstore.snapshot_cache import SnapshotCache
from vectorstore.write_lock import write_lock

# Passages a precedent search ranks before grouping them by recommendation.
PRECEDENT_PASSAGES = 200


MAX_AUDIENCE_CHARS = 200

# How long a process starting on a fresh index waits for another one building it.
BUILD_WAIT_SECONDS = 600
# The digest of the expansion files the index was last brought up to date with.
EXPANSIONS_MARK = "expansions"


class QuestionError(ValueError):
    """A question the assistant cannot take; the message says why in one line."""


def _serialised(method):
    """One call at a time per assistant: a reload after another process's ingest replaces the
    retriever's tables, which a search in another thread (the chat's queue, an MCP tool call)
    must not read half-replaced."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return call


class ConductAssistant:
    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings.from_env()
        self._store: PassageStore | None = None
        self._embedder: Embedder | None = None
        self._retriever: HybridRetriever | None = None
        self._composer: AnswerComposer | None = None
        self._precedents: PrecedentTable | None = None
        self._generator: GenerativeAnswerer | None = None
        self._generator_error: LLMError | None = None
        # Checked once per instance: every search and answer would otherwise re-read the
        # document registry from Chroma.
        self._index_ready = False
        # The index revision this process last loaded; another process's write changes it.
        self._revision: str | None = None
        self._lock = threading.RLock()
        # Held while the language model writes, outside `_lock`: a long generation does not
        # stop other users' searches, only other generations.
        self._model_turn = threading.Lock()

    @property
    def store(self) -> PassageStore:
        if self._store is None:
            self._store = PassageStore(self.settings.index_dir, self.settings.chroma_url)
        return self._store

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.settings.model_dir, onnx_dir=self.settings.encoder_dir)
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
                kind_margin=self.settings.kind_margin,
                cache=SnapshotCache(self.settings.snapshot_dir),
                rare_zipf=self.settings.unknown_word_zipf,
            )
        return self._retriever

    @property
    def composer(self) -> AnswerComposer:
        if self._composer is None:
            self._composer = AnswerComposer(
                terms=analyse,
                weight=self.retriever.term_weight,
                encode=self.embedder.encode,
                warnings=SourceWarnings.bundled(),
                decline_threshold=self.settings.decline_threshold,
                caveat_threshold=self.settings.caveat_threshold,
                off_topic_threshold=self.settings.off_topic_threshold,
                related=self.retriever.counterpart,
                shape=AnswerShape(
                    max_words=self.settings.answer_words, max_sections=self.settings.answer_sections
                ),
            )
        return self._composer

    @property
    def generator(self) -> GenerativeAnswerer | None:
        """The generative answerer when a language model is configured (raises LLMError when
        it cannot be loaded), else None."""
        if not self.settings.llm:
            return None
        if self._generator_error is not None:
            raise self._generator_error
        if self._generator is None:
            checker = SupportChecker(analyse, self.embedder.encode, self.retriever.vector)
            try:
                model = load_chat_model(self.settings)
            except LLMError as err:
                # Not retried on every question: the setting or the file needs fixing.
                self._generator_error = err
                raise
            self._generator = GenerativeAnswerer(
                model,
                describe(self.settings.llm),
                self.composer,
                checker,
                self.settings.llm_min_kept,
            )
        return self._generator

    @_serialised
    def ensure_index(self, on_file: Callable[[FileReport], None] | None = None) -> list[FileReport]:
        """Build the index from the shipped knowledge base if the index is empty, ingest it
        again when the expansion files changed since (only the documents they name are
        written), and reload what this process holds when another process has changed the
        index since."""
        if self._index_ready:
            self._follow_index()
            return []
        reports: list[FileReport] = []
        expansions = ExpansionFolder(self.settings.expansions_dir).digest()

        def stale() -> bool:
            return not self.store.has_documents() or self.store.mark(EXPANSIONS_MARK) != expansions

        if stale():
            # Two processes starting on a fresh index: the second waits, then finds it built.
            with write_lock(self.settings.home, wait=BUILD_WAIT_SECONDS):
                if stale():
                    reports = self._ingest([self.settings.corpus_dir], on_file)
                    self.store.set_mark(EXPANSIONS_MARK, expansions)
        self._index_ready = True
        self._follow_index()
        return reports

    def _follow_index(self) -> None:
        revision = self.store.revision()
        if revision != self._revision:
            self._revision = revision
            self._reload()

    @_serialised
    def ingest(
        self, paths: Iterable[Path], on_file: Callable[[FileReport], None] | None = None
    ) -> list[FileReport]:
        """Add or update files; the shipped knowledge base is built first on a fresh index.
        Raises IndexBusy when another process is writing to the index."""
        reports = self.ensure_index(on_file)
        with write_lock(self.settings.home):
            return reports + self._ingest(list(paths), on_file)

    @_serialised
    def sync(
        self, folder: Path, on_file: Callable[[FileReport], None] | None = None
    ) -> list[FileReport]:
        """Make the index hold exactly what `folder` holds now (added, updated, removed).
        Raises IndexBusy when another process is writing to the index."""
        reports = self.ensure_index(on_file)
        with write_lock(self.settings.home):
            return reports + self._changed(self._indexer().sync(folder, on_file))

    def _ingest(
        self, paths: list[Path], on_file: Callable[[FileReport], None] | None
    ) -> list[FileReport]:
        return self._changed(self._indexer().ingest(paths, on_file))

    def _indexer(self) -> Indexer:
        return Indexer(
            self.store,
            self.embedder,
            Chunker(self.settings.model_dir / "tokenizer.json"),
            self.settings.max_file_bytes,
            self.settings.embed_group,
            ExpansionFolder(self.settings.expansions_dir),
        )

    def _changed(self, reports: list[FileReport]) -> list[FileReport]:
        """Reload what depends on the index when a report says it changed."""
        if any(r.status in ("added", "updated", "removed") for r in reports):
            self._revision = self.store.revision()
            self._reload()
        return reports

    def _reload(self) -> None:
        self._precedents = None
        if self._retriever is not None:
            self._retriever.refresh()

    @_serialised
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

    def source_warnings(self, hit: Hit) -> tuple[str, ...]:
        """What a reader of this passage must know about its source (superseded, non-statutory...)."""
        return self.composer.warnings.for_passage(hit.text, hit.metadata)

    def ask(
        self,
        question: str,
        search_filter: SearchFilter | None = None,
        history: Sequence[str] = (),
    ) -> Answer:
        """Answer a question; `history` holds the conversation's earlier questions, oldest first."""
        *_, answer = self.ask_stream(question, search_filter, history)
        return answer

    def ask_stream(
        self,
        question: str,
        search_filter: SearchFilter | None = None,
        history: Sequence[str] = (),
    ) -> Iterator[Answer]:
        """Like `ask`, for a UI that shows progress: with a language model configured, partial
        answers of the sentences that already passed the citation check (mode "drafting") as
        the model writes, then always the final answer."""
        question = self._check(question)
        search_filter = search_filter or SearchFilter()
        query = contextual_query(question, history)
        with self._lock:
            self.ensure_index()
            try:
                generator = self.generator
            except LLMError as err:
                generator, failure = None, str(err)
            else:
                failure = ""
        # The model reads a follow-up as the standalone question it rewrote it into.
        standalone = question
        if generator is not None and history and is_follow_up(question):
            with self._model_turn:
                query = standalone = generator.rewrite(question, history, query)
        with self._lock:
            retrieval = self.retriever.retrieve(query, self.settings.top_k, search_filter)
            extractive = self.composer.compose(question, retrieval, filtered=not search_filter.is_empty)
        if generator is None:
            if failure and extractive.answered:
                note = prompts.load("llm_failed").format(reason=failure)
                extractive = replace(extractive, mode="fallback", mode_note=note)
            yield extractive
            return
        # One answer written at a time, as through the chat's queue. A plain Lock, not the
        # assistant's RLock: a UI may resume this generator in another thread, and only a
        # plain Lock may be released there.
        self._model_turn.acquire()
        try:
            yield from generator.stream(standalone, retrieval, extractive, self.settings.llm_timeout)
        finally:
            self._model_turn.release()

    @_serialised
    def brief(self, topic: str, audience: str = "", polish: bool = False) -> TrainingBrief:
        """A cited training brief on `topic`, or one saying the knowledge base cannot support it.
        `polish` lets the configured language model reword each provision's summary (kept only
        where every reworded sentence passes the citation check)."""
        topic = self._check(topic, "topic")
        if len(audience) > MAX_AUDIENCE_CHARS:
            raise QuestionError(f"audience too long ({len(audience):,} characters; the limit is {MAX_AUDIENCE_CHARS})")
        self.ensure_index()
        writer = BriefWriter(
            self.retriever,
            self.composer,
            lambda: self.precedent_table,
            analyse,
            self.settings.top_k,
            polish=self._polisher() if polish else None,
        )
        return writer.write(topic, audience)

    def _polisher(self):
        generator = self.generator  # LLMError: a bad model setting, reported to the caller
        if generator is None:
            raise LLMError("polishing needs a language model: set CONDUCT_ASSISTANT_LLM")
        return generator.polish

    @_serialised
    def records(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Structured recommendation records, in document-id order."""
        self.ensure_index()
        documents = self.store.documents()
        return [
            documents[key].record or {}
            for key in sorted(documents)
            if documents[key].record and (doc_id is None or key == doc_id)
        ]

    @property
    def precedent_table(self) -> PrecedentTable:
        """Every indexed recommendation as a row, built once per index state."""
        self.ensure_index()
        if self._precedents is None:
            doc_meta: dict[str, dict[str, Any]] = {}
            for p in self.retriever.passages:
                doc_meta.setdefault(str(p.metadata.get("doc_id", "")), p.metadata)
            self._precedents = PrecedentTable(self.records(), doc_meta)
        return self._precedents

    @_serialised
    def make_precedent_query(
        self,
        forces: Sequence[str] | None = None,
        themes: Sequence[str] | None = None,
        accepted: Sequence[str] | None = None,
        relies_on: Sequence[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
    ) -> PrecedentQuery:
        """Filters from user input (None: no condition): forces and laws match by part,
        case-insensitively ("kent", "equality"); a value that names nothing is kept, so that it
        matches nothing. Raises PrecedentError for a bad acceptance value or year range."""
        table = self.precedent_table
        return PrecedentQuery(
            forces=_resolve(forces or (), table.values("forces")),
            themes=tuple(t.strip().lower() for t in themes or ()),
            accepted=tuple(a.strip().lower() for a in accepted or ()),
            relies_on=_resolve(relies_on or (), table.values("relies_on")),
            year_from=year_from,
            year_to=year_to,
        )

    @_serialised
    def precedents(
        self, query: str = "", filters: PrecedentQuery | None = None, limit: int = 20
    ) -> PrecedentResult:
        """Recommendations ranked by relevance to `query` (all of them, newest first, when it
        is empty), one row each, narrowed by `filters`."""
        filters = filters or PrecedentQuery()
        table = self.precedent_table
        described = filters.describe()
        if not (query or "").strip():
            rows = sorted(
                (r for r in table.rows.values() if filters.matches(r)),
                key=lambda r: (r.month, r.doc_id, -r.number),
                reverse=True,
            )
            return self._precedent_result(rows[:limit], "all recommendations", described)
        query = self._check(query)
        search_filter = SearchFilter.build(
            kinds=["precedent"],
            forces=filters.forces,
            themes=filters.themes,
            year_from=filters.year_from,
            year_to=filters.year_to,
        )
        retrieval = self.retriever.retrieve(query, PRECEDENT_PASSAGES, search_filter)
        ranked = table.rank((h.metadata, h.score) for h in retrieval.hits)
        rows = [
            replace(table.rows[key], score=score)
            for key, score in ranked
            if filters.matches(table.rows[key])
        ]
        weak = bool(rows) and retrieval.confidence < self.settings.decline_threshold
        notice = f"Nothing in the recommendations closely matches “{query}”; these are the nearest." if weak else ""
        return self._precedent_result(rows[:limit], f"relevant to “{query}”", described, notice)

    @_serialised
    def similar_precedents(
        self, key: str, filters: PrecedentQuery | None = None, limit: int = 10
    ) -> PrecedentResult:
        """The recommendations of other pages closest in meaning to recommendation `key`."""
        filters = filters or PrecedentQuery()
        table = self.precedent_table
        target = self.precedent(key).row
        own = self.retriever.vectors(
            lambda meta: meta.get("doc_id") == target.doc_id
            and meta.get("section") == target.section
            and meta.get("part", "recommendation") == "recommendation"
        )
        if not len(own):
            raise PrecedentError(f"recommendation {key} has no indexed passages")
        centroid = own.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        others = self.retriever.mask(
            lambda meta: meta.get("kind") == "precedent" and meta.get("doc_id") != target.doc_id
        )
        scored = [
            (passage.metadata, similarity)
            for pid, similarity in self.retriever.nearest(centroid, self.settings.candidates * 2, others)
            if (passage := self.retriever.passage(pid)) is not None
        ]
        rows = [
            replace(table.rows[k], score=score)
            for k, score in table.rank(scored)
            if filters.matches(table.rows[k])
        ]
        return self._precedent_result(rows[:limit], f"most similar to {target.key}", filters.describe())

    @_serialised
    def precedent(self, key: str) -> PrecedentRecord:
        """One recommendation's full record (raises PrecedentError for an unknown id)."""
        parse_key(key)
        return self.precedent_table.record(key)

    @staticmethod
    def _precedent_result(rows, what: str, described: str, notice: str = "") -> PrecedentResult:
        scope = f"{what} ({described})" if described else what
        if not rows:
            notice = f"No recommendation matches: {scope}."
        count = f"{len(rows)} recommendation{'s' * (len(rows) != 1)}"
        return PrecedentResult(tuple(rows), f"{count}, {scope}", notice)

    @_serialised
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

    @_serialised
    def known_values(self, key: str) -> list[str]:
        """Every value of a metadata field in the index (forces, themes, kinds...)."""
        self.ensure_index()
        values: set[str] = set()
        for p in self.retriever.passages:
            value = p.metadata.get(key)
            values.update(value if isinstance(value, list) else [value] if value else [])
        return sorted(str(v) for v in values)

    @_serialised
    def make_filter(
        self,
        kinds: Sequence[str] | None = None,
        forces: Sequence[str] | None = None,
        themes: Sequence[str] | None = None,
        accepted: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
    ) -> SearchFilter:
        """A filter from user input (None: no condition); force names match case-insensitively
        by part ("kent"). Raises QuestionError for a year range that runs backwards."""
        if year_from is not None and year_to is not None and year_from > year_to:
            raise QuestionError(f"year range: {year_from} is after {year_to}")
        return SearchFilter.build(
            kinds=list(kinds or ()),
            doc_ids=list(doc_ids or ()),
            forces=_resolve(forces, self.known_values("forces")) if forces else (),
            themes=list(themes or ()),
            accepted=list(accepted or ()),
            year_from=year_from,
            year_to=year_to,
        )

    def _check(self, question: str, what: str = "question") -> str:
        question = (question or "").strip()
        if not question:
            raise QuestionError(f"empty {what}: type a {what} about police conduct")
        if not any(ch.isalnum() for ch in question):
            raise QuestionError(f"not a {what}: type some words about police conduct")
        limit = self.settings.max_question_chars
        if len(question) > limit:
            raise QuestionError(f"{what} too long ({len(question):,} characters; the limit is {limit:,})")
        return question


def _resolve(given: Sequence[str], known: Sequence[str]) -> tuple[str, ...]:
    """Each given value as the known values it names by part, case-insensitively."""
    resolved: list[str] = []
    for value in given:
        wanted = value.strip().lower()
        resolved.extend([name for name in known if wanted in name.lower()] or [value.strip()])
    return tuple(dict.fromkeys(resolved))
