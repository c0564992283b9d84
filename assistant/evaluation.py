"""Measure retrieval and answers against a question set with gold sections.

Gold matching follows data/eval/README.md: same document id, and the hit's section id
starts with the gold section. Ranking metrics come from ranx over gold entries: a hit
that matches a gold entry not yet matched higher up counts as that entry; any other hit
is a non-relevant item at its rank.
"""

from __future__ import annotations

import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.models import Answer, Hit
from assistant.retrieval import Mode

METRICS = ("recall@5", "recall@10", "mrr@10", "ndcg@10")
DEPTH = 10
# The seed of the question bank's one split into `tune` and `test` (data/eval/README.md).
BANK_SEED = 20261203


@dataclass(frozen=True)
class Question:
    qid: str
    question: str
    answerable: bool
    gold: tuple[tuple[str, str], ...]
    user: str = ""

    @classmethod
    def from_json(cls, line: dict[str, Any]) -> Question:
        gold = tuple((g["doc"], g["section"]) for g in line.get("gold", []))
        answerable = bool(line.get("answerable", gold))
        return cls(str(line["id"]), str(line["question"]), answerable, gold, str(line.get("user", "")))


def load_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            questions.append(Question.from_json(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError) as err:
            raise ValueError(f"{path}:{number}: not a question record ({err})") from None
    return questions


def gold_key(doc: str, section: str) -> str:
    return f"{doc}#{section}"


def section_matches(section: str, gold: str) -> bool:
    """The gold rule: the section id starts with the gold section, which does not stop inside
    a number (so "Standard 1" accepts neither "Standard 10" nor "s4" "s40(1)")."""
    return section.startswith(gold) and not (
        gold[-1:].isdigit() and section[len(gold) : len(gold) + 1].isdigit()
    )


def ranking_scores(
    gold: Sequence[tuple[str, str]], ranked: Sequence[Sequence[tuple[str, str]]]
) -> dict[str, float]:
    """Recall@5, Recall@10, MRR@10 and nDCG@10 of one ranking, where the item at rank r is the
    (doc id, section id) pairs it covers: one for a hit, every overlapped section for a chunk
    of the tutorial baseline. A gold entry is found at the first rank covering it; a gold
    entry found counts once, so recall and nDCG cannot exceed 1."""
    found: dict[tuple[str, str], int] = {}
    for rank, covered in enumerate(ranked[:DEPTH], start=1):
        for doc, section in covered:
            for entry in gold:
                if entry not in found and doc == entry[0] and section_matches(section, entry[1]):
                    found[entry] = rank
    ranks = sorted(found.values())
    ideal = sum(1 / math.log2(i + 1) for i in range(1, min(len(gold), DEPTH) + 1))
    return {
        "recall@5": sum(r <= 5 for r in ranks) / len(gold),
        "recall@10": len(ranks) / len(gold),
        "mrr@10": 1 / ranks[0] if ranks else 0.0,
        "ndcg@10": sum(1 / math.log2(r + 1) for r in ranks) / ideal,
    }


def split_bank(lines: Sequence[dict[str, Any]], seed: int = BANK_SEED) -> tuple[list, list]:
    """The question bank's split: within each (user group, answerable) stratum, in id order,
    shuffled with `seed`, the first half goes to `test` and the rest to `tune`.
    Returns (tune, test), each in id order."""
    strata: dict[tuple[str, bool], list[dict[str, Any]]] = {}
    for line in sorted(lines, key=lambda item: str(item["id"])):
        strata.setdefault((str(line["user"]), bool(line["answerable"])), []).append(line)
    rng = random.Random(seed)
    tune: list[dict[str, Any]] = []
    test: list[dict[str, Any]] = []
    for key in sorted(strata):
        members = list(strata[key])
        rng.shuffle(members)
        half = len(members) // 2
        test.extend(members[:half])
        tune.extend(members[half:])
    by_id = lambda item: str(item["id"])  # noqa: E731
    return sorted(tune, key=by_id), sorted(test, key=by_id)


def matched_run(question: Question, hits: Sequence[Hit]) -> dict[str, float]:
    """The ranked hits as ranx run entries: gold keys where a hit matches, else its own id."""
    run: dict[str, float] = {}
    for hit in hits[:DEPTH]:
        score = float(DEPTH - hit.rank + 1)
        key = next(
            (
                gold_key(doc, section)
                for doc, section in question.gold
                if hit.doc_id == doc
                and section_matches(hit.section, section)
                and gold_key(doc, section) not in run
            ),
            f"other#{hit.passage_id}",
        )
        run.setdefault(key, score)
    return run


@dataclass
class EvalReport:
    retrieval: dict[str, dict[str, float]]
    answerable: int
    unanswerable: int
    decline_rate: float
    false_decline_rate: float
    verbatim_share: float
    per_question: list[dict[str, Any]] = field(default_factory=list)
    # With a language model configured: how its answers fared (see `_generation`).
    generation: dict[str, float] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "retrieval": self.retrieval,
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            "decline_rate": self.decline_rate,
            "false_decline_rate": self.false_decline_rate,
            "verbatim_share": self.verbatim_share,
            "per_question": self.per_question,
            "generation": self.generation,
        }


