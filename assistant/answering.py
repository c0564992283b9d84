"""Extractive answers: sentences taken verbatim from retrieved passages, each cited.

No language model: every sentence of an answer is a sentence of the passage it cites, so
a reader can check each claim against its quote. When the best passage is not similar
enough to the question, the assistant declines and shows the nearest sources instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import prompts
from assistant.models import Answer, AnswerSentence, Citation, Hit
from assistant.retrieval import Retrieval
from assistant.sources import SourceWarnings

_SENTENCE_BREAK = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019)]))\s+(?=[\"\u201c\u2018(]?[A-Z0-9])")
_MIN_WORDS = 5
# A sentence must share at least this share of the question's weighted terms to be used,
# except the best sentence of the best passage, which always opens the answer.
_MIN_OVERLAP = 0.12


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage, each a verbatim slice of it."""
    sentences: list[str] = []
    for line in text.split("\n"):
        sentences.extend(s.strip() for s in _SENTENCE_BREAK.split(line) if s.strip())
    return sentences


def usable(sentence: str) -> bool:
    """A statement worth quoting: not a label ("Accepted action:"), an answer ("Yes") or a question."""
    return len(sentence.split()) >= _MIN_WORDS and not sentence.endswith(("?", ":"))


@dataclass(frozen=True)
class _Candidate:
    hit: Hit
    position: int
    text: str
    overlap: float


class AnswerComposer:
    def __init__(
        self,
        terms: Callable[[str], list[str]],
        weight: Callable[[str], float],
        warnings: SourceWarnings,
        decline_threshold: float,
        off_topic_threshold: float,
        max_sentences: int,
        max_passages: int,
    ):
        self.terms = terms
        self.weight = weight
        self.warnings = warnings
        self.decline_threshold = decline_threshold
        self.off_topic_threshold = off_topic_threshold
        self.max_sentences = max_sentences
        self.max_passages = max_passages

    def compose(self, question: str, retrieval: Retrieval, filtered: bool = False) -> Answer:
        hits = tuple(retrieval.hits)

        def decline(message: str) -> Answer:
            # The hits go along as the nearest sources, never as citations.
            return Answer(question, False, message, (), hits, confidence=retrieval.confidence)

        if not hits:
            return decline(prompts.load("no_match" if filtered else "decline"))
        if retrieval.unknown_names:
            names = " or ".join(f"\u201c{n}\u201d" for n in retrieval.unknown_names)
            return decline(prompts.load("decline_unknown_name").format(names=names))
        if retrieval.uncovered_topics and retrieval.confidence < self.off_topic_threshold:
            topics = " or ".join(retrieval.uncovered_topics)
            return decline(prompts.load("decline_out_of_scope").format(topics=topics))
        if retrieval.confidence < self.decline_threshold:
            return decline(prompts.load("decline"))
        chosen = self._choose(retrieval.expanded_query, hits)
        if not chosen:
            return decline(prompts.load("decline"))
        citations, sentences = self._cite(chosen)
        text = " ".join(f"{s.text} [{s.citation}]" for s in sentences)
        return Answer(
            question=question,
            answered=True,
            answer=text,
            citations=citations,
            hits=hits,
            sentences=sentences,
            confidence=retrieval.confidence,
            notice=prompts.load("sources_notice"),
        )

    def _choose(self, query: str, hits: Sequence[Hit]) -> list[_Candidate]:
        query_terms = set(self.terms(query))
        total = sum(self.weight(t) for t in query_terms) or 1.0
        seen_texts: set[str] = set()
        ranked: list[list[_Candidate]] = []
        for hit in hits:
            if hit.text in seen_texts:
                continue
            seen_texts.add(hit.text)
            candidates = [
                _Candidate(hit, i, s, sum(self.weight(t) for t in query_terms & set(self.terms(s))) / total)
                for i, s in enumerate(split_sentences(hit.text))
                if usable(s)
            ]
            if candidates:
                ranked.append(sorted(candidates, key=lambda c: c.overlap, reverse=True))
        relevant = [c for i, c in enumerate(ranked) if i == 0 or c[0].overlap >= _MIN_OVERLAP]
        passages = self._diverse(relevant)
        chosen = [candidates[0] for candidates in passages]
        # Spare room goes to the next-best sentences of the passages already used.
        extras = sorted(
            (c for candidates in passages for c in candidates[1:] if c.overlap >= _MIN_OVERLAP),
            key=lambda c: c.overlap,
            reverse=True,
        )
        chosen.extend(extras[: max(0, self.max_sentences - len(chosen))])
        order = {candidates[0].hit.passage_id: i for i, candidates in enumerate(passages)}
        unique: dict[str, _Candidate] = {}
        for c in sorted(chosen, key=lambda c: (order[c.hit.passage_id], c.position)):
            unique.setdefault(c.text, c)
        return list(unique.values())

    def _diverse(self, ranked: list[list[_Candidate]]) -> list[list[_Candidate]]:
        """Passages for the answer: the best of each kind of source first (law, guidance,
        precedent), then the rest by rank; at most two from one document."""
        picked: list[list[_Candidate]] = []
        kinds: set[str] = set()
        for candidates in ranked:
            if candidates[0].hit.kind not in kinds:
                kinds.add(candidates[0].hit.kind)
                picked.append(candidates)
        for candidates in ranked:
            same_doc = sum(p[0].hit.doc_id == candidates[0].hit.doc_id for p in picked)
            if candidates not in picked and same_doc < 2:
                picked.append(candidates)
        picked = picked[: self.max_passages]
        rank = {id(c): i for i, c in enumerate(ranked)}
        return sorted(picked, key=lambda c: rank[id(c)])

    def _cite(self, chosen: list[_Candidate]) -> tuple[tuple[Citation, ...], tuple[AnswerSentence, ...]]:
        numbers: dict[str, int] = {}
        citations: list[Citation] = []
        sentences: list[AnswerSentence] = []
        for c in chosen:
            hit = c.hit
            if hit.text not in numbers:
                numbers[hit.text] = len(citations) + 1
                citations.append(self.citation(numbers[hit.text], hit))
            sentences.append(AnswerSentence(c.text, numbers[hit.text]))
        return tuple(citations), tuple(sentences)

    def citation(self, n: int, hit: Hit) -> Citation:
        """Citation number `n` of a hit's passage, with the warnings its source carries."""
        return Citation(
            n=n,
            doc_id=hit.doc_id,
            section=hit.section,
            heading=hit.heading,
            title=hit.title,
            url=hit.url,
            quote=hit.text,
            status=str(hit.metadata.get("status", "")),
            kind=hit.kind,
            source_note=str(hit.metadata.get("note", "")),
            warnings=self.warnings.for_passage(hit.text, hit.metadata),
            badges=self.warnings.badges(hit.text, hit.metadata),
        )
