"""A training brief as a Markdown file and as a Word (.docx) file, with the same content.

The Word file is built with python-docx: real headings (Heading 1/2), numbered citations in
the text and clickable links to the official sources. Its bytes depend only on the brief
and the day it was written (fixed zip timestamps, the day as the document's date), so the
CLI and the browser give the same file.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, timezone

import prompts
from assistant.briefs.writer import month_name
from assistant.models import TrainingBrief, citation_label


def _headings() -> dict[str, str]:
    return prompts.load_yaml("brief")["headings"]


def _nearest(brief: TrainingBrief) -> list[str]:
    lines = []
    for h in brief.nearest[:5]:
        status = str(h.metadata.get("status", ""))
        flagged = f" ({status})" if any(w in status.lower() for w in ("superseded", "non-statutory")) else ""
        lines.append(f"{citation_label(h)}{flagged}" + (f" \u2014 {h.url}" if h.url else ""))
    return lines


def brief_json(brief: TrainingBrief) -> dict:
    """What `conduct-assistant brief --json` prints: the brief's parts, and its Markdown."""
    return brief.to_json() | {"markdown": brief_markdown(brief)}


def brief_markdown(brief: TrainingBrief) -> str:
    if not brief.supported:
        lines = [f"# {brief.title}", "", brief.message, ""]
        lines += [f"- {line}" for line in _nearest(brief)]
        return "\n".join(lines) + "\n"
    h = _headings()
    templates = prompts.load_yaml("brief")
    out = [f"# {brief.title}", "", f"**Audience:** {brief.audience}", ""]
    if brief.instruments:
        out += [f"## {h['instruments']}", ""]
    for instrument in brief.instruments:
        cites = "".join(f"[{n}]" for n in instrument.citations)
        badges = "".join(f" **{badge}**" for badge in instrument.badges)
        out.append(f"- [{instrument.title}]({instrument.url}) \u2014 {instrument.status} {cites}{badges}")
        out += [f"  - \u26a0 {warning}" for warning in instrument.warnings]
    out += ["", f"## {h['objectives']}", "", templates["objectives_intro"], ""]
    out += [f"{i}. {objective}" for i, objective in enumerate(brief.objectives, start=1)]
    out += ["", f"## {h['basis']}", ""]
    if not brief.provisions:
        out += [templates["no_provisions"], ""]
    for p in brief.provisions:
        out += [f"### {p.instrument}, {p.section}: {p.heading}", ""]
        out += [f"⚠ *{warning}*  " for warning in _warnings(brief, p.citation)]
        out += [p.summary + (f" *{templates['polished_note']}*" if p.polished else ""), "", f"<{p.url}>", ""]
    if brief.case_studies:
        out += [f"## {h['case_studies']}", ""]
        for case in brief.case_studies:
            out += [f"### {case.force}, {month_name(case.month)} ({case.key})", ""]
            out += [f"- {line}" for line in case.lines]
            out += ["", f"<{case.url}>", ""]
    out += [f"## {h['questions']}", ""]
    out += [f"{i}. {q}" for i, q in enumerate(brief.questions, start=1)]
    out += ["", f"## {h['reading']}", "", templates["reading_intro"], ""]
    out += [f"- [{title}]({url})" for title, url in _reading(brief)]
    out += ["", f"## {h['citations']}", ""]
    for c in brief.citations:
        out.append(f"[{c.n}] {citation_label(c)} \u2014 <{c.url}>  ")
        out += [f"\u26a0 {warning}  " for warning in c.warnings]
        out += [f"> {c.quote}", ""]
    out += ["---", "", brief.notice, ""]
    return "\n".join(out)


def _warnings(brief: TrainingBrief, n: int) -> tuple[str, ...]:
    """What a reader must know about citation n's source (superseded, non-statutory)."""
    return next((c.warnings for c in brief.citations if c.n == n), ())


def _reading(brief: TrainingBrief) -> list[tuple[str, str]]:
    """Each cited document's official link, once per title, in order of citation (two
    documents may share a page: the ACPO reference note links the Northumbria page)."""
    items = [(i.title, i.url) for i in brief.instruments] + [(c.title, c.url) for c in brief.case_studies]
    return [item for item in dict.fromkeys(items) if item[1]]


