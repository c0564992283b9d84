"""Records the assistant hands to its shells (CLI, UI): hits, citations, answers."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Hit:
    rank: int
    score: float
    passage_id: str
    doc_id: str
    section: str
    heading: str
    kind: str
    title: str
    url: str
    text: str
    metadata: dict[str, Any]
    # The dense leg's cosine similarity: of the passage, or of its section's nearest expansion line.
    dense_score: float | None = None
    bm25_score: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "score": round(self.score, 6),
            "doc_id": self.doc_id,
            "section": self.section,
            "heading": self.heading,
            "kind": self.kind,
            "title": self.title,
            "url": self.url,
            "text": self.text,
            "metadata": self.metadata,
            "passage_id": self.passage_id,
            "dense_score": None if self.dense_score is None else round(self.dense_score, 6),
            "bm25_score": None if self.bm25_score is None else round(self.bm25_score, 6),
        }


@dataclass(frozen=True)
class Citation:
    n: int
    doc_id: str
    section: str
    heading: str
    title: str
    url: str
    quote: str
    status: str
    kind: str
    source_note: str
    warnings: tuple[str, ...] = ()
    # Short labels of the warnings ("Superseded", "Non-statutory"), for a badge.
    badges: tuple[str, ...] = ()
    # The section as the knowledge base names it: instrument and heading, or force and month.
    label: str = ""
    # The passage's sentences about the knowledge base itself ("…was not confirmed for this
    # knowledge base"): notes for the card, never answer sentences.
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "label": self.label,
            "notes": list(self.notes),
            "doc_id": self.doc_id,
            "section": self.section,
            "heading": self.heading,
            "title": self.title,
            "url": self.url,
            "quote": self.quote,
            "status": self.status,
            "kind": self.kind,
            "source_note": self.source_note,
            "warnings": list(self.warnings),
            "badges": list(self.badges),
        }


@dataclass(frozen=True)
class AnswerSentence:
    text: str
    citation: int


@dataclass(frozen=True)
class AnswerSection:
    """A source an answer rests on: its citation, its label, and the sentences quoted from it
    (none when only the lead is). A source listed for what it says about the knowledge base
    itself ("the 2024 wording was not retrieved") carries those sentences as notes instead."""

    citation: int
    label: str
    sentences: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "citation": self.citation,
            "label": self.label,
            "sentences": list(self.sentences),
            "notes": list(self.notes),
        }


def citation_place(source: Citation | Hit) -> str:
    """Where in its document a source is: "Section — Heading" (the section alone when the
    heading adds nothing)."""
    if not source.heading or source.heading == source.section:
        return source.section
    return f"{source.section} \u2014 {source.heading}"


def month_name(month: str) -> str:
    """'2020-12' as 'December 2020'; anything else as it is."""
    try:
        year, number = (int(part) for part in month.split("-")[:2])
        return date(year, number, 1).strftime("%B %Y")
    except ValueError:
        return month


def citation_label(source: Citation | Hit) -> str:
    """How every renderer names a source: "Title · Section — Heading"."""
    return f"{source.title} \u00b7 {citation_place(source)}"


@dataclass(frozen=True)
class Answer:
    question: str
    answered: bool
    answer: str
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    sentences: tuple[AnswerSentence, ...] = ()
    confidence: float = 0.0
    notice: str = ""
    # Which method produced the answer: "extractive" (quoted sentences), "generated" (a
    # language model, every sentence checked against its citation) or "fallback" (the
    # extractive answer, because the model's failed the check or the model failed).
    mode: str = "extractive"
    # One line on the mode for the reader: which model, how many sentences were kept, or why
    # the model's answer was not shown.
    mode_note: str = ""
    # When a model wrote a draft: (sentences kept by the citation check, sentences written).
    checked: tuple[int, int] = (0, 0)
    # The structured extractive answer: the lead sentences (one, or one with the sentences it
    # points back to), then the sections that apply. `sentences` holds them all in order.
    lead: tuple[AnswerSentence, ...] = ()
    sections: tuple[AnswerSection, ...] = ()
    # When the question names something no passage mentions but the sources apply, one line
    # saying so ("Nothing here mentions “Snapchat” specifically…").
    caveat: str = ""
    # "answer", "caveat" or "decline".
    outcome: str = "answer"

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "answer": self.answer,
            "citations": [c.to_json() for c in self.citations],
            "hits": [h.to_json() for h in self.hits],
            "sentences": [{"text": s.text, "citation": s.citation} for s in self.sentences],
            "confidence": round(self.confidence, 6),
            "notice": self.notice,
            "mode": self.mode,
            "mode_note": self.mode_note,
            "checked": list(self.checked),
            "outcome": self.outcome,
            "caveat": self.caveat,
            "lead": " ".join(s.text for s in self.lead),
            "lead_citation": self.lead[0].citation if self.lead else None,
            "sections": [s.to_json() for s in self.sections],
        }


@dataclass(frozen=True)
class SectionSummary:
    section: str
    heading: str
    url: str
    passages: int


@dataclass(frozen=True)
class DocumentSummary:
    doc_id: str
    title: str
    kind: str
    status: str
    url: str
    recognised: str
    ingested_at: str
    passages: int
    sections: tuple[SectionSummary, ...]
    # Short labels for the document's status ("Superseded", "Non-statutory").
    badges: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    """What the index holds, for browsing: its documents and their sections."""

    documents: tuple[DocumentSummary, ...]

    @property
    def passages(self) -> int:
        return sum(d.passages for d in self.documents)

    @property
    def last_ingested(self) -> str:
        return max((d.ingested_at for d in self.documents), default="")

    def document(self, doc_id: str) -> DocumentSummary | None:
        return next((d for d in self.documents if d.doc_id == doc_id), None)


@dataclass(frozen=True)
class PrecedentRow:
    """One IOPC recommendation as a row of a precedent table."""

    doc_id: str
    number: int
    title: str
    force: str
    forces: tuple[str, ...]
    month: str
    year: int | None
    section: str
    gist: str
    accepted: str
    response_gist: str
    relies_on: tuple[str, ...]
    themes: tuple[str, ...]
    url: str
    # Relevance to the query that found the row; None when rows are listed, not ranked.
    score: float | None = None

    @property
    def key(self) -> str:
        """The id users pass around: `DOC_ID#N`."""
        return f"{self.doc_id}#{self.number}"

    def facets(self) -> dict[str, Any]:
        """What `Criteria.matches` tests, named as on a passage's metadata."""
        return {
            "kind": "precedent",
            "doc_id": self.doc_id,
            "forces": self.forces,
            "themes": self.themes,
            "accepted": self.accepted,
            "relies_on": self.relies_on,
            "year": self.year,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "doc_id": self.doc_id,
            "number": self.number,
            "title": self.title,
            "force": self.force,
            "month": self.month,
            "year": self.year,
            "section": self.section,
            "recommendation": self.gist,
            "accepted": self.accepted,
            "response": self.response_gist,
            "relies_on": list(self.relies_on),
            "themes": list(self.themes),
            "url": self.url,
            "score": None if self.score is None else round(self.score, 6),
        }


