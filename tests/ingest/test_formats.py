"""IOPC pages and other documents saved as HTML, PDF and DOCX: parsed by structure, bad
files refused with one clear line each, and a mixed folder ingested through the CLI."""

from __future__ import annotations

import contextlib
import io
import shutil
import time
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.config import Settings
from assistant.service import ConductAssistant
from ingest.docx_doc import docx_to_text
from ingest.html_doc import html_to_text
from ingest.loader import discover, load_document
from ingest.models import IngestError, ParsedDocument
from ingest.pdf_doc import pdf_to_text, reflow
from tests.conftest import FIXTURES, json_lines, run_cli
from tests.fixtures.formats import documents as docs

FORMATS = FIXTURES / "formats"
NORTHSHIRE = FORMATS / "recommendations-northshire-police-may-2024.html"
VETTING = FORMATS / "vetting-appeals-guidance.html"


def _fields(doc: ParsedDocument, name: str) -> list[str]:
    assert doc.record is not None
    return [getattr(rec, name) for rec in doc.record.recommendations]


def _all_text(doc: ParsedDocument) -> str:
    return "\n".join(s.text for s in doc.sections)


# --- HTML --------------------------------------------------------------------------------


def test_saved_iopc_web_page_parses_to_its_record():
    doc = load_document(NORTHSHIRE)
    assert doc.layout == "iopc-page"
    assert doc.describe() == "IOPC recommendations page (HTML) with 3 recommendations"
    record = doc.record
    assert record is not None
    assert record.title == doc.title == "Recommendations - Northshire Police, May 2024"
    assert (record.force, record.month) == ("Northshire Police", "2024-05")
    assert record.iopc_references == ("2023/187654", "2023/187655")
    # The canonical link is the page's address (not og:url, which is a node alias).
    url = "https://www.policeconduct.example/learning/recommendations/northshire-police-may-2024"
    assert record.url == doc.url == url
    assert _fields(doc, "text") == [
        (
            "The IOPC recommends that Northshire Police ensures that every report of stalking is "
            "assessed by a trained supervisor within 24 hours, and that the assessment is recorded "
            "on the crime record so that all officers dealing with the victim can see it."
        ),
        (
            "The IOPC recommends that Northshire Police appoints a single point of contact for "
            "every victim who makes more than one report of stalking within twelve months."
        ),
        (
            "The IOPC recommends that Northshire Police shares the learning from this "
            "investigation with its call handlers."
        ),
    ]
    assert _fields(doc, "finding") == [
        (
            "This follows an IOPC investigation which found that five separate reports were dealt "
            "with by different officers, none of whom could see the earlier risk assessments."
        ),
        (
            "This follows an IOPC investigation which found that the victim spoke to nine "
            "different officers and had to repeat her account each time."
        ),
        "This follows an IOPC investigation which found that calls were graded as routine.",
    ]
    assert _fields(doc, "accepted") == ["yes", "no", "partially"]
    assert _fields(doc, "response") == [
        (
            "The force\u2019s stalking policy was rewritten in March 2024. Supervisors now review "
            "every new report on the day it is made.\n"
            "A mandatory risk field was added to the crime record.\n"
            "All response officers completed stalking awareness training by April 2024."
        ),
        # The <br> inside the paragraph is a line break.
        (
            "The force already assigns an officer in charge to each investigation, and the new "
            "supervisory review gives continuity.\n"
            "A dedicated contact for every repeat victim could not be staffed within the current "
            "budget."
        ),
        "A briefing was given to call handlers in the north of the county.",
    ]
    assert doc.sections[0].text.startswith("The following learning was identified")
    assert doc.metadata["forces"] == ["Northshire Police"] and doc.metadata["year"] == 2024


def test_web_page_furniture_is_not_indexed():
    text = _all_text(load_document(NORTHSHIRE))
    for furniture in (
        "Skip to main content",  # before the content root
        "cookies",  # hidden
        "Investigations",  # navigation
        "Home",  # breadcrumb navigation inside <main>
        "Share this page",  # aside
        "Is this page useful",  # form
        "Published",  # the article's footer
        "dataLayer",  # script
        "JavaScript",  # noscript
        "Privacy",  # page footer
    ):
        assert furniture not in text


