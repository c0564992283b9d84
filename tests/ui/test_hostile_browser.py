"""A hostile document, ingested and then shown by every part of the UI, in a real Chromium.

The document is an IOPC recommendation page (so it is also a precedent row) whose title,
headings, passages, force, themes, IOPC reference, note and URLs carry script tags, `<img
onerror>`, `javascript:` links and event-handler attributes; each payload sets
`window.__pwned` or calls `alert`. Wherever the UI shows it, it must show it as text.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assistant.config import Settings
from assistant.service import ConductAssistant
from tests.conftest import copy_of_shipped_index
from tests.ui.test_ui_browser import (
    PRECEDENT_ROWS,
    ask,
    precedents_tab,
    search_precedents,
    write_brief,
)
from tests.ui_server import chromium, serve

DOC = "recommendation-quokkashire-constabulary-may-2025"
KEY = f"{DOC}#1"
TITLE = "Recommendation - Quokkashire Constabulary <script>window.__pwned=1</script>, May 2025"
FORCE = 'Quokkashire Constabulary <img src=x onerror="window.__pwned=2">'
REFERENCE = '2025/<b onclick="alert(3)">001</b>'
THEME = "<svg onload=alert(4)>"
URL = 'https://evil.example/"><script>window.__pwned=5</script><a x="'
NOTE = 'Hostile test page <img src=x onerror="window.__pwned=6">'
HEADING = 'Drone footage <img src=x onerror="window.__pwned=7"> posted on TikTok'
SECTION_URL = 'https://evil.example/s"onmouseover="window.__pwned=8"x="'
BACKGROUND = "personal TikTok accounts <script>window.__pwned=9</script> and added"
HOVER = '<b onmouseover="window.__pwned=10" onclick="alert(11)">hover here</b>'
RECOMMENDATION_HEADING = (
    'Rules on drone footage <a href="javascript:window.__pwned=12">click me</a>'
)
RECOMMENDATION = '<img src=x onerror="alert(13)">'
MARKDOWN_LINK = "[see the rules](javascript:window.__pwned=14)"
RESPONSE_HEADING = "Accepted <script>alert(15)</script>"
RESPONSE = '<i onmouseover="window.__pwned=16">read more</i>'
QUESTION = (
    'Can officers post police drone footage on TikTok? <img src=x onerror="window.__pwned=17">'
)

PAGE = f"""---
id: {DOC}
title: '{TITLE}'
kind: precedent
publisher: Independent Office for Police Conduct (IOPC)
year: 2025
force: '{FORCE}'
month: "2025-05"
iopc_reference: '{REFERENCE}'
themes: [drone footage, '{THEME}']
accepted: "yes"
url: '{URL}'
status: response published
note: '{NOTE}'
---
# {TITLE}

## Background — {HEADING}
url: {SECTION_URL}

In the IOPC learning case about Quokkashire Constabulary, officers posted police drone footage of a rooftop arrest on their {BACKGROUND} mocking captions about the people filmed. Nobody in the drone unit challenged or reported the posts {HOVER}.

## Recommendation 1 — {RECOMMENDATION_HEADING}
The IOPC recommended that Quokkashire Constabulary issue clear rules that police drone footage must never be posted on personal TikTok or other social media accounts {RECOMMENDATION}, and that officers in the drone unit must challenge and report colleagues who post it {MARKDOWN_LINK}.

