"""Ingest into a real Chroma index: idempotence, updates, and bad input."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from tests.conftest import FIXTURES, json_lines, run_cli

CORPUS = Settings.from_env().corpus_dir
SEED = CORPUS / "recommendations" / "recommendations-northumbria-police-march-2021.txt"


def _copy_small_corpus(target: Path) -> None:
    """A small knowledge base: the seed page (with its sidecar) and one Markdown file."""
    shutil.copy(SEED, target)
    shutil.copy(SEED.with_name(SEED.stem + ".meta.yaml"), target)
    shutil.copy(CORPUS / "legislation" / "equality-act-2010.md", target)


def test_first_use_builds_the_index_and_reingest_changes_nothing(fresh_assistant):
    corpus = fresh_assistant.settings.corpus_dir
    _copy_small_corpus(corpus)
    first = fresh_assistant.ensure_index()
    assert {r.status for r in first} == {"added"}
    count = fresh_assistant.store.count()
    assert count == sum(r.passages for r in first) > 20

    again = fresh_assistant.ingest([corpus])
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert fresh_assistant.store.count() == count
    assert [r.passages for r in again] == [r.passages for r in first]


def test_changed_file_replaces_its_passages_without_duplicates(fresh_assistant, tmp_path):
    corpus = fresh_assistant.settings.corpus_dir
    _copy_small_corpus(corpus)
    fresh_assistant.ensure_index()
    before = fresh_assistant.store.count()
    act = corpus / "equality-act-2010.md"
    text = act.read_text("utf-8")
    act.write_text(text.replace("Section 4 of the Equality Act 2010 lists nine", "Section 4 lists nine"), "utf-8")

    reports = fresh_assistant.ingest([act])
    assert [(r.doc_id, r.status) for r in reports] == [("equality-act-2010", "updated")]
    assert fresh_assistant.store.count() == before
    texts = [p.text for p in fresh_assistant.retriever.passages if p.metadata["doc_id"] == "equality-act-2010"]
    assert any(t.startswith("Section 4 lists nine") for t in texts)
    assert not any("Section 4 of the Equality Act 2010 lists nine" in t for t in texts)
    assert len(texts) == len(set(texts))


def test_user_files_are_added_beside_the_shipped_knowledge_base(fresh_assistant):
    _copy_small_corpus(fresh_assistant.settings.corpus_dir)
    reports = fresh_assistant.ingest([FIXTURES / "pages" / "multi-mixed.txt"])
    assert [r.status for r in reports] == ["added", "added", "added"]
    assert reports[-1].recognised == "IOPC recommendations page with 3 recommendations"
    records = {r["doc_id"]: r for r in fresh_assistant.records()}
    assert set(records) == {"recommendations-northumbria-police-march-2021", "multi-mixed"}
    assert [r["accepted"] for r in records["multi-mixed"]["recommendations"]] == ["yes", "no", "partially"]


def _hostile_files(folder: Path, big_bytes: int) -> dict[str, str]:
    """Bad files and the reason each must be refused for."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text("   \n\n  ", "utf-8")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    (folder / "truncated.txt").write_bytes("Officers must report \u201c".encode()[:-1])
    (folder / "latin1.txt").write_bytes("Caf\u00e9 culture and the Code of Ethics".encode("latin-1"))
    (folder / "huge.txt").write_bytes(b"officer conduct " * (big_bytes // 16 + 1))
    (folder / "bad-front-matter.md").write_text("---\nid: [oops\n---\n## s1 \u2014 X\nText.\n", "utf-8")
    shutil.copy(FIXTURES / "pages" / "malformed-no-recommendation.txt", folder)
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4 not supported here")
    (folder / "letter.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    return {
        "empty.txt": "empty file",
        "blank.md": "only white space",
        "binary.txt": "binary file",
        "truncated.txt": "truncated UTF-8",
        "latin1.txt": "not UTF-8",
        "huge.txt": "file too large",
        "bad-front-matter.md": "malformed YAML front matter",
        "malformed-no-recommendation.txt": "no paragraph beginning 'The IOPC recommends'",
        "scan.pdf": "malformed PDF",
        "letter.doc": "unsupported file type",
    }


def test_bad_files_get_one_clear_line_each_and_the_rest_still_ingests(tmp_path):
    home = tmp_path / "home"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _copy_small_corpus(corpus)
    bad = tmp_path / "incoming"
    expected = _hostile_files(bad, big_bytes=64 * 1024)
    good = bad / "single-yes.txt"
    shutil.copy(FIXTURES / "pages" / "single-yes.txt", good)
    env = {"CONDUCT_ASSISTANT_CORPUS_DIR": str(corpus), "CONDUCT_ASSISTANT_MAX_FILE_BYTES": "65536"}

    result = run_cli("ingest", str(bad), str(tmp_path / "missing.txt"), home=home, extra_env=env)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    for name, reason in expected.items():
        line = next(l for l in lines if l.startswith(f"error: {bad / name}:"))
        assert reason in line
    assert f"error: {tmp_path / 'missing.txt'}: no such file" in lines
    assert f"added: {good} (IOPC recommendations page with 1 recommendation; 3 passages)" in lines
    assert "Traceback" not in result.stderr
    passages = _passages_in_index(result.stderr)
    assert passages > 3  # the shipped files and the good page

    # The index kept the shipped files and the good one; a second run loses and duplicates nothing.
    again = run_cli("ingest", str(bad), "--json", home=home, extra_env=env)
    reports = {Path(r["path"]).name: r for r in json_lines(again.stdout)}
    assert reports["single-yes.txt"]["status"] == "unchanged"
    assert {r["status"] for n, r in reports.items() if n in expected} == {"failed"}
    assert all(r["error"] for n, r in reports.items() if n in expected)
    assert again.returncode == 1
    summary = run_cli("ingest", str(good), home=home, extra_env=env)
    assert _passages_in_index(summary.stderr) == passages


def _passages_in_index(stderr: str) -> int:
    match = re.search(r"(\d+) passages in the index", stderr)
    assert match, stderr
    return int(match.group(1))


def test_file_over_the_default_limit_is_refused(fresh_assistant, tmp_path):
    big = tmp_path / "dump.txt"
    big.write_bytes(b"a" * (fresh_assistant.settings.max_file_bytes + 1))
    _copy_small_corpus(fresh_assistant.settings.corpus_dir)
    reports = fresh_assistant.ingest([big])
    assert reports[-1].status == "failed" and reports[-1].error.startswith("file too large")


def test_two_files_claiming_one_document_id_are_not_merged(fresh_assistant, tmp_path):
    _copy_small_corpus(fresh_assistant.settings.corpus_dir)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "memo.txt").write_text(f"A memo from folder {folder}.", "utf-8")
    reports = fresh_assistant.ingest([tmp_path / "a", tmp_path / "b"])
    assert [r.status for r in reports[-2:]] == ["added", "failed"]
    assert "already used by" in reports[-1].error


@pytest.mark.parametrize("question", ["", "   ", "x" * 5000])
def test_bad_questions_get_a_message_not_a_trace(assistant, question):
    from assistant.questions import QuestionError

    with pytest.raises(QuestionError):
        assistant.ask(question)


def test_a_file_may_not_take_over_another_files_document_id(fresh_assistant, tmp_path):
    _copy_small_corpus(fresh_assistant.settings.corpus_dir)
    fresh_assistant.ensure_index()
    before = fresh_assistant.store.count()
    impostor = tmp_path / "equality-act-2010.txt"
    impostor.write_text("Some notes of my own.", "utf-8")
    (report,) = fresh_assistant.ingest([impostor])
    assert report.status == "failed" and "belongs to" in report.error
    assert fresh_assistant.store.count() == before


def test_odd_markdown_is_parsed_not_lost(fresh_assistant, tmp_path):
    _copy_small_corpus(fresh_assistant.settings.corpus_dir)
    odd = tmp_path / "odd.md"
    long_heading = " ".join(["word"] * 220)
    odd.write_text(
        "---\naccepted: yes\nthemes: [Custody Checks]\nkind: precedent\n---\n# Odd\n"
        f"## s1 \u2014 {long_heading}\nThe first section text is here.\n"
        "## s2 - Hyphenated heading\nThe second section text is here.\n"
        "## s1 \u2014 Repeated id\nThe repeated section text is here.\n",
        "utf-8",
    )
    (report,) = fresh_assistant.ingest([odd])[-1:]
    assert report.status == "added", report.error
    stored = [p.metadata for p in fresh_assistant.retriever.passages if p.metadata["doc_id"] == "odd"]
    assert sorted(m["section"] for m in stored) == ["s1", "s1 (2)", "s2"]
    assert {m["accepted"] for m in stored} == {"yes"}
    assert {tuple(m["themes"]) for m in stored} == {("custody checks",)}
    hits = fresh_assistant.search("first section", 5, fresh_assistant.criteria(themes=["Custody Checks"]))
    assert hits and {h.doc_id for h in hits} == {"odd"}
