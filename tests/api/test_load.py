"""The load script against the real `serve` command: 20 users, no errors, bounded in time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from benchmarks.load import HARD_MARGIN, START_TIMEOUT
from benchmarks.processes import STOP_TIMEOUT
from tests.conftest import ROOT, copy_of_shipped_index
from tests.offline import guarded_env

USERS = 20
DURATION = 15
BASELINE = 5
# The script's own bounds (server start, calls in flight, server stop) and its imports: a
# script that stops itself ends within these however slow the machine is.
BOUND = START_TIMEOUT + DURATION + HARD_MARGIN + STOP_TIMEOUT + 30


def test_twenty_users_get_answers_without_errors_and_the_script_stops_itself(
    assistant, shipped_home, tmp_path
):
    # A copy of the built index, so the server this script starts shares nothing with others.
    home = copy_of_shipped_index(shipped_home, tmp_path / "home")
    # The script and the server it starts both run under the guard: loopback only.
    attempts, guard = guarded_env(tmp_path)
    started = time.monotonic()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.load",
            "--home",
            str(home),
            "--users",
            str(USERS),
            "--duration",
            str(DURATION),
            "--baseline",
            str(BASELINE),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,  # the exit code is asserted below, with the output
        timeout=BOUND + 60,
        cwd=ROOT,
        env={**os.environ, **guard},
    )
    took = time.monotonic() - started

    assert run.returncode == 0, run.stdout + run.stderr
    figures = json.loads(run.stdout)
    assert figures["errors"] == 0, figures["first_errors"]
    assert figures["requests"] > USERS
    assert figures["users_served"] == USERS
    assert figures["p95_s"] is not None
    assert figures["baseline_p50_s"] is not None
    # No call starts after the deadline, so the load ends within the longest call of it.
    assert figures["elapsed_s"] < DURATION + figures["max_s"] + 5
    assert took < BOUND
    assert attempts.read_text() == ""
