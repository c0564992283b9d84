"""Commands that answer: `search`, `ask` (one question or a file of them) and `chat`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.common import (
    AcceptedOption,
    DocOption,
    ForceOption,
    JsonOption,
    KindOption,
    ThemeOption,
    YearFromOption,
    YearToOption,
    assistant_for_command,
    criteria_from_options,
    emit_json,
    fail,
)


def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many hits.")] = 8,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense or bm25.")] = "hybrid",
    kind: KindOption = None,
    force: ForceOption = None,
    theme: ThemeOption = None,
    accepted: AcceptedOption = None,
    doc: DocOption = None,
    year_from: YearFromOption = None,
    year_to: YearToOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the passages that best match a query, with their scores."""
    from assistant.cli.render import hits_text
    from assistant.questions import QuestionError
    from assistant.retrieval.hybrid import Mode

    try:
        search_mode = Mode(mode)
    except ValueError:
        fail(f"unknown mode '{mode}' (use hybrid, dense or bm25)")
    assistant = assistant_for_command()
    criteria = criteria_from_options(assistant, kind, force, theme, accepted, doc, year_from, year_to)
    try:
        hits = assistant.search(query, k, criteria, search_mode)
    except QuestionError as err:
        fail(str(err))
    if as_json:
        emit_json([h.to_json() for h in hits])
    else:
        typer.echo(hits_text(hits))


def ask(
    question: Annotated[Optional[str], typer.Argument(help="Your question.")] = None,
    questions: Annotated[
        Optional[Path], typer.Option("--questions", help="JSON Lines file with id and question.")
    ] = None,
    kind: KindOption = None,
    force: ForceOption = None,
    theme: ThemeOption = None,
    accepted: AcceptedOption = None,
    doc: DocOption = None,
    year_from: YearFromOption = None,
    year_to: YearToOption = None,
    as_json: JsonOption = False,
) -> None:
    """Answer a question (or a file of them) with numbered citations."""
    from assistant.cli.render import answer_text
    from assistant.questions import QuestionError

    if (question is None) == (questions is None):
        fail("give either a QUESTION or --questions FILE")
    batch = [(None, question)] if questions is None else _read_questions(questions)
    assistant = assistant_for_command()
    criteria = criteria_from_options(assistant, kind, force, theme, accepted, doc, year_from, year_to)
    failed = False
    for qid, text in batch:
        try:
            answer = assistant.ask(text or "", criteria)
        except QuestionError as err:
            if qid is None:
                fail(str(err))
            failed = True
            typer.echo(f"error: {questions}: question {qid}: {err}", err=True)
            if as_json:
                emit_json({"id": qid, "question": text, "error": str(err)})
            continue
        if as_json:
            emit_json(({"id": qid} if qid is not None else {}) | answer.to_json())
        else:
            if qid is not None:
                typer.echo(f"## {qid}: {answer.question}")
            typer.echo(answer_text(answer) + "\n")
    if failed:
        raise typer.Exit(1)


def _read_questions(path: Path) -> list[tuple[str, str]]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        fail(f"{path}: cannot read questions ({err})")
    batch = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            batch.append((str(item.get("id", number)), str(item["question"])))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            fail(f"{path}:{number}: expected a JSON object with a \"question\" field")
    return batch


def chat() -> None:
    """Ask questions in the terminal, one after another."""
    from assistant.cli.render import answer_text
    from assistant.questions import QuestionError

    assistant = assistant_for_command()
    typer.echo("Ask about police conduct duties. Type 'exit' or press Ctrl-D to leave.")
    history: list[str] = []
    while True:
        try:
            question = input("\n> ")
        except (EOFError, KeyboardInterrupt):
            typer.echo("")
            return
        if question.strip().lower() in {"exit", "quit"}:
            return
        if not question.strip():
            continue
        try:
            typer.echo(answer_text(assistant.ask(question, history=history)))
        except QuestionError as err:
            typer.echo(f"error: {err}", err=True)
            continue
        history.append(question)
