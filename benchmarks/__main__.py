"""Benchmark ingest, warm answers and a cold CLI call, each against its own baseline.

- ingest throughput (passages/s, parse + chunk + embed + store into a fresh Chroma index)
  as a ratio of the encoder's own `encode` throughput on the same passage texts;
- warm `ask` latency p50/p95 over the dev questions, beside one query `encode` call;
- cold `conduct-assistant ask` wall time as a ratio of a bare `import sentence_transformers`,
  and whether that call imports torch at all (`python -X importtime`).
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table


def _median_time(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3, help="runs per timed step (median kept)")
    args = parser.parse_args()

    import knowledge_base

    from assistant.config import Settings
    from assistant.evaluation.metrics import load_questions
    from ingest.chunking import Chunker
    from ingest.loader import discover, load_document
    from vectorstore.embedder import Embedder

    settings = Settings.from_env()
    # One home for the warm measures and the cold CLI call, so that the CLI finds the encoder's
    # ONNX export made while the index was built, as a user's home would hold it.
    ask_home = Path(tempfile.mkdtemp(prefix="conduct-bench-"))
    atexit.register(shutil.rmtree, ask_home, ignore_errors=True)
    embedder = Embedder(settings.model_dir, onnx_dir=Settings.from_env(home=ask_home).encoder_dir)
    chunker = Chunker(settings.model_dir / "tokenizer.json")
    passages = [p for f in discover([settings.corpus_dir]) for p in chunker.passages(load_document(f))]
    texts = [p.indexed_text for p in passages]
    embedder.encode(texts[:32])  # load and warm the model

    encode_seconds = _median_time(lambda: embedder.encode(texts), args.repeats)
    ingest_seconds = statistics.median(_ingest_fresh(embedder) for _ in range(args.repeats))
    questions = [q.question for q in load_questions(knowledge_base.DEV_SET)]
    latencies = _warm_asks(ask_home, embedder, questions, args.repeats)
    query_encode = _median_time(lambda: embedder.encode([questions[0]]), 20)
    cold_ask, bare_import, imported = _cold_ask(ask_home, questions[0], args.repeats)

    n = len(texts)
    table = Table(title=f"conduct-assistant benchmarks ({n} passages, {len(questions)} dev questions)")
    for column in ("measure", "value", "baseline", "ratio"):
        table.add_column(column, justify="right" if column != "measure" else "left")
    table.add_row(
        "ingest throughput (passages/s)",
        f"{n / ingest_seconds:.1f}",
        f"encoder alone {n / encode_seconds:.1f}",
        f"{encode_seconds / ingest_seconds:.2f}",
    )
    p50, p95 = _percentile(latencies, 0.5), _percentile(latencies, 0.95)
    table.add_row("warm ask p50 (ms)", f"{p50 * 1000:.1f}", f"one query encode {query_encode * 1000:.1f}",
                  f"{p50 / query_encode:.1f}")
    table.add_row("warm ask p95 (ms)", f"{p95 * 1000:.1f}", f"one query encode {query_encode * 1000:.1f}",
                  f"{p95 / query_encode:.1f}")
    table.add_row("cold CLI ask (s)", f"{cold_ask:.2f}", f"import sentence_transformers {bare_import:.2f}",
                  f"{cold_ask / bare_import:.2f}")
    table.add_row("torch imported by a cold ask", "yes" if "torch" in imported else "no", "python -X importtime", "")
    Console().print(table)


def _ingest_fresh(embedder) -> float:
    """Seconds to build the shipped knowledge base into a new index with a warm encoder."""
    from assistant.config import Settings
    from assistant.service import ConductAssistant

    with tempfile.TemporaryDirectory() as home:
        fresh = ConductAssistant(Settings.from_env(home=Path(home)))
        # The warm model and an open store: both sides measure steady state, not start-up.
        fresh._embedder = embedder
        fresh.store.count()
        start = time.perf_counter()
        fresh.ensure_index()
        return time.perf_counter() - start


def _warm_asks(home: Path, embedder, questions: list[str], repeats: int) -> list[float]:
    """Seconds per answer, every question asked once first, then `repeats` times over."""
    from assistant.config import Settings
    from assistant.service import ConductAssistant

    assistant = ConductAssistant(Settings.from_env(home=home))
    assistant._embedder = embedder
    assistant.ensure_index()
    for question in questions:
        assistant.ask(question)
    latencies = []
    for _ in range(repeats):
        for question in questions:
            start = time.perf_counter()
            assistant.ask(question)
            latencies.append(time.perf_counter() - start)
    return latencies


def _cold_ask(home: Path, question: str, repeats: int) -> tuple[float, float, set[str]]:
    """A cold `ask --json` in a new process, a bare `import sentence_transformers` beside it,
    and the modules the cold ask imports."""
    env = {**os.environ, "CONDUCT_ASSISTANT_HOME": str(home)}
    ask_command = [sys.executable, "-m", "assistant", "ask", question, "--json"]
    cold_ask = _median_time(lambda: subprocess.run(ask_command, env=env, capture_output=True, check=True), repeats)
    bare_import = _median_time(
        lambda: subprocess.run(
            [sys.executable, "-c", "import sentence_transformers"], env=env, capture_output=True, check=True
        ),
        repeats,
    )
    traced = subprocess.run(
        [sys.executable, "-X", "importtime", *ask_command[1:]], env=env, capture_output=True, text=True, check=True
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in traced.stderr.splitlines() if "|" in line}
    return cold_ask, bare_import, imported


if __name__ == "__main__":
    main()
