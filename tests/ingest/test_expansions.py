"""Document-side expansion: the shipped files, how they are indexed, and what they find."""

from __future__ import annotations

from pathlib import Path

import knowledge_base
import pytest
import yaml

from assistant.config import Settings
from assistant.retrieval.hybrid import Mode
from assistant.service import ConductAssistant
from ingest.chunking import Chunker
from ingest.expansions import ExpansionFolder
from ingest.loader import discover, load_document
from ingest.models import IngestError, is_expansion

GUIDE = """---
id: kit-guide
title: Kit guide
kind: guidance
url: https://example.org/kit
---
# Kit guide

## Part 1 — Footwear
Officers wear black leather boots with a safety toe cap while on patrol.

## Part 2 — Headwear
Officers wear the custodian helmet on foot patrol and a peaked cap in vehicles.
"""


def _expansions(folder: Path, part_two: list[str], words: list[str]) -> Path:
    path = folder / "kit-guide.yaml"
    data = {"doc": "kit-guide", "sections": {"Part 2": {"questions": part_two, "words": words}}}
    path.write_text(yaml.safe_dump(data), "utf-8")
    return path


@pytest.fixture
def kit(tmp_path) -> ConductAssistant:
    """An assistant whose knowledge base is the kit guide, with expansions for Part 2."""
    corpus, lines = tmp_path / "corpus", tmp_path / "expansions"
    corpus.mkdir()
    lines.mkdir()
    (corpus / "kit-guide.md").write_text(GUIDE, "utf-8")
    _expansions(lines, ["what goes on my head when i'm out on the beat?"], ["hat", "bobby lid"])
    settings = Settings.from_env(home=tmp_path / "home", corpus_dir=corpus, expansions_dir=lines)
    return ConductAssistant(settings)


def test_every_shipped_document_has_expansions_for_each_of_its_sections():
    folder = ExpansionFolder(knowledge_base.EXPANSIONS_DIR)
    for path in discover([knowledge_base.CORPUS_DIR]):
        doc = load_document(path)
        found = folder.read(doc.doc_id)
        assert found is not None, doc.doc_id
        assert set(found.lines) == {s.section_id for s in doc.sections}, doc.doc_id
        assert all(len(lines) >= 5 for lines in found.lines.values()), doc.doc_id


def test_an_expansion_line_finds_its_section_and_is_never_quoted(kit):
    reports = kit.ensure_index()
    # Two passages of source text; the two expansion lines are stored beside them.
    assert [r.passages for r in reports] == [2]
    assert kit.store.count() == 2
    hits = kit.search("bobby lid", 2)
    assert [h.section for h in hits] == ["Part 2", "Part 1"]
    assert hits[0].text.startswith("Officers wear the custodian helmet")
    assert {p.text for p in kit.retriever.passages} == {
        "Officers wear black leather boots with a safety toe cap while on patrol.",
        "Officers wear the custodian helmet on foot patrol and a peaked cap in vehicles.",
    }


def test_without_expansions_the_same_words_find_nothing(kit, tmp_path):
    bare = ConductAssistant(
        Settings.from_env(home=tmp_path / "bare", corpus_dir=kit.settings.corpus_dir, expansions_dir=tmp_path / "none")
    )
    bare.ensure_index()
    assert bare.retriever.retrieve("bobby lid", 2, mode=Mode.BM25).hits == []
    kit.ensure_index()
    assert [h.section for h in kit.retriever.retrieve("bobby lid", 2, mode=Mode.BM25).hits] == ["Part 2"]


def test_editing_an_expansion_file_indexes_its_document_again(kit):
    kit.ensure_index()
    _expansions(kit.settings.expansions_dir, ["which titfer do i wear?"], ["hat"])
    reports = kit.ingest([kit.settings.corpus_dir])
    assert [(r.doc_id, r.status) for r in reports] == [("kit-guide", "updated")]
    assert [h.section for h in kit.search("titfer", 1)] == ["Part 2"]
    assert kit.ingest([kit.settings.corpus_dir])[0].status == "unchanged"


