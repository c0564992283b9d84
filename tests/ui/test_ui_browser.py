"""The browser chat, driven in a real headless Chromium against the real `serve` command.

The server runs under the offline guard (every non-loopback connection refused and logged),
and every page fails its test if it fetched anything from outside the machine.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import BODY_WORN_VIDEO, ROOT, WHATSAPP, copy_of_shipped_index, run_cli
from tests.offline import guarded_env
from tests.ui_server import chromium, serve

NORTHUMBRIA = "recommendations-northumbria-police-march-2021"
BOT = '#ca-chat [data-testid="bot"]'
PRECEDENT_ROWS = '#ca-prec-table div[role="row"]'
SOCIAL_MEDIA = "What are my duties on social media?"


@pytest.fixture(scope="module")
def ui(assistant, shipped_home, tmp_path_factory):
    """The UI on a copy of the shipped index, started as `conduct-assistant serve` would be."""
    work = tmp_path_factory.mktemp("ui")
    home = copy_of_shipped_index(shipped_home, work / "home")
    attempts, guard = guarded_env(work)
    with serve(home, work, env=guard) as served:
        served.home = home
        served.attempts = attempts
        yield served


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("profile")) as context:
        yield context


def _loopback(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme in ("data", "blob", "about") or parsed.hostname in ("127.0.0.1", "localhost")


@pytest.fixture
def page(ui, browser):
    outside: list[str] = []
    page = browser.new_page()
    page.on("request", lambda r: None if _loopback(r.url) else outside.append(r.url))
    page.goto(ui.url)
    page.locator("#ca-question textarea").wait_for()
    yield page
    page.close()
    assert outside == [], f"the page fetched from outside the machine: {outside}"


def ask(page, question: str):
    """Type a question, send it, and return the answer's chat message once it is final."""
    before = page.locator(BOT).count()
    page.locator("#ca-question textarea").fill(question)
    page.locator("#ca-send").click()
    message = page.locator(BOT).nth(before)
    message.locator(".ca-answer:not(.ca-streaming), .ca-declined, .ca-error").wait_for()
    return message


def card_kinds(message) -> list[str]:
    return [card.get_attribute("data-kind") for card in message.locator("details.ca-card").all()]


def choose(page, dropdown_id: str, option: str, then_click: str = "#ca-question textarea") -> None:
    """Pick an option of a Gradio dropdown, then close its list so it hides nothing else."""
    box = page.locator(f"#{dropdown_id} input")
    box.click()
    box.fill(option)
    page.locator(f'#{box.get_attribute("aria-controls")}').get_by_role("option", name=option, exact=True).click()
    page.locator(then_click).click()


def test_answer_shows_markers_and_cards_and_a_marker_reveals_its_passage(page):
    message = ask(page, SOCIAL_MEDIA)
    markers = message.locator("a.ca-cite")
    cards = message.locator("details.ca-card")
    assert markers.count() >= 2
    assert cards.count() >= 2
    card = message.locator('details.ca-card[data-doc="police-conduct-regulations-2020"]').first
    expect(card.locator(".ca-title")).to_contain_text("Police (Conduct) Regulations 2020")
    expect(card.locator(".ca-section")).to_contain_text("Standard")
    assert card.locator("a.ca-link").get_attribute("href").startswith("https://")

    passage = card.locator(".ca-passage")
    expect(passage).to_be_hidden()
    message.locator(f'a.ca-cite[data-card="{card.get_attribute("id")}"]').first.click()
    expect(passage).to_be_visible()
    # The sentences the answer took from this passage are marked inside it.
    quoted = passage.locator("mark").first.inner_text()
    shown = message.locator(".ca-lead").inner_text() + message.locator(".ca-applying").inner_text()
    assert quoted and quoted in shown


