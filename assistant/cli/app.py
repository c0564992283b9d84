"""The `conduct-assistant` command: a thin shell over ConductAssistant, one module per group of
commands (each registers its commands on the shared typer app when imported)."""

from __future__ import annotations

import sys

import typer

# Imported for what importing them does: registering their commands on `app`.
from assistant.cli import answers, evaluation, knowledge, precedents, server  # noqa: F401
from assistant.cli.common import app


def main() -> None:
    from vectorstore.chroma_store import StoreError

    try:
        app(prog_name="conduct-assistant")
    except StoreError as err:
        typer.echo(f"error: {err}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    sys.exit(main())
