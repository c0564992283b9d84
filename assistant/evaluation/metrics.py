"""Measure retrieval and answers against a question set with gold sections.

Gold matching follows data/eval/README.md: same document id, and the hit's section id
starts with the gold section. Ranking metrics are over gold entries: a gold entry is found
at the first rank whose item covers it (tests/evaluation/test_question_bank.py checks them against
ranx, which would cost seconds of numba import here).
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

from assistant.answers.sentences import points_back, split_sentences
from assistant.models import Answer, Citation, Hit
from assistant.retrieval.hybrid import Mode

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
        user = str(line.get("user", ""))
        return cls(str(line["id"]), str(line["question"]), answerable, gold, user)


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
    of the tutorial baseline. A gold entry is found at the first rank covering it and counts
    once. nDCG is capped at 1: a chunk covering several gold entries at rank 1 beats the ideal
    ranking of one section per rank."""
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
        "ndcg@10": min(1.0, sum(1 / math.log2(r + 1) for r in ranks) / ideal),
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


def hit_ranking(hits: Sequence[Hit]) -> list[list[tuple[str, str]]]:
    """Hits as a ranking for `ranking_scores`: each covers its own section."""
    return [[(h.doc_id, h.section)] for h in hits]


def mean_scores(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    return {m: sum(r[m] for r in rows) / len(rows) if rows else 0.0 for m in METRICS}


@dataclass
class EvalReport:
    # Ranker name -> metric -> mean over the answerable questions.
    retrieval: dict[str, dict[str, float]]
    # Ranker name -> user group -> metric -> mean.
    by_user: dict[str, dict[str, dict[str, float]]]
    answerable: int
    unanswerable: int
    decline_rate: float
    false_decline_rate: float
    verbatim_share: float
    # How the answers read (`answer_quality`): gold cited, lead from gold, caveats, words…
    answers: dict[str, float] = field(default_factory=dict)
    per_question: list[dict[str, Any]] = field(default_factory=list)
    # With a language model configured: how its answers fared (see `_generation`).
    generation: dict[str, float] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "retrieval": self.retrieval,
            "by_user": self.by_user,
            "answerable": self.answerable,
            "unanswerable": self.unanswerable,
            "decline_rate": self.decline_rate,
            "false_decline_rate": self.false_decline_rate,
            "verbatim_share": self.verbatim_share,
            "answers": self.answers,
            "per_question": self.per_question,
            "generation": self.generation,
        }


Ranker = Callable[[str], Sequence[Sequence[tuple[str, str]]]]


def mode_rankers(search: Callable[[str, Mode], list[Hit]]) -> dict[str, Ranker]:
    """The hybrid retriever and each of its legs alone, as rankers named by their mode."""
    return {mode.value: (lambda q, mode=mode: hit_ranking(search(q, mode))) for mode in Mode}


def evaluate(
    questions: Sequence[Question],
    rankers: dict[str, Ranker],
    ask: Callable[[str], Answer],
) -> EvalReport:
    """Each ranker's retrieval scores, overall and per user group, and the declines and
    grounding of the answers `ask` gives. The first ranker's scores fill `per_question`."""
    answerable = [q for q in questions if q.answerable]
    ranked = [q for q in answerable if q.gold]
    retrieval: dict[str, dict[str, float]] = {}
    by_user: dict[str, dict[str, dict[str, float]]] = {}
    per_question = {q.qid: {"id": q.qid, "user": q.user} for q in questions}
    for n, (name, rank) in enumerate(rankers.items()):
        rows = [ranking_scores(q.gold, rank(q.question)) for q in ranked]
        retrieval[name] = mean_scores(rows)
        by_user[name] = {
            user: mean_scores([r for q, r in zip(ranked, rows, strict=True) if q.user == user])
            for user in sorted({q.user for q in ranked})
        }
        if n == 0:
            for q, row in zip(ranked, rows, strict=True):
                per_question[q.qid]["recall@5"] = round(row["recall@5"], 3)
                found = round(row["recall@10"] * len(q.gold))
                per_question[q.qid]["gold_found@10"] = f"{found}/{len(q.gold)}"

    timed: list[tuple[Answer, float]] = []
    answers: list[Answer] = []
    for q in questions:
        started = time.perf_counter()
        answer = ask(q.question)
        timed.append((answer, time.perf_counter() - started))
        answers.append(answer)
        per_question[q.qid].update(
            answered=answer.answered,
            outcome=answer.outcome,
            confidence=round(answer.confidence, 4),
            mode=answer.mode,
            cites_gold=cites_gold(answer, q.gold),
            lead_gold=lead_is_gold(answer, q.gold),
        )
    quality = answer_quality(questions, answers)
    return EvalReport(
        retrieval=retrieval,
        by_user=by_user,
        answerable=len(answerable),
        unanswerable=len(questions) - len(answerable),
        decline_rate=quality["decline_rate"],
        false_decline_rate=quality["false_decline_rate"],
        verbatim_share=quality["verbatim_share"],
        answers=quality,
        per_question=list(per_question.values()),
        generation=_generation(timed),
    )


