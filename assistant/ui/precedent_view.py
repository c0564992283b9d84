"""HTML for the Precedents tab: the result line and a recommendation's full record.

Every piece of text is escaped: records come from ingested files.
"""

from __future__ import annotations

from html import escape

from assistant.models import PrecedentRecord, PrecedentResult, PrecedentRow

TABLE_HEADERS = ["#", "Force", "Month", "Accepted", "Recommendation", "Response", "Id"]
ACCEPTED_LABELS = {
    "yes": "Accepted",
    "no": "Not accepted",
    "partially": "Partially accepted",
    "awaiting": "Awaiting response",
    "unknown": "Acceptance not known",
}


def table_rows(result: PrecedentResult) -> list[list[object]]:
    """The rows of the result table, in TABLE_HEADERS order."""
    return [
        [rank, row.force, row.month, row.accepted, row.gist, row.response_gist or "\u2014", row.key]
        for rank, row in enumerate(result.rows, start=1)
    ]


def status_html(result: PrecedentResult) -> str:
    notice = f'<p class="ca-prec-notice">{escape(result.notice)}</p>' if result.notice else ""
    summary = "" if not result.rows else f'<p class="ca-prec-summary">{escape(result.description)}</p>'
    return f'<div class="ca-prec-status">{notice}{summary}</div>'


def _accepted(row: PrecedentRow) -> str:
    label = ACCEPTED_LABELS.get(row.accepted, row.accepted)
    return f'<span class="ca-accepted" data-accepted="{escape(row.accepted)}">{escape(label)}</span>'


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())


def record_html(record: PrecedentRecord) -> str:
    """The full record: facts, recommendation, finding, response, and its page's others."""
    row = record.row
    facts = [
        ("Force", escape(row.force or "unknown")),
        ("Month", escape(row.month or "unknown")),
        ("Acceptance", _accepted(row)),
        ("IOPC reference", escape(", ".join(record.references) or "none recorded")),
        ("Relies on", escape(", ".join(row.relies_on) or "none detected")),
        ("Themes", escape(", ".join(row.themes) or "none")),
    ]
    link = (
        f'<a class="ca-link" href="{escape(row.url)}" target="_blank" rel="noopener noreferrer">'
        "Official page</a>"
        if row.url
        else ""
    )
    parts = [
        f'<article class="ca-record" data-key="{escape(row.key)}">',
        f"<h3>{escape(row.title)} \u2014 {escape(row.section)}</h3>",
        '<dl class="ca-record-facts">'
        + "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts)
        + "</dl>",
        link,
    ]
    for label, text in (
        ("Recommendation", record.recommendation),
        ("Finding", record.finding),
        ("Response", record.response),
    ):
        if text.strip():
            parts.append(f'<section class="ca-record-{label.lower()}"><h4>{label}</h4>{_paragraphs(text)}</section>')
    if record.others:
        items = "".join(
            f"<li><code>{escape(r.key)}</code> {_accepted(r)} {escape(r.gist)}</li>" for r in record.others
        )
        parts.append(f'<section class="ca-record-others"><h4>Other recommendations of this page</h4><ul>{items}</ul></section>')
    parts.append("</article>")
    return "".join(parts)
