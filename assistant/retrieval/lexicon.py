"""Bridge the way users talk and the way the documents are written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

import yaml


@dataclass(frozen=True)
class Lexicon:
    entries: tuple[tuple[re.Pattern[str], str], ...]
    # Every informal phrase, as written in lexicon.yaml.
    phrases: tuple[str, ...] = ()

    @classmethod
    def bundled(cls) -> Lexicon:
        raw = yaml.safe_load(resources.files("assistant.retrieval").joinpath("lexicon.yaml").read_text("utf-8"))
        entries = []
        for entry in raw:
            phrases = sorted(entry["say"], key=len, reverse=True)
            alternation = "|".join(re.escape(p).replace(r"\ ", r"[\s-]+") for p in phrases)
            entries.append((re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I), entry["means"]))
        return cls(tuple(entries), tuple(p for entry in raw for p in entry["say"]))

    def words(self) -> set[str]:
        """The words of the informal phrases, lower-cased."""
        return {w for phrase in self.phrases for w in re.findall(r"[a-z0-9]+", phrase.lower())}

    def expansions(self, query: str) -> list[str]:
        """The formal wording for every informal phrase found in the query."""
        return [means for pattern, means in self.entries if pattern.search(query)]

    def expand(self, query: str) -> str:
        extra = self.expansions(query)
        return f"{query} ({'; '.join(extra)})" if extra else query
