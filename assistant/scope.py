"""Notice when a question names something, or asks about a subject, the knowledge base lacks.

"What is the time limit to appeal to the Police Appeals Tribunal?" is close in meaning to
many passages on dismissal, yet no passage mentions that tribunal: answering from the
nearest passages would mislead. A question that names a multi-word proper name (two or
more capitalised words) absent from every passage is declined, and the decline says which.

"What are the pension rules for retired police officers?" is close to many passages too,
because every passage is about police officers. Subjects the knowledge base is known not to
cover are listed in scope.yaml; a question on one of them is declined when no passage uses
its words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
import yaml

_CONNECTORS = {"of", "the", "and", "for"}
_MONTHS = set(
    "january february march april may june july august september october november december".split()
)
_CAPITALISED = re.compile(r"^[A-Z][\w'\u2019-]*$|^\([A-Z][\w]*\)$")
# Words that open a question with a capital letter without naming anything.
_OPENERS = {
    "a",
    "an",
    "am",
    "are",
    "can",
    "could",
    "did",
    "do",
    "does",
    "has",
    "have",
    "how",
    "i",
    "if",
    "is",
    "it",
    "may",
    "must",
    "should",
    "the",
    "what",
    "when",
    "where",
    "which",
    "who",
    "why",
    "will",
    "would",
    "was",
    "were",
    "list",
    "tell",
    "explain",
    "give",
    "show",
    "please",
}


def _normal_words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


class CorpusWords:
    """The words the passages use and the pairs of consecutive words, found in one pass at
    each refresh and then looked up in constant time: the index may hold 100,000 passages."""

    def __init__(self, texts: Iterable[str]):
        self._ids: dict[str, int] = {}
        ids: list[int] = []
        for text in texts:
            ids.extend(self._ids.setdefault(w, len(self._ids)) for w in _normal_words(text))
            ids.append(-1)  # no pair across two passages
        sequence = np.array(ids, dtype=np.int64)
        first, second = sequence[:-1], sequence[1:]
        within = (first >= 0) & (second >= 0)
        self._pairs = np.unique(first[within] * len(self._ids) + second[within])

    def arrays(self) -> dict[str, np.ndarray]:
        """The index as arrays, which `from_arrays` turns back into it without the texts. The
        words (ASCII letters and digits only) go as one space-separated byte string: an array
        of strings would give every word the width of the longest."""
        spelled = " ".join(self._ids).encode("ascii")
        return {"words": np.frombuffer(spelled, dtype=np.uint8), "pairs": self._pairs}

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> CorpusWords:
        made = cls([])
        spelled = np.asarray(arrays["words"], dtype=np.uint8).tobytes().decode("ascii")
        made._ids = {word: i for i, word in enumerate(spelled.split())}
        made._pairs = np.asarray(arrays["pairs"], dtype=np.int64)
        return made

    def has_phrase(self, words: list[str]) -> bool:
        """Whether every word and every pair of consecutive words occurs in some passage:
        true of every phrase some passage contains (and, rarely, of one none does)."""
        ids = [self._ids.get(w) for w in words]
        if None in ids:
            return False
        keys = [a * len(self._ids) + b for a, b in zip(ids, ids[1:])]
        found = np.searchsorted(self._pairs, keys)
        return all(i < len(self._pairs) and self._pairs[i] == key for i, key in zip(found, keys))


class NameChecker:
    def __init__(self, words: CorpusWords):
        self._words = words

    def unknown_names(self, question: str) -> list[str]:
        """Multi-word proper names in the question that no passage contains."""
        unknown = []
        for name in proper_names(question):
            if not self._words.has_phrase(_normal_words(name)):
                unknown.append(name)
        return unknown


def proper_names(question: str) -> list[str]:
    words = re.findall(r"[A-Za-z][\w'\u2019-]*", question)
    capitalised = sum(1 for w in words if w[0].isupper())
    if not words or capitalised / len(words) > 0.5:
        # Shouted or Title Case: capitals say nothing about which words are names.
        return []
    names: list[str] = []
    for sentence in re.split(r"(?<=[.?!])\s+", question):
        tokens = sentence.split()
        if tokens and tokens[0].lower().strip("'\"") in _OPENERS:
            tokens = tokens[1:]
        run: list[str] = []
        for token in tokens + [""]:
            bare = token.strip(',.;:?!"\u201c\u201d')
            if bare and _CAPITALISED.match(bare) and bare.lower() not in _MONTHS:
                run.append(bare)
                continue
            if bare.lower() in _CONNECTORS and run and token == bare:
                run.append(bare)
                continue
            while run and run[-1].lower() in _CONNECTORS:
                run.pop()
            if sum(1 for w in run if w[:1].isupper() or w[:2].startswith("(")) >= 2:
                names.append(" ".join(run))
            run = []
    return names


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    alternation = "|".join(
        re.escape(p).replace(r"\ ", r"\s+") for p in sorted(phrases, key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I)


@dataclass(frozen=True)
class _Topic:
    name: str
    phrases: tuple[str, ...]
    pattern: re.Pattern[str]


class TopicChecker:
    """Subjects outside the knowledge base (scope.yaml) that a question asks about."""

    def __init__(
        self,
        topics: list[_Topic],
        conduct: re.Pattern[str],
        texts: Sequence[str],
        words: CorpusWords,
    ):
        self.conduct = conduct
        # A topic whose words some passage uses is not known to be missing. The word index
        # rules most topics out at once; the text is searched only for the rest.
        candidates = [
            t for t in topics if any(words.has_phrase(_normal_words(p)) for p in t.phrases)
        ]
        corpus = "\n".join(texts) if candidates else ""
        used = {t.name for t in candidates if t.pattern.search(corpus)}
        self.topics = [t for t in topics if t.name not in used]

    @classmethod
    def bundled(cls, texts: Sequence[str], words: CorpusWords) -> TopicChecker:
        raw = yaml.safe_load(resources.files("assistant").joinpath("scope.yaml").read_text("utf-8"))
        topics = [
            _Topic(entry["topic"], tuple(entry["say"]), _phrase_pattern(entry["say"]))
            for entry in raw["topics"]
        ]
        return cls(topics, _phrase_pattern(raw["conduct_words"]), texts, words)

    def uncovered(self, question: str) -> list[str]:
        if self.conduct.search(question):
            return []
        return [t.name for t in self.topics if t.pattern.search(question)]
