"""HTML for the browser: answers with `[n]` markers, source cards, declines, the catalogue.

All of it comes from the Jinja templates in templates/, rendered with autoescaping on: every
value a template prints is escaped unless it is the output of another template (a macro), so
text from ingested files and from users cannot become markup. A link is rendered only for an
http(s) URL. A marker links to its card by id; the page script (static/chat.js) opens the card
when the marker is clicked, and a hover shows the passage in a pop-up without any script.
"""

from __future__ import annotations

import re

from jinja2 import Environment, PackageLoader, StrictUndefined
from jinja2.ext import Extension

from assistant.answers.view import answer_view, kind_label
from assistant.models import Answer, Catalogue, TrainingBrief


class _JoinLines(Extension):
    """Templates are written one element per line, and emitted on one line: the Chatbot reads
    a message as Markdown, where a blank or an indented line would end the raw HTML."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        return re.sub(r"\n[ \t]*", "", source)


def web_url(url: str) -> str:
    """The URL if it is a web link, else "": no other scheme reaches an href."""
    return url if url.startswith(("https://", "http://")) else ""


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "\u2026"


TEMPLATES = Environment(
    loader=PackageLoader("assistant.ui", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    extensions=[_JoinLines],
)
TEMPLATES.filters.update(web_url=web_url, shorten=shorten, kind_label=kind_label)


def render(template: str, **context: object) -> str:
    return TEMPLATES.get_template(template).render(**context)


def answer_html(
    answer: Answer, turn: int, shown_sentences: int | None = None, drafting: bool = False
) -> str:
    """An answer as the chat shows it. While it streams: `shown_sentences` of a finished
    answer, or (`drafting`) the checked sentences a language model has written so far."""
    view = answer_view(answer)
    if not view.answered:
        return render("declined.html", view=view)
    if drafting or (shown_sentences is not None and shown_sentences < len(view.sentences)):
        return render(
            "streaming.html", view=view, turn=turn, shown=shown_sentences, drafting=drafting
        )
    return render("answer.html", view=view, turn=turn)


def question_html(question: str) -> str:
    return render("question.html", question=question)


def error_html(message: str) -> str:
    return render("error.html", message=message)


def searching_html(question: str) -> str:
    return render("searching.html", question=question)


def brief_ready_html(brief: TrainingBrief) -> str:
    return render("brief_ready.html", brief=brief)


def catalogue_html(catalogue: Catalogue) -> str:
    """Every indexed document as a row that opens to show its sections."""
    when = catalogue.last_ingested.replace("T", " ").replace("+00:00", " UTC") or "never"
    return render("catalogue.html", catalogue=catalogue, when=when)
