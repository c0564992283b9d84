"""No behaviour a user or a client can see changes unnoticed (see tests/contract.py)."""

import json

from tests.contract import SNAPSHOT, snapshot


def test_answers_searches_precedents_and_briefs_are_as_before(assistant):
    expected = json.loads(SNAPSHOT.read_text("utf-8"))
    actual = snapshot(assistant)
    for part in expected:
        for key in expected[part]:
            assert actual[part][key] == expected[part][key], f"{part} {key!r} changed"
    assert actual.keys() == expected.keys()
    assert all(actual[part].keys() == expected[part].keys() for part in expected)
