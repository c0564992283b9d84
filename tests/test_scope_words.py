"""The word index behind the unknown-name and out-of-scope declines."""

import pytest

from assistant.scope import CorpusWords, NameChecker, TopicChecker

TEXTS = [
    "The Police Appeals Board heard the case.",
    "A tribunal may decide. Overtime-related claims are a matter for payroll.",
]


def _as_saved(words: CorpusWords) -> CorpusWords:
    """The index as the snapshot cache gives it back."""
    return CorpusWords.from_arrays(words.arrays())


@pytest.mark.parametrize("made", [lambda texts: CorpusWords(texts), lambda texts: _as_saved(CorpusWords(texts))])
def test_a_phrase_is_found_only_where_its_words_follow_each_other_in_one_passage(made):
    words = made(TEXTS)
    assert words.has_phrase(["police", "appeals", "board"])
    assert not words.has_phrase(["appeals", "tribunal"])  # "appeals" and "tribunal" are never adjacent
    assert not words.has_phrase(["case", "a"])  # the end of one passage and the start of the next
    assert not words.has_phrase(["pension"])
    assert words.has_phrase([])


def test_names_and_topics_are_checked_against_the_passages():
    words = CorpusWords(TEXTS)
    names = NameChecker(words)
    asked = "What is the time limit to appeal to the Police Appeals {} after dismissal?"
    assert names.unknown_names(asked.format("Tribunal")) == ["Police Appeals Tribunal"]
    assert names.unknown_names(asked.format("Board")) == []
    topics = TopicChecker.bundled(TEXTS, words)
    assert topics.uncovered("How is my pension worked out?") == ["police pensions"]
    # "overtime" is in a passage only as part of "overtime-related": the topic is still missing.
    assert topics.uncovered("When is overtime paid?") == ["pay, overtime and allowances"]


def test_the_saved_form_stays_small_with_one_very_long_word():
    texts = [*TEXTS, "x" * 200_000 + " appendix"]
    arrays = CorpusWords(texts).arrays()
    assert sum(a.nbytes for a in arrays.values()) < 250_000
    words = _as_saved(CorpusWords(texts))
    assert words.has_phrase(["x" * 200_000, "appendix"])
    assert words.has_phrase(["police", "appeals", "board"]) and not words.has_phrase(["appeals", "tribunal"])
    assert CorpusWords.from_arrays(CorpusWords([]).arrays()).has_phrase([])
    assert not CorpusWords.from_arrays(CorpusWords([]).arrays()).has_phrase(["police"])
