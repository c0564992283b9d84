"""A server process for the length of a block: started, waited for until its URL answers,
stopped. The load benchmark and the tests run the browser chat and `chroma run` this way."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

STOP_TIMEOUT = 20


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(
    command: list[str],
    probe_url: str,
    log: Path,
    start_timeout: float,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    append: bool = False,
) -> Iterator[subprocess.Popen]:
    """Run `command`, its output to `log`, until the block ends; the block starts once
    `probe_url` answers (a login prompt counts). A process that exits or does not answer
    within `start_timeout` seconds raises RuntimeError with its log."""
    with log.open("a" if append else "w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    try:
        _wait_until_up(command[0], probe_url, process, log, start_timeout)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_up(name: str, url: str, process: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # up, and asking for a login
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer at {url} within {timeout} s:\n{log.read_text()}")
