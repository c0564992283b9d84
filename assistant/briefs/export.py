"""A training brief as a file: Markdown or Word (.docx), with the same content, both written
from one document model (`assistant.briefs.document`)."""

from __future__ import annotations

import re
from datetime import date

from assistant.briefs.document import brief_document
from assistant.briefs.markdown import markdown_text
from assistant.briefs.word import word_file
from assistant.models import TrainingBrief


def brief_json(brief: TrainingBrief) -> dict:
    """What `conduct-assistant brief --json` prints: the brief's parts, and its Markdown."""
    return brief.to_json() | {"markdown": brief_markdown(brief)}


def brief_markdown(brief: TrainingBrief) -> str:
    return markdown_text(brief_document(brief))


def brief_docx(brief: TrainingBrief, written: date | None = None) -> bytes:
    """The brief as a Word document dated `written` (today by default)."""
    return word_file(brief_document(brief), written or date.today())


def export(brief: TrainingBrief, fmt: str) -> bytes:
    """The brief's file content in `fmt` ("md" or "docx")."""
    if fmt == "md":
        return brief_markdown(brief).encode("utf-8")
    if fmt == "docx":
        return brief_docx(brief)
    raise ValueError(f"unknown brief format '{fmt}' (use md or docx)")


def file_name(brief: TrainingBrief, fmt: str) -> str:
    """A file name from the topic: `brief-harassment-under-the-equality-act.docx`."""
    slug = re.sub(r"[^a-z0-9]+", "-", brief.topic.lower()).strip("-")[:60].rstrip("-")
    return f"brief-{slug or 'topic'}.{fmt}"
