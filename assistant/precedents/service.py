"""Precedent search over the current view of the index: ranked, filtered, similar, one record."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from assistant.criteria import Criteria
from assistant.index.view import IndexView
from assistant.models import PrecedentRecord, PrecedentResult, PrecedentRow
from assistant.precedents.table import PrecedentError, PrecedentTable, parse_key
from assistant.retrieval.hybrid import HybridRetriever

# Passages a precedent search ranks before grouping them by recommendation.
PRECEDENT_PASSAGES = 200


def precedent_table(view: IndexView) -> PrecedentTable:
    """Every recommendation of a view as a row (built once per view: `view.derived`)."""
    return view.derived("precedents", lambda v: PrecedentTable(v.records(), v.document_metadata()))


class PrecedentService:
    def __init__(
        self,
        view: Callable[[], IndexView],
        retriever: HybridRetriever,
        decline_threshold: float,
        candidates: int,
    ):
        self._view = view
        self.retriever = retriever
        # Below this confidence a ranked list says that nothing closely matches.
        self.decline_threshold = decline_threshold
        self.candidates = candidates

    @property
    def table(self) -> PrecedentTable:
        return precedent_table(self._view())

    def listed(self, criteria: Criteria, limit: int) -> PrecedentResult:
        """Every recommendation meeting `criteria`, newest first."""
        rows = sorted(
            (r for r in self.table.rows.values() if criteria.matches(r.facets())),
            key=lambda r: (r.month, r.doc_id, -r.number),
            reverse=True,
        )
        return _result(rows[:limit], "all recommendations", criteria.describe())

    def ranked(self, query: str, criteria: Criteria, limit: int) -> PrecedentResult:
        """Recommendations meeting `criteria`, ranked by relevance to `query`."""
        table = self.table
        # Acceptance and the laws relied on are facts of a recommendation, not of its passages:
        # the rows are held to them below.
        passages = replace(criteria, kinds=("precedent",), accepted=(), relies_on=())
        retrieval = self.retriever.retrieve(query, PRECEDENT_PASSAGES, passages)
        rows = _matching(table, table.rank((h.metadata, h.score) for h in retrieval.hits), criteria)
        weak = bool(rows) and retrieval.confidence < self.decline_threshold
        notice = f"Nothing in the recommendations closely matches “{query}”; these are the nearest." if weak else ""
        return _result(rows[:limit], f"relevant to “{query}”", criteria.describe(), notice)

    def similar(self, key: str, criteria: Criteria, limit: int) -> PrecedentResult:
        """The recommendations of other pages closest in meaning to recommendation `key`."""
        table = self.table
        target = self.record(key).row
        own = self.retriever.vectors(
            lambda meta: meta.get("doc_id") == target.doc_id
            and meta.get("section") == target.section
            and meta.get("part", "recommendation") == "recommendation"
        )
        if not len(own):
            raise PrecedentError(f"recommendation {key} has no indexed passages")
        centroid = own.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        others = self.retriever.mask(
            lambda meta: meta.get("kind") == "precedent" and meta.get("doc_id") != target.doc_id
        )
        scored = [
            (passage.metadata, similarity)
            for pid, similarity in self.retriever.nearest(centroid, self.candidates * 2, others)
            if (passage := self.retriever.passage(pid)) is not None
        ]
        rows = _matching(table, table.rank(scored), criteria)
        return _result(rows[:limit], f"most similar to {target.key}", criteria.describe())

    def record(self, key: str) -> PrecedentRecord:
        """One recommendation's full record (PrecedentError for an unknown id)."""
        parse_key(key)
        return self.table.record(key)


def _matching(table: PrecedentTable, ranked: list[tuple[str, float]], criteria: Criteria) -> list[PrecedentRow]:
    return [
        replace(table.rows[key], score=score)
        for key, score in ranked
        if criteria.matches(table.rows[key].facets())
    ]


def _result(rows: list[PrecedentRow], what: str, described: str, notice: str = "") -> PrecedentResult:
    scope = f"{what} ({described})" if described else what
    if not rows:
        notice = f"No recommendation matches: {scope}."
    count = f"{len(rows)} recommendation{'s' * (len(rows) != 1)}"
    return PrecedentResult(tuple(rows), f"{count}, {scope}", notice)
