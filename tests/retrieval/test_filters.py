"""Metadata filters apply to both search legs and fail closed."""

import pytest

from assistant.criteria import Criteria
from assistant.retrieval.hybrid import Mode

QUERY = "recommendations about body-worn video and social media posts"


@pytest.mark.parametrize(
    "criteria",
    [
        Criteria.build(kinds=["legislation"]),
        Criteria.build(kinds=["recommendation"]),
        Criteria.build(themes=["body-worn video"]),
        Criteria.build(accepted=["awaiting"]),
        Criteria.build(year_from=2021, year_to=2022),
        Criteria.build(kinds=["precedent"], year_from=2025),
        Criteria.build(doc_ids=["equality-act-2010", "code-of-ethics-2014"]),
    ],
)
@pytest.mark.parametrize("mode", list(Mode))
def test_every_leg_returns_only_passages_that_match_the_filter(assistant, criteria, mode):
    hits = assistant.search(QUERY, 20, criteria, mode)
    assert hits, "the filter matches passages, so the search must find some"
    assert all(criteria.matches(h.metadata) for h in hits)


def test_force_names_match_case_insensitively_by_part(assistant):
    criteria = assistant.criteria(forces=["kent"])
    assert set(criteria.forces) == {"Kent Police"}
    hits = assistant.search("policy", 10, criteria)
    assert hits and {h.metadata["forces"][0] for h in hits} == {"Kent Police"}


@pytest.mark.parametrize(
    "kwargs",
    [
        {"forces": ["Atlantis Constabulary"]},
        {"themes": ["no such theme"]},
        {"year_from": 1990, "year_to": 1995},
        {"kinds": ["legislation"], "accepted": ["no"]},
    ],
)
def test_a_filter_that_matches_nothing_returns_nothing(assistant, kwargs):
    criteria = assistant.criteria(**kwargs)
    for mode in Mode:
        assert assistant.search("social media", 10, criteria, mode) == []
    answer = assistant.ask("What are my duties on social media?", criteria)
    assert not answer.answered and answer.citations == () and answer.hits == ()
    assert "Nothing in the knowledge base matches the filters" in answer.answer


def test_kind_filter_limits_what_an_answer_may_cite(assistant):
    answer = assistant.ask("What are my duties on social media?", assistant.criteria(kinds=["legislation"]))
    assert answer.answered
    assert {c.kind for c in answer.citations} == {"legislation"}
