"""Follow-up questions are answered in the context of the conversation."""

import pytest

from assistant.answers.followup import contextual_query, is_follow_up
from tests.conftest import run_cli

NORTHUMBRIA = "recommendations-northumbria-police-march-2021"
PAIRS = [
    (
        "What did the IOPC recommend to Northumbria Police about social media?",
        "and what did the force do about it?",
        lambda c: c.doc_id == NORTHUMBRIA,
    ),
    (
        "What does section 26 of the Equality Act say about harassment?",
        "which characteristics does it cover?",
        lambda c: (c.doc_id, c.section) == ("equality-act-2010", "s26(5)"),
    ),
    (
        "What recommendations has the IOPC made about custody?",
        "were they accepted?",
        lambda c: c.kind == "precedent" and "custody" in c.quote.lower(),
    ),
    (
        "How long does a force have to respond to an IOPC recommendation?",
        "can that be extended?",
        lambda c: (c.doc_id, c.section) == ("police-reform-act-2002-sch3", "para 28B(3)"),
    ),
    (
        "Which IOPC recommendations concern body-worn video?",
        "what did Surrey do about it?",
        lambda c: c.doc_id == "recommendation-surrey-police-april-2022",
    ),
]


@pytest.mark.parametrize("first, follow_up, expected", PAIRS)
def test_follow_up_is_answered_in_context(assistant, first, follow_up, expected):
    answer = assistant.ask(follow_up, history=[first])
    assert answer.answered and answer.question == follow_up
    # Among the first two: the section that answered the first question may still lead.
    assert any(expected(c) for c in answer.citations[:2]), [(c.doc_id, c.section) for c in answer.citations]


def test_context_is_what_makes_the_difference(assistant):
    """Alone, the vaguest follow-ups are declined or land elsewhere; in context they are answered."""
    improved = 0
    for first, follow_up, expected in PAIRS:
        alone = assistant.ask(follow_up)
        if not (alone.answered and expected(alone.citations[0])):
            improved += 1
    assert improved >= 3


def test_a_new_question_is_not_mixed_with_the_last_one(assistant):
    question = "What are the three ethical policing principles in the 2024 Code of Ethics?"
    assert contextual_query(question, ["What recommendations has the IOPC made about custody?"]) == question
    answer = assistant.ask(question, history=["What recommendations has the IOPC made about custody?"])
    assert answer.citations[0].doc_id == "code-of-ethics-2024"


@pytest.mark.parametrize(
    "question, expected",
    [
        ("and what did the force do?", True),
        ("what about off duty?", True),
        ("was it accepted?", True),
        ("Is it acceptable to use my personal social media to contact a member of the public I met?", False),
        ("How long does a force have to respond to an IOPC recommendation?", False),
    ],
)
def test_follow_up_detection(question, expected):
    assert is_follow_up(question) is expected


def test_chat_keeps_the_conversation(assistant, shipped_home):
    result = run_cli(
        "chat",
        home=shipped_home,
        stdin="What does section 26 of the Equality Act say about harassment?\n"
        "which characteristics does it cover?\nexit\n",
    )
    assert result.returncode == 0, result.stderr
    second = result.stdout.split("\n> ")[2]
    assert "s26(5)" in second
