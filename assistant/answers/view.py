"""An answer as every renderer presents it (browser HTML, Markdown export, terminal text).

`answer_view` decides, once, what an answer shows: the caveat, the lead and the labelled
sources that apply, each numbered source with its label, kind label, warnings, notes and the
sentences quoted from it, and for a decline the nearest sources. The renderers only lay it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant.models import (
    Answer,
    AnswerSection,
    AnswerSentence,
    Citation,
    Hit,
    citation_label,
    citation_place,
)

KIND_LABELS = {"legislation": "Law", "guidance": "Guidance", "precedent": "IOPC recommendation"}
# A decline names this many of the passages it found, as where to look next.
NEAREST_SHOWN = 3


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.capitalize() or "Source")


@dataclass(frozen=True)
class SourceName:
    """How a source is named: "Title · Section — Heading" (`label`), and its parts for
    renderers that set the title apart."""

    title: str
    # "Section — Heading", or the section alone.
    place: str
    label: str
    kind: str
    kind_label: str
    doc_id: str
    url: str


@dataclass(frozen=True)
class Span:
    """A stretch of a passage: `quoted` when the answer took it as one of its sentences."""

    text: str
    quoted: bool = False


@dataclass(frozen=True)
class SourceView:
    """A numbered passage the answer cites."""

    n: int
    name: SourceName
    badges: tuple[str, ...]
    warnings: tuple[str, ...]
    quote: str
    passage: tuple[Span, ...]
    # The document's own note on what it is ("Plain-English summary…").
    source_note: str
    # The passage's sentences about the knowledge base itself.
    notes: tuple[str, ...]


@dataclass(frozen=True)
class AnswerView:
    question: str
    answered: bool
    outcome: str
    mode: str
    # The decline's message, or the whole answer as one text.
    text: str
    # Every sentence of the answer in order, each with its source's number.
    sentences: tuple[AnswerSentence, ...]
    sources: tuple[SourceView, ...]
    # Shown only with an answer: empty for a decline.
    caveat: str = ""
    mode_note: str = ""
    notice: str = ""
    # A structured answer: the lead line, its source's number, and the sources that apply.
    lead: str = ""
    lead_citation: int | None = None
    sections: tuple[AnswerSection, ...] = ()
    # A decline's nearest sources: not support for an answer.
    nearest: tuple[SourceName, ...] = ()

    @property
    def structured(self) -> bool:
        return self.lead_citation is not None

    def source(self, n: int) -> SourceView:
        return next(s for s in self.sources if s.n == n)


def source_name(source: Citation | Hit) -> SourceName:
    return SourceName(
        title=source.title,
        place=citation_place(source),
        label=citation_label(source),
        kind=source.kind,
        kind_label=kind_label(source.kind),
        doc_id=source.doc_id,
        url=source.url,
    )


def passage_spans(quote: str, sentences: Sequence[str]) -> tuple[Span, ...]:
    """The passage cut where the answer's sentences are: each marks its first occurrence
    in what is not marked yet."""
    spans = [Span(quote)]
    for sentence in sentences:
        for i, span in enumerate(spans):
            at = span.text.find(sentence) if sentence and not span.quoted else -1
            if at >= 0:
                before, after = span.text[:at], span.text[at + len(sentence) :]
                parts = [Span(before), Span(sentence, True), Span(after)]
                spans[i : i + 1] = [p for p in parts if p.text]
                break
    return tuple(spans)


def _source_view(citation: Citation, answer: Answer) -> SourceView:
    used = [s.text for s in answer.sentences if s.citation == citation.n]
    return SourceView(
        n=citation.n,
        name=source_name(citation),
        badges=citation.badges,
        warnings=citation.warnings,
        quote=citation.quote,
        passage=passage_spans(citation.quote, used),
        source_note=citation.source_note,
        notes=citation.notes,
    )


def answer_view(answer: Answer) -> AnswerView:
    view = AnswerView(
        question=answer.question,
        answered=answer.answered,
        outcome=answer.outcome,
        mode=answer.mode,
        text=answer.answer,
        sentences=answer.sentences,
        sources=tuple(_source_view(c, answer) for c in answer.citations),
    )
    if not answer.answered:
        return replace(view, nearest=tuple(source_name(h) for h in answer.hits[:NEAREST_SHOWN]))
    view = replace(view, caveat=answer.caveat, mode_note=answer.mode_note, notice=answer.notice)
    if not answer.lead:
        return view
    return replace(
        view,
        lead=" ".join(s.text for s in answer.lead),
        lead_citation=answer.lead[0].citation,
        sections=answer.sections,
    )
