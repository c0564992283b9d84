import hashlib
import json
from pathlib import Path

import pytest

from assistant.config import Settings
from ingest.iopc_page import looks_like_iopc_page, parse_iopc_page
from ingest.loader import load_document
from ingest.models import IngestError
from tests.conftest import FIXTURES

SEED = Settings.from_env().corpus_dir / "recommendations" / "recommendations-northumbria-police-march-2021.txt"
PAGES = FIXTURES / "pages"


def test_seed_page_is_shipped_byte_for_byte():
    digest = hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert digest == "b449aa53be93032cee109872885452071ac11bc146ea0b6e6aba32381be0ea98"


def test_seed_page_has_three_recommendations_with_every_field():
    doc = load_document(SEED)
    record = doc.record
    assert record is not None
    assert record.doc_id == "recommendations-northumbria-police-march-2021"
    assert record.title == "Recommendations - Northumbria Police, March 2021"
    assert record.force == "Northumbria Police"
    assert record.month == "2021-03"
    assert record.iopc_references == ()
    assert record.url == "https://policeconduct.gov.uk/node/4024"
    assert [r.section for r in record.recommendations] == [
        "Recommendation 1",
        "Recommendation 2",
        "Recommendation 3",
    ]
    first, second, third = record.recommendations
    assert "Code of Ethics" in first.text
    assert "Association of Chief Police Officers" in second.text and "private profiles" in second.text
    assert "section 26 of the Equality Act 2010" in third.text
    for rec in record.recommendations:
        assert rec.text.startswith("The IOPC recommends that Northumbria Police")
        assert rec.finding.startswith("This follows an IOPC investigation")
        assert rec.accepted == "yes"
        assert rec.response.startswith("This incident was highlighted by officers")
        assert rec.response.endswith("incorporating the recommendation made.")
        assert "Accepted action" not in rec.response and "Do you accept" not in rec.finding


def test_seed_sections_hold_recommendation_finding_acceptance_and_response():
    doc = load_document(SEED)
    by_part = {(s.section_id, s.metadata.get("part")): s for s in doc.sections}
    rec2 = by_part[("Recommendation 2", "recommendation")]
    assert "Police (Conduct) Regulations 2004" in rec2.text  # the finding belongs to its section
    response = by_part[("Recommendation 2", "response")]
    assert response.text.startswith("Do you accept the recommendation?\nYes\nAccepted action:")
    assert doc.kind == "precedent" and doc.metadata["forces"] == ["Northumbria Police"]
    assert doc.metadata["year"] == 2021


@pytest.mark.parametrize(
    "name", sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))
)
def test_fixture_pages_parse_to_their_expected_records(name):
    expected = json.loads((PAGES / f"{name}.expected.json").read_text("utf-8"))
    doc = load_document(PAGES / f"{name}.txt")
    record = doc.record
    assert record is not None
    assert record.title == expected["title"]
    assert record.force == expected["force"]
    assert record.month == expected["month"]
    assert list(record.iopc_references) == expected["iopc_references"]
    got = [
        {k: getattr(r, k) for k in ("number", "section", "text", "finding", "accepted", "response")}
        for r in record.recommendations
    ]
    assert got == expected["recommendations"]


def test_every_acceptance_variant_is_covered_by_the_fixtures():
    answers = {
        rec["accepted"]
        for path in PAGES.glob("*.expected.json")
        for rec in json.loads(path.read_text("utf-8"))["recommendations"]
    }
    assert answers == {"yes", "no", "partially", "unknown"}


def test_page_that_looks_like_iopc_but_has_no_recommendation_is_a_clear_error():
    with pytest.raises(IngestError, match="no paragraph beginning 'The IOPC recommends'"):
        load_document(PAGES / "malformed-no-recommendation.txt")


def test_page_without_title_line_is_a_clear_error():
    text = "Some notes\nThe IOPC recommends that a force does X.\nDo you accept the recommendation?\nYes\n"
    assert looks_like_iopc_page(text)
    with pytest.raises(IngestError, match="no title line"):
        parse_iopc_page(text)


@pytest.mark.parametrize(
    "title, force, month",
    [
        ("Recommendations - Northumbria Police, March 2021", "Northumbria Police", "2021-03"),
        ("Recommendation - Kent Police, June 2023", "Kent Police", "2023-06"),
        ("Recommendations \u2013 Greater Manchester Police, December 2020", "Greater Manchester Police", "2020-12"),
        ("Recommendations - College of Policing and NPCC, April 2025", "College of Policing and NPCC", "2025-04"),
    ],
)
def test_title_variants(title, force, month):
    page = parse_iopc_page(f"{title}\nIntro.\nIOPC reference\n2020/1 and 2020/2\nRecommendations\n"
                           "The IOPC recommends that the force acts.\nThis follows a case.\n")
    assert (page.force, page.month, page.references) == (force, month, ("2020/1", "2020/2"))


def test_plain_text_that_is_not_an_iopc_page_is_chunked_by_paragraph(tmp_path: Path):
    path = tmp_path / "notes.txt"
    path.write_text("First paragraph about vetting.\n\nSecond paragraph about training.\n", "utf-8")
    doc = load_document(path)
    assert doc.layout == "plain-text" and doc.record is None
    assert doc.sections[0].section_id == "para 1" or doc.sections[0].section_id.startswith("paras 1")


def test_blank_lines_inline_answers_and_not_accepted_labels():
    page = parse_iopc_page(
        "Recommendations - Midshire Police, May 2024\nIntro.\nIOPC reference\nRecommendations\n"
        "The IOPC recommends that the force reviews A.\nThis follows a case.\n"
        "Do you accept the recommendation?\n\nYes\n\nAccepted action:\nDone A.\n"
        "The IOPC recommends that the force reviews B.\nThis follows another case.\n"
        "Do you accept the recommendation? Partially\nAccepted action:\nPart of B.\n"
        "The IOPC recommends that the force reviews C.\nThis follows a third case.\n"
        "Do you accept the recommendation?\nNot accepted\nC is not affordable.\n"
    )
    assert [(r.accepted, r.response) for r in page.recommendations] == [
        ("yes", "Done A."),
        ("partially", "Part of B."),
        ("no", "C is not affordable."),
    ]


def test_a_note_that_only_mentions_the_question_is_plain_text(tmp_path: Path):
    note = tmp_path / "note.txt"
    note.write_text("Training note.\n\nAsk yourself: do you accept the recommendation? Discuss.\n", "utf-8")
    assert load_document(note).layout == "plain-text"


def test_numbered_headings_of_a_saved_page_do_not_leak_into_responses():
    page = parse_iopc_page(
        "Recommendations - Midshire Police, May 2024\nRecommendation 1\n"
        "The IOPC recommends that the force reviews A.\nThis follows a case.\n"
        "Do you accept the recommendation?\nYes\nAccepted action:\nDone A.\n"
        "Recommendation 2:\n"
        "The IOPC recommends that the force reviews B.\nThis follows another case.\n"
        "Do you accept the recommendation?\nNo\nReason for not accepting:\nB is done already.\n"
    )
    assert [(r.number, r.accepted, r.response) for r in page.recommendations] == [
        (1, "yes", "Done A."),
        (2, "no", "B is done already."),
    ]
