"""`conduct-assistant eval`: retrieval and answer quality on question sets."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from assistant.cli.common import (
    JsonOption,
    assistant_for_command,
    emit_json,
    fail,
)


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
        fail(str(err))
    assistant = assistant_for_command()
    baseline = TutorialBaseline(assistant.settings.corpus_dir, assistant.embedder)
    rankers = {
        **mode_rankers(lambda q, mode: assistant.search(q, 10, None, mode)),
        "tutorial baseline": baseline.search,
    }
    reports = {name: run_evaluation(questions, rankers, assistant.ask) for name, questions in sets.items()}
    if as_json:
        emit_json({name: report.to_json() for name, report in reports.items()})
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
