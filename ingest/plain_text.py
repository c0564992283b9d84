"""Plain-text fallback: paragraphs grouped into parts of readable size."""

from __future__ import annotations

import re

from ingest.wrapped import join_wrapped_lines

# About 200 word pieces; the chunker still windows any part that runs over the encoder limit.
PART_CHARS = 900


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each on one line however it was wrapped; a file
    without blank lines has one per line."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1:
        return [line.strip() for line in blocks[0].split("\n") if line.strip()]
    return [join_wrapped_lines(b) for b in blocks]


def group_paragraphs(paras: list[str], limit: int = PART_CHARS) -> list[tuple[str, str]]:
    """Consecutive paragraphs grouped up to `limit` characters, labelled `para N` / `paras N–M`."""
    parts: list[tuple[str, str]] = []
    start, chunk = 0, []
    for i, para in enumerate(paras):
        if chunk and sum(len(p) for p in chunk) + len(para) > limit:
            parts.append((_label(start, i - 1), "\n\n".join(chunk)))
            start, chunk = i, []
        chunk.append(para)
    if chunk:
        parts.append((_label(start, len(paras) - 1), "\n\n".join(chunk)))
    return parts


def _label(first: int, last: int) -> str:
    return f"para {first + 1}" if first == last else f"paras {first + 1}\u2013{last + 1}"
