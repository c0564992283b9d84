"""The command line (typer): commands and terminal renderers. A shell over the service."""
