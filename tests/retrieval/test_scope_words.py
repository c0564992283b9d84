"""The word index behind the unknown-term and out-of-scope declines."""

import pytest

from assistant.retrieval.scope import CorpusWords, TopicChecker, UnknownTerms
from vectorstore.bm25_index import analyse

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


def _unknown_terms(texts, lexicon=()):
    stems = {stem for text in texts for stem in analyse(text)}
    return UnknownTerms(stems.__contains__, lexicon, CorpusWords(texts).words())


def test_unknown_terms_are_rare_words_no_passage_uses_whatever_their_case_or_place():
    unknown = _unknown_terms([*TEXTS, "Officers must not post offensive material on social media."])
    # Rare words no passage uses, at the start of the question or not, capitalised or not.
    assert unknown("PSNI officers: does the Garrity rule apply?") == ["PSNI", "Garrity"]
    assert unknown("what did operation bramblewick find") == ["bramblewick"]
    # Capitals alone name nothing: a sentence-initial word, a place the passages use.
    assert unknown("My Instagram is private. Any guidance On The Police Appeals Board?") == []
    # Common English words, misspellings of words the passages use, and lexicon words are not names.
    assert unknown("is a pub quiz post offensiv material?") == []
    assert _unknown_terms(TEXTS)("my bwv footage") == ["bwv"]
    assert _unknown_terms(TEXTS, lexicon={"bwv"})("my bwv footage") == []


def test_the_initials_of_a_name_the_passages_spell_out_are_not_a_name():
    texts = [
        "West Yorkshire Police wrote to the Police Service of Northern Ireland.",
        "The Body-Worn Video was kept. Under The Metropolitan\nPolice Service it was reviewed.",
    ]
    stems = {stem for text in texts for stem in analyse(text)}
    words = _as_saved(CorpusWords(texts))
    assert {"wyp", "psoni", "psni", "bwv"} <= words.initialisms()
    # A name is read within one line, without the word that opens its sentence.
    assert not {"tbwv", "utmps", "tmps"} & words.initialisms()
    unknown = UnknownTerms(stems.__contains__, (), words.words(), initialisms=words.initialisms())
    assert unknown("wyp rec: did the psni keep the bwv?") == []
    # Initials of names no passage spells out stay unknown.
    assert unknown("did BTP or the PIRC follow this?") == ["BTP", "PIRC"]


def test_topics_are_checked_against_the_passages():
    words = CorpusWords(TEXTS)
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
