"""The scale benchmark's fictional corpus: reproducible, the size asked for, no real forces."""

import re
from pathlib import Path

import knowledge_base
import pytest

from assistant.config import Settings
from benchmarks.generator import generate
from ingest.chunking import Chunker
from ingest.loader import discover, load_document

TARGET = 300


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("generated"), TARGET, seed=11)


def test_the_same_seed_writes_the_same_bytes(corpus, tmp_path):
    again = generate(tmp_path / "again", TARGET, seed=11)
    other = generate(tmp_path / "other", TARGET, seed=12)
    assert _files(again.folder) == _files(corpus.folder)
    assert again.questions == corpus.questions
    assert _files(other.folder) != _files(corpus.folder)


def test_the_real_loader_and_chunker_find_the_passages_asked_for(corpus):
    chunker = Chunker(Settings().model_dir / "tokenizer.json")
    docs = [load_document(path) for path in discover([corpus.folder])]
    passages = [p for doc in docs for p in chunker.passages(doc)]
    assert abs(len(passages) - TARGET) <= 0.05 * TARGET
    assert len(passages) == corpus.passages
    assert {doc.layout for doc in docs} == {"iopc-page", "markdown"}
    # Short-to-moderate, like real IOPC paragraphs: the encoder's speed depends on length.
    assert all(40 <= len(p.text.split()) <= 90 for p in passages)


def test_no_force_of_the_shipped_corpus_is_named(corpus):
    shipped = {
        force
        for path in discover([knowledge_base.CORPUS_DIR])
        for force in load_document(path).metadata.get("forces", [])
    }
    # "Kent" alone names Kent Police as well as "Kent Police" does.
    names = shipped | {re.sub(r"\s+(Police Service|Police|Constabulary)$", "", f) for f in shipped}
    text = "\n".join(p.read_text("utf-8") for p in corpus.folder.rglob("*") if p.is_file())
    named = {n for n in names if re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)}
    assert len(shipped) >= 10 and not named
