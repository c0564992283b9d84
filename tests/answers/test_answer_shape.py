"""How an extractive answer picks its sentences: units that do not point back alone, notes
about the knowledge base kept out, labels as the knowledge base names a section."""

import zlib

import numpy as np

from assistant.answers.composer import (
    AnswerComposer,
    about_knowledge_base,
    points_back,
    source_label,
    split_sentences,
    units,
)
from assistant.answers.sources import SourceWarnings
from assistant.evaluation.metrics import orphan_sentences
from assistant.models import Answer, AnswerSentence, Citation, Hit
from assistant.retrieval.hybrid import Retrieval
from vectorstore.bm25_index import analyse


def test_sentences_that_point_back_are_recognised_and_others_are_not():
    for sentence in (
        "It also asked the force to make clear that posts must conform.",
        "These duties apply on and off duty.",
        "Second, the conduct has the purpose or effect of violating dignity.",
        "However, the force did not accept the recommendation.",
        "In February 2026 it noted that some officers thought a challenge was enough.",
        "The Standard applies to officers off duty.",
        "It is addressed to chief officers.",
        "Because the Standard applies off duty, private posts can fall within it.",
        "As the College describes it, it means leading by example.",
        "Of the three principles, it is the one that speaks of challenging behaviour.",
        "All three tests apply to every use of force.",
        "The rest of the response sets out the force's actions.",
        "The Notes say that harassment related to those two characteristics is not covered.",
    ):
        assert points_back(sentence), sentence
    for sentence in (
        "It is unlawful for an employer to harass a member of staff.",
        "The Standards of Professional Behaviour apply off duty.",
        "Police officers must report, challenge or take action.",
        "In March 2021 the IOPC asked Northumbria Police to act.",
        "Thematic reviews found that training was patchy.",
        "The standard of proof is the balance of probabilities.",
        "\u201cIt is not acceptable to share such images.\u201d",
        "When the copy used for this digest was taken, both were awaiting a response.",
        "If the conduct has that effect, intent does not matter.",
        "As the Standards of Professional Behaviour say, officers act with integrity.",
    ):
        assert not points_back(sentence), sentence


def test_an_initialism_does_not_end_a_sentence():
    text = (
        "The Police (Conduct) Regulations 2020 (S.I. 2020/4) came into force on 1 February 2020. "
        "Regulation 82 of S.I. 2015/431 applies the same scheme. The conduct may be aimed at B. "
        "Unlike section 26(1), this form needs no characteristic."
    )
    assert split_sentences(text) == [
        "The Police (Conduct) Regulations 2020 (S.I. 2020/4) came into force on 1 February 2020.",
        "Regulation 82 of S.I. 2015/431 applies the same scheme.",
        "The conduct may be aimed at B.",
        "Unlike section 26(1), this form needs no characteristic.",
    ]


def test_a_unit_carries_the_sentence_a_pointing_back_sentence_depends_on():
    text = (
        "A person harasses another if they engage in unwanted conduct. "
        "It covers conduct on and off duty. "
        "Accepted:\n"
        "It was later revised."
    )
    assert [unit for _, unit in units(text)] == [
        ("A person harasses another if they engage in unwanted conduct.",),
        (
            "A person harasses another if they engage in unwanted conduct.",
            "It covers conduct on and off duty.",
        ),
    ]  # "It was later revised." depends on a label, so it is never quoted.


def test_an_enumeration_is_quoted_whole_or_not_at_all():
    ordinals = ("First", "Second", "Third", "Fourth", "Fifth")
    items = [f"{ordinal}, the {ordinal.lower()} condition applies." for ordinal in ordinals]
    announced = "A harasses B when five conditions are all met."
    text = " ".join([announced, *items, "The list is in section 26(5) of the Act."])
    assert [unit for _, unit in units(text)] == [
        (announced, *items),
        ("The list is in section 26(5) of the Act.",),
    ]


def test_sentences_about_the_knowledge_base_are_not_units():
    text = (
        "Officers must not post discriminatory material. "
        "The wording of section 42 was not confirmed for this knowledge base, so read it at the URL. "
        "The official page at the URL prevails. "
        "In the examples seen for this knowledge base, the due date is 56 days after the recommendation."
    )
    assert about_knowledge_base("The wording of section 42 was not confirmed for this knowledge base.")
    assert about_knowledge_base("The official page at the URL prevails.")
    assert about_knowledge_base("(Paragraph number from a secondary copy; check against the Code.)")
    assert not about_knowledge_base("The teams (since disbanded) worked at Charing Cross.")
    assert about_knowledge_base("Check the IOPC website for the force's published response.")
    assert about_knowledge_base("Before quoting a Standard in a notice or report, check the current text.")
    assert not about_knowledge_base("Officers should check their privacy settings.")
    assert not about_knowledge_base("Officers must not post political views on the force's official page.")
    # What a digest's copy of a page lacks is a note; what the copy showed is an answer.
    for lacking in (
        "Whether the force accepted it was not visible in the copy used for this digest.",
        "The page lists three recommendations; only the first was captured for this digest.",
        "The force's description of its action was cut off in the copy used for this digest.",
    ):
        assert about_knowledge_base(lacking)
    for answering in (
        "When the copy used for this digest was taken, both recommendations were shown as awaiting "
        "a response.",
        "When the copy used for this digest was taken, the force had not yet responded.",
        "Only two of the five recommendations were accepted, according to the copy used.",
    ):
        assert not about_knowledge_base(answering)
    quoted = [unit[-1] for _, unit in units(text)]
    assert quoted == [
        "Officers must not post discriminatory material.",
        "In the examples seen for this knowledge base, the due date is 56 days after the recommendation.",
    ]