## Response 1 — {RESPONSE_HEADING}
Quokkashire Constabulary accepted the recommendation and reminded every drone pilot that posting police drone footage on TikTok is a breach of the Standards of Professional Behaviour {RESPONSE}.
"""

# Elements or attributes that would run or load something, inside a region of our markup.
ACTIVE = """region => [...region.querySelectorAll('*')].filter(e =>
    ['script', 'img', 'iframe', 'object', 'embed'].includes(e.localName)
    || [...e.attributes].some(a => a.name.startsWith('on') || /^\\s*(javascript|data):/i.test(a.value))
).map(e => e.outerHTML.slice(0, 200))"""
# Script elements whose body is a payload. (Gradio's own config script holds the force name
# among the filter choices, as JSON data with "<" written \u003c.)
PAYLOAD_SCRIPTS = """() => [...document.querySelectorAll('script')]
    .filter(s => /^\\s*(window\\.__pwned=\\d+|alert\\(\\d+\\))\\s*$/.test(s.textContent)).length"""


@pytest.fixture(scope="module")
def hostile_ui(assistant, shipped_home, tmp_path_factory):
    """The UI on a copy of the shipped index with the hostile page ingested."""
    work = tmp_path_factory.mktemp("hostile")
    home = copy_of_shipped_index(shipped_home, work / "home")
    page = work / f"{DOC}.md"
    page.write_text(PAGE, "utf-8")
    reports = ConductAssistant(Settings.from_env(home=home)).ingest([page])
    assert [r.status for r in reports] == ["added"], [r.line() for r in reports]
    with serve(home, work) as served:
        yield served


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    with chromium(tmp_path_factory.mktemp("profile")) as context:
        yield context


@pytest.fixture
def page(hostile_ui, browser):
    page = browser.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_ui.url)
    page.locator("#ca-question textarea").wait_for()
    yield page
    page.close()


def assert_inert(page, region) -> None:
    """Nothing of the payloads ran, or is waiting to run, in `region` or anywhere on the page."""
    region.hover()
    page.wait_for_timeout(500)  # time for a failed image load to fire its onerror
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.dialogs == []
    assert page.evaluate(PAYLOAD_SCRIPTS) == 0
    assert region.evaluate(ACTIVE) == []


def test_the_chat_shows_the_question_answer_and_cards_as_text(page):
    message = ask(page, QUESTION)
    expect(page.locator('#ca-chat [data-testid="user"]').last).to_contain_text(QUESTION)
    cards = message.locator(f'details.ca-card[data-doc="{DOC}"]')
    assert cards.count() == 3
    for card in cards.all():
        message.locator(f'a.ca-cite[data-card="{card.get_attribute("id")}"]').first.click()
        expect(card.locator(".ca-passage")).to_be_visible()
        expect(card.locator(".ca-title")).to_have_text(TITLE)
        expect(card.locator(".ca-note").first).to_have_text(NOTE)
        assert card.locator("a.ca-link").get_attribute("href") in (URL, SECTION_URL)
    passages = message.locator(".ca-passage").all_inner_texts()
    for shown in (BACKGROUND, HOVER, RECOMMENDATION, MARKDOWN_LINK, RESPONSE):
        assert any(shown in passage for passage in passages), shown
    sections = " ".join(message.locator("details.ca-card .ca-section").all_inner_texts())
    assert (
        HEADING in sections and RECOMMENDATION_HEADING in sections and RESPONSE_HEADING in sections
    )
    assert_inert(page, message)


def test_the_precedents_table_and_record_show_the_page_as_text(page):
    precedents_tab(page)
    rows = search_precedents(page, "drone footage TikTok")
    assert rows[0][1] == FORCE and rows[0][-1] == KEY
    assert RECOMMENDATION in rows[0][4]
    assert_inert(page, page.locator("#ca-prec-table"))

    page.locator(PRECEDENT_ROWS).first.locator('[role="gridcell"]').nth(4).click()
    record = page.locator(f'#ca-prec-record article.ca-record[data-key="{KEY}"]')
    expect(record.locator("h3")).to_have_text(f"{TITLE} \u2014 Recommendation 1")
    facts = record.locator(".ca-record-facts")
    for shown in (FORCE, REFERENCE, THEME):
        expect(facts).to_contain_text(shown)
    expect(record.locator(".ca-record-recommendation")).to_contain_text(MARKDOWN_LINK)
    expect(record.locator(".ca-record-finding")).to_contain_text(HOVER)
    expect(record.locator(".ca-record-response")).to_contain_text(RESPONSE)
    assert record.locator("a.ca-link").get_attribute("href") == URL
    assert_inert(page, record)


def test_the_sources_tab_shows_the_document_as_text(page):
    page.get_by_role("tab", name="Sources").click()
    document = page.locator(f'#ca-catalogue details.ca-doc[data-doc="{DOC}"]')
    document.locator("summary").click()
    expect(document.locator(".ca-title")).to_have_text(TITLE)
    sections = document.locator("table.ca-doc-sections")
    for shown in (HEADING, RECOMMENDATION_HEADING, RESPONSE_HEADING):
        expect(sections).to_contain_text(shown)
    assert document.locator(".ca-doc-meta a.ca-link").get_attribute("href") == URL
    assert sections.get_by_role("link").first.get_attribute("href") == SECTION_URL
    assert_inert(page, document)


def test_the_brief_preview_shows_the_case_study_as_text(page):
    write_brief(page, "police drone footage on TikTok")
    expect(page.locator("#ca-brief-status")).to_contain_text("Brief ready")
    preview = page.locator("#ca-brief-preview")
    for shown in (FORCE, BACKGROUND, HOVER, RECOMMENDATION, RESPONSE, TITLE):
        expect(preview).to_contain_text(shown)
    assert_inert(page, preview)
