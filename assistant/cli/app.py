"""The `conduct-assistant` command: a thin shell over ConductAssistant."""

from __future__ import annotations

import json
import sys
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
    typer.Option("--kind", help="legislation, guidance or recommendation (repeatable)."),
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


def _assistant():
    """The assistant, with its index built first (with a progress bar) when it is empty."""
    from assistant.config import Settings
    from assistant.service import ConductAssistant
    from ingest.loader import discover

    assistant = ConductAssistant(Settings.from_env(**_overrides))
    if not assistant.store.has_documents():
        files = discover([assistant.settings.corpus_dir])
        _with_progress("Building the knowledge base", len(files), assistant.ensure_index)
    return assistant


def _with_progress(label: str, total: int, run):
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


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _emit_json(data: object) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def _filter(assistant, kind, force, theme, accepted, doc, year_from, year_to):
    from assistant.service import QuestionError

    try:
        return assistant.make_filter(kind, force, theme, accepted, doc, year_from, year_to)
    except QuestionError as err:
        _fail(str(err))


@app.command()
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
        _fail("--sync takes exactly one folder")
    assistant = _assistant()
    files = discover(list(paths))

    def run(on_file):
        def shown(report) -> None:
            # One line per file as soon as it is done, so a long batch shows where it is.
            if as_json:
                _emit_json(report.to_json())
            else:
                typer.echo(report.line())
            on_file(report)

        return assistant.sync(paths[0], shown) if sync else assistant.ingest(paths, shown)

    reports = _with_progress("Ingesting", len(files), run)
    failed = sum(r.status == "failed" for r in reports)
    if not as_json:
        counts = {s: sum(r.status == s for r in reports) for s in ("added", "updated", "unchanged", "removed")}
        summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n or s != "removed")
        files_word = "file" if len(reports) == 1 else "files"
        typer.echo(f"{len(reports)} {files_word}: {summary}, {failed} failed; "
                   f"{assistant.store.count()} passages in the index", err=True)
    if failed:
        raise typer.Exit(1)


@app.command()
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
    from assistant.retrieval.hybrid import Mode
    from assistant.service import QuestionError

    try:
        search_mode = Mode(mode)
    except ValueError:
        _fail(f"unknown mode '{mode}' (use hybrid, dense or bm25)")
    assistant = _assistant()
    search_filter = _filter(assistant, kind, force, theme, accepted, doc, year_from, year_to)
    try:
        hits = assistant.search(query, k, search_filter, search_mode)
    except QuestionError as err:
        _fail(str(err))
    if as_json:
        _emit_json([h.to_json() for h in hits])
    else:
        typer.echo(hits_text(hits))


@app.command()
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
    from assistant.service import QuestionError

    if (question is None) == (questions is None):
        _fail("give either a QUESTION or --questions FILE")
    batch = [(None, question)] if questions is None else _read_questions(questions)
    assistant = _assistant()
    search_filter = _filter(assistant, kind, force, theme, accepted, doc, year_from, year_to)
    failed = False
    for qid, text in batch:
        try:
            answer = assistant.ask(text or "", search_filter)
        except QuestionError as err:
            if qid is None:
                _fail(str(err))
            failed = True
            typer.echo(f"error: {questions}: question {qid}: {err}", err=True)
            if as_json:
                _emit_json({"id": qid, "question": text, "error": str(err)})
            continue
        if as_json:
            _emit_json(({"id": qid} if qid is not None else {}) | answer.to_json())
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
        _fail(f"{path}: cannot read questions ({err})")
    batch = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            batch.append((str(item.get("id", number)), str(item["question"])))
        except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
            _fail(f"{path}:{number}: expected a JSON object with a \"question\" field")
    return batch


