"""The UI layer without a browser: streaming, launch safety, HTML escaping, the transcript."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from assistant.api.tools import ApiTools
from assistant.ui.app import ChatApp, LaunchError, launch_options, read_logins
from assistant.ui.download_store import KEEP, DownloadStore
from assistant.ui.html_view import answer_html, catalogue_html
from assistant.ui.transcript import Turn, conversation_markdown

SOCIAL_MEDIA = "What are my duties on social media?"


@pytest.fixture(scope="module")
def app(assistant) -> ChatApp:
    return ChatApp(assistant)


def _content(update) -> str:
    messages = update[0]
    return messages[-1]["content"]


def test_an_answer_appears_progressively(app):
    updates = list(app.respond(SOCIAL_MEDIA, [], [], [], [], [], None, None))
    first, *middle, last = updates
    assert "Searching the knowledge base" in _content(first)
    assert middle, "the sentences arrive one by one before the cards"
    shown = [_content(u).count('class="ca-cite"') for u in middle]
    assert shown == sorted(shown) and shown[0] >= 1
    assert all("ca-card" not in _content(u) for u in middle)
    assert 'class="ca-card"' in _content(last)
    messages, turns, cleared, download = last
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert cleared == ""
    assert [t.answer.question for t in turns] == [SOCIAL_MEDIA]
    exported = Path(download["value"]).read_text("utf-8")
    lead = " ".join(s.text for s in turns[0].answer.lead)
    assert f"## 1. {SOCIAL_MEDIA}" in exported and f"**{lead}**" in exported


def test_the_conversation_informs_a_follow_up(app):
    *_, first = app.respond(
        "What did the IOPC recommend to Northumbria Police about social media?", [], [], [], [], [], None, None
    )
    *_, second = app.respond("and what did the force do about it?", first[0], first[1], [], [], [], None, None)
    turns = second[1]
    assert len(turns) == 2 and len(second[0]) == 4
    assert turns[1].answer.citations[0].doc_id == "recommendations-northumbria-police-march-2021"


def test_a_bad_question_is_one_line_in_the_chat_and_changes_no_state(app):
    *_, last = app.respond("?" * 3, [], [], [], [], [], None, None)
    assert "error: not a question" in _content(last)
    assert last[1] == []


def test_filters_are_recorded_with_the_turn(app):
    *_, last = app.respond(SOCIAL_MEDIA, [], [], ["legislation"], [], [], "2010", None)
    assert last[1][0].filters == "kind: legislation; years: 2010\u2013"


def test_api_answer_is_the_cli_json(assistant):
    assert json.loads(ApiTools(assistant).ask(SOCIAL_MEDIA)) == assistant.ask(SOCIAL_MEDIA).to_json()


def test_downloads_are_kept_in_one_bounded_folder(tmp_path):
    store = DownloadStore(tmp_path / "downloads", keep=3)
    paths = [store.save("conversation.md", f"turn {i}") for i in range(5)]
    assert [p.exists() for p in paths] == [False, False, True, True, True]
    assert len(list((tmp_path / "downloads").iterdir())) == 3
    assert paths[-1].name == "conversation.md" and paths[-1].read_text("utf-8") == "turn 4"
    assert store.save("brief.docx", b"PK\x03\x04").read_bytes() == b"PK\x03\x04"


def test_each_answer_offers_its_conversation_from_the_bounded_store(assistant, tmp_path):
    app = ChatApp(assistant)
    app.downloads = DownloadStore(tmp_path / "downloads", keep=2)
    for _ in range(3):
        *_, last = app.respond(SOCIAL_MEDIA, [], [], [], [], [], None, None)
    offered = Path(last[3]["value"])
    assert offered.parent.parent == tmp_path / "downloads" and offered.suffix == ".md"
    assert SOCIAL_MEDIA in offered.read_text("utf-8")
    assert len(list((tmp_path / "downloads").iterdir())) == 2


def test_ten_answers_over_the_default_bound_leave_exactly_that_many_files(assistant, tmp_path):
    app = ChatApp(assistant)
    app.downloads = DownloadStore(tmp_path / "downloads")
    for number in range(KEEP + 10):
        *_, last = app.respond(f"{SOCIAL_MEDIA} ({number})", [], [], [], [], [], None, None)
    files = [p for p in (tmp_path / "downloads").rglob("*") if p.is_file()]
    assert len(files) == KEEP
    assert Path(last[3]["value"]) in files


def test_loopback_needs_no_login():
    assert launch_options("127.0.0.1", 7860).auth is None
    assert launch_options("localhost", 7860).auth is None
    assert launch_options("::1", 7860).auth is None


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "assistant.example"])
def test_any_other_address_refuses_to_start_without_a_login(host):
    with pytest.raises(LaunchError, match="CONDUCT_ASSISTANT_AUTH"):
        launch_options(host, 7860)


def test_logins_come_from_the_environment_and_a_file(tmp_path):
    file = tmp_path / "logins"
    file.write_text("# comment\n\ntrainer:pa:ss\n  analyst : secret\n", "utf-8")
    assert read_logins("inspector:one", str(file)) == [
        ("inspector", "one"),
        ("trainer", "pa:ss"),
        ("analyst", " secret"),
    ]
    assert launch_options("0.0.0.0", 7860, auth="inspector:one").auth == [("inspector", "one")]


@pytest.mark.parametrize("content, message", [("nobody\n", ":1: expected user:password"), ("a:\n", "expected")])
def test_a_malformed_login_file_names_the_line(tmp_path, content, message):
    file = tmp_path / "logins"
    file.write_text(content, "utf-8")
    with pytest.raises(LaunchError, match=message):
        read_logins("", str(file))


def test_a_missing_login_file_is_a_clear_error(tmp_path):
    with pytest.raises(LaunchError, match="cannot read the login file"):
        read_logins("", str(tmp_path / "absent"))


def test_a_bad_port_is_refused():
    with pytest.raises(LaunchError, match="not a valid port"):
        launch_options("127.0.0.1", 70000)


def test_passages_and_questions_are_escaped(assistant):
    answer = assistant.ask(SOCIAL_MEDIA)
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    citation = replace(answer.citations[0], quote=hostile + answer.citations[0].quote, title=hostile)
    html = answer_html(replace(answer, citations=(citation, *answer.citations[1:])), turn=1)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_a_declined_answer_shows_nearest_sources_without_markers(assistant):
    answer = assistant.ask("What are the pension rules for retired police officers?")
    html = answer_html(answer, turn=1)
    assert 'class="ca-declined"' in html and "Nearest sources" in html
    assert "ca-cite" not in html and "ca-card" not in html


def test_catalogue_lists_every_document_with_its_sections(assistant):
    catalogue = assistant.catalogue()
    html = catalogue_html(catalogue)
    assert html.count('<details class="ca-doc"') == len(catalogue.documents) == len(assistant.store.documents())
    assert catalogue.passages == assistant.store.count()
    northumbria = catalogue.document("recommendations-northumbria-police-march-2021")
    recommendations = [s.section for s in northumbria.sections if s.section.startswith("Recommendation")]
    assert len(recommendations) >= 2
    assert recommendations == [f"Recommendation {n}" for n in range(1, len(recommendations) + 1)]
    assert catalogue.document("code-of-ethics-2014").badges == ("Superseded",)


def test_transcript_keeps_questions_answers_sources_and_filters(assistant):
    answered = assistant.ask(SOCIAL_MEDIA)
    declined = assistant.ask("What are the pension rules for retired police officers?")
    text = conversation_markdown([Turn(answered, "kind: legislation"), Turn(declined)])
    assert f"## 1. {SOCIAL_MEDIA}" in text
    assert "*Filters: kind: legislation*" in text
    assert f"**{' '.join(s.text for s in answered.lead)}** [1]" in text
    assert "Sources that apply:" in text
    for section in answered.sections:
        assert f"- [{section.citation}] {section.label}" in text
        assert all(f"  > {sentence}" in text for sentence in section.sentences)
    for c in answered.citations:
        assert f"{c.n}. " in text and c.url in text
    assert "## 2. What are the pension rules" in text
    assert "Nearest sources (not support for an answer)" in text
