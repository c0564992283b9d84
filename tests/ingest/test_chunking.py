from pathlib import Path

from assistant.config import Settings
from ingest.chunking import Chunker
from ingest.loader import discover, load_document
from ingest.models import ParsedDocument, Section

SETTINGS = Settings.from_env()
CHUNKER = Chunker(SETTINGS.model_dir / "tokenizer.json")


def _corpus_passages():
    return [p for f in discover([SETTINGS.corpus_dir]) for p in CHUNKER.passages(load_document(f))]


def test_no_passage_exceeds_what_the_encoder_reads():
    passages = _corpus_passages()
    assert len(passages) > 150
    assert max(CHUNKER.count_tokens(p.indexed_text) for p in passages) <= 256


def test_passage_ids_are_stable_and_unique():
    first = [p.passage_id for p in _corpus_passages()]
    assert first == [p.passage_id for p in _corpus_passages()]
    assert len(set(first)) == len(first)


def _long_document(words: int) -> ParsedDocument:
    sentences = [f"Sentence {i} says that officers keep record number {i} in the log." for i in range(words // 12)]
    section = Section("Standard 6", "Duties and responsibilities", " ".join(sentences), "https://example.org/s6")
    return ParsedDocument(
        doc_id="long", title="A long guide", kind="guidance", url="https://example.org", status="in force",
        layout="markdown", source="long.md", content_hash="x", sections=(section,),
    )


def test_long_section_becomes_overlapping_windows_that_keep_their_label():
    doc = _long_document(1200)
    passages = CHUNKER.passages(doc)
    assert len(passages) >= 4
    text = doc.sections[0].text
    for passage in passages:
        assert passage.section == "Standard 6" and passage.heading == "Duties and responsibilities"
        assert passage.metadata["url"] == "https://example.org/s6"
        assert passage.text in text  # a verbatim slice, so quotes are exact
        assert CHUNKER.count_tokens(passage.indexed_text) <= 256
    for before, after in zip(passages, passages[1:]):
        assert text.index(after.text) < text.index(before.text) + len(before.text)  # they overlap
    covered = set()
    for passage in passages:
        start = text.index(passage.text)
        covered.update(range(start, start + len(passage.text)))
    # Nothing is dropped: every character but the spaces between windows is in some window.
    assert [i for i, ch in enumerate(text) if i not in covered and not ch.isspace()] == []


def test_short_section_is_one_passage(tmp_path: Path):
    doc = load_document(next(SETTINGS.corpus_dir.rglob("equality-act-2010.md")))
    passages = [p for p in CHUNKER.passages(doc) if p.section == "s26(5)"]
    assert len(passages) == 1
    assert passages[0].metadata["windows"] == 1
