"""Parse Markdown with YAML front matter into `## <section id> — <heading>` sections."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import frontmatter
import yaml

from ingest.models import IngestError, MetaValue

SECTION_RE = re.compile(r"^##\s+(?P<id>.+?)(?:\s+[\u2014\u2013-]\s+(?P<heading>.+?))?\s*$")
TITLE_RE = re.compile(r"^#\s+(?P<title>.+?)\s*$")
URL_RE = re.compile(r"^url:\s*(?P<url>\S+)\s*$", re.IGNORECASE)


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
    except yaml.YAMLError as err:
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
        section_text = "\n".join(text_lines).strip()
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
            elif line.strip():
                preamble.append(line)
        else:
            body.append(line)
    close()
    return ParsedMarkdown(
        front_matter=normalise_metadata(post.metadata),
        title=title,
        preamble="\n".join(preamble).strip(),
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
