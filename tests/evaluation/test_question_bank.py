"""The question bank: its frozen test half, its one split, its coverage, and the gold rule."""

import hashlib
import json
from collections import Counter

import knowledge_base
import pytest

from assistant.evaluation.metrics import ranking_scores, section_matches, split_bank
from ingest.loader import discover, load_document

BANK = knowledge_base.EVAL_DIR / "bank"
# Printed in data/eval/README.md; the test half is written once and never edited.
TEST_SHA256 = "f761302c5cd9d1da28224301635487afabda4b441c2c2de1c5d924c20c53d96e"


def _lines(name: str) -> list[dict]:
    return [json.loads(line) for line in (BANK / f"{name}.jsonl").read_text("utf-8").splitlines()]


def test_the_test_half_is_the_frozen_one():
    assert hashlib.sha256((BANK / "test.jsonl").read_bytes()).hexdigest() == TEST_SHA256


def test_the_halves_are_the_seeded_split_of_the_bank():
    tune, test = _lines("tune"), _lines("test")
    assert split_bank(tune + test) == (tune, test)
    assert not {q["id"] for q in tune} & {q["id"] for q in test}


def test_the_bank_has_the_questions_the_issue_asks_for():
    bank = _lines("tune") + _lines("test")
    groups = Counter(q["user"] for q in bank if q["answerable"])
    assert len(bank) >= 240 and groups["officer"] >= 100
    assert groups["trainer"] >= 60 and groups["investigator"] >= 60
    unanswerable = [q for q in bank if not q["answerable"]]
    assert len(unanswerable) >= 50 and all(not q["gold"] for q in unanswerable)
    kinds = Counter(q["note"].split(":")[0] for q in unanswerable)
    assert set(kinds) == {"uncovered subject", "unknown name", "jurisdiction"}


def test_every_section_of_the_knowledge_base_is_gold_somewhere():
    bank = _lines("tune") + _lines("test")
    gold = [(g["doc"], g["section"]) for q in bank for g in q["gold"]]
    sections = [
        (doc.doc_id, s.section_id)
        for path in discover([knowledge_base.CORPUS_DIR])
        for doc in [load_document(path)]
        for s in doc.sections
    ]
    assert len(sections) > 150
    uncovered = [s for s in sections if not any(d == s[0] and section_matches(s[1], g) for d, g in gold)]
    assert uncovered == []
    unknown = [g for g in gold if not any(g[0] == d and section_matches(s, g[1]) for d, s in sections)]
    assert unknown == []


@pytest.mark.parametrize(
    "section, gold, matches",
    [
        ("Standard 1", "Standard 1", True),
        ("Standard 10", "Standard 1", False),
        ("s40(1)", "s4", False),
        ("s26(1)(b)", "s26(1)", True),
        ("Standard 7 para 7.3", "Standard 7", True),
        ("Principle: Courage", "Principle", True),
        ("Recommendation 2", "Recommendation", True),
        ("Response 1", "Recommendation", False),
    ],
)
def test_the_gold_rule(section, gold, matches):
    assert section_matches(section, gold) is matches


# ranx compiles its metrics with numba on import: seconds, for a check of our own formulas.
@pytest.mark.slow
def test_ranking_scores_agree_with_ranx_on_one_section_per_rank():
    from ranx import Qrels, Run, evaluate

    gold = [("a", "s1"), ("a", "s2"), ("b", "s3")]
    ranked = [[("c", "x")], [("a", "s2")], [("a", "s2")], [("d", "y")], [("d", "z")], [("b", "s3")]]
    mine = ranking_scores(gold, ranked)
    run = {"q": {"other1": 6.0, "a#s2": 5.0, "other3": 4.0, "other4": 3.0, "other5": 2.0, "b#s3": 1.0}}
    qrels = {"q": {"a#s1": 1, "a#s2": 1, "b#s3": 1}}
    theirs = evaluate(Qrels(qrels), Run(run), list(mine))
    assert mine == pytest.approx({k: float(v) for k, v in theirs.items()})
    assert mine["recall@5"] == pytest.approx(1 / 3) and mine["mrr@10"] == 0.5


def test_a_chunk_counts_for_every_gold_section_it_overlaps():
    gold = [("a", "s1"), ("a", "s2")]
    assert ranking_scores(gold, [[("x", "y")], [("a", "s1"), ("a", "s2")]])["recall@5"] == 1.0
