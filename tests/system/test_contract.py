"""No behaviour a user or a client can see changes unnoticed (see tests/contract.py)."""

import json
from typing import Any

from tests.contract import SNAPSHOT, snapshot

# Scores are compared to four places: another CPU or onnxruntime build may move the sixth.
PLACES = 4


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, PLACES)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def test_answers_searches_precedents_and_briefs_are_as_before(assistant):
    expected = _rounded(json.loads(SNAPSHOT.read_text("utf-8")))
    actual = _rounded(snapshot(assistant))
    for part in expected:
        for key in expected[part]:
            assert actual[part][key] == expected[part][key], f"{part} {key!r} changed"
    assert actual.keys() == expected.keys()
    assert all(actual[part].keys() == expected[part].keys() for part in expected)
