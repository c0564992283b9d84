from pathlib import Path

import pytest

from assistant.config import Settings
from ingest.loader import discover, load_document
from ingest.models import IngestError

CORPUS = Settings.from_env().corpus_dir


def _doc(name: str):
    return load_document(next(CORPUS.rglob(f"{name}.md")))


def test_sections_are_labelled_by_their_citation_ids_with_their_own_links():
    doc = _doc("equality-act-2010")
    sections = {s.section_id: s for s in doc.sections}
    assert "s26(1)" in sections and "s26(1)(b)" in sections and "s110(3)\u2013(4)" in sections
    assert sections["s26(5)"].url == "https://www.legislation.gov.uk/ukpga/2010/15/section/26"
    assert sections["s26(5)"].heading == "The relevant protected characteristics for harassment"
    assert not sections["s26(5)"].text.startswith("url:")
    assert doc.kind == "legislation" and doc.status == "in force"
    assert doc.url == "https://www.legislation.gov.uk/ukpga/2010/15"


def test_standard_1_and_standard_10_stay_distinct():
    ids = [s.section_id for s in _doc("police-conduct-regulations-2020").sections]
    assert ids.count("Standard 1") == 1 and ids.count("Standard 10") == 1


def test_front_matter_becomes_metadata():
    doc = _doc("recommendations-essex-police-may-2025")
    assert doc.doc_id == "recommendations-essex-police-may-2025"
    assert doc.kind == "precedent"
    assert doc.metadata["accepted"] == "yes"  # quoted in YAML, so not a boolean
    assert doc.metadata["themes"][0] == "sexual offences"
    assert doc.metadata["forces"] == ["Essex Police"] and doc.metadata["year"] == 2025
    assert doc.metadata["recommended"] == "2025-05-01"
    assert [s.section_id for s in doc.sections][:3] == ["Background", "Recommendations 1\u20132", "Response 1\u20132"]


def test_precedent_digests_yield_recommendation_records():
    record = _doc("recommendations-essex-police-may-2025").record
    assert record is not None
    assert [(r.number, r.section) for r in record.recommendations] == [
        (1, "Recommendations 1\u20132"),
        (3, "Recommendation 3"),
    ]
    assert record.recommendations[1].response.startswith("Essex Police accepted the IOPC's third")
    assert record.iopc_references == ("2022/178839",)


def test_section_without_its_own_url_uses_the_document_link():
    doc = _doc("recommendation-kent-police-june-2023")
    assert all(s.url == "" for s in doc.sections)
    assert doc.url == "https://policeconduct.gov.uk/node/5888"


def test_whole_shipped_corpus_parses_by_structure():
    docs = [load_document(p) for p in discover([CORPUS])]
    assert len(docs) == 25  # 24 Markdown files and the seed page; README and sidecar skipped
    assert {d.layout for d in docs} == {"markdown", "iopc-page"}
    assert len({d.doc_id for d in docs}) == 25


def test_malformed_front_matter_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "bad.md"
    path.write_text("---\ntitle: [unclosed\n---\n# T\n\n## s1 \u2014 Head\nText.\n", "utf-8")
    with pytest.raises(IngestError, match="malformed YAML front matter"):
        load_document(path)


def test_markdown_without_sections_falls_back_to_paragraphs(tmp_path: Path):
    path = tmp_path / "memo.md"
    path.write_text("---\nid: force-memo\ntitle: A memo\n---\nOne paragraph.\n\nAnother one.\n", "utf-8")
    doc = load_document(path)
    assert doc.doc_id == "force-memo" and doc.title == "A memo"
    assert doc.layout == "plain-text"
