"""What a training brief's files say, in order: one document model built from a brief, which
the Markdown writer and the Word writer each walk, so that the two files cannot drift apart.

A document is a sequence of blocks (headings, paragraphs, lists, grouped lines, the closing
notice); the text inside a paragraph or a list item is a sequence of runs (plain or emphasised
text, links to official sources, warnings about a source).
"""

from __future__ import annotations

from dataclasses import dataclass

import prompts
from assistant.models import (
    BriefInstrument,
    BriefProvision,
    Citation,
    TrainingBrief,
    citation_label,
    month_name,
)


@dataclass(frozen=True)
class Text:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Link:
    """A link to an official source; with no url, the text alone."""

    text: str
    url: str


WARNING_SIGN = "\u26a0"


@dataclass(frozen=True)
class Caution:
    """What a reader must know about a source (superseded, non-statutory): both files set it
    after the WARNING_SIGN."""

    text: str
    italic: bool = False


Run = Text | Link | Caution


@dataclass(frozen=True)
class Heading:
    """Level 0 is the document's title, 1 a part of the brief, 2 an entry within a part."""

    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class Item:
    """A list item, with the items nested under it."""

    runs: tuple[Run, ...]
    nested: tuple[tuple[Run, ...], ...] = ()


@dataclass(frozen=True)
class Bullets:
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Numbered:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Lines:
    """Paragraphs (and a closing quote) that read as one entry, such as a citation, its
    warnings and its quote: one block in Markdown, consecutive paragraphs in Word."""

    parts: tuple[Paragraph | Quote, ...]


@dataclass(frozen=True)
class Notice:
    """The closing notice on the sources, set apart from the brief."""

    text: str


Block = Heading | Paragraph | Bullets | Numbered | Lines | Notice


@dataclass(frozen=True)
class BriefDocument:
    """The brief's blocks, and the title and subject a file's properties carry."""

    title: str
    subject: str
    blocks: tuple[Block, ...]


def brief_document(brief: TrainingBrief) -> BriefDocument:
    """The brief's content and order, for every file written from it."""
    if not brief.supported:
        nearest = Bullets(tuple(Item((Text(line),)) for line in _nearest(brief)))
        body: list[Block] = [_text(brief.message), nearest]
    else:
        templates = prompts.load_yaml("brief")
        audience = Paragraph((Text("Audience: ", bold=True), Text(brief.audience)))
        body = [
            audience,
            *_sources(brief, templates),
            Heading(1, templates["headings"]["objectives"]),
            _text(templates["objectives_intro"]),
            Numbered(brief.objectives),
            *_basis(brief, templates),
            *_case_studies(brief, templates),
            Heading(1, templates["headings"]["questions"]),
            Numbered(brief.questions),
            *_reading(brief, templates),
            *_citations(brief, templates),
            Notice(brief.notice),
        ]
    return BriefDocument(brief.title, brief.topic, (Heading(0, brief.title), *body))


def _text(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def _url(url: str) -> Paragraph:
    return Paragraph((Link(url, url),))


def _nearest(brief: TrainingBrief) -> list[str]:
    lines = []
    for h in brief.nearest[:5]:
        status = str(h.metadata.get("status", ""))
        flagged = any(w in status.lower() for w in ("superseded", "non-statutory"))
        named = f"{citation_label(h)} ({status})" if flagged else citation_label(h)
        lines.append(named + (f" \u2014 {h.url}" if h.url else ""))
    return lines


def _sources(brief: TrainingBrief, templates: dict) -> list[Block]:
    heading = [Heading(1, templates["headings"]["instruments"])] if brief.instruments else []
    return [*heading, Bullets(tuple(_instrument(i) for i in brief.instruments))]


def _instrument(instrument: BriefInstrument) -> Item:
    cites = "".join(f"[{n}]" for n in instrument.citations)
    runs = (
        Link(instrument.title, instrument.url),
        Text(f" \u2014 {instrument.status} {cites}"),
        *(Text(f" {badge}", bold=True) for badge in instrument.badges),
    )
    return Item(runs, tuple((Caution(warning),) for warning in instrument.warnings))


def _basis(brief: TrainingBrief, templates: dict) -> list[Block]:
    blocks: list[Block] = [Heading(1, templates["headings"]["basis"])]
    if not brief.provisions:
        blocks.append(_text(templates["no_provisions"]))
    for p in brief.provisions:
        warnings = tuple(Paragraph((Caution(w, italic=True),)) for w in _warnings(brief, p))
        blocks += [
            Heading(2, f"{p.instrument}, {p.section}: {p.heading}"),
            Lines((*warnings, Paragraph(_summary(p, templates)))),
            _url(p.url),
        ]
    return blocks


def _warnings(brief: TrainingBrief, provision: BriefProvision) -> tuple[str, ...]:
    """What a reader must know about the provision's source (superseded, non-statutory)."""
    return next((c.warnings for c in brief.citations if c.n == provision.citation), ())


def _summary(provision: BriefProvision, templates: dict) -> tuple[Run, ...]:
    if not provision.polished:
        return (Text(provision.summary),)
    return Text(provision.summary), Text(f" {templates['polished_note']}", italic=True)


def _case_studies(brief: TrainingBrief, templates: dict) -> list[Block]:
    if not brief.case_studies:
        return []
    blocks: list[Block] = [Heading(1, templates["headings"]["case_studies"])]
    for case in brief.case_studies:
        blocks += [
            Heading(2, f"{case.force}, {month_name(case.month) or 'date unknown'} ({case.key})"),
            Bullets(tuple(Item((Text(line),)) for line in case.lines)),
            _url(case.url),
        ]
    return blocks


def _reading(brief: TrainingBrief, templates: dict) -> list[Block]:
    """Each cited document's official link, once per title, in order of citation (two
    documents may share a page: the ACPO reference note links the Northumbria page)."""
    cited = [(i.title, i.url) for i in brief.instruments]
    cited += [(c.title, c.url) for c in brief.case_studies]
    links = Bullets(tuple(Item((Link(title, url),)) for title, url in dict.fromkeys(cited) if url))
    return [Heading(1, templates["headings"]["reading"]), _text(templates["reading_intro"]), links]


def _citations(brief: TrainingBrief, templates: dict) -> list[Block]:
    heading = Heading(1, templates["headings"]["citations"])
    return [heading, *(_citation(c) for c in brief.citations)]


def _citation(citation: Citation) -> Lines:
    label = Text(f"[{citation.n}] {citation_label(citation)} \u2014 ")
    source = Paragraph((label, Link(citation.url, citation.url)))
    warnings = (Paragraph((Caution(warning),)) for warning in citation.warnings)
    return Lines((source, *warnings, Quote(citation.quote)))