def _is_gold(citation: Citation, gold: Sequence[tuple[str, str]]) -> bool:
    return any(citation.doc_id == doc and section_matches(citation.section, section) for doc, section in gold)


def cites_gold(answer: Answer, gold: Sequence[tuple[str, str]]) -> bool:
    """Whether an answer cites a gold section."""
    return answer.answered and any(_is_gold(c, gold) for c in answer.citations)


def lead_is_gold(answer: Answer, gold: Sequence[tuple[str, str]]) -> bool:
    """Whether an answer's first line is quoted from a gold section."""
    first = answer.lead[0] if answer.lead else (answer.sentences[0] if answer.sentences else None)
    if not answer.answered or first is None:
        return False
    return any(c.n == first.citation and _is_gold(c, gold) for c in answer.citations)


def orphan_sentences(answer: Answer) -> int:
    """Quoted sentences that point back ("It…", "Second,…", "…those two characteristics…";
    assistant.answers.sentences.points_back) without the sentence before them in their passage
    quoted just before them."""
    quotes = {c.n: split_sentences(c.quote) for c in answer.citations}
    orphans = 0
    previous = None
    for sentence in answer.sentences:
        if points_back(sentence.text):
            passage = quotes.get(sentence.citation, [])
            at = passage.index(sentence.text) if sentence.text in passage else -1
            depends_on = passage[at - 1] if at > 0 else None
            orphans += not (
                previous is not None and previous.citation == sentence.citation and previous.text == depends_on
            )
        previous = sentence
    return orphans


def answer_quality(questions: Sequence[Question], answers: Sequence[Answer]) -> dict[str, float]:
    """How the answers to a question set read: for the answerable questions, the share whose
    answer cites a gold section and whose first line comes from one, and the share declined;
    for the unanswerable ones, the share declined and the share answered with a caveat; for
    every answer, quoted sentences that point back without what they depend on, quoted
    sentences not verbatim in their citation, and words."""
    pairs = list(zip(questions, answers, strict=True))
    answerable = [(q, a) for q, a in pairs if q.answerable]
    unanswerable = [(q, a) for q, a in pairs if not q.answerable]
    answered = [a for a in answers if a.answered]
    sentences = [(s, a) for a in answered for s in a.sentences]
    verbatim = sum(s.text in {c.n: c.quote for c in a.citations}.get(s.citation, "") for s, a in sentences)
    words = [sum(len(s.text.split()) for s in a.sentences) for a in answered]

    def share(rows: Sequence[tuple[Question, Answer]], test: Callable[[Question, Answer], bool]) -> float:
        return sum(test(q, a) for q, a in rows) / len(rows) if rows else 0.0

    return {
        "cites_gold": share(answerable, lambda q, a: cites_gold(a, q.gold)),
        "lead_gold": share(answerable, lambda q, a: lead_is_gold(a, q.gold)),
        "false_decline_rate": share(answerable, lambda q, a: not a.answered),
        "caveat_rate_answerable": share(answerable, lambda q, a: a.outcome == "caveat"),
        "decline_rate": share(unanswerable, lambda q, a: not a.answered),
        "caveat_rate_unanswerable": share(unanswerable, lambda q, a: a.outcome == "caveat"),
        "orphan_sentences": float(sum(orphan_sentences(a) for a in answered)),
        "verbatim_share": verbatim / len(sentences) if sentences else 1.0,
        "words_mean": sum(words) / len(words) if words else 0.0,
        "words_max": float(max(words, default=0)),
    }


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
