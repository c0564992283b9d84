"""`conduct-assistant serve`: the browser chat, its API and (with --mcp) its MCP tools."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from assistant.cli.common import (
    assistant_for_command,
    fail,
)


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
    assistant = assistant_for_command()
    from assistant.ui.app import LaunchError, launch

    try:
        launch(assistant, host, port, mcp)
    except LaunchError as err:
        fail(str(err))