def test_an_answer_leads_with_a_line_then_labelled_sources_and_a_caveat_names_the_unknown(page):
    message = ask(page, "which Standard fits an officer who saw colleagues' discriminatory posts in the group chat and did nothing?")
    lead = message.locator("p.ca-lead")
    expect(lead).to_be_visible()
    assert len(lead.inner_text().split()) >= 5 and lead.locator("a.ca-cite").count() == 1
    expect(message.locator(".ca-applying-label")).to_have_text("Sources that apply")
    labels = message.locator(".ca-applies-label").all_inner_texts()
    assert any("Standard 10 \u2014 Challenging and Reporting Improper Conduct" in label for label in labels), labels
    # Each listed source's marker opens its card.
    source = message.locator("li.ca-applies").last
    card = message.locator(f'#{source.locator("a.ca-cite").get_attribute("data-card")}')
    source.locator("a.ca-cite").click()
    expect(card.locator(".ca-passage")).to_be_visible()
    assert message.locator(".ca-caveat").count() == 0

    caveated = ask(page, "What does the 2024 Code of Ethics say about personal social media on Bluesky?")
    expect(caveated.locator(".ca-caveat")).to_contain_text("Nothing here mentions \u201cBluesky\u201d specifically")
    expect(caveated.locator("p.ca-lead")).to_be_visible()
    assert caveated.locator(".ca-answer").get_attribute("data-outcome") == "caveat"


def test_hovering_a_marker_shows_its_passage(page):
    message = ask(page, SOCIAL_MEDIA)
    marker = message.locator("a.ca-cite").first
    expect(marker.locator(".ca-pop")).to_be_hidden()
    # Gradio may re-render the finished message more than once on a busy machine; a hover on
    # the replaced element is lost. Wait until the message stops changing, then hover (again,
    # after moving away, if a late re-render still replaced it).
    settled, deadline = "", time.monotonic() + 20
    while time.monotonic() < deadline and settled != (settled := message.inner_html()):
        page.wait_for_timeout(1000)
    for _ in range(10):
        marker.scroll_into_view_if_needed()
        marker.hover()
        try:
            expect(marker.locator(".ca-pop")).to_be_visible(timeout=2000)
            break
        except AssertionError:
            page.mouse.move(0, 0)
    expect(marker.locator(".ca-pop")).to_be_visible()
    card = message.locator(f'#{marker.get_attribute("data-card")}')
    assert marker.locator(".ca-pop").inner_text()[:60] in card.locator(".ca-passage").text_content()


def test_superseded_source_carries_a_badge(page):
    message = ask(page, "What did the 2014 Code of Ethics say about using social media?")
    badges = message.locator("details.ca-card .ca-badge").all_inner_texts()
    assert "Superseded" in badges, badges


def test_out_of_scope_question_is_declined_with_nearest_sources(page):
    message = ask(page, "What are the pension rules for retired police officers?")
    expect(message.locator(".ca-decline-text")).to_contain_text("does not hold an answer")
    expect(message.locator(".ca-nearest-label")).to_contain_text("not support for an answer")
    assert message.locator(".ca-nearest li").count() >= 1
    assert message.locator("a.ca-cite").count() == 0
    assert message.locator("details.ca-card").count() == 0


def test_kind_filter_cites_only_legislation(page):
    page.locator("#ca-kind").get_by_label("Law").check()
    message = ask(page, SOCIAL_MEDIA)
    kinds = card_kinds(message)
    assert kinds and set(kinds) == {"legislation"}


def test_filters_that_match_nothing_say_so(page):
    page.locator("#ca-kind").get_by_label("Law").check()
    choose(page, "ca-force", "Kent Police")
    message = ask(page, SOCIAL_MEDIA)
    expect(message.locator(".ca-decline-text")).to_contain_text("Nothing in the knowledge base matches the filters")

    page.get_by_role("button", name="Clear filters").click()
    choose(page, "ca-year-from", "2024")
    choose(page, "ca-year-to", "2010")
    message = ask(page, SOCIAL_MEDIA)
    expect(message.locator(".ca-error")).to_contain_text("year range: 2024 is after 2010")


