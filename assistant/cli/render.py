"""Terminal rendering of answers, hits, records, precedent tables and evaluation reports."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any

from assistant.answers.view import answer_view
from assistant.models import Answer, Hit, PrecedentRecord, PrecedentResult, citation_label

if TYPE_CHECKING:
    from rich.table import Table

    from assistant.evaluation.metrics import EvalReport

WIDTH = 100


def _wrap(text: str, indent: str) -> str:
    return "\n".join(
        textwrap.fill(line, WIDTH, initial_indent=indent, subsequent_indent=indent)
        for line in text.split("\n")
        if line.strip()
    )


def answer_text(answer: Answer) -> str:
    """An answer for the terminal: the lead, the sources that apply, then each passage."""
    view = answer_view(answer)
    lines = [_wrap(view.caveat, "") + "\n"] if view.caveat else []
    if view.structured:
        lines.append(_wrap(f"{view.lead} [{view.lead_citation}]", ""))
        lines.append("\nSources that apply:")
        for section in view.sections:
            lines.append(_wrap(f"[{section.citation}] {section.label}", ""))
            lines += [_wrap(f"\u201c{sentence}\u201d", "    ") for sentence in section.sentences]
            lines += [_wrap(f"Note: {note}", "    ") for note in section.notes]
    else:
        lines.append(_wrap(view.text, ""))
    if view.answered:
        lines.append("\nPassages:")
        for source in view.sources:
            lines.append(f"[{source.n}] {source.name.label}")
            if source.name.url:
                lines.append(f"    {source.name.url}")
            lines += [_wrap(f"\u26a0 {warning}", "    ") for warning in source.warnings]
            lines += [_wrap(f"Note: {note}", "    ") for note in source.notes]
            lines.append(_wrap(f"\u201c{source.quote}\u201d", "    > "))
        lines += ["\n" + _wrap(line, "") for line in (view.mode_note, view.notice) if line]
    elif view.nearest:
        lines.append("\nNearest sources (not support for an answer):")
        for name in view.nearest:
            lines.append(f"- {name.label}")
            if name.url:
                lines.append(f"    {name.url}")
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


def retrieval_table(reports: dict[str, EvalReport], rankers: list[str]) -> Table:
    """One row per ranker and question set, with tune − test when both are there, and
    Recall@5 per user group."""
    from rich.table import Table

    groups = sorted({g for r in reports.values() for scores in r.by_user.values() for g in scores})
    table = Table(
        title="Retrieval: the hybrid retriever, each of its legs alone, and a tutorial RAG on the same encoder",
        caption="Answers come from the hybrid retriever. Tutorial baseline: whole files, 1000/200-character "
        "chunks, dense top 10, a chunk counting for every section it overlaps.",
    )
    for column in ("retriever", "set", "questions", "Recall@5", "Recall@10", "MRR@10", "nDCG@10"):
        table.add_column(column, justify="left" if column in ("retriever", "set") else "right")
    for group in groups:
        table.add_column(f"{group} R@5", justify="right")
    for ranker in rankers:
        for name, report in reports.items():
            by_user = report.by_user[ranker]
            table.add_row(
                ranker,
                name,
                str(report.answerable),
                *(f"{v:.3f}" for v in report.retrieval[ranker].values()),
                *(f"{by_user[g]['recall@5']:.3f}" if g in by_user else "—" for g in groups),
            )
        if "tune" in reports and "test" in reports:
            tune, test = reports["tune"].retrieval[ranker], reports["test"].retrieval[ranker]
            tune_users, test_users = reports["tune"].by_user[ranker], reports["test"].by_user[ranker]
            user_gaps = [
                f"{tune_users[g]['recall@5'] - test_users[g]['recall@5']:+.3f}"
                if g in tune_users and g in test_users
                else "—"
                for g in groups
            ]
            gaps = [f"{tune[m] - test[m]:+.3f}" for m in tune]
            table.add_row(ranker, "tune − test", "", *gaps, *user_gaps, end_section=True)
        else:
            table.rows[-1].end_section = True
    return table


def answers_table(reports: dict[str, EvalReport]) -> Table:
    from rich.table import Table

    table = Table(
        title="Answers (hybrid retriever, extractive unless a model is configured)",
        caption="Answerable questions: answer cites a gold section, first line from one, declined, "
        "caveated. Unanswerable: declined, caveated. Then quoted sentences that point back without "
        "the one before them, sentences verbatim in their passage, words per answer.",
    )
    columns = (
        "set",
        "cites gold",
        "leads with gold",
        "declined",
        "caveated",
        "unans. declined",
        "unans. caveated",
        "pointing back",
        "verbatim",
        "words mean/max",
    )
    for column in columns:
        table.add_column(column, justify="left" if column == "set" else "right")
    for name, r in reports.items():
        a = r.answers
        table.add_row(
            f"{name} ({r.answerable} + {r.unanswerable})",
            f"{a['cites_gold']:.1%}",
            f"{a['lead_gold']:.1%}",
            f"{a['false_decline_rate']:.1%}",
            f"{a['caveat_rate_answerable']:.1%}",
            f"{a['decline_rate']:.1%}",
            f"{a['caveat_rate_unanswerable']:.1%}",
            f"{a['orphan_sentences']:.0f}",
            f"{a['verbatim_share']:.1%}",
            f"{a['words_mean']:.0f} / {a['words_max']:.0f}",
        )
    return table


def generation_table(name: str, g: dict[str, float], model: str) -> Table:
    from rich.table import Table

    table = Table(title=f"Generative answers on {name} ({model})")
    for column in ("answers", "generated", "fallback rate", "sentences kept", "p50 latency", "p95 latency"):
        table.add_column(column, justify="right")
    table.add_row(
        str(g["answers"]),
        str(g["generated"]),
        f"{g['fallback_rate']:.1%}",
        f"{g['sentences_kept']}/{g['sentences_written']} ({g['kept_share']:.1%})",
        f"{g['latency_p50_s']:.1f} s",
        f"{g['latency_p95_s']:.1f} s",
    )
    return table
