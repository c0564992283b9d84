"""`ingest --sync DIR`: the index follows a folder of mixed formats, and survives a crash."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.service import ConductAssistant
from tests.conftest import FIXTURES, ROOT, json_lines, run_cli
from tests.fixtures.formats import documents as docs


def _folder(root: Path) -> Path:
    """Fictional pages in every supported format, one of them in a subfolder."""
    folder = root / "casework"
    (folder / "older").mkdir(parents=True)
    for name in ("multi-mixed.txt", "single-yes.txt", "bare-accepted.txt"):
        shutil.copy(FIXTURES / "pages" / name, folder)
    shutil.copy(FIXTURES / "formats" / "recommendations-northshire-police-may-2024.html", folder)
    docs.westmoor_pdf(folder / "older" / "westmoor-november-2023.pdf")
    docs.eastfold_docx(folder / "eastfold-february-2025.docx")
    return folder


def _assistant(home: Path, corpus: Path) -> ConductAssistant:
    return ConductAssistant(Settings.from_env(home=home, corpus_dir=corpus))


def _passages(assistant: ConductAssistant) -> Counter:
    """Each stored passage as (document, section, text), counted: any duplicate shows as 2."""
    return Counter(
        (p.metadata["doc_id"], p.metadata["section"], p.text) for p in assistant.retriever.passages
    )


def _clean_build(folder: Path, tmp_path: Path, name: str) -> Counter:
    corpus = tmp_path / f"{name}-corpus"
    corpus.mkdir()
    clean = _assistant(tmp_path / name, corpus)
    assert all(r.status == "added" for r in clean.ingest([folder]))
    return _passages(clean)


def test_sync_adds_reindexes_and_removes_exactly(tmp_path):
    folder = _folder(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assistant = _assistant(tmp_path / "home", corpus)

    first = {Path(r.path).name: r for r in assistant.sync(folder)}
    assert {r.status for r in first.values()} == {"added"} and len(first) == 6
    assert first["westmoor-november-2023.pdf"].recognised.startswith("IOPC recommendations page (PDF")
    assert first["eastfold-february-2025.docx"].recognised.startswith("IOPC recommendations page (DOCX")
    assert "(HTML" in first["recommendations-northshire-police-may-2024.html"].recognised

    page = folder / "single-yes.txt"
    page.write_text(page.read_text("utf-8") + "\nA further update was published in June 2024.\n", "utf-8")
    (folder / "bare-accepted.txt").unlink()
    (folder / "older" / "westmoor-november-2023.pdf").unlink()

    second = {Path(r.path).name: r for r in assistant.sync(folder)}
    assert {name: r.status for name, r in second.items()} == {
        "multi-mixed.txt": "unchanged",
        "single-yes.txt": "updated",
        "recommendations-northshire-police-may-2024.html": "unchanged",
        "eastfold-february-2025.docx": "unchanged",
        "bare-accepted.txt": "removed",
        "westmoor-november-2023.pdf": "removed",
    }
    assert second["westmoor-november-2023.pdf"].passages == first["westmoor-november-2023.pdf"].passages
    assert second["westmoor-november-2023.pdf"].line().startswith("removed: ")

    stored = _passages(assistant)
    assert max(stored.values()) == 1
    assert stored == _clean_build(folder, tmp_path, "clean")
    assert {doc for doc, _, _ in stored} == {
        "multi-mixed", "single-yes", "recommendations-northshire-police-may-2024", "eastfold-february-2025"
    }
    assert any("June 2024" in text for doc, _, text in stored if doc == "single-yes")
    rows = assistant.precedents("", limit=100).rows
    assert not any(r.doc_id in ("bare-accepted", "westmoor-november-2023") for r in rows)
    assert {r.doc_id for r in assistant.precedents("", assistant.criteria(accepted=["no"])).rows} == {
        "multi-mixed", "recommendations-northshire-police-may-2024", "eastfold-february-2025"
    }

    third = assistant.sync(folder)
    assert {r.status for r in third} == {"unchanged"} and len(third) == 4


def test_a_file_moved_within_the_folder_stays_indexed_under_its_new_path(tmp_path):
    folder = _folder(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    assistant = _assistant(tmp_path / "home", corpus)
    assistant.sync(folder)

    moved = folder / "older" / "single-yes.txt"
    (folder / "single-yes.txt").rename(moved)
    second = {Path(r.path).name: r.status for r in assistant.sync(folder)}
    assert second["single-yes.txt"] == "updated"
    assert "removed" not in second.values()

    stored = _passages(assistant)
    assert stored == _clean_build(folder, tmp_path, "clean")
    assert assistant.store.documents()["single-yes"].metadata["source"] == str(moved.resolve())
    assert {r.status for r in assistant.sync(folder)} == {"unchanged"}


CRASHING_SYNC = """
import os, signal, sys
from pathlib import Path
from assistant.service import ConductAssistant

def crash(report):
    if report.status == "added":
        os.kill(os.getpid(), signal.SIGKILL)

ConductAssistant().sync(Path(sys.argv[1]), crash)
"""


# A fault injected into a real process, as in test_faults.
@pytest.mark.slow
def test_a_crash_mid_sync_leaves_a_readable_index_that_a_rerun_completes(tmp_path):
    folder = _folder(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    home = tmp_path / "home"
    env = {
        **os.environ,
        "CONDUCT_ASSISTANT_HOME": str(home),
        "CONDUCT_ASSISTANT_CORPUS_DIR": str(corpus),
        # One document per embedding group, so the crash falls between two writes.
        "CONDUCT_ASSISTANT_EMBED_GROUP": "1",
    }
    crashed = subprocess.run(
        [sys.executable, "-c", CRASHING_SYNC, str(folder)], env=env, cwd=ROOT, timeout=600
    )
    assert crashed.returncode == -signal.SIGKILL

    after_crash = _assistant(home, corpus)
    written = after_crash.store.documents()
    assert 1 <= len(written) < 6
    assert after_crash.search("CCTV blind spot in custody", 3)

    rerun = json_lines(
        run_cli("ingest", "--sync", str(folder), "--json", home=home, extra_env=env).stdout
    )
    statuses = Counter(r["status"] for r in rerun)
    assert statuses["failed"] == 0 and statuses["unchanged"] == len(written)
    assert statuses["added"] == 6 - len(written)

    stored = _passages(_assistant(home, corpus))
    assert max(stored.values()) == 1
    assert stored == _clean_build(folder, tmp_path, "clean")
