"""Lexical search over the stored passages with bm25s (stemmed, English stop words)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")


def analyse(text: str) -> list[str]:
    """The terms BM25 sees for a text: lower-cased, stop words dropped, stemmed."""
    tokens = bm25s.tokenize(
        [text], stopwords="en", stemmer=_STEMMER, return_ids=False, show_progress=False
    )
    return list(tokens[0])


class BM25Index:
    def __init__(self, texts: Sequence[str]):
        self.size = len(texts)
        self._retriever = bm25s.BM25()
        self._idf: dict[str, float] = {}
        if texts:
            corpus = bm25s.tokenize(
                list(texts), stopwords="en", stemmer=_STEMMER, show_progress=False
            )
            self._retriever.index(corpus, show_progress=False)
            doc_freq = np.zeros(len(corpus.vocab), dtype=np.int64)
            for ids in corpus.ids:
                doc_freq[np.unique(np.asarray(ids, dtype=np.int64))] += 1
            idf = np.log(1.0 + (self.size - doc_freq + 0.5) / (doc_freq + 0.5))
            self._idf = {term: float(idf[i]) for term, i in corpus.vocab.items()}

    def idf(self, term: str) -> float:
        """Inverse document frequency; a term the index never saw weighs like the rarest."""
        return self._idf.get(term, math.log(1.0 + (self.size + 0.5) / 0.5))

    def scores(self, query: str) -> np.ndarray:
        """A BM25 score for every indexed text (zeros when no query term is known)."""
        terms = analyse(query)
        if not self.size or not terms:
            return np.zeros(self.size, dtype=np.float32)
        known = [t for t in terms if t in self._retriever.vocab_dict]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._retriever.get_scores(known), dtype=np.float32)