def test_a_new_process_brings_an_index_up_to_date_with_changed_expansion_files(kit):
    kit.ensure_index()
    _expansions(kit.settings.expansions_dir, ["which titfer do i wear?"], ["hat"])
    restarted = ConductAssistant(kit.settings)
    assert [(r.doc_id, r.status) for r in restarted.ensure_index()] == [("kit-guide", "updated")]
    assert ConductAssistant(kit.settings).ensure_index() == []


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"doc: kit-guide\nsections: [unclosed", "not valid YAML"),
        (b"\xff\xfe\x00bad", "not UTF-8"),
        (b"doc: another-doc\nsections: {}\n", "expected 'doc: kit-guide'"),
        (b"doc: kit-guide\nsections:\n  Part 1: {questions: nope, words: []}\n", "needs lists"),
    ],
)
def test_a_broken_expansion_file_fails_its_document_in_one_line_and_the_rest_ingest(kit, content, reason):
    broken = kit.settings.expansions_dir / "kit-guide.yaml"
    broken.write_bytes(content)
    (kit.settings.corpus_dir / "other.md").write_text(GUIDE.replace("kit-guide", "other"), "utf-8")
    reports = {r.doc_id or Path(r.path).stem: r for r in kit.ensure_index()}
    assert reports["other"].status == "added"
    failed = reports["kit-guide"]
    assert failed.status == "failed" and str(broken) in failed.error and reason in failed.error
    assert "\n" not in failed.error


def test_expansions_for_a_section_the_document_lacks_are_passed_over(tmp_path):
    (tmp_path / "kit-guide.md").write_text(GUIDE, "utf-8")
    data = {"doc": "kit-guide", "sections": {"Part 9": {"questions": ["gone?"], "words": ["x"]}}}
    (tmp_path / "kit-guide.yaml").write_text(yaml.safe_dump(data), "utf-8")
    doc = ExpansionFolder(tmp_path).attach(load_document(tmp_path / "kit-guide.md"))
    assert doc.expansions == {}


def test_words_yaml_would_read_as_numbers_or_booleans_are_read_as_typed(tmp_path):
    (tmp_path / "kit-guide.yaml").write_text(
        "doc: kit-guide\nsections:\n  Part 1:\n    questions: [did they accept, 2020]\n"
        "    words: [yes, no, 821, 1e3]\n",
        "utf-8",
    )
    assert ExpansionFolder(tmp_path).read("kit-guide").lines == {
        "Part 1": ("did they accept", "2020", "yes, no, 821, 1e3")
    }


def test_reading_a_missing_file_is_no_error(tmp_path):
    assert ExpansionFolder(tmp_path).read("nothing") is None
    assert ExpansionFolder(None).read("nothing") is None
    with pytest.raises(IngestError):
        (tmp_path / "bad.yaml").write_text("doc: [", "utf-8")
        ExpansionFolder(tmp_path).read("bad")


def test_a_section_in_several_parts_stores_its_expansion_lines_once():
    # An IOPC page's recommendation and its response are two parts of one section id.
    settings = Settings.from_env()
    seed = knowledge_base.CORPUS_DIR / "recommendations" / "recommendations-northumbria-police-march-2021.txt"
    doc = ExpansionFolder(knowledge_base.EXPANSIONS_DIR).attach(load_document(seed))
    parts = [s.section_id for s in doc.sections]
    assert parts.count("Recommendation 1") == 2
    stored = [p for p in Chunker(settings.model_dir / "tokenizer.json").passages(doc) if is_expansion(p.metadata)]
    assert len(stored) == sum(len(lines) for lines in doc.expansions.values())
    assert len({(p.section, p.text) for p in stored}) == len(stored)


def test_removing_a_document_counts_its_passages_not_its_expansion_lines(kit):
    kit.ensure_index()
    (kit.settings.corpus_dir / "kit-guide.md").unlink()
    reports = kit.sync(kit.settings.corpus_dir)
    assert [(r.doc_id, r.status, r.passages) for r in reports] == [("kit-guide", "removed", 2)]
    assert kit.store.count() == 0
