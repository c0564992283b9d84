"""Metadata filters, expressed once and applied to both search legs.

`matches` evaluates the conditions on a passage's metadata; the retriever turns it into one
mask over its passage table, shared by the dense, BM25 and reference legs. A filter that
matches nothing returns nothing: no leg falls back to unfiltered results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

KIND_ALIASES = {"recommendation": "precedent", "recommendations": "precedent"}
Sequence_ = tuple[str, ...] | list[str]


@dataclass(frozen=True)
class SearchFilter:
    kinds: tuple[str, ...] = ()
    doc_ids: tuple[str, ...] = ()
    forces: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    @classmethod
    def build(
        cls,
        kinds: Sequence_ = (),
        doc_ids: Sequence_ = (),
        forces: Sequence_ = (),
        themes: Sequence_ = (),
        accepted: Sequence_ = (),
        year_from: int | None = None,
        year_to: int | None = None,
    ) -> SearchFilter:
        """Normalise user input: kind aliases, lower-case themes and answers."""
        return cls(
            kinds=tuple(KIND_ALIASES.get(k.lower(), k.lower()) for k in kinds),
            doc_ids=tuple(doc_ids),
            forces=tuple(forces),
            themes=tuple(t.lower() for t in themes),
            accepted=tuple(a.lower() for a in accepted),
            year_from=year_from,
            year_to=year_to,
        )

    @property
    def is_empty(self) -> bool:
        return self == SearchFilter()

    def describe(self) -> str:
        """The filter in words, for a transcript ("kind: legislation; years: 2020-2022")."""
        parts = [
            f"{label}: {', '.join(values)}"
            for label, values in (
                ("kind", self.kinds),
                ("force", self.forces),
                ("theme", self.themes),
                ("accepted", self.accepted),
                ("document", self.doc_ids),
            )
            if values
        ]
        if self.year_from is not None or self.year_to is not None:
            start = "" if self.year_from is None else str(self.year_from)
            end = "" if self.year_to is None else str(self.year_to)
            parts.append(f"years: {start}–{end}")
        return "; ".join(parts)

    def matches(self, meta: Mapping[str, Any]) -> bool:
        for key, values in (("kind", self.kinds), ("doc_id", self.doc_ids), ("accepted", self.accepted)):
            if values and meta.get(key) not in values:
                return False
        for key, values in (("forces", self.forces), ("themes", self.themes)):
            if values and not set(values) & set(meta.get(key) or ()):
                return False
        year = meta.get("year")
        if self.year_from is not None and not (isinstance(year, int) and year >= self.year_from):
            return False
        if self.year_to is not None and not (isinstance(year, int) and year <= self.year_to):
            return False
        return True