def test_web_page_with_h2_headings_becomes_sections():
    doc = load_document(VETTING)
    assert doc.layout == "markdown" and doc.record is None
    assert doc.describe() == "sectioned document (HTML) with 4 sections"
    assert doc.title == "Northshire Police: Vetting Appeals Guidance"  # the h1, not <title>
    assert doc.url == "https://intranet.northshire.example/psd/vetting-appeals"  # og:url
    assert [(s.section_id, s.heading) for s in doc.sections] == [
        ("Introduction", ""),
        ("1", "Purpose"),  # "1 — Purpose" already had the id — heading shape
        ("Who may appeal", ""),
        ("3", "Time limits"),
    ]
    by_id = {s.section_id: s.text for s in doc.sections}
    assert by_id["Introduction"] == (
        "This guidance explains how an officer or member of staff may appeal a vetting decision."
    )
    assert by_id["1"] == (
        "Vetting decisions protect the public and the integrity of the force. "
        "An appeal lets a person ask for a decision to be looked at again."
    )
    assert by_id["Who may appeal"].split("\n\n") == [
        "Serving officers and staff refused a higher level of clearance.",
        "Applicants refused clearance on joining.",
        "Exceptions",  # an h3 stays inside its h2 section
        "Contractors appeal through their employer.",
    ]
    assert by_id["3"].split("\n\n")[:4] == [
        "Step",
        "Time limit",
        "Lodge the appeal",
        "28 days from the decision",
    ]
    assert "intranet" not in _all_text(doc) and "Page owner" not in _all_text(doc)


def test_web_page_without_h2_is_plain_text_titled_by_its_title_tag(tmp_path):
    page = tmp_path / "notice.htm"
    # A page declared windows-1252, as older intranets save them: 0x92 is a right quote.
    page.write_bytes(
        b'<html><head><meta charset="windows-1252"><title>Custody notice</title></head>'
        b"<body><p>Detainees\x92 property is listed on arrival.</p><p>Keys are signed out.</p>"
        b"</body></html>"
    )
    doc = load_document(page)
    assert doc.layout == "plain-text" and doc.describe() == "plain text (HTML) in 1 part"
    assert doc.title == "Custody notice" and doc.url == ""
    assert (
        doc.sections[0].text
        == "Detainees\u2019 property is listed on arrival.\n\nKeys are signed out."
    )


def test_a_second_h1_heads_a_section(tmp_path):
    page = tmp_path / "two-h1.html"
    page.write_text("<h1>Custody</h1><p>Intro.</p><h1>Rousing</h1><p>Every half hour.</p>", "utf-8")
    doc = load_document(page)
    assert doc.title == "Custody"
    assert [(s.section_id, s.text) for s in doc.sections] == [
        ("Introduction", "Intro."),
        ("Rousing", "Every half hour."),
    ]


def test_nesting_under_the_limit_parses_and_far_deeper_nesting_is_refused_quickly(tmp_path):
    shallow = tmp_path / "shallow.html"
    shallow.write_text(
        "<body>" + "<div>" * 150 + "Deep but fine." + "</div>" * 150 + "<p>After.</p>", "utf-8"
    )
    assert load_document(shallow).sections[0].text == "Deep but fine.\n\nAfter."

    deep = tmp_path / "deep.html"
    deep.write_text("<html><body><main>" + "<div>" * 100_000 + "x" + "</div>" * 100_000, "utf-8")
    started = time.monotonic()
    with pytest.raises(IngestError) as err:
        load_document(deep)
    assert str(err.value) == "HTML nested too deeply (more than 200 levels of elements)"
    assert time.monotonic() - started < 10


