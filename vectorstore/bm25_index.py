"""Lexical search over the stored passages with bm25s (stemmed, English stop words)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

_STEMMER = Stemmer.Stemmer("english")
_IDF_FILE = "idf.json"


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

    def save(self, folder: Path) -> None:
        """Write the index to `folder`: bm25s's own files and each term's idf."""
        self._retriever.save(str(folder), show_progress=False)
        (folder / _IDF_FILE).write_text(json.dumps({"size": self.size, "idf": self._idf}), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        """An index written by `save`."""
        saved = json.loads((folder / _IDF_FILE).read_text(encoding="utf-8"))
        index = cls([])
        index.size = int(saved["size"])
        index._idf = {str(term): float(idf) for term, idf in saved["idf"].items()}
        index._retriever = bm25s.BM25.load(str(folder), show_progress=False)
        return index

    def knows(self, term: str) -> bool:
        """Whether some indexed text uses the (analysed) term."""
        return term in self._idf

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
