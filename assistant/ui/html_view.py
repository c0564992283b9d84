"""HTML for the browser chat: answers with `[n]` markers, source cards, declines.

Every piece of text is escaped: passages come from ingested files, and questions from users.
A marker links to its card by id; the page script (static/chat.js) opens the card when the
marker is clicked, and a hover shows the passage in a pop-up without any script.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from assistant.models import Answer, Catalogue, Citation

KIND_LABELS = {"legislation": "Law", "guidance": "Guidance", "precedent": "IOPC recommendation"}
NEAREST_SHOWN = 3


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.capitalize() or "Source")


def _card_id(turn: int, n: int) -> str:
    return f"ca-t{turn}-c{n}"


def _marker(turn: int, citation: Citation) -> str:
    card = _card_id(turn, citation.n)
    pop = escape(_shorten(citation.quote, 420))
    return (
        f'<a class="ca-cite" href="#{card}" data-card="{card}" aria-label="source {citation.n}">'
        f'[{citation.n}]<span class="ca-pop" role="tooltip">{pop}</span></a>'
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


def _highlighted(quote: str, sentences: Sequence[str]) -> str:
    """The passage, escaped, with the sentences the answer took from it marked."""
    html = escape(quote)
    for sentence in sentences:
        html = html.replace(escape(sentence), f"<mark>{escape(sentence)}</mark>", 1)
    return html


def _source_line(title: str, section: str, heading: str) -> str:
    heading_html = f" \u2014 {escape(heading)}" if heading else ""
    return (
        f'<span class="ca-title">{escape(title)}</span>'
        f' <span class="ca-section">\u00b7 {escape(section)}{heading_html}</span>'
    )


def _link(url: str, label: str = "Official source") -> str:
    if not url.startswith(("https://", "http://")):
        return ""
    return f'<a class="ca-link" href="{escape(url)}" target="_blank" rel="noopener noreferrer">{label} \u2197</a>'


def citation_card(turn: int, citation: Citation, used: Sequence[str]) -> str:
    badges = "".join(f'<span class="ca-badge">{escape(b)}</span>' for b in citation.badges)
    warnings = "".join(f'<p class="ca-warning">\u26a0 {escape(w)}</p>' for w in citation.warnings)
    notes = [citation.source_note, *citation.notes] if citation.source_note else list(citation.notes)
    note = "".join(f'<p class="ca-note">{escape(n)}</p>' for n in notes)
    return (
        f'<details class="ca-card" id="{_card_id(turn, citation.n)}" data-kind="{escape(citation.kind)}"'
        f' data-doc="{escape(citation.doc_id)}">'
        f'<summary><span class="ca-n">[{citation.n}]</span>'
        f' <span class="ca-kind">{escape(kind_label(citation.kind))}</span>{badges} '
        f"{_source_line(citation.title, citation.section, citation.heading)}</summary>"
        f"{warnings}"
        f'<blockquote class="ca-passage">{_highlighted(citation.quote, used)}</blockquote>'
        f"{note}{_link(citation.url)}</details>"
    )


def answer_html(
    answer: Answer, turn: int, shown_sentences: int | None = None, drafting: bool = False
) -> str:
    """An answer as the chat shows it. While it streams: `shown_sentences` of a finished
    answer, or (`drafting`) the checked sentences a language model has written so far."""
    if not answer.answered:
        return declined_html(answer)
    by_number = {c.n: c for c in answer.citations}
    sentences = answer.sentences if shown_sentences is None else answer.sentences[:shown_sentences]
    body = " ".join(f"{escape(s.text)} {_marker(turn, by_number[s.citation])}" for s in sentences)
    if drafting or (shown_sentences is not None and shown_sentences < len(answer.sentences)):
        label = (
            '<p class="ca-draft-label">From the language model, each sentence checked against '
            "its source; more may follow</p>"
            if drafting
            else ""
        )
        return f'<div class="ca-answer ca-streaming">{label}<p>{body} <span class="ca-typing">\u2026</span></p></div>'
    cards = "".join(
        citation_card(turn, c, [s.text for s in answer.sentences if s.citation == c.n])
        for c in answer.citations
    )
    notice = f'<p class="ca-notice">{escape(answer.notice)}</p>' if answer.notice else ""
    mode = (
        f'<p class="ca-mode" data-mode="{escape(answer.mode)}">{escape(answer.mode_note)}</p>'
        if answer.mode_note
        else ""
    )
    return (
        f'<div class="ca-answer" data-mode="{escape(answer.mode)}" data-outcome="{escape(answer.outcome)}">'
        f"{_caveat(answer)}{_structured(answer, turn, by_number) if answer.lead else f'<p>{body}</p>'}{mode}"
        f'<div class="ca-cards"><p class="ca-cards-label">Passages \u2014 click a number to see its passage</p>'
        f"{cards}</div>{notice}</div>"
    )


def _caveat(answer: Answer) -> str:
    return f'<p class="ca-caveat">{escape(answer.caveat)}</p>' if answer.caveat else ""


def _structured(answer: Answer, turn: int, by_number: dict[int, Citation]) -> str:
    """The lead line, and the sources that apply as a short labelled list."""
    lead = " ".join(escape(s.text) for s in answer.lead)
    items = "".join(
        f'<li class="ca-applies" data-citation="{section.citation}">'
        f'<span class="ca-applies-label">{escape(section.label)}</span> '
        f"{_marker(turn, by_number[section.citation])}"
        + "".join(f'<q class="ca-quote">{escape(sentence)}</q>' for sentence in section.sentences)
        + "".join(f'<span class="ca-applies-note">{escape(note)}</span>' for note in section.notes)
        + "</li>"
        for section in answer.sections
    )
    return (
        f'<p class="ca-lead">{lead} {_marker(turn, by_number[answer.lead[0].citation])}</p>'
        f'<p class="ca-applying-label">Sources that apply</p><ul class="ca-applying">{items}</ul>'
    )


def declined_html(answer: Answer) -> str:
    nearest = answer.hits[:NEAREST_SHOWN]
    items = "".join(
        f'<li data-kind="{escape(h.kind)}" data-doc="{escape(h.doc_id)}">'
        f'<span class="ca-kind">{escape(kind_label(h.kind))}</span> '
        f"{_source_line(h.title, h.section, h.heading)} {_link(h.url, 'link')}</li>"
        for h in nearest
    )
    listing = (
        '<div class="ca-nearest"><p class="ca-nearest-label">Nearest sources \u2014 not support for an answer'
        f"</p><ul>{items}</ul></div>"
        if items
        else ""
    )
    return f'<div class="ca-declined"><p class="ca-decline-text">{escape(answer.answer)}</p>{listing}</div>'


def error_html(message: str) -> str:
    return f'<div class="ca-error"><p>{escape(message)}</p></div>'


def searching_html(question: str) -> str:
    return f'<div class="ca-answer ca-streaming"><p class="ca-typing">Searching the knowledge base for \u201c{escape(_shorten(question, 80))}\u201d\u2026</p></div>'


def catalogue_html(catalogue: Catalogue) -> str:
    """Every indexed document as a row that opens to show its sections."""
    rows = []
    for d in catalogue.documents:
        badges = "".join(f'<span class="ca-badge">{escape(b)}</span>' for b in d.badges)
        sections = "".join(
            f"<tr><td>{escape(s.section)}</td><td>{escape(s.heading)}</td><td>{s.passages}</td>"
            f"<td>{_link(s.url, 'link')}</td></tr>"
            for s in d.sections
        )
        rows.append(
            f'<details class="ca-doc" data-doc="{escape(d.doc_id)}" data-kind="{escape(d.kind)}">'
            f'<summary><span class="ca-kind">{escape(kind_label(d.kind))}</span>{badges} '
            f'<span class="ca-title">{escape(d.title)}</span> '
            f'<span class="ca-section">\u00b7 {len(d.sections)} sections, {d.passages} passages</span></summary>'
            f'<p class="ca-doc-meta">Status: {escape(d.status or "not stated")}. Recognised as '
            f"{escape(d.recognised or 'unknown')}. Document id <code>{escape(d.doc_id)}</code>. "
            f"{_link(d.url)}</p>"
            f'<table class="ca-doc-sections"><thead><tr><th>Section</th><th>Heading</th>'
            f"<th>Passages</th><th>Link</th></tr></thead><tbody>{sections}</tbody></table></details>"
        )
    when = catalogue.last_ingested.replace("T", " ").replace("+00:00", " UTC") or "never"
    summary = (
        f'<p class="ca-index-summary"><b>{len(catalogue.documents)} documents</b>, '
        f"<b>{catalogue.passages} passages</b> indexed; last ingested {escape(when)}. "
        "Law and guidance are plain-English summaries written for this knowledge base; the "
        "official text at each link prevails. Open a document to see its sections.</p>"
    )
    return f'<div class="ca-catalogue">{summary}{"".join(rows)}</div>'