TAG_SOUP = st.sampled_from(
    ["<div>", "</div>", "<p>", "</p>", "<h1>", "</h1>", "<h2>", "<main>", "<table><tr><td>",
     "<br>", "<!--", "-->", "<script>", "</script>", "<![CDATA[", "]]>", "<!DOCTYPE html>",
     "&amp;", "&#0;", "&#xD800;", "<", ">", "\x00", "\ufeff", "<meta charset='utf-16'>",
     "Recommendations - Midshire Police, May 2024", "The IOPC recommends that X.",
     "Do you accept the recommendation?", "No", "---", "## x"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400), st.lists(st.one_of(TAG_SOUP, st.text(max_size=20)), max_size=40)
    )
)
def test_malformed_html_raises_nothing_but_ingest_error(markup):
    data = markup if isinstance(markup, bytes) else "".join(markup).encode("utf-8", "surrogatepass")
    with contextlib.suppress(IngestError):
        html_to_text(data)


# --- PDF ---------------------------------------------------------------------------------


def test_pdf_iopc_page_reflows_into_its_record(tmp_path):
    doc = load_document(docs.westmoor_pdf(tmp_path / "westmoor.pdf"))
    assert doc.describe() == "IOPC recommendations page (PDF, 2 pages) with 2 recommendations"
    record = doc.record
    assert record is not None
    assert record.title == doc.title == "Recommendations - Westmoor Constabulary, November 2023"
    assert (record.force, record.month, record.iopc_references) == (
        "Westmoor Constabulary",
        "2023-11",
        ("2022/176543",),
    )
    # Each wrapped paragraph comes back whole, the second recommendation across the page break.
    assert _fields(doc, "text") == [docs.WESTMOOR_REC_1, docs.WESTMOOR_REC_2]
    assert _fields(doc, "finding") == [docs.WESTMOOR_FINDING_1, docs.WESTMOOR_FINDING_2]
    assert _fields(doc, "accepted") == ["yes", "no"]
    assert _fields(doc, "response") == [
        "\n".join(docs.WESTMOOR_RESPONSE_1),
        docs.WESTMOOR_RESPONSE_2,
    ]
    assert doc.sections[0].text == docs.WESTMOOR_INTRO
    text = _all_text(doc)
    assert "Independent Office for Police Conduct |" not in text and "Page 1 of 2" not in text


def test_pdf_without_structure_is_plain_text_titled_by_its_first_line(tmp_path):
    doc = load_document(docs.memo_pdf(tmp_path / "memo.pdf"))
    assert doc.layout == "plain-text" and doc.describe() == "plain text (PDF, 2 pages) in 1 part"
    assert doc.title == "Westmoor Constabulary Professional Standards Department"
    assert _all_text(doc).split("\n\n") == [p for page in docs.MEMO_PAGES for p in page]

    titled = load_document(docs.memo_pdf(tmp_path / "titled.pdf", title="Personal devices note"))
    assert titled.title == "Personal devices note"


def test_reflow_keeps_markers_on_lines_of_their_own():
    full = "x" * 60
    lines = [
        "Recommendations - Midshire Police, May 2024",
        "The IOPC recommends that Midshire Police " + full,  # a long line: would take the next
        "reviews its policy.",
        f"This follows an IOPC investigation {full}.",
        "Do you accept the recommendation?",
        "No",
        f"Reason for not accepting: the force {full}",
        "already does this.",
    ]
    assert reflow(lines) == [
        "Recommendations - Midshire Police, May 2024",
        f"The IOPC recommends that Midshire Police {full} reviews its policy.",
        f"This follows an IOPC investigation {full}.",
        "Do you accept the recommendation?",
        "No",
        f"Reason for not accepting: the force {full} already does this.",
    ]


def test_reflow_reads_gaps_relative_to_the_line_spacing():
    line = "a wrapped line of text that fills the width of the page " * 2
    # Double spacing: one blank line between lines of a paragraph, two between paragraphs.
    double = [line, "", line, "", "end of the first.", "", "", line, "", "end of the second."]
    assert reflow(double) == [f"{line} {line} end of the first.", f"{line} end of the second."]
    assert reflow([line + " well-", "known words"]) == [f"{line} well-known words"]


# --- DOCX --------------------------------------------------------------------------------


