"""Training briefs: the sections a trainer would expect, every statement cited and quoted
verbatim, and Markdown and Word files that survive LibreOffice's conversion to PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from assistant.briefs.export import brief_docx, brief_markdown, export, file_name
from tests.conftest import run_cli

SOCIAL_MEDIA = "social media conduct off duty"
GROUP_CHATS = "challenging and reporting colleagues in group chats"
HARASSMENT = "harassment under the Equality Act"
REGS = "police-conduct-regulations-2020"
ACT = "equality-act-2010"
MARKER = re.compile(r"\[(\d+)\]")
QUOTED = re.compile(r"\u201c(.+?)\u201d")

# What a trainer would expect each brief to rest on: (document, section) of the provisions,
# and the recommendations that must appear among the case studies.
EXPECTED = {
    SOCIAL_MEDIA: (
        {(REGS, "Standard 9"), ("code-of-ethics-2014", "Standard 7 para 7.5")},
        {"acpo-2013-social-media-guidelines"},
        {"recommendations-greater-manchester-police-december-2020#1"},
    ),
    GROUP_CHATS: (
        {(REGS, "Standard 10")},
        set(),
        {"recommendation-metropolitan-police-service-february-2026#1", "operation-hotton-metropolitan-police-service-june-2018#1"},
    ),
    HARASSMENT: (
        {(ACT, "s26(1)"), (ACT, "s26(2)"), (ACT, "s40(1)"), (REGS, "Standard 3")},
        set(),
        {"recommendations-northumbria-police-march-2021#3"},
    ),
}


def _cited_sections(brief) -> set[tuple[str, str]]:
    by_n = {c.n: c for c in brief.citations}
    return {(by_n[p.citation].doc_id, p.section) for p in brief.provisions}


def _statements(brief) -> list[str]:
    """Every line of the brief that says something about a source."""
    lines = list(brief.objectives) + [p.summary for p in brief.provisions] + list(brief.questions)
    lines += [line for case in brief.case_studies for line in case.lines]
    return lines


@pytest.mark.parametrize("topic", list(EXPECTED))
def test_brief_cites_the_sections_a_trainer_would_expect(assistant, topic):
    sections, documents, cases = EXPECTED[topic]
    brief = assistant.brief(topic)
    assert brief.supported, brief.message
    cited = _cited_sections(brief)
    assert sections <= cited, sorted(cited)
    assert documents <= {doc for doc, _ in cited}
    assert cases <= {case.key for case in brief.case_studies}
    assert 3 <= len(brief.objectives) <= 5
    assert 3 <= len(brief.questions) <= 5
    assert brief.case_studies and all(case.lines for case in brief.case_studies)


@pytest.mark.parametrize("topic", list(EXPECTED))
def test_every_statement_carries_a_citation_and_quotes_its_passage_verbatim(assistant, topic):
    brief = assistant.brief(topic)
    quotes = {c.n: c.quote for c in brief.citations}
    assert sorted(quotes) == list(range(1, len(quotes) + 1))
    for line in _statements(brief):
        numbers = [int(n) for n in MARKER.findall(line)]
        assert numbers and all(n in quotes for n in numbers), line
        for quoted in QUOTED.findall(line):
            # A quote may join two sentences of one passage with "[…]"; each part is verbatim.
            parts = quoted.split(" [\u2026] ")
            assert any(all(part in quotes[n] for part in parts) for n in numbers), (quoted, numbers)
    for provision in brief.provisions:
        for sentence in MARKER.split(provision.summary)[::2]:
            if sentence.strip():
                assert sentence.strip() in quotes[provision.citation]


def test_superseded_and_non_statutory_sources_are_flagged(assistant):
    brief = assistant.brief(SOCIAL_MEDIA)
    by_title = {i.title: i for i in brief.instruments}
    old = next(i for t, i in by_title.items() if "July 2014" in t)
    assert "Superseded" in old.badges and any("superseded" in w.lower() for w in old.warnings)
    new = next(i for t, i in by_title.items() if "2024" in t)
    assert any("not a disciplinary standard" in w for w in new.warnings)
    # Superseded instruments come after the current ones.
    titles = [i.title for i in brief.instruments]
    assert titles.index(old.title) == len(titles) - 1
    assert "Superseded" in old.badges and "**Superseded**" in brief_markdown(brief)
    # Wherever the brief quotes or names the 2014 Code or the 2024 Code, it says what they are.
    for line in list(brief.objectives) + list(brief.questions):
        if "July 2014" in line:
            assert "superseded" in line
        if "2024" in line and "Code of Ethics" in line:
            assert "non-statutory" in line


@pytest.mark.parametrize(
    "topic, section",
    [
        ("getting sacked for what i post on facebook when i'm off duty", (REGS, "Standard 9")),
        ("banter in the team whatsapp", (REGS, "Standard 10")),
        ("racist jokes at work", (ACT, "s26(1)")),
    ],
)
def test_informal_topics_get_a_brief_on_the_right_provisions(assistant, topic, section):
    brief = assistant.brief(topic)
    assert brief.supported and section in _cited_sections(brief)


def test_a_topic_the_knowledge_base_cannot_support_says_so(assistant):
    brief = assistant.brief("wearing a poppy on a uniform")
    assert not brief.supported
    assert "does not hold enough" in brief.message
    assert not brief.provisions and not brief.objectives and not brief.citations
    assert brief.nearest
    text = brief_markdown(brief)
    assert "Learning objectives" not in text and len(text.splitlines()) < 12


def test_a_topic_with_cases_but_no_law_rests_on_the_cases(assistant):
    brief = assistant.brief("bodycam switched off")
    assert brief.supported and not brief.provisions
    assert len(brief.case_studies) >= 2
    assert "no law or guidance section" in brief_markdown(brief)


def test_markdown_has_every_part_with_links_and_the_audience(assistant):
    brief = assistant.brief(GROUP_CHATS, "Supervisors and managers")
    text = brief_markdown(brief)
    headings = re.findall(r"^## (.+)$", text, flags=re.M)
    assert headings == [
        "Sources this brief relies on",
        "Learning objectives",
        "Legal and professional basis",
        "Case studies",
        "Questions for discussion",
        "Further reading",
        "Citations",
    ]
    assert "**Audience:** Supervisors and managers" in text
    for c in brief.citations:
        assert f"[{c.n}] " in text and c.url in text
    assert "(https://www.legislation.gov.uk/uksi/2020/4/schedule/2)" in text
    assert "plain-English summaries" in text


def test_word_file_is_the_same_for_the_same_brief_and_day(assistant):
    import io
    import zipfile
    from datetime import date

    brief = assistant.brief(HARASSMENT)
    written = brief_docx(brief, written=date(2025, 5, 6))
    with zipfile.ZipFile(io.BytesIO(written)) as package:
        # No entry carries the time it was written, and the document's date is the day given.
        assert {entry.date_time for entry in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
    assert "2025-05-06T00:00:00Z" in core and brief.title in core
    assert brief_docx(brief, written=date(2025, 5, 6)) == written
    assert file_name(brief, "docx") == "brief-harassment-under-the-equality-act.docx"


def _to_pdf(docx_file: Path, work: Path) -> Path:
    """Convert with LibreOffice as a trainer's machine would open the file."""
    libreoffice = shutil.which("libreoffice") or shutil.which("soffice")
    assert libreoffice, "LibreOffice is installed by `make test`"
    subprocess.run(
        [
            libreoffice,
            f"-env:UserInstallation=file://{work / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(docx_file),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return work / docx_file.with_suffix(".pdf").name


def _outline(reader) -> list[str]:
    titles: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


# LibreOffice, installed by `make test`, takes seconds per file.
@pytest.mark.slow
@pytest.mark.parametrize("topic", [HARASSMENT, SOCIAL_MEDIA])
def test_word_brief_converts_in_libreoffice_with_headings_citations_and_links(assistant, tmp_path, topic):
    import pypdf

    brief = assistant.brief(topic)
    docx_file = tmp_path / file_name(brief, "docx")
    docx_file.write_bytes(export(brief, "docx"))
    reader = pypdf.PdfReader(_to_pdf(docx_file, tmp_path))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))

    # Headings become the PDF's outline, in order, with every provision and case study.
    outline = _outline(reader)
    for heading in ("Learning objectives", "Legal and professional basis", "Case studies", "Questions for discussion", "Further reading", "Citations"):
        assert heading in outline
    assert outline.index("Learning objectives") < outline.index("Case studies") < outline.index("Citations")
    for p in brief.provisions:
        assert f"{p.instrument}, {p.section}: {p.heading}" in outline
    # Citations survive in the text: every marker and every cited section's label.
    for c in brief.citations:
        assert f"[{c.n}]" in text
        assert c.section in text
    assert brief.objectives[0][:60] in text
    # Links survive as clickable link annotations to the official sources.
    links = {
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots") or []
        if "/A" in annotation.get_object()
    }
    assert {c.url for c in brief.citations} <= links


def test_cli_writes_markdown_and_word_and_refuses_what_it_cannot_support(shipped_home, tmp_path, assistant):
    shown = run_cli("brief", GROUP_CHATS, home=shipped_home)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == brief_markdown(assistant.brief(GROUP_CHATS))

    target = tmp_path / "session.docx"
    written = run_cli("brief", HARASSMENT, "--out", str(target), "--audience", "Student officers", home=shipped_home)
    assert written.returncode == 0, written.stderr
    assert target.read_bytes() == export(assistant.brief(HARASSMENT, "Student officers"), "docx")
    assert f"wrote {target}" in written.stdout

    refused = run_cli("brief", "wearing a poppy on a uniform", "--out", str(tmp_path / "no.docx"), home=shipped_home)
    assert refused.returncode == 1 and "does not hold enough" in refused.stderr
    assert not (tmp_path / "no.docx").exists()

    bad = run_cli("brief", HARASSMENT, "--format", "pdf", home=shipped_home)
    assert bad.returncode == 2 and bad.stderr.strip() == "error: --format: 'pdf' is not md or docx"
    empty = run_cli("brief", "  ", home=shipped_home)
    assert empty.returncode == 2 and empty.stderr.strip() == "error: empty topic: type a topic about police conduct"
