"""Hybrid retrieval: dense vectors, BM25, and named references, fused by rank.

The legs see the same passages: the table loaded from Chroma at refresh, masked by the same
filter. A section is also found through its expansion lines (ingest/expansions.py): the
dense leg scores a passage by the closer of the passage itself and the nearest expansion
line of its section, and BM25 reads each passage with its section's lines. The dense and
BM25 legs read the question as typed; the lexicon's formal wording of informal phrases
feeds only the reference ranking, the one place it still measured a gain (docs/evaluation.md).
The dense leg is an exact cosine search over the stored embeddings rather than Chroma's
HNSW query: the graph Chroma builds incrementally in the ingesting process could leave
passages unreachable (about one build in six here), and an exact search over the matrix
is cheap at this scale (benchmarks/ measures it). Fusion is by reciprocal rank, which needs
no calibration between the legs' scores. The result holds one hit per section: its best
passage. In its first five places each kind of source (law, guidance, precedent) close enough
to the question gets one: in a collection of thousands of recommendations, recommendations
alone would otherwise fill them and push out the law they rest on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

import numpy as np
from threadpoolctl import ThreadpoolController

from assistant.criteria import Criteria
from assistant.models import Hit
from assistant.retrieval.fusion import KIND_SLOTS, each_kind_first, reciprocal_rank_fusion
from assistant.retrieval.lexicon import Lexicon
from assistant.retrieval.references import ReferenceRanker
from assistant.retrieval.scope import RARE_ZIPF, CorpusWords, TopicChecker, UnknownTerms
from ingest.models import citation_context, indexed_text, is_expansion
from vectorstore.bm25_index import BM25Index
from vectorstore.chroma_store import PassageStore, StoredPassage
from vectorstore.embedder import Embedder
from vectorstore.snapshot_cache import Snapshot, SnapshotCache


class Mode(str, Enum):
    HYBRID = "hybrid"
    DENSE = "dense"
    BM25 = "bm25"


@dataclass(frozen=True)
class Retrieval:
    hits: list[Hit]
    # Cosine similarity to the question of the closest passage or expansion line: the decline
    # signal (an expansion line is phrased the way people ask, so it separates answerable
    # questions from the rest better than the passages alone; docs/evaluation.md).
    confidence: float
    expanded_query: str
    # Words of the question that name something no passage mentions (scope.UnknownTerms).
    unknown_terms: tuple[str, ...] = ()
    # Subjects the knowledge base does not cover that the question asks about.
    uncovered_topics: tuple[str, ...] = ()
    # The question's unit vector, for scoring the sentences of the hits against it; an array
    # has no plain equality, and two retrievals of one question are equal without it.
    query_vector: np.ndarray | None = field(default=None, compare=False)


class HybridRetriever:
    def __init__(
        self,
        store: PassageStore,
        embedder: Embedder,
        lexicon: Lexicon,
        candidates: int = 100,
        rrf_k: int = 5,
        reference_weight: float = 1.5,
        kind_margin: float = 0.03,
        cache: SnapshotCache | None = None,
        rare_zipf: float = RARE_ZIPF,
    ):
        self.store = store
        self.embedder = embedder
        self.lexicon = lexicon
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.reference_weight = reference_weight
        self.kind_margin = kind_margin
        self.cache = cache
        # Below this general-English frequency an unknown word counts as a name (scope.py).
        self.rare_zipf = rare_zipf
        self._passages: list[StoredPassage] = []
        self._vectors = np.zeros((0, 0), dtype=np.float32)
        self._position: dict[str, int] = {}
        self._first_of_section: dict[tuple[str, str], int] = {}
        # Each passage's section (an index), and each expansion line's section and vector.
        self._section_of = np.zeros(0, dtype=np.int64)
        self._expansion_section = np.zeros(0, dtype=np.int64)
        self._expansion_vectors = np.zeros((0, 0), dtype=np.float32)
        self._bm25: BM25Index | None = None
        self._references: ReferenceRanker | None = None
        self._unknown_terms: UnknownTerms | None = None
        self._topics: TopicChecker | None = None
        # The dense product runs on one BLAS thread: numpy's BLAS threads keep spinning after
        # a product on several and starve the next query encode's torch threads on a small
        # machine (a warm ask at 10k passages twice as slow; benchmarks/scale.py).
        self._blas = ThreadpoolController()

    def refresh(self) -> None:
        """Load the committed passages, their vectors, BM25 and the corpus's words: from the
        snapshot cache when it holds the index's current state, otherwise from Chroma (and then
        into the cache)."""
        snapshot = self._load_snapshot()
        expansion = np.array([is_expansion(p.metadata) for p in snapshot.passages], dtype=bool)
        self._passages = [p for p, e in zip(snapshot.passages, expansion, strict=True) if not e]
        self._vectors = snapshot.vectors[~expansion]
        self._bm25 = snapshot.bm25
        self._position = {p.passage_id: i for i, p in enumerate(self._passages)}
        self._first_of_section: dict[tuple[str, str], int] = {}
        for i, p in enumerate(self._passages):
            self._first_of_section.setdefault(_section_key(p), i)
        sections: dict[tuple[str, str], int] = {}
        self._section_of = np.array(
            [sections.setdefault(_section_key(p), len(sections)) for p in self._passages],
            dtype=np.int64,
        )
        rows = np.flatnonzero(expansion)
        line_sections = np.array(
            [sections.get(_section_key(snapshot.passages[i]), -1) for i in rows], dtype=np.int64
        )
        self._expansion_section = line_sections[line_sections >= 0]
        self._expansion_vectors = snapshot.vectors[rows[line_sections >= 0]]
        self._references = ReferenceRanker(self._passages)
        words = CorpusWords.from_arrays(snapshot.extras)
        self._unknown_terms = UnknownTerms(
            self._bm25.knows,
            self.lexicon.words(),
            words.words(),
            self.rare_zipf,
            words.initialisms(),
        )
        self._topics = TopicChecker.bundled([_indexed(p) for p in self._passages], words)

    def _load_snapshot(self) -> Snapshot:
        state = self.store.state()
        cached = self.cache.load(state.fingerprint) if self.cache else None
        if cached is not None:
            return cached
        passages, vectors = self.store.snapshot(
            lambda lost: self.embedder.encode([_indexed(p) for p in lost]), state
        )
        source = [p for p in passages if not is_expansion(p.metadata)]
        snapshot = Snapshot(
            passages,
            vectors,
            BM25Index(_with_section_lines(source, passages)),
            CorpusWords([_indexed(p) for p in source]).arrays(),
        )
        # Cached only if no write committed while the passages were read, so that an entry
        # holds exactly the state its name says.
        if self.cache and passages and self.store.state().fingerprint == state.fingerprint:
            self.cache.save(state.fingerprint, snapshot)
        return snapshot

    def term_weight(self, term: str) -> float:
        if self._bm25 is None:
            self.refresh()
        assert self._bm25 is not None
        return self._bm25.idf(term)

    @property
    def passages(self) -> list[StoredPassage]:
        if self._bm25 is None:
            self.refresh()
        return self._passages

    def position(self, passage_id: str) -> int:
        """Where a passage stands in the table: passages of a document come in its order."""
        return self._position[passage_id]

    def vector(self, passage_id: str) -> np.ndarray:
        """A passage's stored unit vector."""
        return self._vectors[self._position[passage_id]]

    def passage(self, passage_id: str) -> StoredPassage | None:
        """A passage loaded at the last refresh, by id."""
        position = self._position.get(passage_id) if self.passages else None
        return None if position is None else self._passages[position]

    def counterpart(self, hit: Hit) -> Hit | None:
        """The first passage of a recommendation's response section ("Recommendation 2" →
        "Response 2"), or of a response's recommendation, in the same document."""
        number = re.fullmatch(r"(Recommendation|Response)(.*)", hit.section)
        if number is None:
            return None
        other = "Response" if number.group(1) == "Recommendation" else "Recommendation"
        i = self._first_of_section.get((hit.doc_id, other + number.group(2)))
        return None if i is None else to_hit(self._passages[i])

    def retrieve(
        self,
        query: str,
        k: int,
        criteria: Criteria | None = None,
        mode: Mode = Mode.HYBRID,
    ) -> Retrieval:
        passages = self.passages
        expanded = self.lexicon.expand(query)
        allowed = None if criteria is None or criteria.is_empty else self.mask(criteria.matches)
        if not passages or (allowed is not None and not allowed.any()):
            return Retrieval([], 0.0, expanded)
        vector = self.embedder.encode([query])[0]
        similarities = self._similarities(vector, allowed)
        through_expansions = self._through_expansions(vector, similarities)
        confidence = float(np.max(through_expansions))
        dense = self._top_similar(through_expansions, self.candidates)
        bm25_scores = self._bm25_scores(query, allowed)
        bm25 = _top(bm25_scores, self.candidates, self._passages)
        rankings = [([pid for pid, _ in dense], 1.0), ([pid for pid, _ in bm25], 1.0)]
        if mode is not Mode.HYBRID:
            rankings = rankings[:1] if mode is Mode.DENSE else rankings[1:]
        else:
            rankings.append((self._reference_ranking(query, expanded, allowed, bm25_scores), self.reference_weight))
        fused = self._best_of_each_section(reciprocal_rank_fusion(rankings, self.rrf_k))
        hits = self._ranked_hits(fused, mode, k, similarities, through_expansions, {pid for pid, _ in dense}, bm25_scores)
        assert self._unknown_terms is not None and self._topics is not None
        return Retrieval(
            hits,
            confidence,
            expanded,
            tuple(self._unknown_terms(query)),
            tuple(self._topics.uncovered(query)),
            vector,
        )

    def _ranked_hits(
        self,
        fused: list[tuple[int, float]],
        mode: Mode,
        k: int,
        similarities: np.ndarray,
        through_expansions: np.ndarray,
        dense_ids: set[str],
        bm25_scores: np.ndarray,
    ) -> list[Hit]:
        """The first `k` hits; a hybrid search first gives each kind of source a place among
        the first five when its best passage is close enough to the best (kind_margin)."""
        floor = float(np.max(similarities)) - self.kind_margin
        if mode is Mode.HYBRID:
            fused = self._places_and_kind_candidates(fused, max(k, KIND_SLOTS), similarities, floor)
        else:
            fused = fused[:k]
        ranked = [
            to_hit(
                self._passages[i],
                rank,
                score,
                float(through_expansions[i]) if self._passages[i].passage_id in dense_ids else None,
                float(bm25_scores[i]),
            )
            for rank, (i, score) in enumerate(fused, start=1)
        ]
        if mode is not Mode.HYBRID:
            return ranked
        return each_kind_first(
            ranked, k, lambda h: float(similarities[self._position[h.passage_id]]), floor, KIND_SLOTS
        )

    def _best_of_each_section(self, fused: list[tuple[str, float]]) -> list[tuple[int, float]]:
        """(position, fused score) of the best-fused passage of each section, in fused order."""
        best: list[tuple[int, float]] = []
        sections: set[tuple[str, str]] = set()
        for pid, score in fused:
            i = self._position[pid]
            meta = self._passages[i].metadata
            section = (str(meta.get("doc_id")), str(meta.get("section")))
            if section not in sections:
                sections.add(section)
                best.append((i, score))
        return best

    def _places_and_kind_candidates(
        self, fused: list[tuple[int, float]], places: int, similarities: np.ndarray, floor: float
    ) -> list[tuple[int, float]]:
        """The first `places` of `fused`, then the first later one of each kind of source
        whose similarity reaches `floor`: the only others each_kind_first can move up, so
        that hits are built for a dozen candidates rather than a hundred."""
        kinds: set[str] = set()
        candidates = []
        for i, score in fused[places:]:
            kind = str(self._passages[i].metadata.get("kind", ""))
            if kind not in kinds and similarities[i] >= floor:
                kinds.add(kind)
                candidates.append((i, score))
        return fused[:places] + candidates

    def _reference_ranking(
        self, query: str, expanded: str, allowed: np.ndarray | None, bm25_scores: np.ndarray
    ) -> list[str]:
        assert self._references is not None
        scores = self._references.scores(query, expanded)
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        # Ties (say, every section of a named force's page) are broken by BM25.
        order = np.lexsort((-bm25_scores, -scores))[: self.candidates]
        return [self._passages[i].passage_id for i in order if scores[i] > 0]

    def nearest(
        self, vector: np.ndarray, k: int, allowed: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """(passage id, cosine similarity) of the k passages nearest to the unit `vector`,
        among the `allowed` ones, by exact search."""
        if not self.passages:
            return []
        return self._top_similar(self._similarities(vector, allowed), k)

    def similarities(self, vector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each passage's cosine similarity to the unit `vector`, and the same raised to its
        section's nearest expansion line (what the decline signal takes the best of)."""
        similarities = self._similarities(vector, None)
        return similarities, self._through_expansions(vector, similarities)

    def _through_expansions(self, vector: np.ndarray, similarities: np.ndarray) -> np.ndarray:
        """Each passage's similarity, raised to that of the nearest expansion line of its
        section; a passage the filter leaves out stays out."""
        if not len(self._expansion_section):
            return similarities
        with self._blas.limit(limits=1, user_api="blas"):
            line_similarities = self._expansion_vectors @ vector.astype(np.float32)
        nearest = np.full(int(self._section_of.max()) + 1, -np.inf, dtype=np.float32)
        np.maximum.at(nearest, self._expansion_section, line_similarities)
        raised = np.where(np.isfinite(similarities), nearest[self._section_of], -np.inf)
        return np.maximum(similarities, raised)

    def _similarities(self, vector: np.ndarray, allowed: np.ndarray | None) -> np.ndarray:
        """Cosine similarity of every passage to the unit `vector`; -inf where not allowed."""
        with self._blas.limit(limits=1, user_api="blas"):
            similarities = self._vectors @ vector.astype(np.float32)
        return similarities if allowed is None else np.where(allowed, similarities, -np.inf)

    def _top_similar(self, similarities: np.ndarray, k: int) -> list[tuple[str, float]]:
        k = min(k, len(similarities))
        top = np.argpartition(-similarities, k - 1)[:k]
        top = top[np.argsort(-similarities[top], kind="stable")]
        return [
            (self._passages[i].passage_id, float(similarities[i]))
            for i in top
            if np.isfinite(similarities[i])
        ]

    def vectors(self, where: Callable[[Mapping[str, object]], bool]) -> np.ndarray:
        """The stored unit vectors of the passages whose metadata passes `where`."""
        return self._vectors[self.mask(where)]

    def mask(self, where: Callable[[Mapping[str, object]], bool]) -> np.ndarray:
        """One bool per passage: does its metadata pass `where`?"""
        return np.array([where(p.metadata) for p in self.passages], dtype=bool)

    def _bm25_scores(self, query: str, allowed: np.ndarray | None) -> np.ndarray:
        assert self._bm25 is not None
        scores = self._bm25.scores(query)
        return scores if allowed is None else np.where(allowed, scores, 0.0)


def _indexed(p: StoredPassage) -> str:
    """The text a record was embedded from: an expansion line alone, a passage with its label."""
    meta = p.metadata
    if is_expansion(meta):
        return p.text
    context = citation_context(meta.get("title", ""), meta.get("section", ""), meta.get("heading", ""))
    return indexed_text(context, p.text)


def _section_key(p: StoredPassage) -> tuple[str, str]:
    return str(p.metadata.get("doc_id")), str(p.metadata.get("section"))


def _with_section_lines(source: list[StoredPassage], records: list[StoredPassage]) -> list[str]:
    """What BM25 reads for each passage: its text, then its section's expansion lines."""
    lines: dict[tuple[str, str], list[str]] = {}
    for p in records:
        if is_expansion(p.metadata):
            lines.setdefault(_section_key(p), []).append(p.text)
    return ["\n".join([_indexed(p), *lines.get(_section_key(p), ())]) for p in source]


def _top(scores: np.ndarray, n: int, passages: list[StoredPassage]) -> list[tuple[str, float]]:
    order = np.argsort(-scores, kind="stable")[:n]
    return [(passages[i].passage_id, float(scores[i])) for i in order if scores[i] > 0]


def to_hit(
    p: StoredPassage, rank: int = 0, score: float = 0.0, dense: float | None = None, bm25: float = 0.0
) -> Hit:
    meta = p.metadata
    return Hit(
        rank=rank,
        score=score,
        passage_id=p.passage_id,
        doc_id=str(meta.get("doc_id", "")),
        section=str(meta.get("section", "")),
        heading=str(meta.get("heading", "")),
        kind=str(meta.get("kind", "")),
        title=str(meta.get("title", "")),
        url=str(meta.get("url", "")),
        text=p.text,
        metadata=meta,
        dense_score=dense,
        bm25_score=bm25,
    )

