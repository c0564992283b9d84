"""The Precedents tab's presentation: table rows, the result line and a recommendation's
full record (HTML from the templates, escaped by construction: records come from ingested
files)."""

from __future__ import annotations

from assistant.models import PrecedentRecord, PrecedentResult
from assistant.ui.html_view import render

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
    return render("precedent_status.html", result=result)


def record_html(record: PrecedentRecord) -> str:
    """The full record: facts, recommendation, finding, response, and its page's others."""
    return render("precedent_record.html", record=record, accepted_labels=ACCEPTED_LABELS)
