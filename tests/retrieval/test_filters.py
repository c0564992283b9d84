"""Metadata filters apply to both search legs and fail closed."""

import pytest

from assistant.retrieval.hybrid import Mode
from vectorstore.filters import SearchFilter

QUERY = "recommendations about body-worn video and social media posts"


@pytest.mark.parametrize(
    "search_filter",
    [
        SearchFilter.build(kinds=["legislation"]),
        SearchFilter.build(kinds=["recommendation"]),
        SearchFilter.build(themes=["body-worn video"]),
        SearchFilter.build(accepted=["awaiting"]),
        SearchFilter.build(year_from=2021, year_to=2022),
        SearchFilter.build(kinds=["precedent"], year_from=2025),
        SearchFilter.build(doc_ids=["equality-act-2010", "code-of-ethics-2014"]),
    ],
)
@pytest.mark.parametrize("mode", list(Mode))
def test_every_leg_returns_only_passages_that_match_the_filter(assistant, search_filter, mode):
    hits = assistant.search(QUERY, 20, search_filter, mode)
    assert hits, "the filter matches passages, so the search must find some"
    assert all(search_filter.matches(h.metadata) for h in hits)


def test_force_names_match_case_insensitively_by_part(assistant):
    search_filter = assistant.make_filter(forces=["kent"])
    assert set(search_filter.forces) == {"Kent Police"}
    hits = assistant.search("policy", 10, search_filter)
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
    search_filter = assistant.make_filter(**kwargs)
    for mode in Mode:
        assert assistant.search("social media", 10, search_filter, mode) == []
    answer = assistant.ask("What are my duties on social media?", search_filter)
    assert not answer.answered and answer.citations == () and answer.hits == ()
    assert "Nothing in the knowledge base matches the filters" in answer.answer


def test_kind_filter_limits_what_an_answer_may_cite(assistant):
    answer = assistant.ask("What are my duties on social media?", assistant.make_filter(kinds=["legislation"]))
    assert answer.answered
    assert {c.kind for c in answer.citations} == {"legislation"}
