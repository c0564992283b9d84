"""Commands for investigators and trainers: `precedents` and `brief`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.common import (
    AcceptedOption,
    ForceOption,
    JsonOption,
    ThemeOption,
    YearFromOption,
    YearToOption,
    assistant_for_command,
    emit_json,
    fail,
)


def precedents(
    query: Annotated[Optional[str], typer.Argument(help="What to look for; omit to list all.")] = None,
    force: ForceOption = None,
    theme: ThemeOption = None,
    accepted: AcceptedOption = None,
    relies_on: Annotated[
        Optional[list[str]],
        typer.Option("--relies-on", help="Law or guidance the recommendation names, e.g. 'equality'."),
    ] = None,
    year_from: YearFromOption = None,
    year_to: YearToOption = None,
    similar_to: Annotated[
        Optional[str], typer.Option("--similar-to", help="List the recommendations closest to DOC_ID#N.")
    ] = None,
    record: Annotated[
        Optional[str], typer.Option("--record", help="Show the full record of DOC_ID#N.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000, help="Rows to show.")] = 20,
    csv_file: Annotated[
        Optional[Path], typer.Option("--csv", help="Also write the result table to this CSV file.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Search IOPC recommendations as precedents: one row per recommendation, filterable."""
    from assistant.cli.render import precedent_record_text, precedent_table
    from assistant.precedents.table import PrecedentError, rows_csv
    from assistant.questions import QuestionError

    if sum(x is not None for x in (query, similar_to, record)) > 1:
        fail("give a QUERY, --similar-to or --record, not several")
    assistant = assistant_for_command()
    try:
        if record is not None:
            found = assistant.precedent(record)
            if as_json:
                emit_json(found.to_json())
            else:
                typer.echo(precedent_record_text(found))
            return
        filters = assistant.criteria(forces=force, themes=theme, accepted=accepted, relies_on=relies_on,
                                     year_from=year_from, year_to=year_to)
        if similar_to is not None:
            result = assistant.similar_precedents(similar_to, filters, limit)
        else:
            result = assistant.precedents(query or "", filters, limit)
    except (PrecedentError, QuestionError) as err:
        fail(str(err))
    if csv_file is not None:
        try:
            csv_file.write_text(rows_csv(result.rows), "utf-8")
        except OSError as err:
            fail(f"{csv_file}: cannot write ({err.strerror})")
    if as_json:
        emit_json(result.to_json())
    else:
        precedent_table(result)
    if not result.rows:
        raise typer.Exit(1)


def brief(
    topic: Annotated[str, typer.Argument(help="What the session is about.")],
    audience: Annotated[
        Optional[str], typer.Option("--audience", help="Who the session is for.")
    ] = None,
    fmt: Annotated[
        Optional[str],
        typer.Option("--format", help="md or docx (default: from --out's suffix, else md)."),
    ] = None,
    out: Annotated[
        Optional[Path], typer.Option("--out", help="Write the brief to this file.")
    ] = None,
    polish: Annotated[
        bool,
        typer.Option("--polish", help="Let the configured language model reword the summaries (checked)."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """A cited training brief on a topic: objectives, law and guidance, case studies, questions."""
    from assistant.answers.llm import LLMError
    from assistant.briefs.export import brief_json, brief_markdown, export, file_name
    from assistant.questions import QuestionError

    fmt = (fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else "md")).lower()
    if fmt not in ("md", "docx"):
        fail(f"--format: '{fmt}' is not md or docx")
    assistant = assistant_for_command()
    try:
        made = assistant.brief(topic, audience or "", polish=polish)
    except (QuestionError, LLMError) as err:
        fail(str(err))
    if as_json:
        emit_json(brief_json(made))
        if not made.supported:
            raise typer.Exit(1)
        return
    if not made.supported:
        typer.echo(brief_markdown(made), err=True, nl=False)
        raise typer.Exit(1)
    if out is None and fmt == "md":
        typer.echo(brief_markdown(made), nl=False)
        return
    target = out or Path(file_name(made, fmt))
    try:
        target.write_bytes(export(made, fmt))
    except OSError as err:
        fail(f"{target}: cannot write ({err.strerror})")
    typer.echo(f"wrote {target} ({len(made.citations)} citations)")
