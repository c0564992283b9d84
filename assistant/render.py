"""Terminal rendering of answers, hits, records and precedent tables."""

from __future__ import annotations

import textwrap
from typing import Any

from assistant.models import Answer, Citation, Hit, PrecedentRecord, PrecedentResult

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
        if answer.mode_note:
            lines.append("\n" + _wrap(answer.mode_note, ""))
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


def precedent_table(result: PrecedentResult) -> None:
    """Print a precedent result as a table (rich wraps it to the terminal)."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if result.notice:
        console.print(result.notice, style="yellow", highlight=False)
    if not result.rows:
        return
    table = Table(title=result.description, show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("Precedent", ratio=2, overflow="fold")
    table.add_column("Recommendation", ratio=3)
    table.add_column("Response", ratio=3)
    for rank, row in enumerate(result.rows, start=1):
        facts = f"{row.force}\n{row.month} \u00b7 accepted: {row.accepted}\n[dim]{row.key}[/dim]"
        table.add_row(str(rank), facts, row.gist, row.response_gist or "\u2014")
    console.print(table)


def precedent_record_text(record: PrecedentRecord) -> str:
    """A recommendation's full record, as plain text."""
    row = record.row
    lines = [
        f"{row.title} \u2014 {row.section}  [{row.key}]",
        f"  force: {row.force or 'unknown'} \u00b7 month: {row.month or 'unknown'} \u00b7 accepted: {row.accepted}",
        f"  IOPC reference: {', '.join(record.references) or 'none recorded'}",
        f"  relies on: {', '.join(row.relies_on) or 'none detected'}",
        f"  themes: {', '.join(row.themes) or 'none'}",
    ]
    if row.url:
        lines.append(f"  {row.url}")
    for label, text in (
        ("Recommendation", record.recommendation),
        ("Finding", record.finding),
        ("Response", record.response),
    ):
        if text:
            lines += ["", f"{label}:", _wrap(text, "    ")]
    if record.others:
        lines += ["", "Other recommendations of this page:"]
        lines += [f"  {r.key} (accepted: {r.accepted}): {r.gist}" for r in record.others]
    return "\n".join(lines)
