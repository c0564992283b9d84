"""What a reader must know about a cited source: superseded, historical, non-statutory."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml


@dataclass(frozen=True)
class _Rule:
    field: str
    needle: re.Pattern[str]
    warning: str
    badge: str
    before_year: int | None = None


class SourceWarnings:
    def __init__(self, rules: list[_Rule]):
        self.rules = rules

    @classmethod
    def bundled(cls) -> SourceWarnings:
        raw = yaml.safe_load(
            resources.files("prompts").joinpath("source_warnings.yaml").read_text("utf-8")
        )
        rules = [
            _Rule(field, re.compile(re.escape(r["contains"]), re.I), r["warning"], r["badge"])
            for field in ("status", "section_status")
            for r in raw.get(field, [])
        ]
        rules += [
            _Rule("text", re.compile(r["pattern"]), r["warning"], r["badge"], r.get("before_year"))
            for r in raw.get("mentions", [])
        ]
        return cls(rules)

    def for_passage(self, text: str, metadata: Mapping[str, Any]) -> tuple[str, ...]:
        """The warnings a citation of this passage carries, in rule order, each once."""
        found = [
            rule.warning.format(status=metadata.get("status", ""))
            for rule in self._matching(text, metadata)
        ]
        return tuple(dict.fromkeys(found))

    def badges(self, text: str, metadata: Mapping[str, Any]) -> tuple[str, ...]:
        """The short labels of the same warnings ("Superseded", "Non-statutory"...)."""
        return tuple(dict.fromkeys(rule.badge for rule in self._matching(text, metadata)))

    def _matching(self, text: str, metadata: Mapping[str, Any]) -> list[_Rule]:
        superseded = "superseded" in str(metadata.get("status", "")).lower()
        year = metadata.get("year")
        matching = []
        for rule in self.rules:
            if rule.field == "text" and superseded:
                continue
            value = text if rule.field == "text" else str(metadata.get(rule.field, ""))
            if not rule.needle.search(value):
                continue
            if rule.before_year is not None and not (
                isinstance(year, int) and year < rule.before_year
            ):
                continue
            matching.append(rule)
        return matching
