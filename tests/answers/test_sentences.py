"""How a passage is cut into what an answer may quote: sentences, units that carry what they
point back to, whole enumerations, and notes about the knowledge base kept out."""

from assistant.answers.sentences import (
    about_knowledge_base,
    points_back,
    quoted_for,
    split_sentences,
    units,
)


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
        "Like every standard in the 2014 Code, it was written in the first person.",
        "For example, section 127 of the Communications Act 2003 covers grossly offensive messages.",
        "Examples are the Essex Police page and the Cambridgeshire page.",
        "The IOPC paraphrased this wording in its March 2021 recommendations.",
        "How these rules apply to police officers depends on sections 42 and 43.",
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
        "A force's own policy is covered by this Standard, so breaching it is a conduct matter.",
        "Police officers must not behave in a way that discredits the service, and this applies off duty.",
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


def test_an_enumeration_with_a_sentence_between_its_items_is_still_quoted_whole():
    announced = "A harasses B when two conditions are both met."
    first = "Firstly, A engages in unwanted conduct of some kind."
    between = "This can include words, gestures or images."
    second = "Secondly, the conduct violates the dignity of B."
    assert [unit for _, unit in units(" ".join([announced, first, between, second]))] == [
        (announced, first, between, second)
    ]
    assert quoted_for((announced, first, between, second)).startswith(announced)
    assert quoted_for(("The force accepted it in full.", "Finally, the IOPC closed its file.")) == (
        "Finally, the IOPC closed its file."
    )


def test_advice_that_opens_with_check_is_quoted_and_pointers_to_the_source_are_notes():
    assert not about_knowledge_base("Check your privacy settings before posting anything online.")
    assert not about_knowledge_base("See section 26 of the Equality Act 2010 for the full definition.")
    assert about_knowledge_base("Check them at legislation.gov.uk before deciding which version applies.")


def test_abbreviations_do_not_end_a_sentence_and_counted_lists_are_not_back_references():
    assert split_sentences("The (No. 2) Regulations apply. See para. 7.4 of the Code, e.g. Section 3.") == [
        "The (No. 2) Regulations apply.",
        "See para. 7.4 of the Code, e.g. Section 3.",
    ]
    assert not points_back("Officers must follow these three rules: honesty, integrity and respect.")
    assert not points_back("Where it appears that an offence was committed, the matter must be referred.")
    assert not points_back("When it is practicable, the force must refer the matter.")
    assert points_back("When the IOPC reviewed the case, it found gaps in the training.")
    assert not points_back("In this Part, misconduct means a breach of the Standards.")
