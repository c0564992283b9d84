"""The citation check applied to a generated answer before anyone sees it.

A generated sentence is kept only if it cites a passage it was given (`[n]`) and that passage
supports it, measured two ways that fail differently: the share of the sentence's content
words (stemmed) found in the passage, which catches invented facts (a fine, a date, a name),
and the cosine similarity of the sentence to the passage, which catches a sentence on another
subject that reuses the passage's words. Both thresholds were calibrated on
`tests/data/support_calibration.jsonl` (sentences written for the purpose, each labelled
supported or not against a real passage). Two rules catch what a word share cannot: a number
the passage does not state, and a negation that the passage's closest sentence does not share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answers.sentences import split_sentences
from assistant.models import Hit

# Calibrated thresholds (see the module docstring and tests/answers/test_generative.py).
MIN_WORD_SUPPORT = 0.85
MIN_SIMILARITY = 0.35

_MARKER = re.compile(r"\s*\[(\d+)\]")
# "…on duty. [1] Next" → "…on duty [1]. Next": a marker after the full stop belongs to the
# sentence before it.
_TRAILING_MARKERS = re.compile(r"([.!?])((?:\s*\[\d+\])+)")
# A number standing alone ("56 days", "2020"), not one inside a label ("28B", "s26").
_NUMBER = re.compile(r"(?<!\w)\d+(?:[.,:]\d+)*(?!\w)")
_NEGATION = re.compile(
    r"\b(?:not|no|never|nor|neither|none|nothing|cannot|without)\b|n't\b", re.I
)


@dataclass(frozen=True)
class CheckedSentence:
    text: str
    # The cited passage (0-based index into the passages given) that supports it, if any.
    passage: int | None
    reason: str = ""
    word_support: float = 0.0
    similarity: float = 0.0


@dataclass(frozen=True)
class CheckedAnswer:
    sentences: tuple[CheckedSentence, ...]

    @property
    def kept(self) -> list[CheckedSentence]:
        return [s for s in self.sentences if s.passage is not None]

    @property
    def share_kept(self) -> float:
        return len(self.kept) / len(self.sentences) if self.sentences else 0.0


class SupportChecker:
    def __init__(
        self,
        terms: Callable[[str], list[str]],
        encode: Callable[[list[str]], np.ndarray],
        passage_vector: Callable[[str], np.ndarray],
    ):
        self.terms = terms
        self.encode = encode
        self.passage_vector = passage_vector

    def support(self, sentence: str, passage: Hit) -> tuple[float, float]:
        """(share of the sentence's content words in the passage, cosine similarity)."""
        words = set(self.terms(sentence))
        in_passage = set(self.terms(f"{passage.title} {passage.heading} {passage.text}"))
        word_support = len(words & in_passage) / len(words) if words else 0.0
        vector = self.encode([sentence])[0]
        return word_support, float(vector @ self.passage_vector(passage.passage_id))

    def verdict(self, sentence: str, passage: Hit) -> tuple[bool, float, float, str]:
        """(supported, word support, similarity, why not)."""
        word_support, similarity = self.support(sentence, passage)
        if word_support < MIN_WORD_SUPPORT or similarity < MIN_SIMILARITY:
            return False, word_support, similarity, f"words {word_support:.2f}, similarity {similarity:.2f}"
        contradiction = self._contradiction(sentence, passage)
        return not contradiction, word_support, similarity, contradiction

    def supported(self, sentence: str, passage: Hit) -> bool:
        return self.verdict(sentence, passage)[0]

    def _contradiction(self, sentence: str, passage: Hit) -> str:
        """What the word share cannot see: a number the passage does not state, or a negation
        the passage's closest sentence does not share ("must harass" against "must not harass";
        BM25's stop words drop "not")."""
        stated = set(_NUMBER.findall(passage.text))
        invented = [n for n in _NUMBER.findall(sentence) if n not in stated]
        if invented:
            return f"states {invented[0]}, which the passage does not"
        words = set(self.terms(sentence))
        closest = max(
            split_sentences(passage.text) or [passage.text],
            key=lambda s: len(words & set(self.terms(s))),
        )
        if bool(_NEGATION.search(sentence)) != bool(_NEGATION.search(closest)):
            return "its negation differs from the passage"
        return ""

    def check(self, answer: str, passages: Sequence[Hit]) -> CheckedAnswer:
        """Each sentence of a generated answer, kept with the best passage it validly cites
        and that supports it, or dropped with the reason."""
        return CheckedAnswer(tuple(self.check_sentence(raw, passages) for raw in sentences_of(answer)))

    def check_sentence(self, raw: str, passages: Sequence[Hit]) -> CheckedSentence:
        """One sentence with its `[n]` markers, against the passages it may cite."""
        numbers = [int(n) for n in _MARKER.findall(raw)]
        text = _MARKER.sub("", raw).strip()
        valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= len(passages)]
        if not numbers:
            return CheckedSentence(text, None, "no citation")
        if not valid:
            return CheckedSentence(text, None, f"cites [{numbers[0]}], which it was not given")
        verdicts = [(n, *self.verdict(text, passages[n - 1])) for n in valid]
        n, ok, word_support, similarity, why = max(verdicts, key=lambda v: (v[1], v[2] + v[3]))
        if ok:
            return CheckedSentence(text, n - 1, "", word_support, similarity)
        return CheckedSentence(text, None, f"not supported by [{n}] ({why})", word_support, similarity)


def sentences_of(answer: str) -> list[str]:
    """A generated answer's sentences, each with the markers that cite it (a marker written
    after the full stop is moved before it), without empty ones."""
    return [
        raw
        for raw in split_sentences(_TRAILING_MARKERS.sub(r"\2\1", answer))
        if _MARKER.sub("", raw).strip()
    ]
