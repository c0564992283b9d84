"""Commands on the knowledge base itself: `ingest` (and `--sync`) and `records`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.common import (
    JsonOption,
    assistant_for_command,
    emit_json,
    fail,
    with_progress,
)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to add to the index.")],
    sync: Annotated[
        bool,
        typer.Option(
            "--sync",
            help="Keep the index in step with one folder: add new files, re-index changed ones, "
            "remove the documents whose files are gone.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Add documents to the index: IOPC pages (.txt, .html, .pdf, .docx), sectioned Markdown,
    HTML or Word documents, and plain text. Folders are walked recursively by extension."""
    from ingest.loader import discover

    if sync and len(paths) != 1:
        fail("--sync takes exactly one folder")
    assistant = assistant_for_command()
    files = discover(list(paths))

    def run(on_file):
        def shown(report) -> None:
            # One line per file as soon as it is done, so a long batch shows where it is.
            if as_json:
                emit_json(report.to_json())
            else:
                typer.echo(report.line())
            on_file(report)

        return assistant.sync(paths[0], shown) if sync else assistant.ingest(paths, shown)

    reports = with_progress("Ingesting", len(files), run)
    failed = sum(r.status == "failed" for r in reports)
    if not as_json:
        counts = {s: sum(r.status == s for r in reports) for s in ("added", "updated", "unchanged", "removed")}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n or s != "removed")
        files_word = "file" if len(reports) == 1 else "files"
        typer.echo(f"{len(reports)} {files_word}: {summary}, {failed} failed; "
                   f"{assistant.store.count()} passages in the index", err=True)
    if failed:
        raise typer.Exit(1)


def records(
    doc: Annotated[Optional[str], typer.Option("--doc", help="Only this document id.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the structured IOPC recommendation records (force, month, acceptance, response)."""
    from assistant.cli.render import record_text

    found = assistant_for_command().records(doc)
    if doc and not found:
        fail(f"no recommendation record for document '{doc}'", 1)
    for record in found:
        if as_json:
            emit_json(record)
        else:
            typer.echo(record_text(record) + "\n")