def evaluate(
    questions: Sequence[Question],
    search: Callable[[str, Mode], list[Hit]],
    ask: Callable[[str], Answer],
) -> EvalReport:
    from ranx import Qrels, Run, evaluate as ranx_evaluate

    answerable = [q for q in questions if q.answerable]
    ranked = [q for q in answerable if q.gold]
    qrels = Qrels({q.qid: {gold_key(d, s): 1 for d, s in q.gold} for q in ranked})
    retrieval: dict[str, dict[str, float]] = {}
    per_question: dict[str, dict[str, Any]] = {q.qid: {"id": q.qid} for q in questions}
    for mode in Mode:
        runs = {}
        for q in ranked:
            run = matched_run(q, search(q.question, mode))
            runs[q.qid] = run or {"other#none": 0.0}
            if mode is Mode.HYBRID:
                found = sum(1 for d, s in q.gold if gold_key(d, s) in run)
                per_question[q.qid]["gold_found@10"] = f"{found}/{len(q.gold)}"
        scores = ranx_evaluate(qrels, Run(runs), list(METRICS), make_comparable=True)
        retrieval[mode.value] = {m: float(scores[m]) for m in METRICS}

    declined_unanswerable = declined_answerable = 0
    sentences = verbatim = 0
    timed: list[tuple[Answer, float]] = []
    for q in questions:
        started = time.perf_counter()
        answer = ask(q.question)
        timed.append((answer, time.perf_counter() - started))
        per_question[q.qid].update(answered=answer.answered, confidence=round(answer.confidence, 4), mode=answer.mode)
        if not answer.answered:
            declined_unanswerable += not q.answerable
            declined_answerable += q.answerable
            continue
        quotes = {c.n: c.quote for c in answer.citations}
        for s in answer.sentences:
            sentences += 1
            verbatim += s.text in quotes.get(s.citation, "")
    unanswerable = len(questions) - len(answerable)
    return EvalReport(
        retrieval=retrieval,
        answerable=len(answerable),
        unanswerable=unanswerable,
        decline_rate=declined_unanswerable / unanswerable if unanswerable else 0.0,
        false_decline_rate=declined_answerable / len(answerable) if answerable else 0.0,
        verbatim_share=verbatim / sentences if sentences else 1.0,
        per_question=list(per_question.values()),
        generation=_generation(timed),
    )


def _generation(timed: Sequence[tuple[Answer, float]]) -> dict[str, float] | None:
    """For the answers a model was asked to write (answered questions, mode other than
    extractive): the fallback rate, the share of written sentences the check kept, latency."""
    asked = [(a, seconds) for a, seconds in timed if a.answered and a.mode != "extractive"]
    if not asked:
        return None
    written = sum(a.checked[1] for a, _ in asked)
    kept = sum(a.checked[0] for a, _ in asked if a.mode == "generated")
    latencies = sorted(seconds for _, seconds in asked)
    return {
        "answers": len(asked),
        "generated": sum(a.mode == "generated" for a, _ in asked),
        "fallback_rate": sum(a.mode == "fallback" for a, _ in asked) / len(asked),
        "sentences_written": written,
        "sentences_kept": kept,
        "kept_share": kept / written if written else 0.0,
        "latency_p50_s": latencies[len(latencies) // 2],
        "latency_p95_s": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))],
    }
