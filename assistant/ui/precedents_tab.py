"""The Precedents tab: search, filter and export IOPC recommendations, open one, find similar.

A thin Gradio layer over ConductAssistant's precedent API (built inside ChatApp's Blocks).
"""

from __future__ import annotations

from datetime import datetime, timezone

import gradio as gr

from assistant.api.inputs import criteria
from assistant.criteria import ACCEPTED_VALUES
from assistant.precedents.table import PrecedentError, rows_csv, rows_json
from assistant.questions import QuestionError
from assistant.service import ConductAssistant
from assistant.ui.download_store import DownloadStore
from assistant.ui.html_view import error_html
from assistant.ui.precedent_view import (
    ACCEPTED_LABELS,
    TABLE_HEADERS,
    record_html,
    status_html,
    table_rows,
)


class PrecedentsTab:
    def __init__(self, assistant: ConductAssistant, downloads: DownloadStore):
        self.assistant = assistant
        self.downloads = downloads

    def _filters(self, forces, themes, accepted, laws, year_from, year_to):
        return criteria(self.assistant, forces=forces, themes=themes, accepted=accepted, relies_on=laws,
                        year_from=year_from, year_to=year_to)

    def search(self, query, forces, themes, accepted, laws, year_from, year_to) -> tuple:
        """Rank (or list) the recommendations; the downloads follow the table."""
        try:
            filters = self._filters(forces, themes, accepted, laws, year_from, year_to)
            result = self.assistant.precedents(query or "", filters, limit=50)
        except (PrecedentError, QuestionError) as err:
            return self._failed(err)
        return self._shown(result)

    def similar(self, key, forces, themes, accepted, laws, year_from, year_to) -> tuple:
        try:
            filters = self._filters(forces, themes, accepted, laws, year_from, year_to)
            result = self.assistant.similar_precedents(key or "", filters, limit=20)
        except (PrecedentError, QuestionError) as err:
            return self._failed(err)
        return self._shown(result)

    def open_record(self, evt: gr.SelectData) -> tuple:
        """Open the record of the clicked row (its last column holds the id)."""
        key = str((evt.row_value or [""])[-1])
        try:
            record = self.assistant.precedent(key)
        except PrecedentError as err:
            return error_html(f"error: {err}"), "", gr.update(interactive=False)
        label = f"Similar to {record.row.key}"
        return record_html(record), record.row.key, gr.update(interactive=True, value=label)

    def _shown(self, result) -> tuple:
        stamp = f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S}"
        csv_path = self.downloads.save(f"precedents-{stamp}.csv", rows_csv(result.rows))
        json_path = self.downloads.save(f"precedents-{stamp}.json", rows_json(result.rows))
        has_rows = bool(result.rows)
        return (
            status_html(result),
            gr.update(value=table_rows(result), headers=TABLE_HEADERS),
            gr.update(value=str(csv_path), interactive=has_rows),
            gr.update(value=str(json_path), interactive=has_rows),
        )

    @staticmethod
    def _failed(err: Exception) -> tuple:
        empty = gr.update(value=None, interactive=False)
        return error_html(f"error: {err}"), gr.update(value=[], headers=TABLE_HEADERS), empty, empty

    def choices(self) -> tuple:
        """Filter choices from what the index holds now."""
        table = self.assistant.precedent_table
        return (
            gr.update(choices=table.values("forces")),
            gr.update(choices=table.values("themes")),
            gr.update(choices=table.values("relies_on")),
        )

    def build(self) -> tuple[gr.components.Component, ...]:
        """The tab's components and events; returns the dropdowns to refresh on page load."""
        table = self.assistant.precedent_table
        years = sorted({row.year for row in table.rows.values() if row.year})
        gr.Markdown(
            "Search the IOPC's recommendations to forces: one row per recommendation. Click a row "
            "to open its full record."
        )
        with gr.Row():
            query = gr.Textbox(
                elem_id="ca-prec-query",
                placeholder="e.g. body-worn video, WhatsApp groups, strip searches in custody",
                show_label=False,
                scale=5,
            )
            search = gr.Button("Search", variant="primary", elem_id="ca-prec-search", scale=1)
        with gr.Row():
            forces = gr.Dropdown(
                table.values("forces"), multiselect=True, label="Force", elem_id="ca-prec-force"
            )
            themes = gr.Dropdown(
                table.values("themes"), multiselect=True, label="Theme", elem_id="ca-prec-theme"
            )
            laws = gr.Dropdown(
                table.values("relies_on"), multiselect=True, label="Relies on", elem_id="ca-prec-law"
            )
            year_from = gr.Dropdown(years, value=None, label="Year from", elem_id="ca-prec-year-from")
            year_to = gr.Dropdown(years, value=None, label="Year to", elem_id="ca-prec-year-to")
        accepted = gr.CheckboxGroup(
            [(ACCEPTED_LABELS[value], value) for value in ACCEPTED_VALUES],
            label="Force's response",
            elem_id="ca-prec-accepted",
        )
        status = gr.HTML(elem_id="ca-prec-status")
        results = gr.Dataframe(
            headers=TABLE_HEADERS,
            value=[],
            interactive=False,
            wrap=True,
            # Without widths the long text columns push the others out of view.
            column_widths=["4%", "13%", "7%", "8%", "31%", "25%", "12%"],
            elem_id="ca-prec-table",
            show_label=False,
        )
        with gr.Row():
            similar = gr.Button(
                "Similar recommendations", elem_id="ca-prec-similar", interactive=False, size="sm"
            )
            csv_file = gr.DownloadButton(
                "Download table (CSV)", elem_id="ca-prec-csv", interactive=False, size="sm"
            )
            json_file = gr.DownloadButton(
                "Download table (JSON)", elem_id="ca-prec-json", interactive=False, size="sm"
            )
        record = gr.HTML(elem_id="ca-prec-record")
        selected = gr.State("")

        filters = [forces, themes, accepted, laws, year_from, year_to]
        outputs = [status, results, csv_file, json_file]
        for trigger in (query.submit, search.click):
            trigger(
                self.search,
                [query, *filters],
                outputs,
                api_visibility="private",
                concurrency_id="assistant",
            )
        results.select(
            self.open_record,
            None,
            [record, selected, similar],
            api_visibility="private",
            concurrency_id="assistant",
        )
        similar.click(
            self.similar,
            [selected, *filters],
            outputs,
            api_visibility="private",
            concurrency_id="assistant",
        )
        return forces, themes, laws
