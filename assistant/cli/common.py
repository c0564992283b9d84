"""What every command shares: the typer app, its options, and the assistant they run on."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Offline answers on UK police conduct duties, each sentence cited to its source.",
)

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
KindOption = Annotated[
    Optional[list[str]],
    typer.Option("--kind", help="legislation, guidance, recommendation (or precedent) or document (repeatable)."),
]
ForceOption = Annotated[Optional[list[str]], typer.Option("--force", help="Force name or part of it.")]
ThemeOption = Annotated[Optional[list[str]], typer.Option("--theme", help="Precedent theme, e.g. custody.")]
AcceptedOption = Annotated[
    Optional[list[str]], typer.Option("--accepted", help="yes, no, partially, awaiting or unknown.")
]
DocOption = Annotated[Optional[list[str]], typer.Option("--doc", help="Document id (repeatable).")]
YearFromOption = Annotated[Optional[int], typer.Option("--year-from", help="Earliest year.")]
YearToOption = Annotated[Optional[int], typer.Option("--year-to", help="Latest year.")]


# Settings given as global options (before the command), over the environment's.
_overrides: dict[str, object] = {}


@app.callback()
def _options(
    chroma_url: Annotated[
        Optional[str],
        typer.Option(
            "--chroma-url",
            help="Keep the index on this Chroma server (chroma run), e.g. http://127.0.0.1:8000. "
            "Default: CONDUCT_ASSISTANT_CHROMA_URL, else the local index.",
        ),
    ] = None,
) -> None:
    _overrides["chroma_url"] = chroma_url


def assistant_for_command():
    """The assistant, with its index built first (with a progress bar) when it is empty."""
    from assistant.config import Settings, SettingsError
    from assistant.service import ConductAssistant
    from ingest.loader import discover

    try:
        settings = Settings.from_env(**_overrides)
    except SettingsError as err:
        fail(str(err))
    assistant = ConductAssistant(settings)
    if not assistant.store.has_documents():
        files = discover([assistant.settings.corpus_dir])
        with_progress("Building the knowledge base", len(files), assistant.ensure_index)
    return assistant


def with_progress(label: str, total: int, run):
    """Run `run(on_file)` with a progress bar on stderr that advances once per file."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(stderr=True)
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
        # Into a pipe or a log a bar shows nothing, and would leave an empty line.
        disable=not console.is_terminal,
    ) as progress:
        task = progress.add_task("", total=total)
        return run(lambda report: progress.update(task, advance=1, description=Path(report.path).name))


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def emit_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def criteria_from_options(assistant, kind, force, theme, accepted, doc, year_from, year_to):
    from assistant.questions import QuestionError

    try:
        return assistant.criteria(kinds=kind, forces=force, themes=theme, accepted=accepted, doc_ids=doc,
                                  year_from=year_from, year_to=year_to)
    except QuestionError as err:
        fail(str(err))