@dataclass(frozen=True)
class PrecedentRecord:
    """A recommendation's full record, with the other recommendations of its page."""

    row: PrecedentRow
    recommendation: str
    finding: str
    response: str
    references: tuple[str, ...]
    others: tuple[PrecedentRow, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            **self.row.to_json(),
            "recommendation_text": self.recommendation,
            "finding": self.finding,
            "response_text": self.response,
            "iopc_references": list(self.references),
            "other_recommendations": [r.to_json() for r in self.others],
        }


@dataclass(frozen=True)
class PrecedentResult:
    """Rows for a precedent request, and a one-line notice when they need a caveat."""

    rows: tuple[PrecedentRow, ...]
    description: str
    notice: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "notice": self.notice,
            "rows": [r.to_json() for r in self.rows],
        }


@dataclass(frozen=True)
class BriefInstrument:
    """A source a training brief relies on, with its version and status."""

    title: str
    status: str
    url: str
    citations: tuple[int, ...]
    warnings: tuple[str, ...] = ()
    badges: tuple[str, ...] = ()


@dataclass(frozen=True)
class BriefProvision:
    """A section of law or guidance, summarised by verbatim sentences that cite it."""

    instrument: str
    section: str
    heading: str
    url: str
    summary: str
    citation: int
    # True when a language model reworded the quoted sentences and every reworded sentence
    # passed the citation check; the summary is then no longer verbatim.
    polished: bool = False


@dataclass(frozen=True)
class BriefCaseStudy:
    """An IOPC recommendation told as a case: each line cites its passage."""

    key: str
    title: str
    force: str
    month: str
    url: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class TrainingBrief:
    """A session brief on a topic, built from retrieved passages only. When the knowledge
    base cannot support one, `supported` is False, `message` says so and `nearest` holds
    the nearest sources."""

    topic: str
    audience: str
    supported: bool
    message: str = ""
    instruments: tuple[BriefInstrument, ...] = ()
    objectives: tuple[str, ...] = ()
    provisions: tuple[BriefProvision, ...] = ()
    case_studies: tuple[BriefCaseStudy, ...] = ()
    questions: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    notice: str = ""
    nearest: tuple[Hit, ...] = ()

    @property
    def title(self) -> str:
        return f"Training brief: {self.topic}"

    def to_json(self) -> dict[str, Any]:
        """The brief's parts, as `conduct-assistant brief --json` prints them."""
        return {
            "title": self.title,
            "topic": self.topic,
            "audience": self.audience,
            "supported": self.supported,
            "message": self.message,
            "instruments": [asdict(i) for i in self.instruments],
            "objectives": list(self.objectives),
            "provisions": [asdict(p) for p in self.provisions],
            "case_studies": [asdict(c) for c in self.case_studies],
            "questions": list(self.questions),
            "citations": [c.to_json() for c in self.citations],
            "notice": self.notice,
            "nearest": [h.to_json() for h in self.nearest],
        }
