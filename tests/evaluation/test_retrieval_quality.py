"""Retrieval quality on the dev set and on questions typed the way people talk."""

import hashlib

import knowledge_base
import pytest

from assistant.evaluation.baseline import TutorialBaseline
from assistant.evaluation.metrics import evaluate, load_questions, mode_rankers
from tests.conftest import TEST_DATA
from tests.evaluation.test_question_bank import TEST_SHA256


def _report(assistant, path):
    return evaluate(
        load_questions(path),
        mode_rankers(lambda q, mode: assistant.search(q, 10, None, mode)),
        assistant.ask,
    )


@pytest.fixture(scope="module")
def dev_report(assistant):
    return _report(assistant, knowledge_base.DEV_SET)


def test_dev_set_retrieval_meets_the_targets_and_beats_each_leg(dev_report):
    full = dev_report.retrieval["hybrid"]
    # Where the dev set stood before the question bank: it must not get worse.
    assert full["recall@5"] >= 0.963
    assert full["mrr@10"] >= 0.933
    for leg in ("dense", "bm25"):
        assert full["recall@5"] > dev_report.retrieval[leg]["recall@5"]
        assert full["mrr@10"] > dev_report.retrieval[leg]["mrr@10"]


@pytest.fixture(scope="module")
def bank_reports(assistant):
    """The question bank's halves, by the hybrid retriever and the tutorial RAG on the same encoder."""
    baseline = TutorialBaseline(assistant.settings.corpus_dir, assistant.embedder)
    rankers = {
        **mode_rankers(lambda q, mode: assistant.search(q, 10, None, mode)),
        "tutorial baseline": baseline.search,
    }
    sets = {"tune": knowledge_base.TUNE_SET, "test": knowledge_base.TEST_SET}
    return {name: evaluate(load_questions(path), rankers, assistant.ask) for name, path in sets.items()}


def test_the_frozen_test_half_meets_the_retrieval_targets(bank_reports):
    assert hashlib.sha256(knowledge_base.TEST_SET.read_bytes()).hexdigest() == TEST_SHA256
    test, tune = bank_reports["test"], bank_reports["tune"]
    hybrid = test.retrieval["hybrid"]
    assert hybrid["recall@5"] >= 0.90
    assert hybrid["mrr@10"] >= 0.85
    assert min(s["recall@5"] for s in test.by_user["hybrid"].values()) >= 0.85
    assert hybrid["recall@5"] - test.retrieval["tutorial baseline"]["recall@5"] >= 0.08
    # The generalisation gap: settings were chosen on tune only.
    assert tune.retrieval["hybrid"]["recall@5"] - hybrid["recall@5"] <= 0.05
    assert set(test.by_user["hybrid"]) == {"officer", "trainer", "investigator"}


def test_dev_set_declines_and_grounding(dev_report):
    # Three of its five: the two names made of common words ("Police Appeals Tribunal",
    # "First Amendment") are answered since declines stopped reading capitals (docs/evaluation.md).
    assert dev_report.decline_rate >= 0.6
    assert dev_report.false_decline_rate <= 0.10
    assert dev_report.verbatim_share == 1.0


@pytest.mark.parametrize(
    "name, min_recall_at_5, max_false_declines, min_declines",
    [
        # Used to shape the lexicon, so held to a higher bar.
        ("informal.jsonl", 0.85, 0.10, 0.5),
        # Written independently and never used for tuning: a check against overfitting.
        # Four of its 24 are declined: three below the decline threshold, and "probbies", slang
        # the unknown-name rule reads as a name (docs/evaluation.md).
        ("informal_heldout.jsonl", 0.65, 0.17, 0.5),
    ],
)
def test_informal_questions_find_their_sources(
    assistant, name, min_recall_at_5, max_false_declines, min_declines
):
    report = _report(assistant, TEST_DATA / name)
    full = report.retrieval["hybrid"]
    assert full["recall@5"] >= min_recall_at_5
    for leg in ("dense", "bm25"):
        assert full["recall@5"] > report.retrieval[leg]["recall@5"]
    assert report.false_decline_rate <= max_false_declines
    assert report.decline_rate >= min_declines
    assert report.verbatim_share == 1.0


