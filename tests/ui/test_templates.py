"""Every HTML template, rendered with hostile text in every field: nothing comes out as markup.

No index needed: the records are built here, each text field carrying tags, event-handler
attributes, quotes and ampersands, and each URL a `javascript:` link or an attribute breakout.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from assistant.answers.view import passage_spans
from assistant.models import (
    Answer,
    AnswerSection,
    AnswerSentence,
    Catalogue,
    Citation,
    DocumentSummary,
    Hit,
    PrecedentRecord,
    PrecedentResult,
    PrecedentRow,
    SectionSummary,
    TrainingBrief,
)
from assistant.ui import html_view
from assistant.ui.brief_tab import preview_markdown
from assistant.ui.html_view import (
    answer_html,
    brief_ready_html,
    catalogue_html,
    error_html,
    question_html,
    searching_html,
)
from assistant.ui.precedent_view import record_html, status_html

H = '<script>alert(1)</script><img src=x onerror=alert(2)><b onmouseover="alert(3)">b</b>\'"&'
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
BAD_URLS = (
    "javascript:alert(4)",
    "JAVASCRIPT:alert(5)",
    "data:text/html,<script>alert(6)</script>",
)
BREAKOUT = 'https://evil.example/"onmouseover="alert(7)'
# The only tags the templates write.
TAGS = {
    "a", "b", "blockquote", "code", "dd", "details", "div", "dl", "dt", "h3", "h4", "li",
    "mark", "p", "q", "section", "span", "summary", "table", "tbody", "td", "th", "thead",
    "tr", "ul", "article",
}  # fmt: skip


class Markup(HTMLParser):
    """The tags and attributes of an HTML fragment, as a browser would parse them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def assert_inert(html: str) -> None:
    assert ESCAPED in html
    for tag, attrs in Markup(html).tags:
        assert tag in TAGS, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        href = attrs.get("href") or ""
        assert href.startswith(("https://", "http://", "#")) or href == "", href


def citation(n: int, url: str) -> Citation:
    return Citation(
        n=n, doc_id=f"{H}{n}", section=H, heading=H, title=H, url=url, quote=f"{H} {H}. Said {n}.",
        status=H, kind=H, source_note=H, warnings=(H,), badges=(H,), label=H, notes=(H,),
    )  # fmt: skip


def hit(url: str) -> Hit:
    return Hit(1, 0.5, H, H, H, H, H, H, url, H, {})


def answer(**changes) -> Answer:
    citations = (citation(1, BAD_URLS[0]), citation(2, BREAKOUT), citation(3, BAD_URLS[2]))
    sentences = tuple(AnswerSentence(f"{H} {H}.", c.n) for c in citations)
    fields = dict(
        question=H, answered=True, answer=H, citations=citations, hits=(hit(BREAKOUT),),
        sentences=sentences, notice=H, mode=H, mode_note=H, caveat=H, outcome=H,
        lead=sentences[:1], sections=tuple(AnswerSection(c.n, H, (H,), (H,)) for c in citations),
    )  # fmt: skip
    return Answer(**{**fields, **changes})


def row(url: str) -> PrecedentRow:
    return PrecedentRow(
        doc_id=H, number=1, title=H, force=H, forces=(H,), month=H, year=None, section=H, gist=H,
        accepted=H, response_gist=H, relies_on=(H,), themes=(H,), url=url,
    )  # fmt: skip


def catalogue() -> Catalogue:
    sections = tuple(SectionSummary(H, H, url, 1) for url in (*BAD_URLS, BREAKOUT))
    document = DocumentSummary(H, H, H, H, BREAKOUT, H, H, 2, sections, badges=(H,))
    return Catalogue((document, DocumentSummary(H, H, H, H, BAD_URLS[0], H, H, 2, sections)))


RENDERINGS = {
    "structured answer": lambda: answer_html(answer(), turn=1),
    "plain answer": lambda: answer_html(answer(lead=(), sections=()), turn=2),
    "streaming answer": lambda: answer_html(answer(), turn=1, shown_sentences=2),
    "drafting answer": lambda: answer_html(answer(), turn=1, drafting=True),
    "decline": lambda: answer_html(
        answer(answered=False, hits=(hit(BAD_URLS[0]), hit(BREAKOUT))), 1
    ),
    "question": lambda: question_html(H),
    "error": lambda: error_html(H),
    "searching": lambda: searching_html(H),
    "catalogue": lambda: catalogue_html(catalogue()),
    "precedent status": lambda: status_html(PrecedentResult((row(BREAKOUT),), H, H)),
    "precedent record": lambda: record_html(
        PrecedentRecord(row(BREAKOUT), f"{H}\n{H}", H, H, (H,), (row(BAD_URLS[0]),))
    ),
}


@pytest.mark.parametrize("name", RENDERINGS)
def test_hostile_text_comes_out_escaped(name):
    assert_inert(RENDERINGS[name]())


def test_every_template_is_rendered_above(monkeypatch):
    loaded: set[str] = set()
    get_template = html_view.TEMPLATES.get_template

    def recording(name, *args, **kwargs):
        loaded.add(name)
        return get_template(name, *args, **kwargs)

    monkeypatch.setattr(html_view.TEMPLATES, "get_template", recording)
    for render in RENDERINGS.values():
        render()
    brief_ready_html(TrainingBrief(topic=H, audience=H, supported=True))
    assert loaded == set(html_view.TEMPLATES.list_templates())


def test_links_keep_only_web_urls_and_stay_inside_their_attribute():
    html = answer_html(answer(), turn=1)
    hrefs = [
        attrs["href"]
        for tag, attrs in Markup(html).tags
        if tag == "a" and attrs.get("class") == "ca-link"
    ]
    assert hrefs == [BREAKOUT]
    assert 'href="https://evil.example/&#34;onmouseover=&#34;alert(7)"' in html


def test_the_sentences_an_answer_quotes_are_marked_in_their_passage():
    spans = passage_spans("One. Two <b>. One. Three.", ["Two <b>.", "One.", "Absent."])
    assert [(s.text, s.quoted) for s in spans] == [
        ("One.", True), (" ", False), ("Two <b>.", True), (" One. Three.", False),
    ]  # fmt: skip
    html = answer_html(answer(), turn=1)
    assert f"<mark>{ESCAPED}" in html


def test_the_brief_preview_shows_html_as_text_and_keeps_autolinks():
    markdown = f"# {H}\n\n<https://www.legislation.gov.uk/ukpga/2010/15> and <{BREAKOUT}>"
    shown = preview_markdown(markdown)
    assert "<script" not in shown and "<img" not in shown and "<b " not in shown
    assert "&lt;script>" in shown
    assert "<https://www.legislation.gov.uk/ukpga/2010/15>" in shown