def test_docx_iopc_page_parses_to_its_record(tmp_path):
    doc = load_document(docs.eastfold_docx(tmp_path / "eastfold.docx"))
    assert doc.describe() == "IOPC recommendations page (DOCX) with 2 recommendations"
    record = doc.record
    assert record is not None
    # The Title paragraph wins over the core properties' title.
    assert record.title == doc.title == "Recommendations - Eastfold Police, February 2025"
    assert (record.force, record.month, record.iopc_references) == (
        "Eastfold Police",
        "2025-02",
        ("2024/101010", "2024/101011"),
    )
    assert _fields(doc, "text") == [docs.EASTFOLD_REC_1, docs.EASTFOLD_REC_2]
    assert _fields(doc, "finding") == [docs.EASTFOLD_FINDING_1, docs.EASTFOLD_FINDING_2]
    # The first acceptance is a table: its cells are read row by row.
    assert _fields(doc, "accepted") == ["no", "yes"]
    assert _fields(doc, "response") == [docs.EASTFOLD_REASON_1, "\n".join(docs.EASTFOLD_RESPONSE_2)]
    assert doc.sections[0].text == docs.EASTFOLD_INTRO


def test_docx_with_heading_2_sections(tmp_path):
    doc = load_document(docs.policy_docx(tmp_path / "bwv-policy.docx"))
    assert (
        doc.layout == "markdown" and doc.describe() == "sectioned document (DOCX) with 5 sections"
    )
    assert doc.title == docs.POLICY_TITLE
    assert [(s.section_id, s.heading, s.text) for s in doc.sections] == [
        ("Introduction", "", docs.POLICY_INTRO),
        ("1", "Purpose", "Body-worn video gives an accurate record of what officers see and hear."),
        (
            "Scope",
            "",
            "The policy covers recording, retention and disclosure.\n\nIt does not cover CCTV.",
        ),
        (
            "3",
            "Retention of footage",
            # The merged header cell is read once, not once per column it spans.
            (
                "Footage that is not evidence is deleted after 31 days.\n\nEvidential footage\n\n"
                "Retention periods\n\nEvidence\n\nSeven years"
            ),
        ),
        ("4", "Review", "The policy is reviewed every two years."),
    ]


def test_docx_without_heading_styles_takes_its_core_title(tmp_path):
    doc = load_document(
        docs.untitled_docx(tmp_path / "handover.docx", "Custody handover checklist")
    )
    assert doc.layout == "plain-text" and doc.describe() == "plain text (DOCX) in 1 part"
    assert doc.title == "Custody handover checklist"
    assert doc.sections[0].text == (
        "Custody handover must cover every detained person's care plan.\n\n"
        "The incoming sergeant signs the custody record."
    )


# --- every format ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["page.html", "page.pdf", "page.docx"])
def test_sidecar_metadata_applies_to_every_format(tmp_path, name):
    makers = {
        "page.html": lambda path: shutil.copy(NORTHSHIRE, path),
        "page.pdf": docs.westmoor_pdf,
        "page.docx": docs.eastfold_docx,
    }
    path = tmp_path / name
    makers[name](path)
    path.with_name("page.meta.yaml").write_text(
        "id: my-page\nurl: https://example.org/official\nstatus: response published\n"
        "themes: [Custody, Risk Assessment]\n",
        "utf-8",
    )
    doc = load_document(path)
    assert (doc.doc_id, doc.url, doc.status) == (
        "my-page",
        "https://example.org/official",
        "response published",
    )
    assert doc.record is not None and doc.record.url == "https://example.org/official"
    assert doc.metadata["themes"] == ["custody", "risk assessment"]


