"""Plain-text rendering of answers, hits and records for the terminal."""

from __future__ import annotations

import textwrap
from typing import Any

from assistant.models import Answer, Citation, Hit

WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return "\n".join(
        textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=indent)
        for line in text.split("\n")
        if line.strip()
    )


def citation_label(c: Citation | Hit) -> str:
    heading = f" \u2014 {c.heading}" if c.heading else ""
    return f"{c.title} \u00b7 {c.section}{heading}"


def answer_text(answer: Answer) -> str:
    lines = [_wrap(answer.answer, "")]
    if answer.answered:
        lines.append("\nSources:")
        for c in answer.citations:
            lines.append(f"[{c.n}] {citation_label(c)}")
            if c.url:
                lines.append(f"    {c.url}")
            for warning in c.warnings:
                lines.append(_wrap(f"\u26a0 {warning}", "    "))
            lines.append(_wrap(f"\u201c{c.quote}\u201d", "    > "))
        if answer.notice:
            lines.append("\n" + _wrap(answer.notice, ""))
    elif answer.hits:
        lines.append("\nNearest sources (not support for an answer):")
        for h in answer.hits[:3]:
            lines.append(f"- {citation_label(h)}")
            if h.url:
                lines.append(f"    {h.url}")
    return "\n".join(lines)


def hits_text(hits: list[Hit]) -> str:
    if not hits:
        return "No passages match."
    lines = []
    for h in hits:
        lines.append(f"{h.rank:>2}. {citation_label(h)}  (score {h.score:.4f})")
        if h.url:
            lines.append(f"    {h.url}")
        lines.append(_wrap(h.text[:400] + ("\u2026" if len(h.text) > 400 else ""), "    "))
    return "\n".join(lines)


def record_text(record: dict[str, Any]) -> str:
    refs = ", ".join(record.get("iopc_references") or []) or "none recorded"
    lines = [
        f"{record['title']}  [{record['doc_id']}]",
        f"  force: {record.get('force') or 'unknown'} \u00b7 month: {record.get('month') or 'unknown'}"
        f" \u00b7 IOPC reference: {refs}",
    ]
    if record.get("url"):
        lines.append(f"  {record['url']}")
    for rec in record.get("recommendations", []):
        lines.append(f"  {rec['section']} (accepted: {rec['accepted']})")
        lines.append(_wrap(rec["text"], "      "))
    return "\n".join(lines)
