"""Split sections into passages that the encoder reads whole.

all-MiniLM-L6-v2 reads at most 256 word pieces and silently drops the rest, so a section
longer than that becomes overlapping windows, each keeping its section label.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from langchain_text_splitters import RecursiveCharacterTextSplitter
from tokenizers import Tokenizer

from ingest.models import EXPANSION, MetaValue, ParsedDocument, Passage, Section, citation_context

SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]
# The label in front of each passage may take at most this many word pieces, so that a very
# long heading cannot crowd out the text.
MAX_CONTEXT_TOKENS = 64


class Chunker:
    def __init__(self, tokenizer_file: Path, max_tokens: int = 256, overlap_tokens: int = 48):
        self._tokenizer = Tokenizer.from_file(str(tokenizer_file))
        # The shipped tokenizer pads and truncates at 128; counting needs neither.
        self._tokenizer.no_padding()
        self._tokenizer.no_truncation()
        self.max_tokens = max_tokens
        self.overlap_tokens = overlap_tokens

    def count_tokens(self, text: str) -> int:
        """Word pieces including the [CLS] and [SEP] the encoder adds."""
        return len(self._tokenizer.encode(text).ids)

    def passages(self, doc: ParsedDocument) -> list[Passage]:
        passages: list[Passage] = []
        seen: set[str] = set()
        # A recommendation's parts share its section id; its expansion lines are stored once.
        expanded: set[str] = set()
        for section in doc.sections:
            context = self._fit(citation_context(doc.title, section.section_id, section.heading))
            windows = self.windows(section.text, context)
            for index, window in enumerate(windows):
                passage_id = _passage_id(doc.doc_id, section.section_id, window, seen)
                passages.append(
                    Passage(
                        passage_id=passage_id,
                        doc_id=doc.doc_id,
                        section=section.section_id,
                        heading=section.heading,
                        text=window,
                        context=context,
                        metadata=_metadata(doc, section, index, len(windows)),
                    )
                )
            if section.section_id not in expanded:
                expanded.add(section.section_id)
                passages.extend(_expansion_passages(doc, section, seen))
        return passages

    def _fit(self, context: str) -> str:
        words = context.split()
        while len(words) > 1 and self.count_tokens(" ".join(words)) > MAX_CONTEXT_TOKENS:
            words = words[: max(1, int(len(words) * 0.8))]
            words[-1] = words[-1] + "\u2026"
        return " ".join(words)

    def windows(self, text: str, context: str) -> list[str]:
        budget = self.max_tokens - self.count_tokens(context + "\n") + 1
        if self.count_tokens(text) + 1 <= budget:
            return [text]
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=budget - 2,
            chunk_overlap=self.overlap_tokens,
            length_function=self.count_tokens,
            separators=SEPARATORS,
            keep_separator="end",
        )
        return splitter.split_text(text)


def _expansion_passages(doc: ParsedDocument, section: Section, seen: set[str]) -> list[Passage]:
    """A record per expansion line of the section: the line alone is what is embedded."""
    return [
        Passage(
            passage_id=_passage_id(doc.doc_id, section.section_id, f"{EXPANSION}\x1f{line}", seen),
            doc_id=doc.doc_id,
            section=section.section_id,
            heading=section.heading,
            text=line,
            context="",
            metadata={**_metadata(doc, section, 0, 1), "role": EXPANSION},
        )
        for line in doc.expansions.get(section.section_id, ())
    ]


def _passage_id(doc_id: str, section: str, text: str, seen: set[str]) -> str:
    key = f"{doc_id}\x1f{section}\x1f{text}"
    passage_id = hashlib.sha256(key.encode()).hexdigest()[:24]
    occurrence = 1
    while passage_id in seen:
        occurrence += 1
        passage_id = hashlib.sha256(f"{key}\x1f{occurrence}".encode()).hexdigest()[:24]
    seen.add(passage_id)
    return passage_id


def _metadata(doc: ParsedDocument, section: Section, index: int, count: int) -> dict[str, MetaValue]:
    meta: dict[str, MetaValue] = {
        key: value for key, value in doc.metadata.items() if value not in ("", None, [])
    }
    meta.update(
        doc_id=doc.doc_id,
        title=doc.title,
        kind=doc.kind,
        status=doc.status,
        layout=doc.layout,
        source=doc.source,
        doc_hash=doc.content_hash,
        section=section.section_id,
        heading=section.heading,
        url=section.url or doc.url,
        window=index,
        windows=count,
    )
    meta.update(section.metadata)
    return {key: value for key, value in meta.items() if value not in ("", None, [])}
