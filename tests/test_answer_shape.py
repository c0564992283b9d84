"""How an extractive answer picks its sentences: units that do not point back alone, notes
about the knowledge base kept out, labels as the knowledge base names a section."""

from assistant.answering import about_knowledge_base, points_back, source_label, units
from assistant.evaluation import orphan_sentences
from assistant.models import Answer, AnswerSentence, Citation, Hit


def test_sentences_that_point_back_are_recognised_and_others_are_not():
    for sentence in (
        "It also asked the force to make clear that posts must conform.",
        "These duties apply on and off duty.",
        "Second, the conduct has the purpose or effect of violating dignity.",
        "However, the force did not accept the recommendation.",
        "In February 2026 it noted that some officers thought a challenge was enough.",
        "The Standard applies to officers off duty.",
    ):
        assert points_back(sentence), sentence
    for sentence in (
        "It is unlawful for an employer to harass a member of staff.",
        "The Standards of Professional Behaviour apply off duty.",
        "Police officers must report, challenge or take action.",
        "In March 2021 the IOPC asked Northumbria Police to act.",
        "Thematic reviews found that training was patchy.",
    ):
        assert not points_back(sentence), sentence


def test_a_unit_carries_the_sentence_a_pointing_back_sentence_depends_on():
    text = (
        "A person harasses another if they engage in unwanted conduct. "
        "Second, the conduct has the purpose or effect of violating dignity. "
        "Accepted:\n"
        "It was later revised."
    )
    assert [unit for _, unit in units(text)] == [
        ("A person harasses another if they engage in unwanted conduct.",),
        (
            "A person harasses another if they engage in unwanted conduct.",
            "Second, the conduct has the purpose or effect of violating dignity.",
        ),
    ]  # "It was later revised." depends on a label, so it is never quoted.


def test_sentences_about_the_knowledge_base_are_not_units():
    text = (
        "Officers must not post discriminatory material. "
        "The wording of section 42 was not confirmed for this knowledge base, so read it at the URL. "
        "The official page at the URL prevails. "
        "In the examples seen for this knowledge base, the due date is 56 days after the recommendation."
    )
    assert about_knowledge_base("The wording of section 42 was not confirmed for this knowledge base.")
    assert about_knowledge_base("The official page at the URL prevails.")
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