def test_year_and_theme_filters_narrow_the_sources(page, assistant):
    metadata = {p.metadata["doc_id"]: p.metadata for p in assistant.retriever.passages}
    choose(page, "ca-theme", "body-worn video")
    choose(page, "ca-year-from", "2022")
    message = ask(page, "What has the IOPC recommended about recording incidents?")
    docs = {c.get_attribute("data-doc") for c in message.locator("details.ca-card").all()}
    assert docs
    for doc in docs:
        assert "body-worn video" in metadata[doc]["themes"]
        assert metadata[doc]["year"] >= 2022


def test_follow_up_is_answered_in_context(page):
    ask(page, "What did the IOPC recommend to Northumbria Police about social media?")
    message = ask(page, "and what did the force do about it?")
    docs = [c.get_attribute("data-doc") for c in message.locator("details.ca-card").all()]
    assert docs[0] == NORTHUMBRIA, docs

    page.locator("#ca-new").click()
    expect(page.locator(BOT)).to_have_count(0)
    expect(page.locator("#ca-download")).to_be_disabled()
    message = ask(page, "and what did the force do about it?")
    docs = [c.get_attribute("data-doc") for c in message.locator("details.ca-card").all()]
    assert NORTHUMBRIA not in docs[:1], "a new conversation forgets the previous question"


def test_conversation_downloads_as_markdown(page):
    expect(page.locator("#ca-download")).to_be_disabled()
    ask(page, SOCIAL_MEDIA)
    ask(page, "What are the pension rules for retired police officers?")
    with page.expect_download() as download:
        page.locator("#ca-download").click()
    assert download.value.suggested_filename.endswith(".md")
    text = open(download.value.path(), encoding="utf-8").read()
    assert f"## 1. {SOCIAL_MEDIA}" in text
    assert "[1]" in text and "Sources that apply:" in text and "**Passages**" in text
    assert "Northumbria Police" in text and "https://policeconduct.gov.uk/" in text
    assert "## 2. What are the pension rules" in text
    assert "Nearest sources (not support for an answer)" in text


def test_sources_tab_lists_documents_sections_and_index_state(page, assistant):
    catalogue = assistant.catalogue()
    page.get_by_role("tab", name="Sources").click()
    summary = page.locator("#ca-catalogue .ca-index-summary")
    expect(summary).to_contain_text(f"{len(catalogue.documents)} documents")
    expect(summary).to_contain_text(f"{catalogue.passages} passages")
    expect(summary).to_contain_text("last ingested")
    assert page.locator("#ca-catalogue details.ca-doc").count() == len(catalogue.documents)

    superseded = page.locator('#ca-catalogue details.ca-doc[data-doc="code-of-ethics-2014"]')
    expect(superseded.locator(".ca-badge")).to_have_text("Superseded")
    equality = page.locator('#ca-catalogue details.ca-doc[data-doc="equality-act-2010"]')
    sections = equality.locator("table.ca-doc-sections")
    expect(sections).to_be_hidden()
    equality.locator("summary").click()
    expect(sections).to_be_visible()
    expect(sections).to_contain_text("s26")
    assert equality.locator(".ca-doc-meta a.ca-link").get_attribute("href") == "https://www.legislation.gov.uk/ukpga/2010/15"
    s26 = sections.get_by_role("row").filter(has_text="s26(1)").first.get_by_role("link")
    assert s26.get_attribute("href") == "https://www.legislation.gov.uk/ukpga/2010/15/section/26"


def precedents_tab(page):
    page.get_by_role("tab", name="Precedents").click()
    page.locator("#ca-prec-query textarea").wait_for()


def search_precedents(page, query: str) -> list[list[str]]:
    """Run a precedent search and return the table's rows once its new status line shows."""
    page.locator("#ca-prec-query textarea").fill(query)
    return run_and_wait(page, "#ca-prec-search")


