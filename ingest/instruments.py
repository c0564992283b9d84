"""Detect the law and guidance a recommendation relies on, from its own words."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from importlib import resources

import yaml

from ingest.models import Recommendation, RecommendationRecord


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None], ...]:
    data = yaml.safe_load(resources.files("ingest").joinpath("instruments.yaml").read_text("utf-8"))
    compiled = []
    for label, spec in data.items():
        words = re.compile("|".join(re.escape(w) for w in spec["words"]), re.IGNORECASE)
        abbreviations = spec.get("abbreviations") or []
        exact = re.compile(r"\b(?:" + "|".join(abbreviations) + r")\b") if abbreviations else None
        compiled.append((label, words, exact))
    return tuple(compiled)


def instruments_in(text: str) -> tuple[str, ...]:
    """Labels of the instruments the text names, in the order of instruments.yaml."""
    return tuple(
        label
        for label, words, exact in _patterns()
        if words.search(text) or (exact is not None and exact.search(text))
    )


def with_instruments(record: RecommendationRecord) -> RecommendationRecord:
    """The record with each recommendation's `relies_on` filled from its text."""
    return replace(record, recommendations=tuple(_detected(r) for r in record.recommendations))


def _detected(rec: Recommendation) -> Recommendation:
    return replace(rec, relies_on=instruments_in("\n".join((rec.text, rec.finding, rec.response))))
