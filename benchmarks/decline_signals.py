"""How well each signal tells answerable from unanswerable questions on the bank's `tune` half.

For every tune question: the cosine similarity of the closest passage or expansion line (the
shipped decline signal), of the closest passage alone, and how sharply the best stands out
(its similarity minus the mean of the next 20 passages'). Printed as
ROC AUC (1 separates perfectly, 0.5 not at all). Then a five-fold cross-validation, repeated
over 20 shuffles, of a logistic regression over each signal beside the unknown-name flag: its
threshold is set on the training folds so that at most 5 % of their answerable questions are
declined, and the held-out folds say what share of unanswerable ones it declines, and at what
cost. The test half is never read here.

    python -m benchmarks.decline_signals     # about a minute on two cores
"""

from __future__ import annotations

import knowledge_base
import numpy as np
from sklearn.linear_model import LogisticRegression  # scikit-learn comes with sentence-transformers
from sklearn.model_selection import StratifiedKFold

from assistant.config import Settings
from assistant.evaluation.metrics import load_questions
from assistant.service import ConductAssistant

MAX_FALSE_DECLINES = 0.05


def roc_auc(scores: np.ndarray, positive: np.ndarray) -> float:
    """The chance that a positive scores above a negative (ties count half)."""
    above = scores[positive][:, None] - scores[~positive][None, :]
    return float(np.mean((above > 0) + 0.5 * (above == 0)))


def cross_validated(features: np.ndarray, unanswerable: np.ndarray) -> tuple[float, float]:
    """(unanswerable declined, answerable declined) on held-out folds."""
    declined = wrongly = total_u = total_a = 0
    for seed in range(20):
        folds = StratifiedKFold(5, shuffle=True, random_state=seed)
        for train, held in folds.split(features, unanswerable):
            model = LogisticRegression(C=10, max_iter=2000).fit(features[train], unanswerable[train])
            answerable = np.sort(model.predict_proba(features[train][~unanswerable[train]])[:, 1])
            threshold = answerable[int(np.ceil((1 - MAX_FALSE_DECLINES) * len(answerable))) - 1]
            decline = model.predict_proba(features[held])[:, 1] > threshold
            declined += int(np.sum(decline & unanswerable[held]))
            wrongly += int(np.sum(decline & ~unanswerable[held]))
            total_u += int(np.sum(unanswerable[held]))
            total_a += int(np.sum(~unanswerable[held]))
    return declined / total_u, wrongly / total_a


def main() -> None:
    assistant = ConductAssistant(Settings.from_env())
    assistant.ensure_index()
    retriever = assistant.retriever
    questions = load_questions(knowledge_base.TUNE_SET)
    rows = []
    for q in questions:
        retrieval = retriever.retrieve(q.question, assistant.settings.top_k)
        passages, raised = retriever.similarities(retrieval.query_vector)
        ranked = np.sort(raised)[::-1]
        rows.append(
            (
                retrieval.confidence,
                float(passages.max()),
                float(ranked[0] - ranked[1:21].mean()),
                float(bool(retrieval.unknown_terms)),
            )
        )
    table = np.array(rows)
    answerable = np.array([q.answerable for q in questions])
    names = ["closest passage or line (shipped)", "closest passage", "sharpness"]
    print("ROC AUC on tune, answerable against unanswerable")
    for i, name in enumerate(names):
        print(f"  {name:36s} {roc_auc(table[:, i], answerable):.3f}")
    print("\nCross-validated beside the unknown-name flag (unanswerable declined, answerable declined)")
    for i, name in ((0, names[0]), (2, names[2])):
        declined, wrongly = cross_validated(table[:, [i, 3]], ~answerable)
        print(f"  {name:36s} {declined:.3f}  {wrongly:.3f}")


if __name__ == "__main__":
    main()