# My own paraphrases: slang a user types, and the sections that hold the answer (any one will do).
REGS = "police-conduct-regulations-2020"
PARAPHRASES = [
    ("can i get sacked for a racist joke in the lads group chat", [(REGS, "Standard 9"), (REGS, "Standard 3")]),
    (
        "my profile is locked so surely i can post what i like?",
        [
            ("recommendations-northumbria-police-march-2021", "Recommendation 2"),
            ("acpo-2013-social-media-guidelines", "IOPC reliance"),
        ],
    ),
    ("copper caught drink driving on a day off - does work need to know", [(REGS, "Standard 9")]),
    ("do i have to grass up a mate who's posting dodgy stuff", [(REGS, "Standard 10")]),
    (
        "any watchdog recs about bodycams being switched off",
        [("recommendation-sussex-police-september-2020", "Recommendation 1")],
    ),
    (
        "what did the met get told about the whatsapp group stuff",
        [("recommendation-metropolitan-police-service-february-2026", "Recommendation 1")],
    ),
    ("is it just banter if nobody complained", [("equality-act-2010", "s26")]),
    ("can my force be on the hook if someone on my team harasses me", [("equality-act-2010", "s109")]),
    ("how long do they get to reply to the iopc", [("police-reform-act-2002-sch3", "para 28B(2)")]),
    ("can a chief constable be forced to accept an iopc rec", [("police-reform-act-2002-sch3", "para 28B(1)")]),
    ("am i obliged to report a colleague who sends offensive messages", [(REGS, "Standard 10")]),
    ("is the new ethics code what you get disciplined under", [("code-of-ethics-2024", "Legal status")]),
    (
        "someone in the cells got left there after the nurse said hospital",
        [("recommendation-college-policing-march-2026", "Recommendation 1")],
    ),
    (
        "adding a woman i met on a job on insta, is that ok",
        [("recommendations-greater-manchester-police-december-2020", "Recommendation 1")],
    ),
]


# The two shipped pages whose recommendations still await the force's response.
AWAITING = {
    ("recommendations-sussex-police-august-2025", "Response"),
    ("recommendations-thames-valley-police-may-2025", "Response"),
}


@pytest.mark.parametrize(
    "question",
    ["which recommendations haven't had a reply from the force yet", "are any forces still to respond to the iopc"],
)
def test_recommendations_still_awaiting_a_response_come_first(assistant, question):
    # Found by the status in their metadata: a dense or BM25 search alone ranks them 8th-12th.
    top = {(h.doc_id, h.section) for h in assistant.search(question, 3)}
    assert AWAITING <= top, top


def _finds(hits, sources) -> bool:
    return any(h.doc_id == d and h.section.startswith(s) for h in hits for d, s in sources)


def test_paraphrases_find_their_sources_in_the_top_five(assistant):
    # A handful written before the question bank, which now measures this at scale: most, not
    # each, must hold, or the list becomes one more thing to tune on.
    missed = [q for q, sources in PARAPHRASES if not _finds(assistant.search(q, 5), sources)]
    assert len(missed) <= 2, missed


def test_hybrid_beats_each_leg_on_the_tune_half(bank_reports):
    report = bank_reports["tune"]
    hybrid = report.retrieval["hybrid"]
    for leg in ("dense", "bm25"):
        assert hybrid["recall@5"] > report.retrieval[leg]["recall@5"]
        assert hybrid["mrr@10"] > report.retrieval[leg]["mrr@10"]


def test_dense_leg_is_exact_in_the_process_that_built_the_index(assistant):
    """The session's index was built in this process, one document at a time: the case in
    which Chroma's incrementally built HNSW graph could leave passages unreachable. The dense
    leg must rank every stored passage, in the order of its exact cosine similarity."""
    retriever = assistant.retriever
    stored = {p.passage_id: retriever.vector(p.passage_id) for p in retriever.passages}
    assert len(stored) == assistant.store.count()
    query = assistant.embedder.encode(["posting about a colleague in a group chat"])[0]
    ranked = retriever.nearest(query, len(stored) + 5)
    assert {pid for pid, _ in ranked} == set(stored)
    similarities = [similarity for _, similarity in ranked]
    assert similarities == sorted(similarities, reverse=True)
    for pid, similarity in ranked:
        assert similarity == pytest.approx(float(stored[pid] @ query), abs=1e-5)
