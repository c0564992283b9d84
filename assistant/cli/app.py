"""The `conduct-assistant` command: a thin shell over ConductAssistant. The commands live one
module per group; here they are registered, in the order `--help` lists them."""

from __future__ import annotations

import sys

import typer

from assistant.cli import answers, evaluation, knowledge, precedents, server
from assistant.cli.common import app

COMMANDS = (
    ("ingest", knowledge.ingest),
    ("search", answers.search),
    ("ask", answers.ask),
    ("records", knowledge.records),
    ("precedents", precedents.precedents),
    ("brief", precedents.brief),
    ("eval", evaluation.evaluate),
    ("chat", answers.chat),
    ("serve", server.serve),
)
for name, command in COMMANDS:
    app.command(name=name)(command)


def main() -> None:
    from vectorstore.chroma_store import StoreError

    try:
        app(prog_name="conduct-assistant")
    except StoreError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    sys.exit(main())
