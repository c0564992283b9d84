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
    before_year: int | None = None


class SourceWarnings:
    def __init__(self, rules: list[_Rule]):
        self.rules = rules

    @classmethod
    def bundled(cls) -> SourceWarnings:
        raw = yaml.safe_load(resources.files("prompts").joinpath("source_warnings.yaml").read_text("utf-8"))
        rules = [
            _Rule(field, re.compile(re.escape(r["contains"]), re.I), r["warning"])
            for field in ("status", "section_status")
            for r in raw.get(field, [])
        ]
        rules += [
            _Rule("text", re.compile(r["pattern"]), r["warning"], r.get("before_year"))
            for r in raw.get("mentions", [])
        ]
        return cls(rules)

    def for_passage(self, text: str, metadata: Mapping[str, Any]) -> tuple[str, ...]:
        found: list[str] = []
        superseded = "superseded" in str(metadata.get("status", "")).lower()
        for rule in self.rules:
            if rule.field == "text" and superseded:
                continue
            value = text if rule.field == "text" else str(metadata.get(rule.field, ""))
            if not rule.needle.search(value):
                continue
            year = metadata.get("year")
            if rule.before_year is not None and not (isinstance(year, int) and year < rule.before_year):
                continue
            warning = rule.warning.format(status=metadata.get("status", ""))
            if warning not in found:
                found.append(warning)
        return tuple(found)
