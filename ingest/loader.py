"""Recognise a file's layout and turn it into a ParsedDocument."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import yaml

from ingest.blocks import Converted, one_line
from ingest.docx_doc import docx_to_text
from ingest.html_doc import html_to_text
from ingest.instruments import with_instruments
from ingest.iopc_page import ParsedPage, looks_like_iopc_page, parse_iopc_page
from ingest.markdown_doc import normalise_metadata, parse_markdown
from ingest.models import (
    KINDS,
    IngestError,
    MetaValue,
    ParsedDocument,
    Recommendation,
    RecommendationRecord,
    Section,
)
from ingest.pdf_doc import pdf_to_text
from ingest.plain_text import group_paragraphs, paragraphs
from ingest.reader import DEFAULT_MAX_BYTES, SourceText, read_bytes, read_source

TEXT_SUFFIXES = {".txt", ".text"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
# Formats read from bytes into text that one of the parsers below reads.
CONVERTERS: dict[str, Callable[[bytes], Converted]] = {
    ".html": html_to_text,
    ".htm": html_to_text,
    ".pdf": pdf_to_text,
    ".docx": docx_to_text,
}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | MARKDOWN_SUFFIXES | set(CONVERTERS)
# Documents a folder walk reports as not readable, rather than passing over in silence.
UNSUPPORTED_DOCUMENTS = {".doc", ".rtf", ".odt"}
SIDECAR_SUFFIX = ".meta.yaml"
# Part of every document's content hash: bump it when parsing or chunking changes what a
# file becomes, so that the next ingest re-indexes every file.
FORMAT_VERSION = "5"
HEADING_WORDS = 14
# The encoder reads a word of over 100 characters as one unknown piece, and the chunker keeps
# it whole: a far longer run without a space (base64, a minified script) is data, not text.
MAX_WORD_CHARS = 1000
# A document id given in front matter or a sidecar becomes part of stored ids and file names.
DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}")
WEB_LINK = re.compile(r"https?://[^\s/?#]+", re.IGNORECASE)


def discover(paths: list[Path]) -> list[Path]:
    """Files to ingest: named files as given, folders walked for supported documents."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES | UNSUPPORTED_DOCUMENTS
                and not p.name.lower().startswith("readme")
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            found.append(path)
    return found


