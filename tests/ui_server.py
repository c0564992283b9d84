"""Start the real browser UI (`python -m assistant serve`) and a real headless Chromium."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.processes import free_port, running

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, never a downloaded one; the flags stop its own calls to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START_TIMEOUT = 180


@dataclass
class ServedUI:
    url: str
    process: subprocess.Popen
    log: Path


@contextmanager
def serve(home: Path, workdir: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[ServedUI]:
    """Run `serve` on a free port against the index in `home` until the block ends."""
    port = free_port()
    log = workdir / f"serve-{port}.log"
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port), *args]
    environment = {**os.environ, "CONDUCT_ASSISTANT_HOME": str(home), **(env or {})}
    with running(command, url, log, START_TIMEOUT, env=environment, cwd=ROOT) as process:
        yield ServedUI(url, process, log)


@contextmanager
def chromium(profile: Path) -> Iterator:
    """A headless Chromium context with a fresh profile; pages record every request they make."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1400, "height": 1000},
            accept_downloads=True,
        )
        try:
            yield context
        finally:
            context.close()
