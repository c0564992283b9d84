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
# How a question asks for recommendations still without the force's response.
_AWAITING = re.compile(
    r" await| outstanding | still (?:to|waiting)| yet to | no (?:response|reply|answer)"
    r"|(?: not|n't) (?:yet )?(?:had|got|received|responded|replied)"
)
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
    awaiting: bool


class ReferenceRanker:
    """Built once per index refresh; a question then costs a few dictionary look-ups and array
    operations, not a pass over every passage (the index may hold 100,000)."""

    def __init__(self, passages: Sequence[StoredPassage]):
        doc_index: dict[str, int] = {}
        docs: list[_Doc] = []
        for p in passages:
            doc_id = str(p.metadata.get("doc_id", ""))
            if doc_id not in doc_index:
                doc_index[doc_id] = len(docs)
                docs.append(_doc(p.metadata))
        self._doc_of = np.array([doc_index[str(p.metadata.get("doc_id", ""))] for p in passages], dtype=np.int64)
        self._doc_years = np.array([doc.year or 0 for doc in docs], dtype=np.int64)
        self._doc_awaiting = np.array([doc.awaiting for doc in docs], dtype=bool)
        self._aliases = _phrase_index(doc.aliases for doc in docs)
        self._themes = _phrase_index(doc.themes for doc in docs)
        self._longest = max((len(a.split()) for a in (*self._aliases, *self._themes)), default=0)
        sections = [_normal(str(p.metadata.get("section", ""))) for p in passages]
        names, self._section_of = np.unique(np.array(sections, dtype=object), return_inverse=True)
        self._section_names = [str(name) for name in names]
        self._recommendation = np.array([s.startswith("recommendation") for s in sections], dtype=bool)
        self._response = np.array(
            [s.startswith("response") or p.metadata.get("part") == "response" for s, p in zip(sections, passages)],
            dtype=bool,
        )

    def scores(self, query: str, expanded: str) -> np.ndarray:
        """A score per passage: 0 unless the question names its document, force, theme, section
        or (a response still awaited) status.

        Names and section numbers are taken from the question as typed; themes also from its
        expansion, so that "bodycam" finds the body-worn video precedents.
        """
        if not len(self._doc_of):
            return np.zeros(0, dtype=np.float32)
        words = _words(query)
        expanded_words = _words(expanded)
        years = [int(m.group(0)) for m in _YEAR.finditer(query)]
        labels = _labels(_normal(query))
        doc_scores = np.zeros(len(self._doc_years), dtype=np.float32)
        for phrase in _phrases(words, self._longest):
            doc_scores[self._aliases.get(phrase, [])] += 1.0
        # A theme ("custody", "social media") names precedents only when precedents are
        # what is asked for; in "can I post this?" it is just the topic.
        if any(f" {w}" in expanded_words for w in _PRECEDENT_WORDS):
            for phrase in _phrases(expanded_words, self._longest):
                doc_scores[self._themes.get(phrase, [])] += 1.0
            # So does a response still awaited: its status is in the metadata, not the words.
            if _AWAITING.search(words):
                doc_scores += self._doc_awaiting
        doc_scores += (doc_scores > 0) & np.isin(self._doc_years, years)
        out = doc_scores[self._doc_of]
        if labels:
            out = out + self._section_scores(labels)[self._section_of]
        named = out > 0
        if " recommend" in expanded_words:
            out = out + 0.5 * (named & self._recommendation)
        if any(w in expanded_words for w in (" respon", " accept", " reply", " repl")):
            out = out + 0.5 * (named & self._response)
        return out.astype(np.float32)

    def _section_scores(self, labels: set[str]) -> np.ndarray:
        scores = np.zeros(len(self._section_names), dtype=np.float32)
        for i, section in enumerate(self._section_names):
            for label in labels:
                if section == label:
                    scores[i] += 3.0
                elif re.search(rf"(?<![\w.]){re.escape(label)}(?![\w.])", section):
                    scores[i] += 2.0
        return scores


def _phrase_index(phrases_per_doc) -> dict[str, list[int]]:
    """Each phrase (an alias or a theme) with the documents it names."""
    index: dict[str, list[int]] = {}
    for doc, phrases in enumerate(phrases_per_doc):
        for phrase in set(phrases):
            index.setdefault(phrase, []).append(doc)
    return index


def _phrases(words: str, longest: int) -> set[str]:
    """Every run of up to `longest` consecutive words: what `f" {phrase} " in words` finds."""
    tokens = words.split()
    return {
        " ".join(tokens[i : i + n])
        for n in range(1, longest + 1)
        for i in range(len(tokens) - n + 1)
    }


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
    status = str(meta.get("status", ""))
    awaiting = status.startswith("awaiting") or meta.get("accepted") == "awaiting"
    return _Doc(tuple(sorted(aliases)), themes, year if isinstance(year, int) else None, awaiting)
