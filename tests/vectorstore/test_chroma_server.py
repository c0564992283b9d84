"""Server mode: every command and the UI keep the index on a real Chroma server (`chroma run`)."""

from __future__ import annotations

import json
import shutil

import pytest

from assistant.config import Settings
from assistant.service import ConductAssistant
from tests.chroma_server import chroma_server
from tests.conftest import FIXTURES, ROOT, json_lines, run_cli
from tests.ui_server import serve
from vectorstore.chroma_store import StoreError

SMALL_CORPUS = (
    "guidance/acpo-2013-social-media-guidelines.md",
    "legislation/equality-act-2010.md",
    "precedents/recommendations-greater-manchester-police-december-2020.md",
)
QUESTION = "can i get sacked for a facebook post when off duty"


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in SMALL_CORPUS:
        shutil.copy(ROOT / "data" / "corpus" / name, folder)
    return folder


def _cited(answer: dict) -> set[str]:
    return {c["doc_id"] for c in answer["citations"]}


def test_ingest_ask_restart_ask_and_the_ui_all_on_the_server(tmp_path, corpus):
    home = tmp_path / "home"
    data = tmp_path / "chroma-data"
    log = tmp_path / "chroma.log"
    env = {"CONDUCT_ASSISTANT_CORPUS_DIR": str(corpus)}
    page = FIXTURES / "pages" / "single-yes.txt"
    with chroma_server(data, log) as server:
        ingest = run_cli("--chroma-url", server.url, "ingest", str(page), "--json", home=home, extra_env=env)
        assert ingest.returncode == 0, ingest.stderr
        assert [r["status"] for r in json_lines(ingest.stdout)] == ["added"]
        first = run_cli("--chroma-url", server.url, "ask", QUESTION, "--json", home=home, extra_env=env)
        assert first.returncode == 0, first.stderr
        port = server.port
    # Everything went to the server: the home folder holds no embedded index.
    assert not (home / "index").exists()
    assert (data / "chroma.sqlite3").exists()

    with chroma_server(data, log, port=port) as server:
        again = run_cli("ask", QUESTION, "--json", home=home, extra_env={**env, "CONDUCT_ASSISTANT_CHROMA_URL": server.url})
        assert again.returncode == 0, again.stderr
        before, after = json.loads(first.stdout), json.loads(again.stdout)
        assert before["answered"] and "acpo-2013-social-media-guidelines" in _cited(before)
        assert (after["answer"], after["citations"]) == (before["answer"], before["citations"])

        from gradio_client import Client

        ui_env = {**env, "CONDUCT_ASSISTANT_CHROMA_URL": server.url}
        with serve(home, tmp_path, env=ui_env) as ui:
            answer = json.loads(
                Client(ui.url, verbose=False).predict(
                    "did Wessex accept the body-worn video recommendation?", api_name="/ask"
                )
            )
        assert "single-yes" in _cited(answer)
    assert not (home / "index").exists()


def test_a_running_assistant_sees_another_process_ingest(tmp_path, corpus):
    """Two processes agree: BM25 and the vectors are reloaded when the server's index changes."""
    home = tmp_path / "home"
    with chroma_server(tmp_path / "chroma-data", tmp_path / "chroma.log") as server:
        env = {"CONDUCT_ASSISTANT_CORPUS_DIR": str(corpus), "CONDUCT_ASSISTANT_CHROMA_URL": server.url}
        running = ConductAssistant(Settings.from_env(home=home, corpus_dir=corpus, chroma_url=server.url))
        running.ensure_index()
        question = "Wessex Constabulary body-worn video dip-sampling"
        assert not any(h.doc_id == "single-yes" for h in running.search(question, 5))

        page = FIXTURES / "pages" / "single-yes.txt"
        ingest = run_cli("ingest", str(page), home=home, extra_env=env)
        assert ingest.returncode == 0, ingest.stderr

        from assistant.retrieval.hybrid import Mode

        for mode in (Mode.BM25, Mode.DENSE, Mode.HYBRID):
            hits = running.search(question, 5, mode=mode)
            assert hits[0].doc_id == "single-yes", mode
        assert running.store.count() == len(running.retriever.passages)


def test_a_server_that_is_not_running_gives_one_line(tmp_path, corpus):
    from benchmarks.processes import free_port

    url = f"http://127.0.0.1:{free_port()}"
    result = run_cli("--chroma-url", url, "ask", QUESTION, home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"error: cannot reach the Chroma server at {url}; start it (chroma run --path DIR "
        "--port PORT) or unset CONDUCT_ASSISTANT_CHROMA_URL to use the local index"
    )
    bad = run_cli("ask", QUESTION, home=tmp_path / "home", extra_env={"CONDUCT_ASSISTANT_CHROMA_URL": "ftp://x"})
    assert bad.returncode == 2 and bad.stderr.strip() == (
        "error: CONDUCT_ASSISTANT_CHROMA_URL=ftp://x: must be empty or an http(s) URL"
    )


def test_a_server_that_stops_mid_session_gives_one_line(tmp_path, corpus):
    home = tmp_path / "home"
    with chroma_server(tmp_path / "chroma-data", tmp_path / "chroma.log") as server:
        running = ConductAssistant(Settings.from_env(home=home, corpus_dir=corpus, chroma_url=server.url))
        assert running.ask(QUESTION).answered
    with pytest.raises(StoreError, match="cannot reach the Chroma server"):
        running.ask(QUESTION)
