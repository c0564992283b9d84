"""Rank passages by what a question names outright: a force, a theme, an instrument, a section.

Investigators write "Northumbria", "body-worn video", "paragraph 7.5 of the 2014 Code" or
"section 26(4)"; those words carry little weight for BM25 or an encoder, yet they say
exactly which documents and sections are wanted. This third ranking is fused with the
dense and BM25 rankings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from vectorstore.chroma_store import StoredPassage

_FORCE_SUFFIXES = re.compile(r"\s+(police service|police|constabulary|service)$")
_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_DOC_TYPE_NOTE = re.compile(r"\([^()]*\b(?:summary|digest|note)\b[^()]*\)", re.I)
_PRECEDENT_WORDS = ("recommend", "precedent", "iopc ", "learning", "case ", "cases ", "force ", "forces ")
_MONTHS = set(
    "january february march april may june july august september october november december".split()
)
# Patterns that turn how people cite a provision into the section ids the documents use.
_LABELS = (
    (re.compile(r"\bsection\s+(\d+[a-z]?)((?:\(\w{1,4}\))*)"), "s{0}{1}"),
    (re.compile(r"\bs\.?\s?(\d+[a-z]?)((?:\(\w{1,4}\))*)"), "s{0}{1}"),
    (re.compile(r"\bpara(?:graph)?\.?\s+(\d+[a-z]?(?:\.\d+)?)((?:\(\w{1,4}\))*)"), "para {0}{1}"),
    (re.compile(r"\bstandard\s+(\d+)"), "standard {0}"),
    (re.compile(r"\breg(?:ulation)?\.?\s+(\d+)"), "reg {0}"),
    (re.compile(r"\brecommendation\s+(\d+)"), "recommendation {0}"),
)


def _normal(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("-", " ")
    return re.sub(r"\s+", " ", text)


def _words(text: str) -> str:
    return " " + re.sub(r"[^a-z0-9' ]+", " ", _normal(text)).replace("  ", " ") + " "


@dataclass(frozen=True)
class _Doc:
    aliases: tuple[str, ...]
    themes: tuple[str, ...]
    year: int | None


class ReferenceRanker:
    def __init__(self, passages: Sequence[StoredPassage]):
        self._passages = passages
        self._docs: dict[str, _Doc] = {}
        for p in passages:
            doc_id = str(p.metadata.get("doc_id", ""))
            if doc_id not in self._docs:
                self._docs[doc_id] = _doc(p.metadata)
        self._sections = [_normal(str(p.metadata.get("section", ""))) for p in passages]

    def scores(self, query: str, expanded: str) -> np.ndarray:
        """A score per passage: 0 unless the question names its document, force, theme or section.

        Names and section numbers are taken from the question as typed; themes also from its
        expansion, so that "bodycam" finds the body-worn video precedents.
        """
        words = _words(query)
        expanded_words = _words(expanded)
        years = {int(m.group(0)) for m in _YEAR.finditer(query)}
        labels = _labels(_normal(query))
        # A theme ("custody", "social media") names precedents only when precedents are
        # what is asked for; in "can I post this?" it is just the topic.
        wants_precedents = any(f" {w}" in expanded_words for w in _PRECEDENT_WORDS)
        doc_scores: dict[str, float] = {}
        for doc_id, doc in self._docs.items():
            score = sum(1.0 for a in doc.aliases if f" {a} " in words)
            if wants_precedents:
                score += sum(1.0 for t in doc.themes if f" {t} " in expanded_words)
            if score and doc.year in years:
                score += 1.0
            doc_scores[doc_id] = score
        wants_recommendation = " recommend" in expanded_words
        wants_response = any(w in expanded_words for w in (" respon", " accept", " reply", " repl"))
        out = np.zeros(len(self._passages), dtype=np.float32)
        for i, p in enumerate(self._passages):
            section = self._sections[i]
            score = doc_scores.get(str(p.metadata.get("doc_id", "")), 0.0)
            for label in labels:
                if section == label:
                    score += 3.0
                elif re.search(rf"(?<![\w.]){re.escape(label)}(?![\w.])", section):
                    score += 2.0
            if score:
                if wants_recommendation and section.startswith("recommendation"):
                    score += 0.5
                if wants_response and (section.startswith("response") or p.metadata.get("part") == "response"):
                    score += 0.5
            out[i] = score
        return out


def _labels(query: str) -> set[str]:
    found = set()
    for pattern, template in _LABELS:
        for match in pattern.finditer(query):
            found.add(template.format(*(g or "" for g in match.groups())))
    return found


def _title_aliases(title: str) -> set[str]:
    """Names an instrument goes by, from its title: 'Equality Act', 'Code of Ethics', 'ACPO'."""
    title = _DOC_TYPE_NOTE.sub(" ", title)
    title = re.sub(r"\((\w+)\)", r"\1", title)
    aliases = {a.lower() for a in re.findall(r"\b[A-Z]{3,}\b", title)}
    for segment in re.split(r"\s+-\s+|[(),]", title):
        words = _words(_YEAR.sub(" ", segment)).split()
        while words and words[0] in ("and", "the"):
            words.pop(0)
        words = [w for w in words if w not in _MONTHS]
        if len(words) >= 2:
            aliases.add(" ".join(words))
    return aliases


def _doc(meta: dict) -> _Doc:
    aliases: set[str] = set()
    for force in meta.get("forces") or []:
        name = _words(force).strip()
        aliases.add(name)
        core = _FORCE_SUFFIXES.sub("", name)
        if len(core) >= 4:
            aliases.add(core)
    if meta.get("kind") in ("legislation", "guidance"):
        aliases.update(_title_aliases(str(meta.get("title", ""))))
    themes = tuple(_words(t).strip() for t in meta.get("themes") or [])
    year = meta.get("year")
    return _Doc(tuple(sorted(aliases)), themes, year if isinstance(year, int) else None)
