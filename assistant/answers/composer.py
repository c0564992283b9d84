"""Extractive answers: sentences taken verbatim from retrieved passages, each cited.

No language model: every sentence of an answer is a sentence of the passage it cites, so
a reader can check each claim against its quote. An answer is built in two parts:

- a lead: the unit (a sentence, with any it points back to), scored one by one against the
  question, that best answers it;
- the sections that apply, each labelled with its instrument and heading (or, for a
  precedent, its force and month), with one or two quoted units (a sentence, with those
  before it that it points back to).

What may be quoted, and what is a note for a source's card, is decided sentence by sentence
in assistant.answers.sentences.

Three outcomes: an answer; an answer with a caveat, when the question names something no
passage mentions but the best passages clearly apply; and a decline with the nearest
sources, when nothing applies. The thresholds were chosen on the question bank's tune half
(docs/evaluation.md).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

import prompts
from assistant.answers.sentences import (
    about_knowledge_base_section,
    knowledge_base_notes,
    quoted_for,
    units,
)
from assistant.answers.sources import SourceWarnings
from assistant.config import Settings
from assistant.models import (
    Answer,
    AnswerSection,
    AnswerSentence,
    Citation,
    Hit,
    citation_place,
    month_name,
)
from assistant.retrieval.hybrid import Retrieval

# Sentence vectors an answer composer keeps (about 1.5 kB each).
_CACHED_VECTORS = 20_000


def source_label(hit: Hit) -> str:
    """How the knowledge base names a section: "Police (Conduct) Regulations 2020, Standard 10
    — Challenging and Reporting Improper Conduct"; for a precedent, its force and month."""
    part = citation_place(hit)
    if hit.kind == "precedent":
        force = str(hit.metadata.get("force") or "")
        month = month_name(str(hit.metadata.get("month") or ""))
        named = ", ".join(p for p in (force, month) if p)
        return f"IOPC recommendation to {named}: {part}" if named else f"{hit.title}: {part}"
    return f"{hit.title}, {part}"



@dataclass(frozen=True)
class _Unit:
    hit: Hit
    position: int
    sentences: tuple[str, ...]
    score: float

    @property
    def words(self) -> int:
        return sum(len(s.split()) for s in self.sentences)


@dataclass(frozen=True)
class AnswerShape:
    """How an answer is put together; the defaults were chosen on the question bank's tune half."""

    # A unit's score: its cosine similarity to the question, plus these weights times the
    # share of the question's weighted terms it uses and its passage's fused retrieval score
    # relative to the best hit's.
    lexical_weight: float = 0.4
    retrieval_weight: float = 0.75
    # A section is quoted when its best unit scores within this margin of the lead's.
    section_margin: float = 0.4
    # No unit is added that would take the answer past this many words (Settings holds both).
    max_words: int = Settings.model_fields["answer_words"].default
    max_sections: int = Settings.model_fields["answer_sections"].default
    # The distinct hits whose sentences are scored: encoding them is most of an answer's cost.
    scored_hits: int = 5


