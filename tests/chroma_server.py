"""A real Chroma server (`chroma run`) on a free loopback port, for the server-mode tests."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.ui_server import free_port

CHROMA = Path(sys.executable).parent / "chroma"
START_TIMEOUT = 60


@dataclass
class ChromaServer:
    url: str
    port: int
    process: subprocess.Popen


@contextmanager
def chroma_server(data: Path, log: Path, port: int | None = None) -> Iterator[ChromaServer]:
    """Run `chroma run --path data` until the block ends; `port` reuses a port (a restart)."""
    port = port or free_port()
    with log.open("a") as out:
        process = subprocess.Popen(
            [str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield ChromaServer(url, port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"chroma run exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"chroma run did not answer at {url} within {START_TIMEOUT} s:\n{log.read_text()}")
