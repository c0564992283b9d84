"""A brief's document model as Markdown."""

from __future__ import annotations

import re

from assistant.briefs import document as model

# Markdown's hard line break: the lines of one entry stay one block.
LINE_BREAK = "  "


def markdown_text(document: model.BriefDocument) -> str:
    # Every block is followed by a blank line, an empty list too (a brief without sources
    # has two blank lines after its audience): the files stay as they have always been.
    return "\n".join(line for block in document.blocks for line in (*_block(block), ""))


def _block(block: model.Block) -> list[str]:
    match block:
        case model.Heading(level, text):
            return [f"{'#' * (level + 1)} {text}"]
        case model.Paragraph(runs):
            return [_runs(runs)]
        case model.Bullets(items):
            return [line for item in items for line in _item(item)]
        case model.Numbered(items):
            return [f"{i}. {text}" for i, text in enumerate(items, start=1)]
        case model.Lines(parts):
            lines = [_runs(p.runs) if isinstance(p, model.Paragraph) else _quote(p) for p in parts]
            return [line + LINE_BREAK for line in lines[:-1]] + lines[-1:]
        case model.Notice(text):
            return ["---", "", text]
        case _:
            raise TypeError(f"not a brief block: {block!r}")


def _item(item: model.Item) -> list[str]:
    return [f"- {_runs(item.runs)}", *(f"  - {_runs(runs)}" for runs in item.nested)]


def _quote(quote: model.Quote) -> str:
    return f"> {quote.text}"


def _runs(runs: tuple[model.Run, ...]) -> str:
    return "".join(_run(run) for run in runs)


def _run(run: model.Run) -> str:
    match run:
        case model.Text(text, bold, italic):
            text = _emphasis(text, "*") if italic else text
            return _emphasis(text, "**") if bold else text
        case model.Link(text, url):
            return f"<{url}>" if text == url else f"[{text}]({url})"
        case model.Caution(text, italic):
            return f"{model.WARNING_SIGN} {_emphasis(text, '*') if italic else text}"
        case _:
            raise TypeError(f"not a brief run: {run!r}")


def _emphasis(text: str, marker: str) -> str:
    """Emphasis markers around the text, its surrounding spaces outside them: Markdown does
    not read `**Audience: **` as bold."""
    lead, core, trail = re.fullmatch(r"(\s*)(.*?)(\s*)", text, flags=re.S).groups()
    return f"{lead}{marker}{core}{marker}{trail}"