class AnswerComposer:
    def __init__(
        self,
        terms: Callable[[str], list[str]],
        weight: Callable[[str], float],
        encode: Callable[[list[str]], np.ndarray],
        warnings: SourceWarnings,
        decline_threshold: float,
        caveat_threshold: float,
        off_topic_threshold: float,
        related: Callable[[Hit], Hit | None] = lambda hit: None,
        shape: AnswerShape = AnswerShape(),
    ):
        self.terms = terms
        self.weight = weight
        self.encode = encode
        self.warnings = warnings
        self.decline_threshold = decline_threshold
        self.caveat_threshold = caveat_threshold
        self.off_topic_threshold = off_topic_threshold
        # A precedent section's counterpart: a recommendation's response, or a response's
        # recommendation, so that an answer says what was recommended and what the force did.
        self.related = related
        self.shape = shape
        self._vectors: dict[str, np.ndarray] = {}

    def compose(self, question: str, retrieval: Retrieval, filtered: bool = False) -> Answer:
        hits = tuple(retrieval.hits)

        def decline(message: str) -> Answer:
            # The hits go along as the nearest sources, never as citations.
            return Answer(question, False, message, (), hits, confidence=retrieval.confidence, outcome="decline")

        if not hits:
            return decline(prompts.load("no_match" if filtered else "decline"))
        if retrieval.uncovered_topics and retrieval.confidence < self.off_topic_threshold:
            topics = " or ".join(retrieval.uncovered_topics)
            return decline(prompts.load("decline_out_of_scope").format(topics=topics))
        if retrieval.confidence < self.decline_threshold:
            return decline(prompts.load("decline"))
        unknown = _quoted(retrieval.unknown_terms)
        if unknown and retrieval.confidence < self.caveat_threshold:
            return decline(prompts.load("decline_unknown_name").format(names=unknown))
        scored = self._units(retrieval)
        if not scored:
            return decline(prompts.load("decline"))
        lead, sections = self._select(scored)
        caveat = prompts.load("caveat_unknown_name").format(names=unknown) if unknown else ""
        return self._answer(question, retrieval, hits, lead, sections, caveat)

    def _units(self, retrieval: Retrieval) -> list[_Unit]:
        """Every quotable unit of the hits, scored against the question; one copy of a text.
        A hit with nothing quotable but notes about the knowledge base ("the 2024 wording was
        not retrieved for this knowledge base") gives one unit without sentences, scored by its
        heading: when it applies, it is listed as a source with its notes, never quoted."""
        hits: list[Hit] = []
        candidates: list[tuple[Hit, int, tuple[str, ...]]] = []
        for hit in retrieval.hits:
            if len(hits) == self.shape.scored_hits or any(hit.text == h.text for h in hits):
                continue
            found = [] if about_knowledge_base_section(hit.heading) else units(hit.text)
            if found:
                candidates.extend((hit, position, sentences) for position, sentences in found)
            elif knowledge_base_notes(hit.text, hit.heading):
                candidates.append((hit, 0, ()))
            else:
                continue  # nothing to quote or note: the next hit takes its place
            hits.append(hit)
        if not any(sentences for _, _, sentences in candidates):
            return []
        query_terms = set(self.terms(retrieval.expanded_query))
        total = sum(self.weight(t) for t in query_terms) or 1.0
        query = retrieval.query_vector
        assert query is not None  # every retrieval with hits carries its question's vector
        # A unit is scored by its last sentence, the one it is quoted for, read under its
        # section's heading (headings carry meaning: "Challenging and Reporting Improper
        # Conduct"); the sentences before it are there only to say what it points back to.
        # An enumeration is quoted for all of it, so it is read whole.
        read = [f"{hit.heading}: {quoted_for(s)}" if s else hit.heading for hit, _, s in candidates]
        vectors = self._unit_vectors(read)
        best = max(h.score for h in hits) or 1.0
        scored = []
        for (hit, position, sentences), text, vector in zip(candidates, read, vectors, strict=True):
            words = set(self.terms(text))
            lexical = sum(self.weight(t) for t in query_terms & words) / total
            score = (
                float(vector @ query)
                + self.shape.lexical_weight * lexical
                + self.shape.retrieval_weight * hit.score / best
            )
            scored.append(_Unit(hit, position, sentences, score))
        return sorted(scored, key=lambda u: u.score, reverse=True)

    def _unit_vectors(self, texts: list[str]) -> list[np.ndarray]:
        """Unit vectors of the texts, each encoded once while it stays among the last
        _CACHED_VECTORS encoded: the same passages come back question after question, and a
        long-running server must not keep a vector for every sentence it ever scored."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            self._vectors.update(zip(missing, self.encode(missing), strict=True))
        vectors = [self._vectors[t] for t in texts]
        for stale in list(self._vectors)[: max(0, len(self._vectors) - _CACHED_VECTORS)]:
            del self._vectors[stale]
        return vectors

    def _select(self, scored: list[_Unit]) -> tuple[_Unit, list[tuple[Hit, list[_Unit]]]]:
        """The lead, and the sections that apply (the lead's first), each with the units quoted
        under it: units scoring within the margin of the lead's, best first, within the budget."""
        shape = self.shape
        lead = next(u for u in scored if u.sentences)
        quoted: dict[str, tuple[Hit, list[_Unit]]] = {lead.hit.passage_id: (lead.hit, [])}
        used = set(lead.sentences)
        words = lead.words
        for unit in scored:
            if unit.score < lead.score - shape.section_margin:
                break
            section = quoted.get(unit.hit.passage_id)
            if unit is lead or (not unit.sentences and section is not None):
                continue
            room = 1 if unit.hit.passage_id == lead.hit.passage_id else 2
            if (
                used & set(unit.sentences)
                or (section is None and len(quoted) >= shape.max_sections)
                or (section is not None and len(section[1]) >= room)
                or words + unit.words > shape.max_words
            ):
                continue
            listed = quoted.setdefault(unit.hit.passage_id, (unit.hit, []))[1]
            if unit.sentences:
                listed.append(unit)
            used.update(unit.sentences)
            words += unit.words
        sections: list[tuple[Hit, list[_Unit]]] = []
        present = {(h.doc_id, h.section) for h, _ in quoted.values()}
        for hit, chosen in quoted.values():
            chosen.sort(key=lambda u: u.position)
            counterpart = self.related(hit) if hit.kind == "precedent" else None
            extra = None
            if (
                counterpart is not None
                and (counterpart.doc_id, counterpart.section) not in present
                and not about_knowledge_base_section(counterpart.heading)
            ):
                first = next((u for _, u in units(counterpart.text) if not used & set(u)), None)
                if first is not None and words + sum(len(x.split()) for x in first) <= shape.max_words:
                    extra = (counterpart, [_Unit(counterpart, 0, first, 0.0)])
                    present.add((counterpart.doc_id, counterpart.section))
                    used.update(first)
                    words += extra[1][0].words
            # "Recommendation 1" before "Response 1", except that the lead's section stays first.
            if extra is not None and hit is not lead.hit and extra[0].section < hit.section:
                sections.extend([extra, (hit, chosen)])
            else:
                sections.extend([(hit, chosen)] + ([extra] if extra else []))
        return lead, sections

    def _answer(
        self,
        question: str,
        retrieval: Retrieval,
        hits: tuple[Hit, ...],
        lead: _Unit,
        sections: list[tuple[Hit, list[_Unit]]],
        caveat: str,
    ) -> Answer:
        numbers: dict[str, int] = {}
        citations: list[Citation] = []

        def number(hit: Hit) -> int:
            if hit.text not in numbers:
                numbers[hit.text] = len(citations) + 1
                citations.append(self.citation(numbers[hit.text], hit))
            return numbers[hit.text]

        lead_sentences = tuple(AnswerSentence(s, number(lead.hit)) for s in lead.sentences)
        answer_sections = [
            AnswerSection(
                number(hit),
                source_label(hit),
                tuple(s for u in chosen for s in u.sentences),
                # A source listed for what it says about the knowledge base shows that.
                () if chosen or hit is lead.hit else knowledge_base_notes(hit.text, hit.heading),
            )
            for hit, chosen in sections
        ]
        sentences = lead_sentences + tuple(
            AnswerSentence(s, section.citation) for section in answer_sections for s in section.sentences
        )
        text = " ".join(f"{s.text} [{s.citation}]" for s in sentences)
        return Answer(
            question=question,
            answered=True,
            answer=text,
            citations=tuple(citations),
            hits=hits,
            sentences=sentences,
            confidence=retrieval.confidence,
            notice=prompts.load("sources_notice"),
            lead=lead_sentences,
            sections=tuple(answer_sections),
            caveat=caveat,
            outcome="caveat" if caveat else "answer",
        )

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
            label=source_label(hit),
            notes=knowledge_base_notes(hit.text, hit.heading),
        )


def _quoted(words: Sequence[str]) -> str:
    return " or ".join(f"\u201c{w}\u201d" for w in words)
