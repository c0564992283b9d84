"""The citation check applied to a generated answer before anyone sees it.

A generated sentence is kept only if it cites a passage it was given (`[n]`) and that passage
supports it, measured two ways that fail differently: the share of the sentence's content
words (stemmed) found in the passage, which catches invented facts (a fine, a date, a name),
and the cosine similarity of the sentence to the passage, which catches a sentence on another
subject that reuses the passage's words. Both thresholds were calibrated on
`tests/data/support_calibration.jsonl` (sentences written for the purpose, each labelled
supported or not against a real passage).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.answering import split_sentences
from assistant.models import Hit

# Calibrated thresholds (see the module docstring and tests/test_grounding.py).
MIN_WORD_SUPPORT = 0.85
MIN_SIMILARITY = 0.35

_MARKER = re.compile(r"\s*\[(\d+)\]")
# "…on duty. [1] Next" → "…on duty [1]. Next": a marker after the full stop belongs to the
# sentence before it.
_TRAILING_MARKERS = re.compile(r"([.!?])((?:\s*\[\d+\])+)")


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

    def supported(self, sentence: str, passage: Hit) -> bool:
        word_support, similarity = self.support(sentence, passage)
        return word_support >= MIN_WORD_SUPPORT and similarity >= MIN_SIMILARITY

    def check(self, answer: str, passages: Sequence[Hit]) -> CheckedAnswer:
        """Each sentence of a generated answer, kept with the best passage it validly cites
        and that supports it, or dropped with the reason."""
        checked = []
        for raw in split_sentences(_TRAILING_MARKERS.sub(r"\2\1", answer)):
            numbers = [int(n) for n in _MARKER.findall(raw)]
            text = _MARKER.sub("", raw).strip()
            if not text:
                continue
            valid = [n for n in dict.fromkeys(numbers) if 1 <= n <= len(passages)]
            if not numbers:
                checked.append(CheckedSentence(text, None, "no citation"))
                continue
            if not valid:
                checked.append(CheckedSentence(text, None, f"cites [{numbers[0]}], which it was not given"))
                continue
            scored = [(n, *self.support(text, passages[n - 1])) for n in valid]
            best = max(scored, key=lambda s: (s[1] >= MIN_WORD_SUPPORT and s[2] >= MIN_SIMILARITY, s[1] + s[2]))
            n, word_support, similarity = best
            if word_support >= MIN_WORD_SUPPORT and similarity >= MIN_SIMILARITY:
                checked.append(CheckedSentence(text, n - 1, "", word_support, similarity))
            else:
                reason = f"not supported by [{n}] (words {word_support:.2f}, similarity {similarity:.2f})"
                checked.append(CheckedSentence(text, None, reason, word_support, similarity))
        return CheckedAnswer(tuple(checked))