def run_and_wait(page, button: str) -> list[list[str]]:
    """Click a button of the tab, wait until the status line has changed, return the rows."""
    status = "#ca-prec-status .ca-prec-status"
    before = page.locator(status).inner_text() if page.locator(status).count() else None
    page.locator(button).click()
    page.wait_for_function(
        "([selector, before]) => { const el = document.querySelector(selector);"
        " return el !== null && el.innerText !== before; }",
        arg=[status, before],
        timeout=60_000,
    )
    return table_rows(page)


def table_rows(page) -> list[list[str]]:
    """The rendered rows of the result table (Gradio renders a long table's rows lazily)."""
    rows = page.locator(PRECEDENT_ROWS)
    return [[c.strip() for c in row.locator('[role="gridcell"]').all_inner_texts()] for row in rows.all()]


def test_precedents_tab_searches_filters_opens_a_record_finds_similar_and_downloads(page):
    precedents_tab(page)
    rows = search_precedents(page, "body-worn video")
    expect(page.locator("#ca-prec-status")).to_contain_text("relevant to")
    assert {row[-1].split("#")[0] for row in rows[:5]} == BODY_WORN_VIDEO
    merseyside = next(row for row in rows if row[-1].startswith("recommendation-merseyside"))
    assert merseyside[1:4] == ["Merseyside Police", "2021-03", "yes"]

    page.locator("#ca-prec-accepted").get_by_label("Acceptance not known").check()
    rows = search_precedents(page, "body-worn video")
    assert rows and {row[3] for row in rows} == {"unknown"}
    assert "investigation-police-contact-man-cleveland-police-december-2020#1" in [r[-1] for r in rows]
    page.locator("#ca-prec-accepted").get_by_label("Acceptance not known").uncheck()

    rows = search_precedents(page, "social media")
    target = next(row for row in rows if row[-1] == f"{NORTHUMBRIA}#1")
    expect(page.locator("#ca-prec-similar")).to_be_disabled()
    page.locator(PRECEDENT_ROWS).nth(rows.index(target)).locator('[role="gridcell"]').nth(4).click()
    record = page.locator(f'#ca-prec-record article.ca-record[data-key="{NORTHUMBRIA}#1"]')
    expect(record).to_be_visible()
    expect(record.locator(".ca-record-finding")).to_contain_text("posted inappropriate Facebook posts")
    expect(record.locator(".ca-record-response")).to_contain_text("robust response")
    expect(record.locator(".ca-record-others li")).to_have_count(2)
    assert record.locator("a.ca-link").get_attribute("href") == "https://policeconduct.gov.uk/node/4024"

    similar = run_and_wait(page, "#ca-prec-similar")
    expect(page.locator("#ca-prec-status")).to_contain_text(f"most similar to {NORTHUMBRIA}#1")
    assert similar and not any(row[-1].startswith(NORTHUMBRIA) for row in similar)

    with page.expect_download() as download:
        page.locator("#ca-prec-csv").click()
    assert download.value.suggested_filename.endswith(".csv")
    with open(download.value.path(), encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert [row["id"] for row in exported][: len(similar)] == [row[-1] for row in similar]
    shown = page.locator("#ca-prec-status .ca-prec-summary").inner_text()
    assert shown.startswith(f"{len(exported)} recommendations")


def test_precedent_filters_that_match_nothing_say_so(page):
    precedents_tab(page)
    page.locator("#ca-prec-accepted").get_by_label("Not accepted", exact=True).check()
    rows = search_precedents(page, "custody")
    expect(page.locator("#ca-prec-status .ca-prec-notice")).to_contain_text("No recommendation matches")
    expect(page.locator("#ca-prec-status")).to_contain_text("accepted: no")
    assert rows == []
    expect(page.locator("#ca-prec-csv")).to_be_disabled()


def write_brief(page, topic: str, audience: str | None = None) -> None:
    """Open the Training brief tab, write a brief on `topic` and wait for its status line."""
    page.get_by_role("tab", name="Training brief").click()
    page.locator("#ca-brief-topic textarea").fill(topic)
    if audience is not None:
        page.locator("#ca-brief-audience input").fill(audience)
        page.keyboard.press("Enter")
    page.locator("#ca-brief-write").click()
    page.locator("#ca-brief-status .ca-brief-ready, #ca-brief-status .ca-error").wait_for(timeout=60_000)


def test_training_brief_tab_previews_and_downloads_the_cli_files(page, ui, tmp_path):
    topic = "challenging and reporting colleagues in group chats"
    write_brief(page, topic, "Supervisors and managers")
    expect(page.locator("#ca-brief-status")).to_contain_text("Brief ready")
    preview = page.locator("#ca-brief-preview")
    expect(preview.locator("h2")).to_contain_text(["Learning objectives", "Case studies"])
    expect(preview).to_contain_text("Challenging and Reporting Improper Conduct")
    expect(preview).to_contain_text("Audience: Supervisors and managers")

    cli_docx = tmp_path / "cli.docx"
    written = run_cli("brief", topic, "--audience", "Supervisors and managers", "--out", str(cli_docx), home=ui.home)
    assert written.returncode == 0, written.stderr
    with page.expect_download() as download:
        page.locator("#ca-brief-docx").click()
    assert download.value.suggested_filename == "brief-challenging-and-reporting-colleagues-in-group-chats.docx"
    assert open(download.value.path(), "rb").read() == cli_docx.read_bytes()

    shown = run_cli("brief", topic, "--audience", "Supervisors and managers", home=ui.home)
    with page.expect_download() as download:
        page.locator("#ca-brief-md").click()
    assert download.value.suggested_filename.endswith(".md")
    assert open(download.value.path(), encoding="utf-8").read() == shown.stdout


def test_training_brief_tab_says_when_a_topic_is_not_supported(page):
    write_brief(page, "wearing a poppy on a uniform")
    expect(page.locator("#ca-brief-status .ca-error")).to_contain_text("does not hold enough")
    expect(page.locator("#ca-brief-docx")).to_be_disabled()
    expect(page.locator("#ca-brief-md")).to_be_disabled()


def test_precedent_endpoints_give_the_cli_rows_similar_and_record(ui):
    from gradio_client import Client

    client = Client(ui.url, verbose=False)
    via_api = json.loads(client.predict("WhatsApp", api_name="/precedents"))
    cli = run_cli("precedents", "WhatsApp", "--json", home=ui.home)
    assert cli.returncode == 0, cli.stderr
    assert via_api == json.loads(cli.stdout)
    assert {row["doc_id"] for row in via_api["rows"][:2]} == WHATSAPP

    key = f"{NORTHUMBRIA}#1"
    similar = json.loads(client.predict(similar_to=key, limit=5, api_name="/precedents"))
    cli = run_cli("precedents", "--similar-to", key, "--limit", "5", "--json", home=ui.home)
    assert similar == json.loads(cli.stdout) and len(similar["rows"]) == 5

    record = json.loads(client.predict(key, api_name="/precedent"))
    cli = run_cli("precedents", "--record", key, "--json", home=ui.home)
    assert record == json.loads(cli.stdout)
    assert record["finding"] and [r["number"] for r in record["other_recommendations"]] == [2, 3]
    with pytest.raises(Exception, match="has no recommendation 9"):
        client.predict(f"{NORTHUMBRIA}#9", api_name="/precedent")


@pytest.mark.parametrize("kinds", [[], ["legislation"]])
def test_ask_endpoint_gives_the_cli_answer(ui, kinds):
    from gradio_client import Client

    client = Client(ui.url, verbose=False)
    via_api = json.loads(client.predict(SOCIAL_MEDIA, kinds, api_name="/ask"))
    cli = run_cli("ask", SOCIAL_MEDIA, "--json", *[f"--kind={k}" for k in kinds], home=ui.home)
    assert cli.returncode == 0, cli.stderr
    via_cli = json.loads(cli.stdout)
    assert via_api["answer"] == via_cli["answer"]
    assert via_api["citations"] == via_cli["citations"]
    assert len(via_api["citations"]) >= 2


def test_ask_endpoint_reports_a_bad_question(ui):
    from gradio_client import Client

    with pytest.raises(Exception, match="empty question"):
        Client(ui.url, verbose=False).predict("   ", api_name="/ask")


def test_serving_beyond_loopback_requires_a_login(tmp_path, shipped_home):
    refused = subprocess.run(
        [sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", "1"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CONDUCT_ASSISTANT_HOME": str(shipped_home)},
    )
    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines()[-1].startswith("error: listening on 0.0.0.0")
    assert "CONDUCT_ASSISTANT_AUTH" in refused.stderr


def test_login_guards_the_ui_when_it_listens_beyond_loopback(assistant, shipped_home, tmp_path, browser):
    from gradio_client import Client

    home = copy_of_shipped_index(shipped_home, tmp_path / "home")
    logins = tmp_path / "logins.txt"
    logins.write_text("# who may use the assistant\ninspector:correct-horse\n", "utf-8")
    with serve(home, tmp_path, "--host", "0.0.0.0", env={"CONDUCT_ASSISTANT_AUTH_FILE": str(logins)}) as served:
        with pytest.raises(Exception, match="credentials"):
            Client(served.url, verbose=False)
        page = browser.new_page()
        try:
            page.goto(served.url)
            page.get_by_label("username").fill("inspector")
            page.get_by_label("password").fill("wrong")
            page.get_by_role("button", name="Login").click()
            expect(page.get_by_text("Incorrect Credentials")).to_be_visible()
            page.goto(served.url)
            page.get_by_label("username").fill("inspector")
            page.get_by_label("password").fill("correct-horse")
            page.get_by_role("button", name="Login").click()
            message = ask(page, SOCIAL_MEDIA)
            assert message.locator("a.ca-cite").count() >= 2
        finally:
            page.close()


def test_the_server_attempted_no_outside_connection(ui):
    # Runs after the tests above, which used this server for every feature of the UI.
    assert ui.attempts.read_text("utf-8") == ""


def test_a_generated_answer_shows_its_mode_and_checked_citations(shipped_home, tmp_path, browser):
    """The UI with a language model configured (the fake OpenAI-compatible server): the answer
    says which model wrote it and shows only its checked sentences, each with its card; a model
    that invents gets the extractive answer and a line saying why."""
    from tests.llm_server import model_server

    home = copy_of_shipped_index(shipped_home, tmp_path / "home")
    with model_server() as server:
        for model, mode, note in (
            ("partly-grounded", "generated", "Written by openai:partly-grounded"),
            ("invented", "fallback", "did not pass the citation check"),
        ):
            env = {"CONDUCT_ASSISTANT_LLM": f"openai:{model}", "CONDUCT_ASSISTANT_LLM_BASE_URL": f"{server.url}/v1"}
            with serve(home, tmp_path, env=env) as served:
                page = browser.new_page()
                page.goto(served.url)
                page.locator("#ca-question textarea").wait_for()
                message = ask(page, "Do I have to report a colleague's racist post in a WhatsApp group?")
                expect(message.locator(f'.ca-answer[data-mode="{mode}"] .ca-mode')).to_contain_text(note)
                assert "500 pounds" not in message.locator(".ca-answer").inner_text()
                # Every marker of the answer: in its text, or in its lead and labelled sources.
                markers = message.locator(".ca-answer a.ca-cite")
                expect(message.locator("details.ca-card")).to_have_count(len({m.get_attribute("data-card") for m in markers.all()}))
                page.close()
