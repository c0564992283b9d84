"""A brief's document model as a Word (.docx) file, built with python-docx: real headings
(Title, Heading 1/2), list styles and clickable links to the official sources. Its bytes
depend only on the document and the day it was written (fixed zip timestamps, the day as the
document's date), so the CLI and the browser give the same file.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timezone

from assistant.briefs import document as model

AUTHOR = "conduct-assistant"
# Word numbers all the paragraphs of one list style as one list: each numbered list of the
# document takes its own style, so that each starts at 1.
NUMBERED_LIST_STYLES = ("List Number", "List Number 2")


def word_file(document: model.BriefDocument, written: date) -> bytes:
    import docx

    word = docx.Document()
    props = word.core_properties
    props.title = document.title
    props.subject = document.subject
    props.author = AUTHOR
    day = datetime(written.year, written.month, written.day, tzinfo=timezone.utc)
    props.created = props.modified = day
    props.last_modified_by = AUTHOR
    props.revision = 1
    numbered_styles = iter(NUMBERED_LIST_STYLES)
    for block in document.blocks:
        _add(word, block, numbered_styles)
    return _stable_zip(word)


def _add(word, block: model.Block, numbered_styles: Iterator[str]) -> None:
    match block:
        case model.Heading(level, text):
            word.add_heading(text, level=level)
        case model.Paragraph(runs):
            _add_runs(word.add_paragraph(), runs)
        case model.Bullets(items):
            for item in items:
                _add_runs(word.add_paragraph(style="List Bullet"), item.runs)
                for runs in item.nested:
                    _add_runs(word.add_paragraph(style="List Bullet 2"), runs)
        case model.Numbered(items):
            style = next(numbered_styles)
            for text in items:
                word.add_paragraph(text, style=style)
        case model.Lines(parts):
            for part in parts:
                if isinstance(part, model.Paragraph):
                    _add_runs(word.add_paragraph(), part.runs)
                else:
                    word.add_paragraph(part.text, style="Quote")
        case model.Notice(text):
            word.add_paragraph(text)
        case _:
            raise TypeError(f"not a brief block: {block!r}")


def _add_runs(paragraph, runs: tuple[model.Run, ...]) -> None:
    for run in runs:
        match run:
            case model.Text(text, bold, italic):
                added = paragraph.add_run(text)
                # Only set what is on: an explicit "off" would be written into the file.
                if bold:
                    added.bold = True
                if italic:
                    added.italic = True
            case model.Link(text, url):
                _link(paragraph, text, url)
            case model.Caution(text, italic):
                added = paragraph.add_run(f"{model.WARNING_SIGN} {text}")
                if italic:
                    added.italic = True
            case _:
                raise TypeError(f"not a brief run: {run!r}")


def _link(paragraph, text: str, url: str) -> None:
    """A clickable hyperlink run (python-docx has no public API for one). The run carries the
    document's Hyperlink character style: LibreOffice drops links whose style is undefined
    when it exports a PDF."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    if not url:
        paragraph.add_run(text)
        return
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), _hyperlink_style(paragraph.part.document).style_id)
    properties.append(style)
    run.append(properties)
    body = OxmlElement("w:t")
    body.text = text
    body.set(qn("xml:space"), "preserve")
    run.append(body)
    link.append(run)
    paragraph._p.append(link)


def _hyperlink_style(document):
    """The document's Hyperlink character style (blue, underlined), added on first use."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.shared import RGBColor

    if "Hyperlink" in document.styles:
        return document.styles["Hyperlink"]
    style = document.styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    style.font.underline = True
    style.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    return style


def _stable_zip(document) -> bytes:
    """The saved document with every zip entry dated 1980-01-01: equal briefs, equal bytes."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    target = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(saved) as source, target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()