def _hit(kind: str, section: str, heading: str, **metadata) -> Hit:
    return Hit(1, 1.0, "p", "doc", section, heading, kind, "Police (Conduct) Regulations 2020", "", "", metadata)


def test_labels_name_the_instrument_and_heading_or_the_force_and_month():
    standard = _hit("legislation", "Standard 10", "Challenging and Reporting Improper Conduct")
    assert source_label(standard) == (
        "Police (Conduct) Regulations 2020, Standard 10 \u2014 Challenging and Reporting Improper Conduct"
    )
    response = _hit("precedent", "Response 1", "Accepted", force="Sussex Police", month="2023-03")
    assert source_label(response) == "IOPC recommendation to Sussex Police, March 2023: Response 1 \u2014 Accepted"
    national = _hit(
        "precedent",
        "Recommendation",
        "Amend the custody APP",
        forces=["College of Policing", "National Police Chiefs' Council"],
        month="2025-04",
    )
    assert source_label(national) == (
        "IOPC recommendation to College of Policing and National Police Chiefs' Council, April 2025: "
        "Recommendation \u2014 Amend the custody APP"
    )


def test_an_orphan_is_a_pointing_back_sentence_quoted_without_the_one_before_it():
    quote = "Officers must challenge improper conduct. It applies off duty."
    citation = Citation(1, "doc", "s", "", "", "", quote, "", "legislation", "")
    alone = Answer("q", True, "", (citation,), (), sentences=(AnswerSentence("It applies off duty.", 1),))
    paired = Answer(
        "q",
        True,
        "",
        (citation,),
        (),
        sentences=(
            AnswerSentence("Officers must challenge improper conduct.", 1),
            AnswerSentence("It applies off duty.", 1),
        ),
    )
    assert orphan_sentences(alone) == 1
    assert orphan_sentences(paired) == 0


def _bag_vector(text: str) -> np.ndarray:
    """A stand-in encoder: a unit vector of the text's hashed words (deterministic)."""
    vector = np.zeros(256, dtype=np.float32)
    for word in analyse(text):
        vector[zlib.crc32(word.encode()) % 256] += 1.0
    return vector / (np.linalg.norm(vector) or 1.0)


def _precedent(section: str, heading: str, text: str, score: float) -> Hit:
    meta = {"force": "Sussex Police", "month": "2023-03"}
    return Hit(1, score, f"sussex-{section}", "sussex", section, heading, "precedent", "Sussex digest", "", text, meta)


RESPONSE = _precedent(
    "Response 1", "Accepted", "Sussex Police accepted the recommendation and now records who attends custody searches.", 1.0
)
RECOMMENDATION = _precedent(
    "Recommendation 1", "Record attendance", "The IOPC recommended that Sussex Police record everyone present at a custody search.", 0.0
)
STANDARD = Hit(
    2, 0.6, "std10", "regs", "Standard 10", "Challenging and Reporting Improper Conduct", "legislation",
    "Police (Conduct) Regulations 2020", "",
    "Police officers must report, challenge or take action when the conduct of colleagues at a custody search falls below the Standards.",
    {},
)
HOLDINGS = Hit(
    3, 0.55, "kb", "code", "Holdings", "What this knowledge base holds on custody searches", "guidance", "Code", "",
    "The wording on custody searches was not retrieved for this knowledge base.", {},
)


def _compose(question: str, confidence: float = 0.8, unknown: tuple[str, ...] = ()) -> Answer:
    composer = AnswerComposer(
        terms=analyse,
        weight=lambda term: 1.0,
        encode=lambda texts: np.array([_bag_vector(t) for t in texts]),
        warnings=SourceWarnings([]),
        decline_threshold=0.42,
        caveat_threshold=0.75,
        off_topic_threshold=0.65,
        related=lambda hit: RECOMMENDATION if hit.section == "Response 1" else None,
    )
    hits = [RESPONSE, STANDARD, HOLDINGS]
    retrieval = Retrieval(hits, confidence, question, unknown, (), _bag_vector(question))
    return composer.compose(question, retrieval)


def test_the_lead_section_comes_first_its_counterpart_follows_and_notes_are_listed_as_notes():
    answer = _compose("did sussex police accept the recommendation on who attends custody searches")
    assert answer.outcome == "answer"
    assert answer.lead[0].text == RESPONSE.text
    assert [s.label for s in answer.sections][:2] == [
        "IOPC recommendation to Sussex Police, March 2023: Response 1 \u2014 Accepted",
        "IOPC recommendation to Sussex Police, March 2023: Recommendation 1 \u2014 Record attendance",
    ]
    assert answer.sections[0].citation == answer.lead[0].citation == 1
    assert answer.sections[1].sentences == (RECOMMENDATION.text,)
    numbers = [c.n for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert {s.citation for s in answer.sections} <= set(numbers)
    holdings = [s for s in answer.sections if "knowledge base holds" in s.label]
    assert all(not s.sentences and s.notes == (HOLDINGS.text,) for s in holdings)
    assert HOLDINGS.text not in {s.text for s in answer.sentences}


def test_an_unknown_name_is_a_caveat_when_close_enough_and_a_decline_otherwise():
    question = "did sussex police accept the recommendation on custody searches in the Bramblewick case"
    caveated = _compose(question, 0.8, ("Bramblewick",))
    assert caveated.outcome == "caveat" and "\u201cBramblewick\u201d" in caveated.caveat and caveated.lead
    declined = _compose(question, 0.6, ("Bramblewick",))
    assert declined.outcome == "decline" and not declined.citations and "\u201cBramblewick\u201d" in declined.answer
    assert _compose(question, 0.3).outcome == "decline"
