"""Choose the retriever's fusion settings on the question bank's `tune` half, by cross-validation.

Every combination of the grid is scored on each tune question through the real retriever
(the shipped index, the shipped code). Five-fold cross-validation inside `tune` then picks,
for each fold, the combination best on the other four folds and scores it on the fold left
out: that estimate says what choosing on `tune` is worth on questions it did not see. The
combination best on the whole of `tune` is the one to ship (assistant/config.py), among those
that keep the dev set at least where it stood before the question bank (DEV_FLOOR), since
the dev set must not get worse. The test half is never read here.

    python -m benchmarks.tuning            # about seven minutes on two cores
"""

from __future__ import annotations

import argparse
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass

import knowledge_base
import numpy as np

from assistant.config import Settings
from assistant.evaluation.metrics import (
    Question,
    hit_ranking,
    load_questions,
    mean_scores,
    ranking_scores,
)
from assistant.retrieval.hybrid import HybridRetriever
from assistant.service import ConductAssistant

FOLDS = 5
SEED = 7
# Recall@5 and MRR@10 of the dev set with the retriever before the question bank.
DEV_FLOOR = (0.963, 0.933)
GRID = {
    "rrf_k": (3, 5, 10, 60),
    "reference_weight": (0.0, 0.5, 1.0, 1.5, 2.0),
    # Negative: no kind of source is ever moved up into the first five places.
    "kind_margin": (-1.0, 0.03, 0.1),
    "candidates": (20, 40, 100),
}


@dataclass(frozen=True)
class Scored:
    setting: dict[str, float]
    # Per tune question: Recall@5 and MRR@10.
    recall: np.ndarray
    mrr: np.ndarray
    # Mean Recall@5 and MRR@10 on the dev set.
    dev: tuple[float, float]

    def objective(self, rows: Sequence[int]) -> float:
        return float(self.recall[rows].mean() + self.mrr[rows].mean())


class _RememberedEncoder:
    """The assistant's encoder, encoding each question once for the whole grid."""

    def __init__(self, embedder):
        self._embedder = embedder
        self._seen: dict[str, np.ndarray] = {}

    def encode(self, texts):
        missing = [t for t in texts if t not in self._seen]
        if missing:
            self._seen.update(zip(missing, self._embedder.encode(missing), strict=True))
        return np.stack([self._seen[t] for t in texts])


def score_grid(
    retriever: HybridRetriever, questions: Sequence[Question], dev: Sequence[Question]
) -> list[Scored]:
    scored = []
    names = list(GRID)
    for values in itertools.product(*GRID.values()):
        setting = dict(zip(names, values, strict=True))
        for name, value in setting.items():
            setattr(retriever, name, value)

        def rows(qs: Sequence[Question]) -> list[dict[str, float]]:
            return [
                ranking_scores(q.gold, hit_ranking(retriever.retrieve(q.question, 10).hits)) for q in qs
            ]

        tune, on_dev = rows(questions), mean_scores(rows(dev))
        scored.append(
            Scored(
                setting,
                np.array([r["recall@5"] for r in tune]),
                np.array([r["mrr@10"] for r in tune]),
                (on_dev["recall@5"], on_dev["mrr@10"]),
            )
        )
    return scored


def keeps_dev(s: Scored) -> bool:
    return s.dev[0] >= DEV_FLOOR[0] - 1e-9 and s.dev[1] >= DEV_FLOOR[1] - 1e-9


def cross_validate(scored: Sequence[Scored], n: int) -> tuple[float, float]:
    """Recall@5 and MRR@10 on held-out folds of the setting chosen on the other folds."""
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    folds = [order[i::FOLDS] for i in range(FOLDS)]
    recall, mrr = [], []
    for held in folds:
        rest = [i for i in order if i not in held]
        best = max(scored, key=lambda s: s.objective(rest))
        recall.extend(best.recall[held])
        mrr.extend(best.mrr[held])
    return float(np.mean(recall)), float(np.mean(mrr))


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    assistant = ConductAssistant(Settings.from_env())
    assistant.ensure_index()
    retriever = assistant.retriever
    retriever.embedder = _RememberedEncoder(retriever.embedder)
    questions = [q for q in load_questions(knowledge_base.TUNE_SET) if q.gold]
    dev = [q for q in load_questions(knowledge_base.DEV_SET) if q.gold]
    scored = score_grid(retriever, questions, dev)
    allowed = [s for s in scored if keeps_dev(s)]
    everything = range(len(questions))
    best = max(allowed, key=lambda s: s.objective(everything))
    shipped = Settings()
    current = next(
        s for s in scored if all(getattr(shipped, name) == value for name, value in s.setting.items())
    )
    cv_recall, cv_mrr = cross_validate(allowed, len(questions))
    print(f"{len(scored)} settings on {len(questions)} answerable tune questions;", end=" ")
    print(f"{len(allowed)} keep the dev set")
    for label, s in (("best on tune", best), ("shipped", current)):
        print(
            f"{label}: {s.setting}: tune Recall@5 {s.recall.mean():.3f}, MRR@10 {s.mrr.mean():.3f}; "
            f"dev {s.dev[0]:.3f}, {s.dev[1]:.3f}"
        )
    print(f"{FOLDS}-fold cross-validation of choosing on tune:", end=" ")
    print(f"Recall@5 {cv_recall:.3f}, MRR@10 {cv_mrr:.3f}")


if __name__ == "__main__":
    main()
