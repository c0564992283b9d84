"""Records that leave the ingest package: parsed documents, sections, passages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# The kinds a document may declare (a file that declares none is a "document").
KINDS = ("legislation", "guidance", "precedent", "document")

# Chroma metadata values: scalars, or non-empty lists of one scalar type.
MetaValue = str | int | float | bool | list[str]


class IngestError(Exception):
    """A file that cannot be ingested; the message is one line naming the reason."""


@dataclass(frozen=True)
class Section:
    """A citable unit of a document: `section_id` is the label users see."""

    section_id: str
    heading: str
    text: str
    url: str
    metadata: dict[str, MetaValue] = field(default_factory=dict)


@dataclass(frozen=True)
class Recommendation:
    number: int
    section: str
    text: str
    finding: str
    accepted: str
    response: str
    # Labels of the law and guidance the recommendation names (ingest/instruments.yaml).
    relies_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class RecommendationRecord:
    """The structured content of an IOPC recommendations page."""

    doc_id: str
    title: str
    force: str
    month: str
    iopc_references: tuple[str, ...]
    url: str
    recommendations: tuple[Recommendation, ...]


@dataclass(frozen=True)
class ParsedDocument:
    doc_id: str
    title: str
    kind: str
    url: str
    status: str
    layout: str
    source: str
    content_hash: str
    sections: tuple[Section, ...]
    metadata: dict[str, MetaValue] = field(default_factory=dict)
    record: RecommendationRecord | None = None
    # The file format when it was not text, as the summary shows it: "HTML", "PDF, 2 pages".
    source_format: str = ""
    # Plain-language lines for some sections, indexed to find them (ingest/expansions.py).
    expansions: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def describe(self) -> str:
        """What the parser recognised, for the ingest summary."""
        fmt = f" ({self.source_format})" if self.source_format else ""
        if self.layout == "iopc-page" and self.record is not None:
            n = len(self.record.recommendations)
            return f"IOPC recommendations page{fmt} with {n} recommendation{'s' * (n != 1)}"
        if self.layout == "markdown":
            n = len(self.sections)
            return f"sectioned document{fmt} with {n} section{'s' * (n != 1)}"
        n = len(self.sections)
        return f"plain text{fmt} in {n} part{'s' * (n != 1)}"


@dataclass(frozen=True)
class Passage:
    """One embeddable window of a section. `text` is verbatim source text."""

    passage_id: str
    doc_id: str
    section: str
    heading: str
    text: str
    context: str
    metadata: dict[str, MetaValue]

    @property
    def indexed_text(self) -> str:
        return indexed_text(self.context, self.text)


# The `role` of a stored record that is an expansion line, not a passage of source text.
EXPANSION = "expansion"


def is_expansion(metadata: Mapping[str, object]) -> bool:
    """Is this stored record an expansion line (searched, never quoted)?"""
    return metadata.get("role") == EXPANSION


def citation_context(title: str, section: str, heading: str) -> str:
    """The label a passage carries into the index, so that a window keeps its section."""
    return " \u2014 ".join(part for part in (title, section, heading) if part)


def indexed_text(context: str, text: str) -> str:
    """What the encoder and BM25 see: the citation context, then the text."""
    return f"{context}\n{text}" if context else text
