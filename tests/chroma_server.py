"""A real Chroma server (`chroma run`) on a free loopback port, for the server-mode tests."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.processes import free_port, running

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
    url = f"http://127.0.0.1:{port}"
    command = [str(CHROMA), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data)]
    with running(command, f"{url}/api/v2/heartbeat", log, START_TIMEOUT, append=True) as process:
        yield ChromaServer(url, port, process)
