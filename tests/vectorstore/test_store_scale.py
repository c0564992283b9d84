"""Whole-collection reads: past SQLite's limit on variables in one statement (32,766), and
while another process deletes records."""

import numpy as np
import pytest

from ingest.models import Passage
from vectorstore import chroma_store
from vectorstore.chroma_store import DocumentWrite, PassageStore

# Enough passages that one unpaged read of their metadata fails in Chroma embedded.
PASSAGES = 40_000


def _document(doc_id: str, count: int) -> DocumentWrite:
    meta = {"doc_id": doc_id, "doc_hash": f"hash-{doc_id}", "kind": "guidance", "title": doc_id}
    passages = [
        Passage(f"{doc_id}-{i}", doc_id, f"s{i}", "", f"Passage {i}.", doc_id, {**meta, "section": f"s{i}"})
        for i in range(count)
    ]
    # One-dimensional vectors: the test is about reading records, and this keeps writing fast.
    return DocumentWrite(meta, None, passages, np.ones((count, 1), dtype=np.float32))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    store = PassageStore(tmp_path_factory.mktemp("big") / "index")
    store.write_documents([_document("big", PASSAGES - 3), _document("small", 3)])
    return store


def test_an_unpaged_read_of_this_many_passages_fails_in_chroma(store):
    with pytest.raises(Exception, match="too many SQL variables"):
        store._passages.get(include=["metadatas"])


def test_every_committed_passage_is_loaded_with_its_vector(store):
    passages, vectors = store.snapshot(lambda lost: pytest.fail(f"{len(lost)} vectors lost"))
    assert len(passages) == len({p.passage_id for p in passages}) == PASSAGES
    assert vectors.shape == (PASSAGES, 1)
    assert store.count() == PASSAGES


def test_documents_and_orphans_read_the_whole_store(store):
    assert set(store.documents()) == {"big", "small"}
    assert store.orphans() == {}


class DeletingAfterFirstPage:
    """A real collection whose first page read is followed by a delete of a record on that
    page, as another process's delete between two pages would be."""

    def __init__(self, collection):
        self.collection = collection
        self.pages = 0

    def get(self, **kwargs):
        got = self.collection.get(**kwargs)
        if kwargs.get("include"):
            self.pages += 1
            if self.pages == 1:
                self.collection.delete(ids=[got["ids"][0]])
        return got


def test_a_delete_between_pages_skips_no_record_that_is_still_there(tmp_path, monkeypatch):
    store = PassageStore(tmp_path / "index")
    store.write_documents([_document("doc", 10)])
    monkeypatch.setattr(chroma_store, "READ_PAGE", 3)
    collection = DeletingAfterFirstPage(store._passages)

    read = chroma_store._read_all(collection, ["metadatas"])

    assert collection.pages == 4
    assert sorted(read["ids"]) == sorted(f"doc-{i}" for i in range(10))
    assert len(read["metadatas"]) == 10
