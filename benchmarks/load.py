"""Load the browser UI's `ask` API with concurrent users over loopback, for a bounded time.

Measured, in one run against one server:
- baseline: one user asking sequentially before the load starts (latency p50/p95);
- under load: `--users` users, each its own `gradio_client.Client`, asking back to back for
  `--duration` seconds: requests answered, errors, throughput, latency p50/p95/max, and the
  p50 under load as a ratio of the baseline p50.

Latency is the wall time of one call as a client sees it, queue wait included. An error is a
call that raised, timed out, or returned anything but an answer to the question asked.
Exits 1 on any error. Without `--url` it serves the UI itself on a free loopback port against
CONDUCT_ASSISTANT_HOME (or `--home`) and stops it at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Before gradio_client is imported (huggingface_hub reads these once): building a Client's
# headers otherwise fetches an agent registry from huggingface.co, and its telemetry thread
# posts there unless analytics are off in the environment as well as in the argument.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
# Nor send a locally saved Hugging Face token to the app.
os.environ["HF_HUB_DISABLE_IMPLICIT_TOKEN"] = "1"

from gradio_client import Client
from knowledge_base import DEV_SET
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from assistant.evaluation.metrics import load_questions
from benchmarks.processes import free_port, running

ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT = 180  # an empty index is built from the shipped knowledge base first
# The baseline and the load end by `--duration` + this even if the server hangs (its start
# has a limit of its own): a bound on calls still in flight, not a time to wait.
HARD_MARGIN = 120
SEED = 20
ANSWER_KEYS = {"question", "answered", "answer", "citations"}
SHOWN_ERRORS = 5
KEPT_ERRORS = 20

# How officers type, beside the dev set's well-formed questions, and some the knowledge base
# cannot answer: every kind must come back as an answer, not an error.
INFORMAL = [
    "can i get sacked for a facebook post",
    "is banter in the group chat ok",
    "do i have to report my mate if he says something racist",
    "what happens if i dont wear my body cam",
    "can i have a drink before my shift",
    "am i allowed a second job",
    "whats gross misconduct",
    "do i need to tell them if im arrested off duty",
]
UNANSWERABLE = [
    "what will the weather be in leeds tomorrow",
    "who won the fa cup in 1987",
    "how do i bake sourdough bread",
]


def questions() -> list[str]:
    return [q.question for q in load_questions(DEV_SET)] + INFORMAL + UNANSWERABLE


@dataclass(frozen=True)
class Call:
    user: int
    seconds: float
    error: str | None


def connect(url: str) -> Client:
    return Client(url, verbose=False, analytics_enabled=False, download_files=False)


def ask(client: Client, question: str, timeout: float) -> str | None:
    """One call of the `ask` API; the error message, or None when it answered the question."""
    job = client.submit(question, api_name="/ask")
    try:
        result = job.result(timeout=timeout)
    except FutureTimeout:
        # Out of the server's queue too, so a timed-out call does not load the rest; the server
        # may be what hangs, and the call is abandoned either way.
        with suppress(Exception):
            job.cancel()
        return f"no answer within {timeout:.0f} s"
    except Exception as err:  # noqa: BLE001 - whatever the client raises is the error counted
        return f"{type(err).__name__}: {err}"
    try:
        result = json.loads(result)
    except (TypeError, ValueError):
        return f"not JSON: {str(result)[:200]}"
    if not isinstance(result, dict) or not ANSWER_KEYS <= result.keys():
        return f"not an answer: {str(result)[:200]}"
    if result["question"] != question:
        return f"answer to another question: {result['question'][:100]!r}"
    return None


def timed_ask(client: Client, user: int, question: str, timeout: float) -> Call:
    start = time.perf_counter()
    error = ask(client, question, timeout)
    return Call(user, time.perf_counter() - start, error)


def run_user(
    url: str,
    user: int,
    pool: list[str],
    stop_at: float,
    hard_at: float,
    timeout: float,
    stop: threading.Event,
    calls: list[Call],
    errors: list[str],
) -> None:
    """Ask back to back until `stop_at`; a call started before it may finish after it."""
    rng = random.Random(SEED + user)
    try:
        client = connect(url)
    except Exception as err:  # noqa: BLE001 - a user who cannot connect is an error counted
        errors.append(f"user {user}: connect: {type(err).__name__}: {err}")
        return
    try:
        while not stop.is_set() and time.monotonic() < stop_at:
            limit = min(timeout, hard_at - time.monotonic())
            calls.append(timed_ask(client, user, rng.choice(pool), limit))
    finally:
        client.close()


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@contextmanager
def served(home: Path | None) -> Iterator[str]:
    """`python -m assistant serve` on a free loopback port until the block ends; yields its URL."""
    port = free_port()
    env = {**os.environ, **({"CONDUCT_ASSISTANT_HOME": str(home)} if home else {})}
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port)]
    with (
        tempfile.TemporaryDirectory(prefix="conduct-load-") as scratch,
        running(command, url, Path(scratch) / "serve.log", START_TIMEOUT, env=env, cwd=ROOT),
    ):
        yield url


def _baseline(url: str, pool: list[str], baseline: int, hard_at: float, timeout: float, errors: list[str]) -> list[Call]:
    """`baseline` questions asked one at a time by one user, after one untimed warm-up call."""
    single = connect(url)
    try:
        # One call first, not timed: the server loads its encoder on the first question.
        if warm_up := ask(single, pool[0], timeout):
            errors.append(f"warm-up: {warm_up}")
        alone = [
            timed_ask(single, 0, q, min(timeout, hard_at - time.monotonic()))
            for q in random.Random(SEED).choices(pool, k=baseline)
        ]
    finally:
        single.close()
    errors += [f"baseline: {c.error}" for c in alone if c.error]
    return alone


def measure(url: str, users: int, duration: float, baseline: int, timeout: float) -> dict[str, Any]:
    """The baseline, then the load; returns the figures."""
    pool = questions()
    hard_at = time.monotonic() + duration + HARD_MARGIN
    errors: list[str] = []

    alone = _baseline(url, pool, baseline, hard_at, timeout, errors)
    calls: list[Call] = []
    stop = threading.Event()
    start = time.monotonic()
    threads = [
        threading.Thread(
            target=run_user,
            args=(url, user, pool, start + duration, hard_at, timeout, stop, calls, errors),
            name=f"user-{user}",
            daemon=True,
        )
        for user in range(users)
    ]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(max(0.0, hard_at - time.monotonic()))
    finally:
        stop.set()
    elapsed = time.monotonic() - start
    stuck = sum(thread.is_alive() for thread in threads)

    done = list(calls)
    errors += [f"user {c.user}: {c.error}" for c in done if c.error]
    if stuck:
        errors.append(f"{stuck} users still waiting at the hard timeout")
    ok = [c.seconds for c in done if not c.error]
    baseline_ok = [c.seconds for c in alone if not c.error]
    p50, base_p50 = percentile(ok, 0.5), percentile(baseline_ok, 0.5)
    return {
        "url": url,
        "users": users,
        "duration_s": duration,
        "elapsed_s": round(elapsed, 3),
        "requests": len(ok),
        "errors": len(errors),
        "first_errors": errors[:KEPT_ERRORS],
        "users_served": len({c.user for c in done if not c.error}),
        "stuck_users": stuck,
        "throughput_rps": round(len(ok) / elapsed, 3),
        "p50_s": p50,
        "p95_s": percentile(ok, 0.95),
        "max_s": max(ok, default=None),
        "baseline_requests": len(baseline_ok),
        "baseline_p50_s": base_p50,
        "baseline_p95_s": percentile(baseline_ok, 0.95),
        "baseline_throughput_rps": (
            round(len(baseline_ok) / sum(baseline_ok), 3) if baseline_ok else 0.0
        ),
        "p50_ratio": round(p50 / base_p50, 2) if p50 and base_p50 else None,
    }


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f} s"


def report(figures: dict[str, Any], console: Console) -> None:
    table = Table(title=f"`ask` under load at {figures['url']}")
    table.add_column("measure")
    table.add_column("value", justify="right")
    ratio = figures["p50_ratio"]
    rows = [
        ("users", str(figures["users"])),
        (
            "duration (load window)",
            f"{figures['duration_s']:g} s ({figures['elapsed_s']:.1f} s to last answer)",
        ),
        ("requests answered", str(figures["requests"])),
        ("errors", str(figures["errors"])),
        ("users with an answer", f"{figures['users_served']} of {figures['users']}"),
        ("throughput", f"{figures['throughput_rps']:.2f} req/s"),
        ("latency p50", _seconds(figures["p50_s"])),
        ("latency p95", _seconds(figures["p95_s"])),
        ("latency max", _seconds(figures["max_s"])),
        (
            f"baseline p50 (1 user, {figures['baseline_requests']} sequential)",
            _seconds(figures["baseline_p50_s"]),
        ),
        ("baseline p95", _seconds(figures["baseline_p95_s"])),
        ("baseline throughput", f"{figures['baseline_throughput_rps']:.2f} req/s"),
        ("p50 under load / baseline p50", "-" if ratio is None else f"{ratio:.1f}x"),
    ]
    for row in rows:
        table.add_row(*row)
    console.print(table)
    for message in figures["first_errors"][:SHOWN_ERRORS]:
        console.print(f"[red]error[/red] {escape(message)}", highlight=False)
    if figures["errors"] > SHOWN_ERRORS:
        console.print(f"... and {figures['errors'] - SHOWN_ERRORS} more errors")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", help="a running UI to load; by default one is started and stopped")
    parser.add_argument(
        "--home",
        type=Path,
        help="index home of the UI started here (default CONDUCT_ASSISTANT_HOME)",
    )
    parser.add_argument("--users", type=int, default=20, help="concurrent users (default 20)")
    parser.add_argument(
        "--duration", type=float, default=60, help="seconds users keep asking (default 60)"
    )
    parser.add_argument(
        "--baseline", type=int, default=20, help="sequential one-user requests first (default 20)"
    )
    parser.add_argument(
        "--timeout", type=float, default=60, help="seconds one call may take (default 60)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON, no table")
    args = parser.parse_args(argv)
    if args.url and args.home:
        parser.error("--home is for the UI this script starts; not with --url")

    with nullcontext(args.url) if args.url else served(args.home) as url:
        figures = measure(url, args.users, args.duration, args.baseline, args.timeout)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        report(figures, Console())
    if figures["errors"]:
        sys.stdout.flush()
        # A failed call may still hold one of gradio_client's worker threads, which are not
        # daemons: a normal exit would wait for them, as long as the server keeps hanging.
        os._exit(1)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # the server, if started here, is already stopped
        sys.exit(130)
