"""Parse Markdown with YAML front matter into `## <section id> — <heading>` sections."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import frontmatter
import yaml

from ingest.models import IngestError, MetaValue
from ingest.wrapped import join_wrapped_lines

SECTION_RE = re.compile(r"^##\s+(?P<id>.+?)(?:\s+[\u2014\u2013-]\s+(?P<heading>.+?))?\s*$")
TITLE_RE = re.compile(r"^#\s+(?P<title>.+?)\s*$")
URL_RE = re.compile(r"^url:\s*(?P<url>\S+)\s*$", re.IGNORECASE)
# Values in one metadata field, nested ones included: real front matter has a handful.
MAX_META_ITEMS = 1000


@dataclass(frozen=True)
class MarkdownSection:
    section_id: str
    heading: str
    url: str
    text: str


@dataclass(frozen=True)
class ParsedMarkdown:
    front_matter: dict[str, MetaValue]
    title: str
    preamble: str
    sections: tuple[MarkdownSection, ...]


def parse_markdown(text: str) -> ParsedMarkdown:
    try:
        post = frontmatter.loads(text)
    # PyYAML raises ValueError for a value it cannot build: a date such as 2024-13-45, an
    # integer of more digits than Python converts.
    except (yaml.YAMLError, ValueError) as err:
        reason = str(err).splitlines()[0]
        raise IngestError(f"malformed YAML front matter ({reason})") from None
    except TypeError:
        # python-frontmatter passes the mapping as keyword arguments: a key that is not text
        # ("? " alone gives a null key) cannot be one.
        raise IngestError("malformed YAML front matter (a key is not text)") from None
    if not isinstance(post.metadata, dict):
        raise IngestError("malformed YAML front matter (not a mapping)")
    title = ""
    preamble: list[str] = []
    sections: list[MarkdownSection] = []
    current: tuple[str, str] | None = None
    body: list[str] = []

    def close() -> None:
        if current is None:
            return
        url, text_lines = _split_url(body)
        section_text = join_wrapped_lines("\n".join(text_lines)).strip()
        if section_text:
            sections.append(MarkdownSection(current[0], current[1], url, section_text))

    for line in post.content.split("\n"):
        section = SECTION_RE.match(line)
        if section:
            close()
            current, body = (_unique(section["id"], sections), section["heading"] or ""), []
            continue
        if current is None:
            heading = TITLE_RE.match(line)
            if heading and not title:
                title = heading["title"]
            else:
                preamble.append(line)
        else:
            body.append(line)
    close()
    return ParsedMarkdown(
        front_matter=normalise_metadata(post.metadata),
        title=title,
        preamble=join_wrapped_lines("\n".join(preamble)).strip(),
        sections=tuple(sections),
    )


def _unique(section_id: str, sections: list[MarkdownSection]) -> str:
    """Section ids are citation labels and must be unique: a repeat gets a number."""
    taken = {s.section_id for s in sections}
    if section_id not in taken:
        return section_id
    n = 2
    while f"{section_id} ({n})" in taken:
        n += 1
    return f"{section_id} ({n})"


def _split_url(lines: list[str]) -> tuple[str, list[str]]:
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        match = URL_RE.match(line.strip())
        if match:
            return match["url"], lines[i + 1 :]
        break
    return "", lines


def normalise_metadata(raw: dict) -> dict[str, MetaValue]:
    """Front matter as Chroma-storable values: dates become ISO strings, lists of strings."""
    clean: dict[str, MetaValue] = {}
    for key, value in raw.items():
        _check_value(key, value)
        if not str(key) or str(key)[0] in "$#" or str(key) == "chroma:document":
            raise IngestError(
                f"metadata field name {str(key)!r} cannot be stored "
                "(a name must not be empty, start with $ or #, or be chroma:document)"
            )
        if isinstance(value, (dt.date, dt.datetime)):
            clean[str(key)] = value.isoformat()
        elif isinstance(value, bool | int | float | str):
            clean[str(key)] = value
        elif isinstance(value, list):
            items = [str(v) for v in value if v is not None and str(v).strip()]
            if items:
                clean[str(key)] = items
        elif value is not None:
            clean[str(key)] = str(value)
    return clean


def _check_value(key: object, value: object) -> None:
    """Refuse a field that cannot be stored: one that YAML aliases make huge (a few lines of
    aliases of aliases, a "billion laughs", print as gigabytes; a value that contains itself
    never ends), or a number wider than Chroma's 64-bit integers (0x followed by thousands of
    digits cannot even be printed, so the field is named only by a name that is text)."""
    field = f"metadata field {key!r}" if isinstance(key, str) else "a metadata field"
    stack, seen = [key, value], 0
    while stack:
        item = stack.pop()
        seen += 1
        if seen > MAX_META_ITEMS:
            raise IngestError(f"{field} is too large (more than {MAX_META_ITEMS:,} values)")
        if isinstance(item, int) and not -(2**63) <= item < 2**63:
            raise IngestError(f"{field} holds a number too large to store")
        if isinstance(item, dict):
            stack.extend([*item.keys(), *item.values()])
        elif isinstance(item, list):
            stack.extend(item)
