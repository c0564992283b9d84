"""A conversation, with its citations, as a Markdown document a user can keep or share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from assistant.answers.view import AnswerView, SourceName, answer_view
from assistant.models import Answer


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation: the answer and the filters it was asked under."""

    answer: Answer
    filters: str = ""


def _quote(text: str) -> str:
    return "\n".join(f"   > {line}" if line.strip() else "   >" for line in text.splitlines())


def _source(name: SourceName) -> str:
    link = f" \u2014 <{name.url}>" if name.url else ""
    return f"{name.kind_label}: **{name.title}** \u00b7 {name.place}{link}"


def _body(view: AnswerView) -> list[str]:
    """The answer itself: the lead and the sources that apply, or the answer's text."""
    if not view.structured:
        return [view.text, ""]
    lines = [f"**{view.lead}** [{view.lead_citation}]", "", "Sources that apply:", ""]
    for section in view.sections:
        lines.append(f"- [{section.citation}] {section.label}")
        lines += [f"  > {sentence}" for sentence in section.sentences]
        lines += [f"  *Note: {note}*" for note in section.notes]
    return [*lines, ""]


def _sources(view: AnswerView) -> list[str]:
    """The passages an answer cites, or the nearest sources a decline names."""
    if not view.answered:
        heading = ["Nearest sources (not support for an answer):", ""] if view.nearest else []
        return heading + [f"- {_source(name)}" for name in view.nearest]
    lines = ["**Passages**", ""]
    for source in view.sources:
        lines.append(f"{source.n}. {_source(source.name)}")
        lines += [f"   \u26a0 {w}" for w in source.warnings]
        lines += [f"   Note: {n}" for n in source.notes]
        lines.append(_quote(source.quote))
    for line in (view.mode_note, view.notice):
        if line:
            lines += ["", f"*{line}*"]
    return lines


def conversation_markdown(turns: Sequence[Turn], exported: datetime | None = None) -> str:
    exported = exported or datetime.now(timezone.utc)
    lines = [
        "# Conversation with conduct-assistant",
        "",
        f"Exported {exported:%d %B %Y, %H:%M} UTC. Each `[n]` refers to the sources listed under "
        "its answer; the numbers start again at each answer.",
    ]
    for number, turn in enumerate(turns, start=1):
        view = answer_view(turn.answer)
        lines += ["", f"## {number}. {view.question}", ""]
        if turn.filters:
            lines += [f"*Filters: {turn.filters}*", ""]
        if view.caveat:
            lines += [f"*{view.caveat}*", ""]
        lines += _body(view) + _sources(view)
    return "\n".join(lines).rstrip() + "\n"
