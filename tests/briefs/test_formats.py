"""The Markdown and the Word file of a brief say the same things in the same order: both are
written from one document model, and these tests read the two files themselves."""

from __future__ import annotations

import io
import re

import pytest

from assistant.briefs.export import brief_docx, brief_markdown

# A brief with superseded and non-statutory sources (warnings, badges), one with an audience,
# and one the knowledge base cannot support.
BRIEFS = [
    ("social media conduct off duty", ""),
    ("challenging and reporting colleagues in group chats", "Supervisors and managers"),
    ("wearing a poppy on a uniform", ""),
]
MARKDOWN_BLOCK = re.compile(r"^(?:(?P<heading>#+) |(?P<nested>  - )|(?P<bullet>- )|(?P<number>\d+\. )|(?P<quote>> ))?")
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\(([^)]*)\)|<(https?://[^>]*)>")
WORD_KINDS = {
    "Title": "heading 0",
    "List Bullet": "bullet",
    "List Bullet 2": "nested",
    "List Number": "number",
    "List Number 2": "number",
    "Quote": "quote",
    "Normal": "paragraph",
}


def _markdown_text(line: str) -> str:
    """A Markdown line's words: links as their text, emphasis markers and hard breaks dropped."""
    line = MARKDOWN_LINK.sub(lambda m: m[1] if m[3] is None else m[3], line)
    return re.sub(r"\*\*(.+?)\*\*|\*(.+?)\*", lambda m: m[1] or m[2], line).removesuffix("  ")


def _markdown_paragraphs(text: str) -> list[tuple[str, str]]:
    """(kind, words) for each line of the Markdown that holds content, in order; a quote's
    later lines continue it up to the next blank line, as Markdown reads them."""
    paragraphs: list[tuple[str, str]] = []
    in_quote = False
    for line in text.splitlines():
        if in_quote and line:
            paragraphs[-1] = ("quote", f"{paragraphs[-1][1]}\n{line}")
            continue
        in_quote = False
        if not line or line == "---":
            continue
        marker = MARKDOWN_BLOCK.match(line)
        kind = next((k for k, v in marker.groupdict().items() if v), "paragraph")
        if kind == "heading":
            kind = f"heading {len(marker['heading']) - 1}"
        in_quote = kind == "quote"
        paragraphs.append((kind, _markdown_text(line[marker.end() :])))
    return paragraphs


def _word_paragraphs(document) -> list[tuple[str, str]]:
    """(kind, words) for each paragraph of the Word file, in order."""
    paragraphs = []
    for paragraph in document.paragraphs:
        style = paragraph.style.name
        kind = f"heading {style.split()[-1]}" if style.startswith("Heading") else WORD_KINDS[style]
        paragraphs.append((kind, paragraph.text))
    return paragraphs


@pytest.fixture(params=BRIEFS, ids=[topic for topic, _ in BRIEFS])
def files(request, assistant):
    import docx

    brief = assistant.brief(*request.param)
    return brief, brief_markdown(brief), docx.Document(io.BytesIO(brief_docx(brief)))


def test_markdown_and_word_have_the_same_paragraphs_in_the_same_order(files):
    brief, markdown, word = files
    paragraphs = _word_paragraphs(word)
    assert _markdown_paragraphs(markdown) == paragraphs
    assert paragraphs[0] == ("heading 0", brief.title)
    if brief.supported:
        headings = [text for kind, text in paragraphs if kind == "heading 1"]
        assert headings[-1] == "Citations" and len(headings) >= 6
        assert paragraphs[-1] == ("paragraph", brief.notice)


def test_markdown_and_word_link_the_same_sources_in_the_same_order(files):
    brief, markdown, word = files
    in_markdown = [
        (m[1], m[2]) if m[3] is None else (m[3], m[3])
        for m in MARKDOWN_LINK.finditer(markdown)
        if m[2] or m[3]
    ]
    in_word = [(link.text, link.address) for p in word.paragraphs for link in p.hyperlinks]
    assert in_markdown == in_word
    if brief.supported:
        # Every citation's official source is a real link in both, in citation order.
        cited = [c.url for c in brief.citations]
        assert [url for _, url in in_word][-len(cited) :] == cited


def test_markdown_and_word_stress_the_same_words(files):
    _, markdown, word = files
    in_markdown = [m[1] for m in re.finditer(r"\*\*(.+?)\*\*", markdown)]
    in_word = [run.text.strip() for p in word.paragraphs for run in p.runs if run.bold]
    assert in_markdown == in_word