def _bad_files(folder: Path) -> dict[str, str]:
    """Bad files and the exact reason each must be refused for."""
    good_docx = docs.eastfold_docx(folder / "good.docx").read_bytes()
    (folder / "good.docx").unlink()
    not_word = io.BytesIO()
    with zipfile.ZipFile(not_word, "w") as package:
        package.writestr("notes.txt", "Not a Word document.")
    # A zip whose first entry claims a format version from the future: zipfile refuses it.
    directory = good_docx.index(b"PK\x01\x02")
    future_zip = good_docx[: directory + 6] + b"\xff\x00" + good_docx[directory + 8 :]
    files = {
        "scan.pdf": docs.scanned_pdf,
        "locked.pdf": docs.encrypted_pdf,
        "cut-off.pdf": docs.truncated_pdf,
        "renamed.pdf": lambda p: p.write_bytes(b"%PDF-1.4 not really a PDF"),
        "cut-off.docx": lambda p: p.write_bytes(good_docx[: len(good_docx) // 2]),
        "renamed.docx": lambda p: p.write_text("plain text saved as .docx", "utf-8"),
        "old-word.docx": lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)),
        "other-zip.docx": lambda p: p.write_bytes(not_word.getvalue()),
        "future-zip.docx": lambda p: p.write_bytes(future_zip),
        "bad-charset.html": lambda p: p.write_bytes(
            b'<meta charset="\x13indows-1252"><p>Text.</p>'
        ),
        "image.html": lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "script-only.html": lambda p: p.write_text(
            "<script>var a = 1;</script><nav>Home</nav>", "utf-8"
        ),
        "legacy.doc": lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    }
    for name, make in files.items():
        make(folder / name)
    return {
        "scan.pdf": "PDF has no text layer (a scanned image?); run OCR on it first",
        "locked.pdf": "encrypted PDF (it needs a password); save an unprotected copy first",
        "cut-off.pdf": "malformed PDF (Stream has ended unexpectedly)",
        "renamed.pdf": "malformed PDF (Stream has ended unexpectedly)",
        "cut-off.docx": "not a valid DOCX (File is not a zip file)",
        "renamed.docx": "not a valid DOCX (File is not a zip file)",
        "old-word.docx": "not a valid DOCX (an old Word .doc or a password-protected file); "
        "save it as .docx without a password",
        "other-zip.docx": (
            "not a valid DOCX (There is no item named '[Content_Types].xml' in the archive)"
        ),
        "future-zip.docx": "not a valid DOCX (zip file version 25.5)",
        "bad-charset.html": "binary file (control characters in the text)",
        "image.html": "binary file (contains NUL bytes)",
        "script-only.html": "no text to index after parsing",
        "legacy.doc": "unsupported file type '.doc' "
        "(supported: .docx, .htm, .html, .markdown, .md, .pdf, .text, .txt)",
    }


def test_a_recommendation_to_several_bodies_is_labelled_with_all_of_them(tmp_path):
    page = tmp_path / "national.md"
    page.write_text(
        "---\nkind: precedent\nforces: [College of Policing, National Police Chiefs' Council]\n"
        "month: \"2025-04\"\n---\n# Recommendations, April 2025\n\n## Recommendation 1\n"
        "The IOPC recommended that the College amend its custody guidance.\n",
        encoding="utf-8",
    )
    doc = load_document(page)
    assert doc.metadata["forces"] == ["College of Policing", "National Police Chiefs' Council"]
    assert doc.metadata["force"] == "College of Policing and National Police Chiefs' Council"
    assert doc.record is not None and doc.record.force == doc.metadata["force"]


def test_each_bad_file_gets_one_clear_error(tmp_path):
    for name, reason in _bad_files(tmp_path).items():
        with pytest.raises(IngestError) as err:
            load_document(tmp_path / name)
        assert str(err.value) == reason, name


@pytest.fixture(scope="module")
def good_bytes(tmp_path_factory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("good")
    return {
        "pdf": docs.westmoor_pdf(folder / "w.pdf").read_bytes(),
        "docx": docs.eastfold_docx(folder / "e.docx").read_bytes(),
    }


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from(["pdf", "docx"]),
    cut=st.floats(0.05, 1.0),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=8),
)
def test_damaged_pdf_and_docx_raise_nothing_but_ingest_error(good_bytes, kind, cut, flips):
    data = bytearray(good_bytes[kind][: max(1, int(len(good_bytes[kind]) * cut))])
    for where, value in flips:
        data[int(where * len(data))] = value
    convert = pdf_to_text if kind == "pdf" else docx_to_text
    with contextlib.suppress(IngestError):
        convert(bytes(data))


