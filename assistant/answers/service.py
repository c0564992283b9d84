"""Answering a question over the current index: retrieve, compose the extractive answer, and,
with a language model configured, stream the checked generated answer."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import prompts
from assistant.answers.composer import AnswerComposer, AnswerShape
from assistant.answers.followup import contextual_query, is_follow_up
from assistant.answers.generative import GenerativeAnswerer
from assistant.answers.grounding import SupportChecker
from assistant.answers.llm import LLMError, describe, load_chat_model
from assistant.answers.sources import SourceWarnings
from assistant.config import Settings
from assistant.criteria import Criteria
from assistant.models import Answer
from assistant.retrieval.hybrid import HybridRetriever
from vectorstore.bm25_index import analyse
from vectorstore.embedder import Embedder


class AnswerService:
    def __init__(
        self,
        settings: Settings,
        retriever: HybridRetriever,
        embedder: Embedder,
        ready: Callable[[], Any],
        lock: threading.RLock,
    ):
        self.settings = settings
        self.retriever = retriever
        self.embedder = embedder
        # Brings the retriever's tables up to the index's current revision.
        self._ready = ready
        # The assistant's lock, held while retrieving and composing: a reload in another
        # thread must not replace the tables half-way through.
        self._lock = lock
        # Held while the language model writes, outside `_lock`: a long generation does not
        # stop other users' searches, only other generations.
        self._model_turn = threading.Lock()
        self._composer: AnswerComposer | None = None
        self._generator: GenerativeAnswerer | None = None
        self._generator_error: LLMError | None = None

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
                model, describe(self.settings.llm), self.composer, checker, self.settings.llm_min_kept
            )
        return self._generator

    def stream(self, question: str, criteria: Criteria, history: Sequence[str]) -> Iterator[Answer]:
        """The extractive answer; with a language model configured, partial answers of the
        sentences that already passed the citation check (mode "drafting") as the model
        writes, then always the final answer."""
        query = contextual_query(question, history)
        with self._lock:
            self._ready()
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
            retrieval = self.retriever.retrieve(query, self.settings.top_k, criteria)
            extractive = self.composer.compose(question, retrieval, filtered=not criteria.is_empty)
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

    def polisher(self) -> Callable:
        """The model's rewording of a brief's summaries (LLMError without a working model)."""
        generator = self.generator
        if generator is None:
            raise LLMError("polishing needs a language model: set CONDUCT_ASSISTANT_LLM")
        return generator.polish
