"""A conversation, with its citations, as a Markdown document a user can keep or share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from assistant.models import Answer
from assistant.ui.html_view import NEAREST_SHOWN, kind_label


@dataclass(frozen=True)
class Turn:
    """One exchange of a conversation: the answer and the filters it was asked under."""

    answer: Answer
    filters: str = ""


def _quote(text: str) -> str:
    return "\n".join(f"   > {line}" if line.strip() else "   >" for line in text.splitlines())


def _source(title: str, section: str, heading: str) -> str:
    return f"**{title}** \u00b7 {section}" + (f" \u2014 {heading}" if heading else "")


def conversation_markdown(turns: Sequence[Turn], exported: datetime | None = None) -> str:
    exported = exported or datetime.now(timezone.utc)
    lines = [
        "# Conversation with conduct-assistant",
        "",
        f"Exported {exported:%d %B %Y, %H:%M} UTC. Each `[n]` refers to the sources listed under "
        "its answer; the numbers start again at each answer.",
    ]
    for number, turn in enumerate(turns, start=1):
        answer = turn.answer
        lines += ["", f"## {number}. {answer.question}", ""]
        if turn.filters:
            lines += [f"*Filters: {turn.filters}*", ""]
        if answer.answered and answer.caveat:
            lines += [f"*{answer.caveat}*", ""]
        if answer.answered and answer.lead:
            lead = " ".join(s.text for s in answer.lead)
            lines += [f"**{lead}** [{answer.lead[0].citation}]", "", "Sources that apply:", ""]
            for section in answer.sections:
                lines.append(f"- [{section.citation}] {section.label}")
                lines += [f"  > {sentence}" for sentence in section.sentences]
                lines += [f"  *Note: {note}*" for note in section.notes]
            lines.append("")
        else:
            lines += [answer.answer, ""]
        if answer.answered:
            lines.append("**Passages**")
            lines.append("")
            for c in answer.citations:
                link = f" \u2014 <{c.url}>" if c.url else ""
                lines.append(
                    f"{c.n}. {kind_label(c.kind)}: {_source(c.title, c.section, c.heading)}{link}"
                )
                lines += [f"   \u26a0 {w}" for w in c.warnings]
                lines += [f"   Note: {n}" for n in c.notes]
                lines.append(_quote(c.quote))
            if answer.mode_note:
                lines += ["", f"*{answer.mode_note}*"]
            if answer.notice:
                lines += ["", f"*{answer.notice}*"]
        elif answer.hits:
            lines.append("Nearest sources (not support for an answer):")
            lines.append("")
            for h in answer.hits[:NEAREST_SHOWN]:
                link = f" \u2014 <{h.url}>" if h.url else ""
                lines.append(
                    f"- {kind_label(h.kind)}: {_source(h.title, h.section, h.heading)}{link}"
                )
    return "\n".join(lines).rstrip() + "\n"