def test_folder_walk_finds_every_format_in_nested_folders(tmp_path):
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    names = [
        "top.html",
        "a/page.htm",
        "a/b/deep.pdf",
        "a/b/deeper.docx",
        "a/old.doc",
        "a/b/notes.txt",
    ]
    for name in [*names, "a/b/deep.meta.yaml", "a/photo.png", "a/.hidden/x.pdf"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = {p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])}
    assert found == set(names)


def test_pages_in_every_format_are_stored_and_filterable(tmp_path):
    empty = tmp_path / "corpus"
    empty.mkdir()
    assistant = ConductAssistant(Settings.from_env(home=tmp_path / "home", corpus_dir=empty))
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    shutil.copy(NORTHSHIRE, incoming)
    docs.westmoor_pdf(incoming / "westmoor.pdf")
    docs.eastfold_docx(incoming / "eastfold.docx")
    reports = assistant.ingest([incoming])
    assert [(Path(r.path).name, r.status) for r in reports] == [
        ("eastfold.docx", "added"),
        (NORTHSHIRE.name, "added"),
        ("westmoor.pdf", "added"),
    ]
    accepted = {
        r["doc_id"]: [rec["accepted"] for rec in r["recommendations"]] for r in assistant.records()
    }
    assert accepted == {
        "eastfold": ["no", "yes"],
        NORTHSHIRE.stem: ["yes", "no", "partially"],
        "westmoor": ["yes", "no"],
    }
    declined = assistant.search(
        "why was the recommendation not accepted", 20, assistant.criteria(accepted=["no"])
    )
    assert {h.doc_id for h in declined} == {"eastfold", NORTHSHIRE.stem, "westmoor"}
    assert {h.metadata["accepted"] for h in declined} == {"no"}


def test_mixed_folder_through_the_cli(tmp_path):
    folder = tmp_path / "incoming"
    (folder / "nested" / "deeper").mkdir(parents=True)
    shutil.copy(FIXTURES / "pages" / "single-yes.txt", folder)
    shutil.copy(NORTHSHIRE, folder / "northshire.html")
    docs.westmoor_pdf(folder / "nested" / "deeper" / "westmoor.pdf")
    docs.eastfold_docx(folder / "nested" / "eastfold.docx")
    docs.policy_docx(folder / "nested" / "bwv-policy.docx")
    docs.truncated_pdf(folder / "broken.pdf")
    empty = tmp_path / "corpus"
    empty.mkdir()
    env = {"CONDUCT_ASSISTANT_CORPUS_DIR": str(empty)}  # no shipped knowledge base to build first

    first = run_cli("ingest", str(folder), "--json", home=tmp_path / "home", extra_env=env)
    assert first.returncode == 1, first.stderr
    assert "Traceback" not in first.stderr
    reports = {Path(r["path"]).name: r for r in json_lines(first.stdout)}
    assert {
        name: (r["status"], r["recognised"]) for name, r in reports.items() if name != "broken.pdf"
    } == {
        "single-yes.txt": ("added", "IOPC recommendations page with 1 recommendation"),
        "northshire.html": ("added", "IOPC recommendations page (HTML) with 3 recommendations"),
        "westmoor.pdf": (
            "added",
            "IOPC recommendations page (PDF, 2 pages) with 2 recommendations",
        ),
        "eastfold.docx": ("added", "IOPC recommendations page (DOCX) with 2 recommendations"),
        "bwv-policy.docx": ("added", "sectioned document (DOCX) with 5 sections"),
    }
    assert reports["broken.pdf"]["status"] == "failed"
    assert reports["broken.pdf"]["error"] == "malformed PDF (Stream has ended unexpectedly)"

    again = run_cli("ingest", str(folder), "--json", home=tmp_path / "home", extra_env=env)
    assert again.returncode == 1
    statuses = {Path(r["path"]).name: r["status"] for r in json_lines(again.stdout)}
    assert statuses == {name: "unchanged" for name in reports if name != "broken.pdf"} | {
        "broken.pdf": "failed"
    }
