"""Paragraphs a writer's editor wrapped over several lines, each put back on one line.

Markdown reads a single line break inside a paragraph as a space, and so does a reader of a
hard-wrapped text file; left in a passage, each break would cut a sentence in two ("They
replaced earlier" / "regulations from 1971…") and an answer would quote the halves.
"""

from __future__ import annotations

import re

# A line that starts a list item, a quotation, a table row, a heading or a code fence starts a
# line of its own, as in Markdown.
_STARTS_BLOCK = re.compile(r"\s*(?:[-*+\u2022]\s|\d{1,3}[.)]\s|>|\||#|```)")


def join_wrapped_lines(text: str) -> str:
    """`text` with each paragraph on one line; blank lines stay as they are."""
    lines: list[str] = []
    joinable = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and joinable and not _STARTS_BLOCK.match(line):
            lines[-1] = f"{lines[-1].rstrip()} {stripped}"
        else:
            lines.append(line.rstrip() if stripped else "")
        # A table row or a heading ends where its line does.
        joinable = bool(stripped) and not stripped.startswith(("|", "#", "```"))
    return "\n".join(lines)