def load_document(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ParsedDocument:
    """Parse one file by its structure, or raise IngestError saying why not."""
    if path.name.endswith(SIDECAR_SUFFIX):
        raise IngestError("metadata sidecar, not a document (it is read with its document)")
    if path.exists() and path.suffix.lower() not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise IngestError(f"unsupported file type '{path.suffix}' (supported: {supported})")
    if path.suffix.lower() in CONVERTERS:
        return _converted_document(path, max_bytes, CONVERTERS[path.suffix.lower()])
    source = read_source(path, max_bytes)
    sidecar = _read_sidecar(path)
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        return _markdown_document(source, sidecar)
    if looks_like_iopc_page(source.text):
        return _iopc_document(source, sidecar)
    return _plain_document(source, sidecar)


def _converted_document(
    path: Path, max_bytes: int, convert: Callable[[bytes], Converted]
) -> ParsedDocument:
    """An HTML, PDF or DOCX file, parsed as the text its converter makes of it."""
    raw = read_bytes(path, max_bytes)
    converted = convert(raw.data)
    # The hash stays the file's own, so that an unchanged file is recognised as such.
    source = SourceText(path=path, text=converted.text, sha256=raw.sha256)
    sidecar = _read_sidecar(path)
    if converted.url:
        sidecar = {"url": converted.url, **sidecar}  # a sidecar's url prevails
    if converted.layout == "iopc-page":
        doc = _iopc_document(source, sidecar)
    elif converted.layout == "markdown":
        doc = _markdown_document(source, sidecar)
    else:
        doc = _plain_document(source, sidecar, title=converted.title)
    return replace(doc, source_format=converted.source_format)


def _read_sidecar(path: Path) -> dict[str, MetaValue]:
    sidecar = path.with_name(path.name.removesuffix(path.suffix) + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8"))
    # ValueError: not UTF-8, or a value PyYAML cannot build (a date such as 2024-13-45).
    except (yaml.YAMLError, ValueError) as err:
        raise IngestError(f"unreadable metadata sidecar {sidecar.name} ({one_line(err)})") from None
    if not isinstance(data, dict):
        raise IngestError(f"metadata sidecar {sidecar.name} is not a mapping")
    return normalise_metadata(data)


def _document(
    source: SourceText,
    meta: dict[str, MetaValue],
    *,
    title: str,
    kind: str,
    layout: str,
    sections: list[Section],
    record: RecommendationRecord | None = None,
) -> ParsedDocument:
    if not sections:
        raise IngestError("no text to index after parsing")
    parts = (title, *(part for s in sections for part in (s.section_id, s.heading, s.text)))
    longest = max((len(word) for part in parts for word in part.split()), default=0)
    if longest > MAX_WORD_CHARS:
        raise IngestError(
            f"not text (a run of {longest:,} characters without a space; "
            f"the limit is {MAX_WORD_CHARS:,})"
        )
    fingerprint = f"{FORMAT_VERSION}|{source.sha256}|{json.dumps(meta, sort_keys=True)}"
    given_id, given_kind = str(meta.pop("id", "") or ""), str(meta.pop("kind", "") or "")
    if given_id and (not DOC_ID.fullmatch(given_id) or ".." in given_id):
        raise IngestError(
            f"id {given_id[:80]!r} is not a slug (letters, digits, '.', '_' and '-', starting "
            "with a letter or digit)"
        )
    if given_kind and given_kind not in KINDS:
        raise IngestError(f"kind {given_kind[:40]!r} is not one of {', '.join(KINDS)}")
    url = str(meta.pop("url", "") or "")
    for link in (url, *(s.url for s in sections)):
        # A link is shown to readers and handed to API clients: only web links are kept.
        if link and not WEB_LINK.match(link):
            raise IngestError(f"url {link[:80]!r} is not an http(s) link")
    return ParsedDocument(
        doc_id=given_id or source.path.stem,
        title=str(meta.pop("title", "") or title or source.path.stem),
        kind=given_kind or kind,
        url=url,
        status=str(meta.pop("status", "") or ""),
        layout=layout,
        source=str(source.path.resolve()),
        content_hash=hashlib.sha256(fingerprint.encode()).hexdigest(),
        sections=tuple(sections),
        metadata=meta,
        record=with_instruments(record) if record else None,
    )


def _markdown_document(source: SourceText, sidecar: dict[str, MetaValue]) -> ParsedDocument:
    parsed = parse_markdown(source.text)
    meta = {**parsed.front_matter, **sidecar}
    _normalise_fields(meta)
    sections = [
        Section(
            s.section_id,
            s.heading,
            s.text,
            s.url,
            {"section_status": "history: describes an instrument no longer in force"}
            if s.section_id.lower().startswith("history")
            else {},
        )
        for s in parsed.sections
    ]
    if parsed.preamble:
        sections.insert(0, Section("Introduction", "", parsed.preamble, ""))
    if not parsed.sections:
        return _plain_document(source, meta, text=parsed.preamble, title=parsed.title)
    title = str(meta.get("title", "") or parsed.title)
    record = _digest_record(source, meta, title, sections) if meta.get("kind") == "precedent" else None
    return _document(
        source,
        meta,
        title=parsed.title,
        kind="document",
        layout="markdown",
        sections=sections,
        record=record,
    )


def _digest_record(
    source: SourceText, meta: dict[str, MetaValue], title: str, sections: list[Section]
) -> RecommendationRecord:
    """The record of a precedent digest: `Recommendation…` sections paired with `Response…`."""
    by_id = {s.section_id: s for s in sections}
    background = by_id["Background"].text if "Background" in by_id else ""
    single_response = by_id["Response"].text if "Response" in by_id else ""
    recommendations = []
    for section in sections:
        if not section.section_id.startswith("Recommendation"):
            continue
        suffix = section.section_id.split(" ", 1)[1] if " " in section.section_id else ""
        response = by_id.get(f"Response {suffix}".strip())
        numbered = re.search(r"\d+", suffix)
        recommendations.append(
            Recommendation(
                number=int(numbered[0]) if numbered else len(recommendations) + 1,
                section=section.section_id,
                text=section.text,
                finding=background,
                accepted=str(meta.get("accepted", "unknown")),
                response=response.text if response else single_response,
            )
        )
    references = str(meta.get("iopc_reference", "") or "")
    return RecommendationRecord(
        doc_id=str(meta.get("id", "") or source.path.stem),
        title=title,
        force=str(meta.get("force") or ""),
        month=str(meta.get("month", "")),
        iopc_references=tuple(r for r in references.replace(" and ", ",").split(",") if r.strip()),
        url=str(meta.get("url", "")),
        recommendations=tuple(recommendations),
    )


def _iopc_document(source: SourceText, sidecar: dict[str, MetaValue]) -> ParsedDocument:
    page = parse_iopc_page(source.text)
    meta: dict[str, MetaValue] = {"force": page.force, "month": page.month, **sidecar}
    if page.references:
        meta["iopc_references"] = list(page.references)
    meta.setdefault("publisher", "Independent Office for Police Conduct (IOPC)")
    _normalise_fields(meta)
    doc_id = str(sidecar.get("id", "") or source.path.stem)
    url = str(sidecar.get("url", ""))
    record = RecommendationRecord(
        doc_id=doc_id,
        title=page.title,
        force=page.force,
        month=page.month,
        iopc_references=page.references,
        url=url,
        recommendations=page.recommendations,
    )
    return _document(
        source,
        meta,
        title=page.title,
        kind="precedent",
        layout="iopc-page",
        sections=_page_sections(page),
        record=record,
    )


def _page_sections(page: ParsedPage) -> list[Section]:
    sections = [Section("Summary", "What the investigation found", page.intro, "")] if page.intro else []
    for rec, acceptance in zip(page.recommendations, page.acceptance_texts, strict=True):
        heading = _gist(rec.text)
        common = {"accepted": rec.accepted, "recommendation": rec.number}
        body = "\n".join(p for p in (rec.text, rec.finding) if p)
        sections.append(Section(rec.section, heading, body, "", {**common, "part": "recommendation"}))
        response = "\n".join(p for p in (acceptance, rec.response) if p)
        if rec.response or rec.accepted != "unknown":
            sections.append(Section(rec.section, heading, response, "", {**common, "part": "response"}))
    return sections


def _gist(recommendation: str) -> str:
    """A short heading from the recommendation's own words."""
    words = recommendation.split()
    if len(words) > 4 and words[2].lower() == "recommends" and words[3].lower() == "that":
        words = words[4:]
    gist = " ".join(words[:HEADING_WORDS])
    return gist + ("\u2026" if len(words) > HEADING_WORDS else "")


def _plain_document(
    source: SourceText,
    sidecar: dict[str, MetaValue],
    text: str | None = None,
    title: str = "",
) -> ParsedDocument:
    body = source.text if text is None else text
    sections = [Section(label, "", part, "") for label, part in group_paragraphs(paragraphs(body))]
    meta = dict(sidecar)
    _normalise_fields(meta)
    return _document(
        source, meta, title=title, kind="document", layout="plain-text", sections=sections
    )


def _normalise_fields(meta: dict[str, MetaValue]) -> None:
    """Fields the filters and labels rely on: `year` (int), `forces` (list) and `force` (their
    names as one), lower-case `themes`, and `accepted` as text even where unquoted YAML made it
    a boolean."""
    if isinstance(meta.get("accepted"), bool):
        meta["accepted"] = "yes" if meta["accepted"] else "no"
    elif isinstance(meta.get("accepted"), str):
        meta["accepted"] = str(meta["accepted"]).strip().lower()
    themes = meta.get("themes")
    if isinstance(themes, str):
        themes = [t for t in themes.split(",")]
    if isinstance(themes, list):
        meta["themes"] = [t.strip().lower() for t in themes if t.strip()]
    month = str(meta.get("month", ""))
    if "year" not in meta and month[:4].isdigit():
        meta["year"] = int(month[:4])
    if isinstance(meta.get("year"), str) and str(meta["year"]).isdigit():
        meta["year"] = int(meta["year"])
    forces = meta.get("forces") or meta.get("force")
    if isinstance(forces, str):
        meta["forces"] = [forces]
    elif isinstance(forces, list):
        meta["forces"] = forces
        # A recommendation to several bodies is labelled with all of them, as prose lists them.
        names = [str(f) for f in forces]
        listed = f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)
        meta.setdefault("force", listed)
