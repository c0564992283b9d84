"""PDFs with a text layer: every page's text, wrapped lines reflowed into paragraphs.

A PDF stores lines, not paragraphs, so a line is joined to the one before unless a
paragraph ended between them: a gap wider than the usual line spacing, a line well short
of the typical line width, a sentence ending short of it, or one of the IOPC page's
one-line markers. A line that starts a marker ("The IOPC recommends", "Do you accept the
recommendation?", "Yes", "Accepted action:" ...) always starts a paragraph, so that the
IOPC parser sees one paragraph per line.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from io import BytesIO
from typing import Literal

from pypdf import PageObject, PasswordType, PdfReader
from pypdf.errors import DependencyError

from ingest.blocks import Block, Converted, arrange, one_line
from ingest.iopc_page import (
    ANSWER_RE,
    LABEL_RE,
    LIST_HEADER_RE,
    QUESTION,
    RECOMMENDS,
    REFERENCE_RE,
    TITLE_RE,
)
from ingest.models import IngestError

# pypdf logs each flaw it works around, some at error level; a flaw it cannot get round
# raises, and the ingest report names it, so the log would only clutter the command's output.
logging.getLogger("pypdf").setLevel(logging.CRITICAL)

# A line shorter than this share of the typical width ends its paragraph; so does a line
# ending a sentence shorter than FULL_LINE (a wrapped line fills the width but for a word).
SHORT_LINE = 0.7
FULL_LINE = 0.85
SENTENCE_END = (".", "!", "?", ":", '."', ".\u201d")
PAGE_NUMBER_RE = re.compile(r"^(?:page\s+)?\d+(?:\s*(?:of|/)\s*\d+)?$", re.IGNORECASE)
# Running headers and footers are looked for among this many lines at each end of a page.
EDGE_LINES = 2
# A gap between lines is the usual line spacing when at least this share of gaps has it.
USUAL_GAP_SHARE = 0.2


def pdf_to_text(data: bytes) -> Converted:
    """The PDF's paragraphs arranged for a parser, or IngestError."""
    pages, metadata_title = _read(data)
    paragraphs = reflow(_without_furniture(pages))
    if not paragraphs:
        raise IngestError("PDF has no text layer (a scanned image?); run OCR on it first")
    count = len(pages)
    return arrange(
        [Block(p) for p in paragraphs],
        fallback_title=metadata_title or paragraphs[0],
        url="",
        source_format=f"PDF, {count} page{'s' * (count != 1)}",
    )


