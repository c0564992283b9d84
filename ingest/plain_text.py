"""Plain-text fallback: paragraphs grouped into parts of readable size."""

from __future__ import annotations

import re

from ingest.wrapped import join_wrapped_lines

# About 200 word pieces; the chunker still windows any part that runs over the encoder limit.
PART_CHARS = 900


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs, each on one line if it was wrapped; a file without
    blank lines has one per line."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    if len(blocks) == 1:
        return [line.strip() for line in blocks[0].split("\n") if line.strip()]
    return [join_wrapped_lines(b) if _wrapped(b) else b for b in blocks]


def _wrapped(block: str) -> bool:
    """Whether a block's lines are one paragraph wrapped at a width, not a list of short
    lines (names, items): each line but the last fills most of the width, or runs on into a
    line that starts in lower case."""
    lines = [line.rstrip() for line in block.split("\n")]
    width = max(len(line) for line in lines)
    return all(
        len(line) >= 0.6 * width or following[:1].islower()
        for line, following in zip(lines, lines[1:])
    )


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
