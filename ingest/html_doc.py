"""Saved web pages: the main content's text, one line per block element.

The page's `<main>` (else `<article>`, else `<body>`) is walked without recursion, dropping
scripts, navigation and other page furniture; `<h1>` is the title and `<h2>` a section
heading. `ingest.blocks.arrange` then hands the lines to an existing parser.
"""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning
from bs4.element import NavigableString, PageElement, Tag
from bs4.exceptions import ParserRejectedMarkup
from lxml import etree

from ingest.blocks import Block, Converted, Role, arrange, one_line
from ingest.models import IngestError
from ingest.reader import UTF16_BOMS

# Elements whose text is never the page's content (a footer, even an article's, holds
# publication dates, tags and share links).
DROPPED = {"script", "style", "nav", "aside", "form", "noscript", "template", "button", "footer"}
# A page's banner; inside an article, main or section a header holds its heading.
CHROME = {"header"}
SECTIONING = {"article", "main", "section"}
# Each of these starts and ends a line.
BLOCK_TAGS = {
    "address", "article", "blockquote", "body", "caption", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "legend", "li", "main", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
ROLES: dict[str, Role] = {"h1": "title", "h2": "heading"}
# Real pages nest a few dozen elements deep. Far deeper markup is hostile or broken, and
# BeautifulSoup would spend tens of seconds and hundreds of MB building it.
MAX_DEPTH = 200
# Bytes that no page's text uses but that an eighth of random bytes are: BeautifulSoup decodes
# any bytes as some charset, so a binary file named .html would otherwise be indexed as text.
CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\x0c\r")
MAX_CONTROL_SHARE = 0.01


def html_to_text(data: bytes) -> Converted:
    """The page's blocks arranged for a parser, or IngestError."""
    if not data.startswith(UTF16_BOMS):
        if b"\x00" in data:
            raise IngestError("binary file (contains NUL bytes)")
        controls = len(data) - len(data.translate(None, CONTROL_BYTES))
        if controls > MAX_CONTROL_SHARE * len(data):
            raise IngestError("binary file (control characters in the text)")
    _check_depth(data)
    try:
        with warnings.catch_warnings():
            # A page that is only a file name or an XHTML page parses fine; no warning needed.
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            soup = BeautifulSoup(data, "lxml")
    # lxml raises ValueError for a charset name it cannot use.
    except (ParserRejectedMarkup, ValueError) as err:
        raise IngestError(f"malformed HTML ({one_line(err)})") from None
    blocks = [Block(text, ROLES.get(tag, "text")) for tag, text in _lines(_content_root(soup))]
    return arrange(
        blocks, fallback_title=_page_title(soup), url=_official_url(soup), source_format="HTML"
    )


def _content_root(soup: BeautifulSoup) -> Tag:
    """Where the page's own content is: `<main>`, else `<article>`, else `<body>`."""
    for found in (soup.find("main"), soup.find("article"), soup.body):
        if isinstance(found, Tag):
            return found
    return soup


def _check_depth(data: bytes) -> None:
    """Refuse markup nested deeper than MAX_DEPTH, measured by lxml's fast pull parser before
    BeautifulSoup builds a tree (libxml2 itself stops counting at 256 levels)."""
    parser = etree.HTMLPullParser(events=("start", "end"))
    parser.feed(data)
    parser.close()
    depth = 0
    for event, _ in parser.read_events():
        depth += 1 if event == "start" else -1
        if depth > MAX_DEPTH:
            raise IngestError(f"HTML nested too deeply (more than {MAX_DEPTH} levels of elements)")


def _lines(root: Tag) -> list[tuple[str, str]]:
    """(innermost block tag, text) for each line of visible text under `root`, in order.

    Iterative, not recursive: an explicit stack of (node, leaving) pairs visits each element
    on the way in and on the way out, where a block element ends the line.
    """
    lines: list[tuple[str, str]] = []
    parts: list[str] = []
    line_tag = ""
    open_blocks: list[str] = []
    sectioning = 0

    def flush() -> None:
        text = " ".join("".join(parts).split())
        if text:
            lines.append((line_tag, text))
        parts.clear()

    stack: list[tuple[PageElement, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if type(node) is NavigableString:  # not a comment, CDATA or doctype
            if not parts:
                line_tag = open_blocks[-1] if open_blocks else ""
            parts.append(str(node))
            continue
        if not isinstance(node, Tag):
            continue
        name = node.name
        if leaving:
            if name in BLOCK_TAGS:
                flush()
                open_blocks.pop()
            if name in SECTIONING:
                sectioning -= 1
            continue
        if name in DROPPED or (name in CHROME and not sectioning) or node.has_attr("hidden"):
            continue
        if name == "br":
            flush()
            continue
        if name in BLOCK_TAGS:
            flush()
            open_blocks.append(name)
        if name in SECTIONING:
            sectioning += 1
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node.contents))
    flush()
    return lines


def _page_title(soup: BeautifulSoup) -> str:
    title = soup.find("title")
    return " ".join(title.get_text().split()) if isinstance(title, Tag) else ""


def _official_url(soup: BeautifulSoup) -> str:
    """The page's own address: its canonical link, else its Open Graph URL."""
    candidates = (
        (soup.find("link", rel="canonical"), "href"),
        (soup.find("meta", attrs={"property": "og:url"}), "content"),
    )
    for tag, attribute in candidates:
        value = tag.get(attribute) if isinstance(tag, Tag) else None
        if isinstance(value, str) and value.strip().startswith(("https://", "http://")):
            return value.strip()
    return ""