def _read(data: bytes) -> tuple[list[list[str]], str]:
    """Each page's lines (white space collapsed; blank where there is vertical space) and the
    metadata title."""
    try:
        reader = PdfReader(BytesIO(data))
        # An empty user password opens files that are only protected against editing.
        locked = reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED
    except DependencyError as err:
        raise IngestError(f"encrypted PDF ({one_line(err)})") from None
    except Exception as err:  # noqa: BLE001 - pypdf raises many types on a damaged file
        raise IngestError(f"malformed PDF ({one_line(err)})") from None
    if locked:
        raise IngestError("encrypted PDF (it needs a password); save an unprotected copy first")
    try:
        texts = [_page_text(page) for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except Exception as err:  # noqa: BLE001 - as above, for damage found while reading pages
        raise IngestError(f"malformed PDF ({one_line(err)})") from None
    if not texts:
        raise IngestError("malformed PDF (no pages)")
    pages = [[" ".join(line.split()) for line in text.split("\n")] for text in texts]
    return pages, title if isinstance(title, str) else ""


def _page_text(page: PageObject) -> str:
    """The page's text with a blank line for each line's worth of vertical space, or without
    the spacing where layout mode fails on a page that plain extraction still reads."""
    try:
        return page.extract_text(extraction_mode="layout")
    except Exception:  # noqa: BLE001 - any failure of layout mode alone
        return page.extract_text()


def _without_furniture(pages: list[list[str]]) -> list[str]:
    """All pages' lines in order, without page numbers, the header and footer lines repeated
    at the top or bottom of every page, or blank lines at a page's ends; a paragraph running
    over a page break then joins up again."""
    texts = [page for page in pages if any(page)]
    running: set[str] = set()
    if len(texts) > 1:
        edges = [{_shape(line) for line in _edges(page)} for page in texts]
        running = set.intersection(*edges)

    def furniture(line: str) -> bool:
        return not line or (
            _marker(line) is None
            and (PAGE_NUMBER_RE.match(line) is not None or _shape(line) in running)
        )

    lines: list[str] = []
    for page in texts:
        start, end = 0, len(page)
        while start < end and furniture(page[start]):
            start += 1
        while end > start and furniture(page[end - 1]):
            end -= 1
        lines.extend(page[start:end])
    return lines


def _edges(page: list[str]) -> list[str]:
    nonblank = [line for line in page if line]
    return nonblank[:EDGE_LINES] + nonblank[-EDGE_LINES:]


def _shape(line: str) -> str:
    """A line with its numbers masked, so that 'Page 1 of 3' and 'Page 2 of 3' match."""
    return re.sub(r"\d+", "#", line)


def reflow(lines: list[str]) -> list[str]:
    """Wrapped lines joined into paragraphs, one per item; a blank line marks a line's worth
    of vertical space."""
    spaced = _with_gaps(lines)
    usual_gap = _usual_gap([gap for _, gap in spaced[1:]])
    width = _typical_width(lines)
    paragraphs: list[str] = []
    open_paragraph = False
    for line, gap in spaced:
        if open_paragraph and gap <= usual_gap and _marker(line) is None:
            paragraphs[-1] = _join(paragraphs[-1], line)
        else:
            paragraphs.append(line)
        open_paragraph = not _ends_paragraph(line, width)
    return paragraphs


def _with_gaps(lines: list[str]) -> list[tuple[str, int]]:
    """Each non-blank line with the number of blank lines before it."""
    spaced: list[tuple[str, int]] = []
    blanks = 0
    for line in lines:
        if line:
            spaced.append((line, blanks))
            blanks = 0
        else:
            blanks += 1
    return spaced


def _usual_gap(gaps: list[int]) -> int:
    """The spacing between lines of one paragraph: the smallest gap that is common. Single-
    spaced text has none and double-spaced text one blank line, while wider gaps between
    paragraphs are the common ones too in pages of short paragraphs, hence not the mode."""
    counts = Counter(gaps)
    common = [gap for gap, n in counts.items() if n >= USUAL_GAP_SHARE * len(gaps)]
    return min(common, default=0)


def _typical_width(lines: list[str]) -> int:
    """The length of a full line: most lines of running text are full, and taking the 90th
    percentile rather than the longest leaves out the odd table row run together."""
    lengths = sorted(len(line) for line in lines if line)
    return lengths[int(0.9 * (len(lengths) - 1))] if lengths else 0


def _ends_paragraph(line: str, width: int) -> bool:
    if len(line) < SHORT_LINE * width or _marker(line) == "whole":
        return True
    return line.endswith(SENTENCE_END) and len(line) < FULL_LINE * width


def _marker(line: str) -> Literal["opens", "whole"] | None:
    """How a line that starts an IOPC parser marker behaves: "opens" a paragraph that may
    wrap (the recommendation; a label followed by its text), is a "whole" line of its own,
    or None when the line starts no marker."""
    lowered = line.lower()
    label = LABEL_RE.match(line)
    if lowered.startswith(RECOMMENDS) or (label and label["rest"]):
        return "opens"
    whole = (TITLE_RE, ANSWER_RE, REFERENCE_RE, LIST_HEADER_RE)
    if label or lowered.startswith(QUESTION) or any(p.match(line) for p in whole):
        return "whole"
    return None


def _join(paragraph: str, line: str) -> str:
    """A wrapped line appended to its paragraph; a word broken at a hyphen stays joined."""
    if paragraph.endswith("-") and paragraph[-2:-1].isalpha() and line[:1].islower():
        return paragraph + line
    return f"{paragraph} {line}"
