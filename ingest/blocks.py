"""Blocks of text from an HTML, PDF or DOCX file, arranged as text for an existing parser.

Each format module reduces its file to blocks (a title, section headings, paragraphs, one per
line) and `arrange` decides which parser reads them: the IOPC page parser, the Markdown
parser (one section per heading) or the plain-text fallback. No format has a parser of its
own, so an IOPC page reads the same whether it was saved as text, HTML, PDF or DOCX.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ingest.iopc_page import RECOMMENDS, TITLE_RE, looks_like_iopc_page

Role = Literal["title", "heading", "text"]
Layout = Literal["iopc-page", "markdown", "plain-text"]


@dataclass(frozen=True)
class Block:
    """One line of a document: its title, a section heading or a paragraph."""

    text: str
    role: Role = "text"


@dataclass(frozen=True)
class Converted:
    """A file as text in the layout that `layout`'s parser reads."""

    text: str
    layout: Layout
    title: str
    url: str
    # Shown in the ingest summary, e.g. "HTML" or "PDF, 2 pages".
    source_format: str


def arrange(
    blocks: Sequence[Block], *, fallback_title: str, url: str, source_format: str
) -> Converted:
    """Route blocks to the IOPC parser if they hold an IOPC page, else to the Markdown parser
    if they have section headings, else to plain text."""
    # Blocks without a letter or digit (rules drawn with dashes, stray bullets) carry nothing
    # to index, and a leading '---' would be read as Markdown front matter.
    kept = _one_title([_single_line(b) for b in blocks if any(ch.isalnum() for ch in b.text)])
    title = next((b.text for b in kept if b.role == "title"), " ".join(fallback_title.split()))

    def converted(text: str, layout: Layout) -> Converted:
        return Converted(text, layout, title, url, source_format)

    page = _iopc_page(kept)
    if page is not None:
        return converted(page, "iopc-page")
    if any(b.role == "heading" for b in kept):
        lines = [f"# {title}"] if title else []
        lines += [
            f"## {b.text}" if b.role == "heading" else b.text for b in kept if b.role != "title"
        ]
        return converted("\n\n".join(lines), "markdown")
    return converted("\n\n".join(b.text for b in kept), "plain-text")


def _iopc_page(blocks: list[Block]) -> str | None:
    """The blocks as an IOPC page, one paragraph per line from its title line on, or None.

    Lines before the title line are page chrome (a printed page's header, breadcrumbs), but
    a title-shaped line deep in another document (a list of related pages) does not make it
    an IOPC page: that needs a recommendation after the title too.
    """
    start = next((i for i, b in enumerate(blocks) if TITLE_RE.match(b.text)), 0)
    page = "\n".join(b.text for b in blocks[start:])
    if looks_like_iopc_page(page) and (start == 0 or RECOMMENDS in page.lower()):
        return page
    return None


def _one_title(blocks: list[Block]) -> list[Block]:
    """The first title block is the title; a later one (a second h1) heads a section."""
    first = next((i for i, b in enumerate(blocks) if b.role == "title"), -1)
    return [
        Block(b.text, "heading") if b.role == "title" and i != first else b
        for i, b in enumerate(blocks)
    ]


def _single_line(block: Block) -> Block:
    """Titles and headings become one Markdown line each; paragraphs keep their breaks."""
    if block.role == "text":
        return block
    return Block(" ".join(block.text.split()), block.role)


def one_line(err: BaseException) -> str:
    """A library's exception as a one-line reason (KeyError's message without its quotes)."""
    message = str(err.args[0]) if len(err.args) == 1 else str(err)
    return (message.strip().splitlines() or [type(err).__name__])[0]