def brief_docx(brief: TrainingBrief, written: date | None = None) -> bytes:
    """The brief as a Word document."""
    import docx

    document = docx.Document()
    written = written or date.today()
    props = document.core_properties
    props.title = brief.title
    props.subject = brief.topic
    props.author = "conduct-assistant"
    stamp = datetime(written.year, written.month, written.day, tzinfo=timezone.utc)
    props.created = props.modified = stamp
    props.last_modified_by = "conduct-assistant"
    props.revision = 1
    document.add_heading(brief.title, level=0)
    if not brief.supported:
        document.add_paragraph(brief.message)
        for line in _nearest(brief):
            document.add_paragraph(line, style="List Bullet")
        return _stable_zip(document)
    h = _headings()
    templates = prompts.load_yaml("brief")
    audience = document.add_paragraph()
    audience.add_run("Audience: ").bold = True
    audience.add_run(brief.audience)
    if brief.instruments:
        document.add_heading(h["instruments"], level=1)
    for instrument in brief.instruments:
        paragraph = document.add_paragraph(style="List Bullet")
        _link(paragraph, instrument.title, instrument.url)
        cites = "".join(f"[{n}]" for n in instrument.citations)
        paragraph.add_run(f" \u2014 {instrument.status} {cites}")
        for badge in instrument.badges:
            paragraph.add_run(f" {badge}").bold = True
        for warning in instrument.warnings:
            document.add_paragraph(f"\u26a0 {warning}", style="List Bullet 2")
    document.add_heading(h["objectives"], level=1)
    document.add_paragraph(templates["objectives_intro"])
    for objective in brief.objectives:
        document.add_paragraph(objective, style="List Number")
    document.add_heading(h["basis"], level=1)
    if not brief.provisions:
        document.add_paragraph(templates["no_provisions"])
    for p in brief.provisions:
        document.add_heading(f"{p.instrument}, {p.section}: {p.heading}", level=2)
        for warning in _warnings(brief, p.citation):
            document.add_paragraph().add_run(f"⚠ {warning}").italic = True
        summary = document.add_paragraph(p.summary)
        if p.polished:
            summary.add_run(f" {templates['polished_note']}").italic = True
        _link(document.add_paragraph(), p.url, p.url)
    if brief.case_studies:
        document.add_heading(h["case_studies"], level=1)
        for case in brief.case_studies:
            document.add_heading(f"{case.force}, {month_name(case.month)} ({case.key})", level=2)
            for line in case.lines:
                document.add_paragraph(line, style="List Bullet")
            _link(document.add_paragraph(), case.url, case.url)
    document.add_heading(h["questions"], level=1)
    for question in brief.questions:
        document.add_paragraph(question, style="List Number 2")
    document.add_heading(h["reading"], level=1)
    document.add_paragraph(templates["reading_intro"])
    for title, url in _reading(brief):
        _link(document.add_paragraph(style="List Bullet"), title, url)
    document.add_heading(h["citations"], level=1)
    for c in brief.citations:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"[{c.n}] {citation_label(c)} \u2014 ")
        _link(paragraph, c.url, c.url)
        for warning in c.warnings:
            document.add_paragraph(f"\u26a0 {warning}")
        document.add_paragraph(c.quote, style="Quote")
    document.add_paragraph(brief.notice)
    return _stable_zip(document)


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
    """The saved document with every zip entry dated 1980-01-01, so equal briefs give equal bytes."""
    saved = io.BytesIO()
    document.save(saved)
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            entry = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(item.filename))
    return out.getvalue()


def export(brief: TrainingBrief, fmt: str) -> bytes:
    """The brief's file content in `fmt` ("md" or "docx")."""
    if fmt == "md":
        return brief_markdown(brief).encode("utf-8")
    if fmt == "docx":
        return brief_docx(brief)
    raise ValueError(f"unknown brief format '{fmt}' (use md or docx)")


def file_name(brief: TrainingBrief, fmt: str) -> str:
    """A file name from the topic: `brief-harassment-under-the-equality-act.docx`."""
    slug = re.sub(r"[^a-z0-9]+", "-", brief.topic.lower()).strip("-")[:60].rstrip("-")
    return f"brief-{slug or 'topic'}.{fmt}"
