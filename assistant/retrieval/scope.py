"""Notice when a question names something, or asks about a subject, the knowledge base lacks.

"What did the Angiolini inquiry find?" is close in meaning to many passages on off-duty
conduct, yet no passage mentions that inquiry: answering from the nearest passages would
mislead. `UnknownTerms` finds the words of a question that name something no passage
mentions; the answer composer declines, or answers with a caveat naming them when the best
passages clearly apply ("Nothing here mentions Snapchat specifically").

"What are the pension rules for retired police officers?" is close to many passages too,
because every passage is about police officers. Subjects the knowledge base is known not to
cover are listed in scope.yaml; a question on one of them is declined when no passage uses
its words.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from importlib import resources

import numpy as np
import yaml

from vectorstore.bm25_index import analyse

# Words less frequent than this in general English (wordfreq's Zipf scale: 3 is once per
# million words) are specific enough to be names, acronyms or jargon (Settings.unknown_word_zipf).
RARE_ZIPF = 2.5

def _normal_words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


# A name as documents spell it: two or more capitalised words on one line, which may be joined
# by hyphens or by short lower-case words ("Police Service of Northern Ireland", "Body-Worn Video").
_NAME = re.compile(
    r"\b[A-Z][a-z]+(?:(?:-|[ \t]+(?:(?:of|and|for|the|on|in|or)[ \t]+)?)[A-Z][a-z]+)+\b"
)
_JOINING = {"of", "and", "for", "the", "on", "in", "or"}
# Capitalised because they open a sentence, not because they are part of a name.
_OPENING = {
    "the", "this", "that", "these", "those", "their", "its", "his", "her", "a", "an", "under",
    "in", "on", "at", "by", "for", "from", "when", "after", "before", "if", "as", "both",
}


def _initialisms(text: str) -> set[str]:
    """The initials of each name in a text, with and without its joining words ("psni" and
    "psoni"). Documents capitalise names reliably; questions typed in a hurry do not."""
    found: set[str] = set()
    for match in _NAME.finditer(text):
        words = re.split(r"[ \t-]+", match.group(0).lower())
        while words and words[0] in _OPENING:
            words = words[1:]
        if len(words) >= 2:
            found.add("".join(w[0] for w in words))
            found.add("".join(w[0] for w in words if w not in _JOINING))
    return found


class CorpusWords:
    """The words the passages use and the pairs of consecutive words, found in one pass at
    each refresh and then looked up in constant time: the index may hold 100,000 passages."""

    def __init__(self, texts: Iterable[str]):
        self._ids: dict[str, int] = {}
        ids: list[int] = []
        initialisms: set[str] = set()
        for text in texts:
            ids.extend(self._ids.setdefault(w, len(self._ids)) for w in _normal_words(text))
            ids.append(-1)  # no pair across two passages
            initialisms.update(_initialisms(text))
        self._initialisms = initialisms
        sequence = np.array(ids, dtype=np.int64)
        first, second = sequence[:-1], sequence[1:]
        within = (first >= 0) & (second >= 0)
        self._pairs = np.unique(first[within] * len(self._ids) + second[within])

    def arrays(self) -> dict[str, np.ndarray]:
        """The index as arrays, which `from_arrays` turns back into it without the texts. The
        words (ASCII letters and digits only) go as one space-separated byte string: an array
        of strings would give every word the width of the longest."""
        spelled = " ".join(self._ids).encode("ascii")
        initials = " ".join(sorted(self._initialisms)).encode("ascii")
        return {
            "words": np.frombuffer(spelled, dtype=np.uint8),
            "pairs": self._pairs,
            "initialisms": np.frombuffer(initials, dtype=np.uint8),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray]) -> CorpusWords:
        made = cls([])
        spelled = np.asarray(arrays["words"], dtype=np.uint8).tobytes().decode("ascii")
        made._ids = {word: i for i, word in enumerate(spelled.split())}
        made._pairs = np.asarray(arrays["pairs"], dtype=np.int64)
        initials = np.asarray(arrays["initialisms"], dtype=np.uint8).tobytes().decode("ascii")
        made._initialisms = set(initials.split())
        return made

    def words(self) -> list[str]:
        """Every word the passages use."""
        return list(self._ids)

    def initialisms(self) -> set[str]:
        """The initials of the names the passages spell out ("wyp" for "West Yorkshire
        Police"), in lower case: how people shorten them when they type."""
        return set(self._initialisms)

    def has_phrase(self, words: list[str]) -> bool:
        """Whether every word and every pair of consecutive words occurs in some passage:
        true of every phrase some passage contains (and, rarely, of one none does)."""
        ids = [self._ids.get(w) for w in words]
        if None in ids:
            return False
        keys = [a * len(self._ids) + b for a, b in zip(ids, ids[1:])]
        found = np.searchsorted(self._pairs, keys)
        return all(i < len(self._pairs) and self._pairs[i] == key for i, key in zip(found, keys))


class UnknownTerms:
    """Words of a question that name something the knowledge base never mentions.

    A word counts when no passage or expansion line uses it (after stemming), no lexicon
    phrase contains it, it is rare in general English (names, acronyms, jargon: "PSNI",
    "Garrity", "Bramblewick", not "pub" or "banter"), and it is no shortening of what the
    passages say: not a misspelling of a word they use, nor its start ("reqs", "discrim"),
    nor the initials of a name they spell out ("wyp" for West Yorkshire Police). Case and
    position play no part: "My Instagram…" and "instagram" are read alike. The frequency
    limit was chosen on the question bank's tune half (docs/evaluation.md).
    """

    def __init__(
        self,
        known_stem: Callable[[str], bool],
        lexicon_words: Iterable[str],
        corpus_words: Iterable[str],
        rarer_than: float = RARE_ZIPF,
        initialisms: Iterable[str] = (),
    ):
        self._known_stem = known_stem
        self._lexicon = set(lexicon_words)
        self._corpus = sorted(corpus_words)
        self._rarer_than = rarer_than
        self._initialisms = set(initialisms)

    def __call__(self, question: str) -> list[str]:
        """The unknown words of `question`, as spelled there."""
        from wordfreq import zipf_frequency  # its word lists load on first use

        unknown: list[str] = []
        seen: set[str] = set()
        for spelled in re.findall(r"[A-Za-z][A-Za-z0-9]*", question):
            word = spelled.lower()
            if len(word) < 3 or word in seen or word in self._lexicon:
                continue
            seen.add(word)
            stems = analyse(word)
            if not stems or all(self._known_stem(s) for s in stems):
                continue
            if (
                zipf_frequency(word, "en") >= self._rarer_than
                or word in self._initialisms
                or self._misspelt(word)
                or self._shortened(word)
            ):
                continue
            unknown.append(spelled)
        return unknown

    def _shortened(self, word: str) -> bool:
        """Whether the word is the start of a longer word the passages use, as "reqs" and
        "discrim" are of "requisitions" and "discrimination"."""
        stem = word[:-1] if word.endswith("s") else word
        if len(stem) < 3:
            return False
        at = bisect_left(self._corpus, stem)
        return at < len(self._corpus) and self._corpus[at].startswith(stem) and self._corpus[at] != stem

    def _misspelt(self, word: str) -> bool:
        # Short words are too close to too many others to call a near match a misspelling.
        return len(word) >= 6 and bool(get_close_matches(word, self._corpus, n=1, cutoff=0.85))


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
        raw = yaml.safe_load(resources.files("assistant.retrieval").joinpath("scope.yaml").read_text("utf-8"))
        topics = [
            _Topic(entry["topic"], tuple(entry["say"]), _phrase_pattern(entry["say"]))
            for entry in raw["topics"]
        ]
        return cls(topics, _phrase_pattern(raw["conduct_words"]), texts, words)

    def uncovered(self, question: str) -> list[str]:
        if self.conduct.search(question):
            return []
        return [t.name for t in self.topics if t.pattern.search(question)]
