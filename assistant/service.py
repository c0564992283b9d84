"""The facade the shells (CLI, browser chat, API, LangChain retriever) call: it wires the
feature services over one live index and serialises their calls. It holds no logic of its own
beyond checking what users type."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from assistant.answers.composer import AnswerComposer
from assistant.answers.generative import GenerativeAnswerer
from assistant.answers.service import AnswerService
from assistant.briefs.writer import BriefWriter
from assistant.config import Settings
from assistant.criteria import Criteria
from assistant.index.catalogue import catalogue
from assistant.index.indexer import FileReport
from assistant.index.live import LiveIndex
from assistant.models import Answer, Catalogue, Hit, PrecedentRecord, PrecedentResult, TrainingBrief
from assistant.precedents.service import PrecedentService, precedent_table
from assistant.precedents.table import PrecedentTable
from assistant.questions import QuestionError, checked
from assistant.retrieval.hybrid import HybridRetriever, Mode
from assistant.retrieval.lexicon import Lexicon
from vectorstore.bm25_index import analyse
from vectorstore.chroma_store import PassageStore
from vectorstore.embedder import Embedder
from vectorstore.snapshot_cache import SnapshotCache

MAX_AUDIENCE_CHARS = 200


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
        self._lock = threading.RLock()
        self._store: PassageStore | None = None
        self._embedder: Embedder | None = None
        self._retriever: HybridRetriever | None = None
        self._index: LiveIndex | None = None
        self._answers: AnswerService | None = None
        self._precedents: PrecedentService | None = None

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
    def index(self) -> LiveIndex:
        with self._lock:  # two first requests at once must not make two
            if self._index is None:
                self._index = LiveIndex(self.settings, self.store, self.embedder, self._reload_tables)
            return self._index

    def _reload_tables(self) -> list:
        self.retriever.refresh()
        return self.retriever.passages

    @property
    def answers(self) -> AnswerService:
        with self._lock:  # one answer service: its model turn is the one all generations share
            if self._answers is None:
                self._answers = AnswerService(self.settings, self.retriever, self.embedder, self.index.view, self._lock)
            return self._answers

    @property
    def composer(self) -> AnswerComposer:
        return self.answers.composer

    @property
    def generator(self) -> GenerativeAnswerer | None:
        """The generative answerer when a language model is configured (raises LLMError when
        it cannot be loaded), else None."""
        return self.answers.generator

    @property
    def precedent_service(self) -> PrecedentService:
        with self._lock:
            if self._precedents is None:
                self._precedents = PrecedentService(
                    self.index.view, self.retriever, self.settings.decline_threshold, self.settings.candidates
                )
            return self._precedents

    @_serialised
    def ensure_index(self, on_file: Callable[[FileReport], None] | None = None) -> list[FileReport]:
        """Build the index from the shipped knowledge base if it is empty (or its expansion
        files changed), and reload what this process holds if another process has written."""
        reports = self.index.ensure_built(on_file)
        self._follow()
        return reports

    @_serialised
    def ingest(
        self, paths: Iterable[Path], on_file: Callable[[FileReport], None] | None = None
    ) -> list[FileReport]:
        """Add or update files; the shipped knowledge base is built first on a fresh index.
        Raises IndexBusy when another process is writing to the index."""
        reports = self.index.ingest(paths, on_file)
        self._follow()
        return reports

    @_serialised
    def sync(self, folder: Path, on_file: Callable[[FileReport], None] | None = None) -> list[FileReport]:
        """Make the index hold exactly what `folder` holds now (added, updated, removed).
        Raises IndexBusy when another process is writing to the index."""
        reports = self.index.sync(folder, on_file)
        self._follow()
        return reports

    def _follow(self) -> None:
        """Bring the tables this process holds up to the index's revision; a process that holds
        none yet loads them at its first search, not here (building an index loads nothing)."""
        if self._retriever is not None:
            self.index.view()

    @_serialised
    def criteria(
        self,
        kinds: Sequence[str] | None = None,
        forces: Sequence[str] | None = None,
        themes: Sequence[str] | None = None,
        accepted: Sequence[str] | None = None,
        relies_on: Sequence[str] | None = None,
        doc_ids: Sequence[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
    ) -> Criteria:
        """Criteria from user input (None: no condition), forces and laws resolved against the
        index's values. Raises CriteriaError (a QuestionError) for what can never match."""
        known: dict[str, list[str]] = {}
        if forces or relies_on:  # only these are resolved against the index; an ask need not read it
            view = self.index.view()
            table = precedent_table(view)
            known = {
                "forces": sorted(set(view.values("forces")) | set(table.values("forces"))),
                "relies_on": table.values("relies_on"),
            }
        return Criteria.build(kinds, doc_ids, forces, themes, accepted, relies_on, year_from, year_to, known)

    @_serialised
    def search(
        self, query: str, k: int | None = None, criteria: Criteria | None = None, mode: Mode = Mode.HYBRID
    ) -> list[Hit]:
        query = self._check(query)
        self.index.view()
        return self.retriever.retrieve(query, k or self.settings.top_k, criteria, mode).hits

    def source_warnings(self, hit: Hit) -> tuple[str, ...]:
        """What a reader of this passage must know about its source (superseded, non-statutory...)."""
        return self.composer.warnings.for_passage(hit.text, hit.metadata)

    def ask(self, question: str, criteria: Criteria | None = None, history: Sequence[str] = ()) -> Answer:
        """Answer a question; `history` holds the conversation's earlier questions, oldest first."""
        *_, answer = self.ask_stream(question, criteria, history)
        return answer

    def ask_stream(
        self, question: str, criteria: Criteria | None = None, history: Sequence[str] = ()
    ) -> Iterator[Answer]:
        """Like `ask`, for a UI that shows progress: with a language model configured, partial
        answers (mode "drafting") as the model writes, then always the final answer."""
        return self.answers.stream(self._check(question), criteria or Criteria(), history)

    @_serialised
    def brief(self, topic: str, audience: str = "", polish: bool = False) -> TrainingBrief:
        """A cited training brief on `topic`, or one saying the knowledge base cannot support it.
        `polish` lets the configured language model reword each provision's summary (kept only
        where every reworded sentence passes the citation check)."""
        topic = self._check(topic, "topic")
        if len(audience) > MAX_AUDIENCE_CHARS:
            raise QuestionError(f"audience too long ({len(audience):,} characters; the limit is {MAX_AUDIENCE_CHARS})")
        view = self.index.view()
        writer = BriefWriter(
            self.retriever,
            self.composer,
            lambda: precedent_table(view),
            analyse,
            self.settings.top_k,
            polish=self.answers.polisher() if polish else None,
        )
        return writer.write(topic, audience)

    @_serialised
    def records(self, doc_id: str | None = None) -> list[dict[str, Any]]:
        """Structured recommendation records, in document-id order."""
        return self.index.view().records(doc_id)

    @property
    def precedent_table(self) -> PrecedentTable:
        """Every indexed recommendation as a row, built once per index revision."""
        with self._lock:
            return self.precedent_service.table

    @_serialised
    def precedents(self, query: str = "", criteria: Criteria | None = None, limit: int = 20) -> PrecedentResult:
        """Recommendations ranked by relevance to `query` (all of them, newest first, when it
        is empty), one row each, narrowed by `criteria`."""
        criteria = criteria or Criteria()
        if not (query or "").strip():
            return self.precedent_service.listed(criteria, limit)
        return self.precedent_service.ranked(self._check(query), criteria, limit)

    @_serialised
    def similar_precedents(self, key: str, criteria: Criteria | None = None, limit: int = 10) -> PrecedentResult:
        """The recommendations of other pages closest in meaning to recommendation `key`."""
        return self.precedent_service.similar(key, criteria or Criteria(), limit)

    @_serialised
    def precedent(self, key: str) -> PrecedentRecord:
        """One recommendation's full record (raises PrecedentError for an unknown id)."""
        return self.precedent_service.record(key)

    @_serialised
    def catalogue(self) -> Catalogue:
        """Every indexed document with its sections, in kind and title order."""
        badges = self.composer.warnings.badges
        return self.index.view().derived("catalogue", lambda view: catalogue(view, badges))

    @_serialised
    def known_values(self, key: str) -> list[str]:
        """Every value of a metadata field in the index (forces, themes, kinds...)."""
        return self.index.view().values(key)

    def _check(self, text: str, what: str = "question") -> str:
        return checked(text, self.settings.max_question_chars, what)
