"""How an extractive answer is put together: labels as the knowledge base names a section, the
lead's section first with its counterpart, notes listed as notes, caveats and declines, and
what counts as a sentence quoted without the one it points back to."""

import zlib

import numpy as np

from assistant.answers.composer import AnswerComposer, source_label
from assistant.answers.sources import SourceWarnings
from assistant.evaluation.metrics import orphan_sentences
from assistant.models import Answer, AnswerSentence, Citation, Hit
from assistant.retrieval.hybrid import Retrieval
from vectorstore.bm25_index import analyse


def _hit(kind: str, section: str, heading: str, **metadata) -> Hit:
    return Hit(1, 1.0, "p", "doc", section, heading, kind, "Police (Conduct) Regulations 2020", "", "", metadata)


def test_labels_name_the_instrument_and_heading_or_the_force_and_month():
    standard = _hit("legislation", "Standard 10", "Challenging and Reporting Improper Conduct")
    assert source_label(standard) == (
        "Police (Conduct) Regulations 2020, Standard 10 \u2014 Challenging and Reporting Improper Conduct"
    )
    response = _hit("precedent", "Response 1", "Accepted", force="Sussex Police", month="2023-03")
    assert source_label(response) == "IOPC recommendation to Sussex Police, March 2023: Response 1 \u2014 Accepted"


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
