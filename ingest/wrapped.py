"""Paragraphs a writer's editor wrapped over several lines, each put back on one line.

Markdown reads a single line break inside a paragraph as a space, and so does a reader of a
hard-wrapped text file; left in a passage, each break would cut a sentence in two ("They
replaced earlier" / "regulations from 1971…") and an answer would quote the halves.
"""

from __future__ import annotations

import re

# Lines that start a block of their own, as in Markdown: a list item ("-", "1.", "(a)", "ii)"),
# a quotation, a table row or a heading.
_STARTS_BLOCK = re.compile(r"\s*(?:[-*+\u2022]\s|\d{1,3}[.)]\s|\(?[A-Za-z0-9]{1,4}\)\s|>|\||#)")
# A setext heading's underline or a horizontal rule.
_RULE = re.compile(r"\s*(?:=+|-{3,}|\*{3,}|_{3,})\s*$")
_FENCE = re.compile(r"\s*(?:```|~~~)")
_CODE_INDENT = ("    ", "\t")


def join_wrapped_lines(text: str) -> str:
    """`text` with each paragraph on one line. Blank lines, code (fenced, or indented after a
    blank line) and a line ending in a Markdown hard break (two spaces or a backslash) stay
    as they are."""
    lines: list[str] = []
    joinable = in_fence = in_code = False
    for line in text.split("\n"):
        stripped = line.strip()
        previous_blank = not lines or not lines[-1].strip()
        if _FENCE.match(line) or in_fence:
            in_fence ^= bool(_FENCE.match(line))
            lines.append(line.rstrip())
            joinable = False
            continue
        in_code = bool(stripped) and line.startswith(_CODE_INDENT) and (previous_blank or in_code)
        starts_block = in_code or bool(_STARTS_BLOCK.match(line) or _RULE.match(line))
        if joinable and stripped and not starts_block:
            lines[-1] = f"{lines[-1]} {stripped}"
        else:
            lines.append(line.rstrip() if stripped else "")
        joinable = (
            bool(stripped)
            and not in_code
            and not stripped.startswith(("|", "#"))
            and not _RULE.match(line)
            and not line.endswith(("  ", "\\"))
        )
    return "\n".join(lines)
