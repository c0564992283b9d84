"""Precedent search: IOPC recommendations as rows, ranked, filtered, compared and exported.

A row is one recommendation of one page or digest. Rows come from the structured records
that ingest stored with each document; relevance comes from the hybrid retriever's passages,
each credited to the recommendation it belongs to (any other section of the page, such as its
summary or background, counts at half weight for every recommendation of that page, and in
full when the page has only one).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assistant.models import PrecedentRecord, PrecedentRow

# How much a document-level passage (summary, background) counts for each recommendation.
DOCUMENT_LEVEL_WEIGHT = 0.5
GIST_WORDS = 24
_KEY = re.compile(r"^(?P<doc>.+)#(?P<n>\d+)$")
_NUMBERED = re.compile(r"^(?:recommendation|response)s?\s+(?P<n>\d+)\b", re.IGNORECASE)


class PrecedentError(ValueError):
    """A precedent request that cannot be served; the message says why in one line."""


def parse_key(key: str) -> tuple[str, int]:
    """`DOC_ID#N` → (doc id, recommendation number)."""
    match = _KEY.match((key or "").strip())
    if match is None:
        raise PrecedentError(f"'{key}' is not a recommendation id (expected DOC_ID#N, e.g. "
                             "recommendations-northumbria-police-march-2021#2)")
    return match["doc"], int(match["n"])


def gist(text: str, words: int = GIST_WORDS) -> str:
    """The first sentence, cut to a few words: enough to recognise a row."""
    first = re.split(r"(?<=[.!?])\s+", " ".join(text.split()), maxsplit=1)[0]
    parts = first.split()
    if len(parts) > 4 and parts[2].lower() in ("recommends", "recommended") and parts[3].lower() == "that":
        parts = parts[4:]
    return " ".join(parts[:words]) + ("\u2026" if len(parts) > words else "")


class PrecedentTable:
    """Every recommendation in the index, with its document's facts, keyed `DOC_ID#N`."""

    def __init__(self, records: Iterable[Mapping[str, Any]], doc_meta: Mapping[str, Mapping[str, Any]]):
        self.rows: dict[str, PrecedentRow] = {}
        self._records: dict[str, Mapping[str, Any]] = {}
        for record in records:
            doc_id = str(record["doc_id"])
            self._records[doc_id] = record
            meta = doc_meta.get(doc_id, {})
            for rec in record.get("recommendations", []):
                row = _row(record, rec, meta)
                self.rows[row.key] = row

    def values(self, field: str) -> list[str]:
        """Every value of a list or text field across rows (for filter choices)."""
        found: set[str] = set()
        for row in self.rows.values():
            value = getattr(row, field)
            found.update(value if isinstance(value, tuple) else [value] if value else [])
        return sorted(str(v) for v in found)

    def of_document(self, doc_id: str) -> list[PrecedentRow]:
        return sorted((r for r in self.rows.values() if r.doc_id == doc_id), key=lambda r: r.number)

    def rank(self, scored: Iterable[tuple[Mapping[str, Any], float]]) -> list[tuple[str, float]]:
        """Recommendation keys by the best score of a passage (metadata, score) credited to them."""
        scores: dict[str, float] = {}
        for meta, score in scored:
            for key, weight in self.credited(meta):
                scores[key] = max(scores.get(key, 0.0), score * weight)
        return sorted(scores.items(), key=lambda item: (-item[1], item[0]))

    def credited(self, meta: Mapping[str, Any]) -> list[tuple[str, float]]:
        """The recommendations a passage speaks for, with the weight it carries for each."""
        doc_id, section = str(meta.get("doc_id", "")), str(meta.get("section", ""))
        number = meta.get("recommendation")
        if not isinstance(number, int):
            numbered = _NUMBERED.match(section)
            number = int(numbered["n"]) if numbered else None
        if number is not None and f"{doc_id}#{number}" in self.rows:
            return [(f"{doc_id}#{number}", 1.0)]
        siblings = self.of_document(doc_id)
        # A page with one recommendation is all about it.
        weight = 1.0 if len(siblings) == 1 else DOCUMENT_LEVEL_WEIGHT
        return [(row.key, weight) for row in siblings]

    def record(self, key: str) -> PrecedentRecord:
        doc_id, number = parse_key(key)
        row = self.rows.get(f"{doc_id}#{number}")
        if row is None:
            siblings = self.of_document(doc_id)
            if not siblings:
                raise PrecedentError(f"no recommendations are indexed for document '{doc_id}'")
            numbers = ", ".join(str(r.number) for r in siblings)
            raise PrecedentError(f"'{doc_id}' has no recommendation {number} (it has {numbers})")
        record = self._records[doc_id]
        rec = next(r for r in record["recommendations"] if int(r["number"]) == number)
        return PrecedentRecord(
            row=row,
            recommendation=str(rec["text"]),
            finding=str(rec.get("finding", "")),
            response=str(rec.get("response", "")),
            references=tuple(record.get("iopc_references") or ()),
            others=tuple(r for r in self.of_document(doc_id) if r.number != number),
        )


def _row(record: Mapping[str, Any], rec: Mapping[str, Any], meta: Mapping[str, Any]) -> PrecedentRow:
    doc_id = str(record["doc_id"])
    month = str(record.get("month") or meta.get("month") or "")
    year = meta.get("year")
    forces = meta.get("forces") or ([record["force"]] if record.get("force") else [])
    return PrecedentRow(
        doc_id=doc_id,
        number=int(rec["number"]),
        title=str(record.get("title") or meta.get("title") or doc_id),
        force=str(record.get("force") or ", ".join(forces)),
        forces=tuple(str(f) for f in forces),
        month=month,
        year=int(year) if isinstance(year, int) else int(month[:4]) if month[:4].isdigit() else None,
        section=str(rec.get("section", "")),
        gist=gist(str(rec["text"])),
        accepted=str(rec.get("accepted") or "unknown"),
        response_gist=gist(str(rec.get("response", ""))) if rec.get("response") else "",
        relies_on=tuple(rec.get("relies_on") or ()),
        themes=tuple(meta.get("themes") or ()),
        url=str(record.get("url") or meta.get("url") or ""),
    )


CSV_COLUMNS = (
    "id", "title", "force", "month", "section", "recommendation", "accepted",
    "response", "relies_on", "themes", "url", "score",
)


def rows_csv(rows: Sequence[PrecedentRow]) -> str:
    """The result table as CSV, one row per recommendation (lists joined with '; ')."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        writer.writerow(
            [
                row.key, row.title, row.force, row.month, row.section, row.gist, row.accepted,
                row.response_gist, "; ".join(row.relies_on), "; ".join(row.themes), row.url,
                "" if row.score is None else f"{row.score:.6f}",
            ]
        )
    return out.getvalue()


def rows_json(rows: Sequence[PrecedentRow]) -> str:
    return json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2)
