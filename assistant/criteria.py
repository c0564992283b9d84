"""What a search, an answer or a precedent list may draw on: one type, one validation, one test.

The chat's filter panel, the Precedents tab, the CLI's options and the API's arguments all
become a `Criteria` through `Criteria.build`, which refuses a backward year range and an unknown
kind or acceptance value in one line. `matches` applies the conditions to a passage's metadata
or to a precedent row's facets alike; the retriever turns it into one mask shared by its legs.
A condition that matches nothing returns nothing: no search falls back to unfiltered results.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.questions import QuestionError
from ingest.models import KINDS

ACCEPTED_VALUES = ("yes", "no", "partially", "awaiting", "unknown")
KIND_ALIASES = {"recommendation": "precedent", "recommendations": "precedent"}


class CriteriaError(QuestionError):
    """Criteria that cannot be met by construction; the message says why in one line."""


@dataclass(frozen=True)
class Criteria:
    """Conditions on sources. Empty means any; every given condition must hold (fail closed)."""

    kinds: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    forces: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    relies_on: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def __post_init__(self) -> None:
        _refuse_unknown("kind", self.kinds, KINDS)
        _refuse_unknown("accepted", self.accepted, ACCEPTED_VALUES)
        if self.year_from is not None and self.year_to is not None and self.year_from > self.year_to:
            raise CriteriaError(f"year range: {self.year_from} is after {self.year_to}")

    @classmethod
    def build(
        cls,
        kinds: Iterable[str] | None = None,
        doc_ids: Iterable[str] | None = None,
        forces: Iterable[str] | None = None,
        themes: Iterable[str] | None = None,
        accepted: Iterable[str] | None = None,
        relies_on: Iterable[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        known: Mapping[str, Sequence[str]] | None = None,
    ) -> Criteria:
        """Criteria from user input (None: no condition). Kinds take their aliases ("recommendation"),
        themes and answers are compared in lower case, and forces and laws match the `known`
        values they name by part, case-insensitively ("kent", "equality"); a value that names
        nothing known is kept, so that it matches nothing."""
        known = known or {}
        return cls(
            kinds=_distinct(KIND_ALIASES.get(k.strip().lower(), k.strip().lower()) for k in kinds or ()),
            doc_ids=_distinct(d.strip() for d in doc_ids or ()),
            forces=_resolve(forces or (), known.get("forces", ())),
            themes=_distinct(t.strip().lower() for t in themes or ()),
            accepted=_distinct(a.strip().lower() for a in accepted or ()),
            relies_on=_resolve(relies_on or (), known.get("relies_on", ())),
            year_from=year_from,
            year_to=year_to,
        )

    @property
    def is_empty(self) -> bool:
        return self == Criteria()

    def describe(self) -> str:
        """The criteria in words ("kind: legislation; years: 2020–2022")."""
        parts = [
            f"{label}: {', '.join(values)}"
            for label, values in (
                ("kind", self.kinds),
                ("force", self.forces),
                ("theme", self.themes),
                ("accepted", self.accepted),
                ("relies on", self.relies_on),
                ("document", self.doc_ids),
            )
            if values
        ]
        if self.year_from is not None or self.year_to is not None:
            start = "" if self.year_from is None else str(self.year_from)
            end = "" if self.year_to is None else str(self.year_to)
            parts.append(f"years: {start}\u2013{end}")
        return "; ".join(parts)

    def matches(self, facets: Mapping[str, Any]) -> bool:
        """Whether a source with these facets (a passage's metadata, a precedent row's
        `facets()`) meets every condition."""
        for key, values in (("kind", self.kinds), ("doc_id", self.doc_ids), ("accepted", self.accepted)):
            if values and facets.get(key) not in values:
                return False
        for key, values in (("forces", self.forces), ("themes", self.themes), ("relies_on", self.relies_on)):
            if values and not set(values) & set(facets.get(key) or ()):
                return False
        year = facets.get("year")
        if self.year_from is not None and not (isinstance(year, int) and year >= self.year_from):
            return False
        if self.year_to is not None and not (isinstance(year, int) and year <= self.year_to):
            return False
        return True


def _refuse_unknown(label: str, given: Sequence[str], accepted: Sequence[str]) -> None:
    unknown = [value for value in given if value not in accepted]
    if unknown:
        raise CriteriaError(f"{label}: '{unknown[0]}' is not one of {', '.join(accepted)}")


def _distinct(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if v))


def _resolve(given: Iterable[str], known: Sequence[str]) -> tuple[str, ...]:
    """Each given value as the known values it names by part, case-insensitively."""
    resolved: list[str] = []
    for value in given:
        wanted = value.strip().lower()
        if wanted:
            resolved.extend([name for name in known if wanted in name.lower()] or [value.strip()])
    return tuple(dict.fromkeys(resolved))
