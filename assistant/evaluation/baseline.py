"""The tutorial RAG that every retrieval figure is compared with, built in the same run.

Whole files split by LangChain's RecursiveCharacterTextSplitter (1000 characters, 200 overlap),
embedded by the same encoder as the index, dense top 10 from an in-memory vector store: the
pipeline of a LangChain tutorial, with no parsing, no lexical leg and no reranking. A chunk
counts for every section of the knowledge base it overlaps, so it is scored by the same gold.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.evaluation.metrics import DEPTH
from ingest.loader import discover, load_document
from vectorstore.embedder import Embedder

CHUNK_CHARS = 1000
CHUNK_OVERLAP = 200

SectionKey = tuple[str, str]


@dataclass(frozen=True)
class SectionSpan:
    start: int
    key: SectionKey


def section_spans(text: str, sections: Sequence[tuple[str, str]], doc_id: str) -> list[SectionSpan]:
    """Where each section starts in a file's raw text: its heading line when it has one,
    else the first words of its text, looked for after the previous section's start (sections
    come in the file's order, and an IOPC page's recommendations all open with the same
    words). A section runs until the next one starts."""
    spans: list[SectionSpan] = []
    for section_id, body in sections:
        after = spans[-1].start + 1 if spans else 0
        heading_line = re.compile(rf"^## {re.escape(section_id)}( \u2014 |$)", re.MULTILINE)
        heading = heading_line.search(text, after)
        start = heading.start() if heading else text.find(body[:40], after)
        if start >= 0:
            spans.append(SectionSpan(start, (doc_id, section_id)))
    return spans


def overlapped(spans: Sequence[SectionSpan], start: int, end: int) -> tuple[SectionKey, ...]:
    """The sections whose text overlaps the characters [start, end)."""
    starts = [s.start for s in spans]
    first = max(bisect.bisect_right(starts, start) - 1, 0)
    return tuple(s.key for s in spans[first:] if s.start < end)


class EncoderEmbeddings:
    """Our encoder as a LangChain Embeddings object."""

    def __init__(self, embedder: Embedder):
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.encode(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.encode([text])[0].tolist()


class TutorialBaseline:
    def __init__(self, corpus_dir: Path, embedder: Embedder):
        from langchain_core.documents import Document
        from langchain_core.vectorstores import InMemoryVectorStore
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_CHARS, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )
        chunks: list[Document] = []
        for path in discover([corpus_dir]):
            doc = load_document(path)
            text = path.read_text("utf-8")
            spans = section_spans(text, [(s.section_id, s.text) for s in doc.sections], doc.doc_id)
            for chunk in splitter.create_documents([text]):
                start = int(chunk.metadata["start_index"])
                chunk.metadata["sections"] = overlapped(spans, start, start + len(chunk.page_content))
                chunks.append(chunk)
        self.chunks = chunks
        self._store = InMemoryVectorStore(EncoderEmbeddings(embedder))
        self._store.add_documents(chunks)

    def search(self, question: str, k: int = DEPTH) -> list[tuple[SectionKey, ...]]:
        """The top k chunks, best first, each as the sections it overlaps."""
        return [d.metadata["sections"] for d in self._store.similarity_search(question, k=k)]
