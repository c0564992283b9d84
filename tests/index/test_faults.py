"""Fault campaign: an ingest killed at random points, two ingests at once, a read-only data
folder and a full disk. Each leaves an index that opens and answers, with every document
either whole or absent, and a re-run completes it without duplicates."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from chromadb.api.shared_system_client import SharedSystemClient

from assistant.config import Settings
from assistant.service import ConductAssistant
from ingest.loader import discover
from tests.conftest import FIXTURES, ROOT, json_lines, run_cli

SOCIAL_MEDIA = "can I be sacked for what I post on social media off duty?"


def _inspect(home: Path, env: dict[str, str], ask: str = "") -> dict:
    """What a new reader of the index in `home` sees: every document's entry, the passages
    readers get, and the answer to the question `ask`. Chroma's per-process cache is cleared first, so the
    index is read from disk as a new process would (a killed writer left it there)."""
    SharedSystemClient.clear_system_cache()
    reader = ConductAssistant(
        Settings.from_env(home=home, corpus_dir=Path(env["CONDUCT_ASSISTANT_CORPUS_DIR"]))
    )
    reader.ensure_index()  # builds the corpus folder into an empty index
    passages = reader.retriever.passages
    seen: dict = {
        "entries": {d: int(doc.metadata["passages"]) for d, doc in reader.store.documents().items()},
        "visible": dict(Counter(p.metadata["doc_id"] for p in passages)),
        "ids": [p.passage_id for p in passages],
        "stored": reader.store.count(),
    }
    if ask:
        answer = reader.ask(ask)
        seen.update(answered=answer.answered, cited=sorted({c.doc_id for c in answer.citations}))
    SharedSystemClient.clear_system_cache()
    return seen


def _assert_whole_documents(seen: dict) -> None:
    """Readers see each document whole (all its passages, once) or not at all."""
    assert len(seen["ids"]) == len(set(seen["ids"]))
    assert seen["visible"] == seen["entries"]


@pytest.fixture
def folder(tmp_path) -> Path:
    """The shipped knowledge base as a folder to ingest: 25 documents, 160 passages."""
    target = tmp_path / "incoming"
    shutil.copytree(ROOT / "data" / "corpus", target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    empty = tmp_path / "no-corpus"
    empty.mkdir()
    # Small embedding groups spread the writes over the whole run, so kills land between and
    # inside writes, not only while the encoder works.
    return {"CONDUCT_ASSISTANT_CORPUS_DIR": str(empty), "CONDUCT_ASSISTANT_EMBED_GROUP": "6"}


def test_kill_9_at_random_points_then_a_rerun_completes_without_duplicates(tmp_path, folder, env):
    home = tmp_path / "home"
    rng = random.Random(int(os.environ.get("FAULT_SEED", time.time_ns() % 10_000)))
    total_files = len(discover([folder]))
    killed_with_documents = []
    for _ in range(3):
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "ingest", str(folder), "--json"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, **env, "CONDUCT_ASSISTANT_HOME": str(home)},
            cwd=ROOT,
        )
        # A random point: after a random number of files were reported, and a random delay
        # into the next embedding or write.
        reports_before_kill = rng.randint(1, total_files - 2)
        assert process.stdout is not None
        for _ in range(reports_before_kill):
            if not process.stdout.readline():
                break
        time.sleep(rng.uniform(0.0, 0.8))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        seen = _inspect(home, env, ask=SOCIAL_MEDIA)
        _assert_whole_documents(seen)
        killed_with_documents.append(len(seen["entries"]))
    assert 0 < killed_with_documents[0] < total_files, killed_with_documents

    rerun = run_cli("ingest", str(folder), "--json", home=home, extra_env=env)
    assert rerun.returncode == 0, rerun.stderr
    statuses = [r["status"] for r in json_lines(rerun.stdout)]
    assert statuses.count("unchanged") >= killed_with_documents[-1]
    assert set(statuses) <= {"added", "unchanged"} and len(statuses) == total_files

    final = _inspect(home, env, ask=SOCIAL_MEDIA)
    _assert_whole_documents(final)
    clean = _inspect(tmp_path / "clean", {**env, "CONDUCT_ASSISTANT_CORPUS_DIR": str(folder)}, ask=SOCIAL_MEDIA)
    assert sorted(final["ids"]) == sorted(clean["ids"])
    assert final["stored"] == clean["stored"] == 160
    assert final["answered"] and final["cited"] == clean["cited"]


# A second `conduct-assistant ingest`, imported and waiting, so that it asks for the index
# while the first still writes (importing takes longer than the first's whole write).
SECOND_INGEST = """
import sys, time
from pathlib import Path
import assistant.cli.app, assistant.service
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.05)
sys.argv = ["conduct-assistant", "ingest", *sys.argv[2:]]
assistant.cli.app.main()
"""


def test_a_second_ingest_while_one_writes_is_refused_in_one_line(tmp_path, folder, env):
    home = tmp_path / "home"
    full_env = {**os.environ, **env, "CONDUCT_ASSISTANT_HOME": str(home)}
    go = tmp_path / "go"
    second = subprocess.Popen(
        [sys.executable, "-c", SECOND_INGEST, str(go), str(FIXTURES / "pages" / "single-yes.txt")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
        cwd=ROOT,
    )
    first = subprocess.Popen(
        [sys.executable, "-m", "assistant", "ingest", str(folder), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
        cwd=ROOT,
    )
    assert first.stdout is not None
    first.stdout.readline()  # the first has written a document: it holds the lock
    go.touch()
    out, err = second.communicate(timeout=300)
    assert second.returncode == 2, err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"error: another ingest is writing to this index (pid {first.pid} on ")
    assert line.endswith("wait for it to finish and run this again") and out == ""
    rest, _ = first.communicate(timeout=600)
    assert first.returncode == 0

    seen = _inspect(home, env)
    _assert_whole_documents(seen)
    assert seen["stored"] == 160 and "single-yes" not in seen["entries"]
    # Once the first is done, the second goes through.
    again = run_cli("ingest", str(FIXTURES / "pages" / "single-yes.txt"), home=home, extra_env=env)
    assert again.returncode == 0, again.stderr


@contextmanager
def small_disk(path: Path, size: str) -> Iterator[Path]:
    """A real file system of `size` (tmpfs), mounted at `path`, that can also be made read-only."""
    path.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], check=True)
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def _remount(path: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_a_read_only_data_folder_gives_one_line_and_changes_nothing(tmp_path, env):
    with small_disk(tmp_path / "home", "64m") as home:
        page = FIXTURES / "pages" / "single-yes.txt"
        assert run_cli("ingest", str(page), home=home, extra_env=env).returncode == 0
        # Read from the files, not through Chroma: a reader in this process would keep the
        # file system busy and stop it being remounted.
        before = _file_hashes(home / "index")
        _remount(home, "ro")
        for args in (("ingest", str(FIXTURES / "pages" / "multi-mixed.txt")), ("ask", "body-worn video")):
            result = run_cli(*args, home=home, extra_env=env)
            assert result.returncode == 2
            assert result.stderr.strip() == (
                f"error: the index folder {home / 'index'} is read-only; the assistant needs to "
                "write to it (set CONDUCT_ASSISTANT_HOME to a writable folder)"
            )
        _remount(home, "rw")
        assert _file_hashes(home / "index") == before
        after = _inspect(home, env, ask="did Wessex accept the body-worn video recommendation?")
        _assert_whole_documents(after)
        assert after["entries"] == {"single-yes": 3} and after["cited"] == ["single-yes"]


def _file_hashes(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small file system needs root")
def test_a_full_disk_gives_one_line_and_writes_nothing(tmp_path, folder, env):
    # One embedding group for the whole folder: the space check covers the whole write.
    env = {**env, "CONDUCT_ASSISTANT_EMBED_GROUP": "512"}
    with small_disk(tmp_path / "home", "8m") as home:
        page = FIXTURES / "pages" / "single-yes.txt"
        assert run_cli("ingest", str(page), home=home, extra_env=env).returncode == 0
        before = _inspect(home, env)

        result = run_cli("ingest", str(folder), home=home, extra_env=env)
        assert result.returncode == 2
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"error: not enough disk space for the index {home / 'index'}: ")
        assert line.endswith("free some space and run the ingest again")
        assert result.stdout == ""
        assert _inspect(home, env) == before

        # With room again, the same command completes the index.
        _remount(home, "size=96m")
        rerun = run_cli("ingest", str(folder), home=home, extra_env=env)
        assert rerun.returncode == 0, rerun.stderr
        after = _inspect(home, env)
        _assert_whole_documents(after)
        assert after["stored"] == before["stored"] + 160