@app.command()
def records(
    doc: Annotated[Optional[str], typer.Option("--doc", help="Only this document id.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the structured IOPC recommendation records (force, month, acceptance, response)."""
    from assistant.cli.render import record_text

    found = _assistant().records(doc)
    if doc and not found:
        _fail(f"no recommendation record for document '{doc}'", 1)
    for record in found:
        if as_json:
            _emit_json(record)
        else:
            typer.echo(record_text(record) + "\n")


@app.command()
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
    from assistant.service import QuestionError

    if sum(x is not None for x in (query, similar_to, record)) > 1:
        _fail("give a QUERY, --similar-to or --record, not several")
    assistant = _assistant()
    try:
        if record is not None:
            found = assistant.precedent(record)
            if as_json:
                _emit_json(found.to_json())
            else:
                typer.echo(precedent_record_text(found))
            return
        filters = assistant.make_precedent_query(force, theme, accepted, relies_on, year_from, year_to)
        if similar_to is not None:
            result = assistant.similar_precedents(similar_to, filters, limit)
        else:
            result = assistant.precedents(query or "", filters, limit)
    except (PrecedentError, QuestionError) as err:
        _fail(str(err))
    if csv_file is not None:
        try:
            csv_file.write_text(rows_csv(result.rows), "utf-8")
        except OSError as err:
            _fail(f"{csv_file}: cannot write ({err.strerror})")
    if as_json:
        _emit_json(result.to_json())
    else:
        precedent_table(result)
    if not result.rows:
        raise typer.Exit(1)


@app.command()
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
    from assistant.service import QuestionError

    fmt = (fmt or (out.suffix.lstrip(".").lower() if out and out.suffix else "md")).lower()
    if fmt not in ("md", "docx"):
        _fail(f"--format: '{fmt}' is not md or docx")
    assistant = _assistant()
    try:
        made = assistant.brief(topic, audience or "", polish=polish)
    except (QuestionError, LLMError) as err:
        _fail(str(err))
    if as_json:
        _emit_json(brief_json(made))
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
        _fail(f"{target}: cannot write ({err.strerror})")
    typer.echo(f"wrote {target} ({len(made.citations)} citations)")


@app.command(name="eval")
def evaluate(
    file: Annotated[
        Optional[Path], typer.Argument(help="A question set (JSON Lines with gold); default: the bank and dev set.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Measure retrieval (Recall@5/10, MRR@10, nDCG@10) and answers, beside a tutorial RAG.

    Without a file: the question bank's tune and test halves (and their gap) and the dev set."""
    import knowledge_base

    from assistant.evaluation.baseline import TutorialBaseline
    from assistant.evaluation.metrics import evaluate as run_evaluation
    from assistant.evaluation.metrics import load_questions, mode_rankers

    paths = (
        {file.stem: file}
        if file
        else {"tune": knowledge_base.TUNE_SET, "test": knowledge_base.TEST_SET, "dev": knowledge_base.DEV_SET}
    )
    try:
        sets = {name: load_questions(path) for name, path in paths.items()}
    except (OSError, ValueError) as err:
        _fail(str(err))
    assistant = _assistant()
    baseline = TutorialBaseline(assistant.settings.corpus_dir, assistant.embedder)
    rankers = {
        **mode_rankers(lambda q, mode: assistant.search(q, 10, None, mode)),
        "tutorial baseline": baseline.search,
    }
    reports = {name: run_evaluation(questions, rankers, assistant.ask) for name, questions in sets.items()}
    if as_json:
        _emit_json({name: report.to_json() for name, report in reports.items()})
        return
    from rich.console import Console

    from assistant.cli.render import answers_table, generation_table, retrieval_table

    console = Console(width=160)
    console.print(retrieval_table(reports, list(rankers)))
    console.print(answers_table(reports))
    for name, report in reports.items():
        if report.generation:
            from assistant.answers.llm import describe

            console.print(generation_table(name, report.generation, describe(assistant.settings.llm)))


@app.command()
def chat() -> None:
    """Ask questions in the terminal, one after another."""
    from assistant.cli.render import answer_text
    from assistant.service import QuestionError

    assistant = _assistant()
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


@app.command()
def serve(
    host: Annotated[
        Optional[str], typer.Option("--host", help="Address to listen on (default 127.0.0.1).")
    ] = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Port (default 7860).")] = None,
    mcp: Annotated[
        bool,
        typer.Option(
            "--mcp",
            help="Also serve ask, precedents, precedent and brief as MCP tools for LLM clients, "
            "at /gradio_api/mcp/ (off loopback, with the login as HTTP Basic credentials).",
        ),
    ] = False,
) -> None:
    """Start the browser chat. Anything but loopback requires CONDUCT_ASSISTANT_AUTH(_FILE)."""
    assistant = _assistant()
    from assistant.ui.app import LaunchError, launch

    try:
        launch(assistant, host, port, mcp)
    except LaunchError as err:
        _fail(str(err))


def main() -> None:
    from vectorstore.chroma_store import StoreError

    try:
        app(prog_name="conduct-assistant")
    except StoreError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    sys.exit(main())
