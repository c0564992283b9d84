"""Paragraphs wrapped over several lines are read as one line each, in Markdown and plain text."""

from pathlib import Path

from ingest.loader import load_document
from ingest.wrapped import join_wrapped_lines

WRAPPED = """---
title: Crossings
kind: legislation
---
# Crossings

## reg 25 — Precedence at zebra crossings

A driver approaching a zebra crossing must give way to a
pedestrian who is on the crossing. Officers driving on duty
must do the same.

Exceptions:
- a vehicle on an emergency call
  that could not stop safely;
1. a second item
| a | table |
| b | row |
"""


def test_a_wrapped_paragraph_becomes_one_line_and_lists_quotes_and_tables_keep_theirs():
    assert join_wrapped_lines("one\ntwo\n\nthree\n> quoted\n# heading\nafter") == (
        "one two\n\nthree\n> quoted\n# heading\nafter"
    )
    assert join_wrapped_lines("| a |\n| b |\ntext\nmore") == "| a |\n| b |\ntext more"
    # Lettered and numbered items of law, a setext heading, a rule and a hard line break.
    assert join_wrapped_lines("It applies to\n(a) officers;\nii) staff.") == (
        "It applies to\n(a) officers;\nii) staff."
    )
    assert join_wrapped_lines("Title\n=====\ntext\n---\nmore  \nbroken\\\nhere") == (
        "Title\n=====\ntext\n---\nmore\nbroken\\\nhere"
    )


def test_code_keeps_its_lines():
    fenced = "Run:\n```\nline one\nline two\n```\nthen\nstop\n~~~\na\nb\n~~~"
    assert join_wrapped_lines(fenced) == (
        "Run:\n```\nline one\nline two\n```\nthen stop\n~~~\na\nb\n~~~"
    )
    indented = "Example:\n\n    code one\n    code two\n\ntext\nwrapped"
    assert join_wrapped_lines(indented) == "Example:\n\n    code one\n    code two\n\ntext wrapped"


def test_a_hard_wrapped_markdown_section_is_stored_one_paragraph_per_line(tmp_path: Path):
    path = tmp_path / "crossings.md"
    path.write_text(WRAPPED, "utf-8")
    (section,) = load_document(path).sections
    assert section.text.split("\n") == [
        "A driver approaching a zebra crossing must give way to a pedestrian who is on the "
        "crossing. Officers driving on duty must do the same.",
        "",
        "Exceptions:",
        "- a vehicle on an emergency call that could not stop safely;",
        "1. a second item",
        "| a | table |",
        "| b | row |",
    ]


def test_a_hard_wrapped_text_file_keeps_its_paragraphs_whole(tmp_path: Path):
    path = tmp_path / "note.txt"
    path.write_text(
        "Officers must report improper\nconduct by colleagues.\n\nThey must also\nchallenge it.\n",
        "utf-8",
    )
    texts = [s.text for s in load_document(path).sections]
    assert texts == ["Officers must report improper conduct by colleagues.\n\nThey must also challenge it."]
    # Short lines under a title are a list, not a wrapped paragraph.
    path.write_text("The nine principles\n\nAccountability\nFairness\nHonesty and openness\n", "utf-8")
    assert [s.text for s in load_document(path).sections] == [
        "The nine principles\n\nAccountability\nFairness\nHonesty and openness"
    ]


def test_markdown_without_sections_and_an_introduction_keep_their_paragraphs(tmp_path: Path):
    plain = tmp_path / "plain.md"
    plain.write_text(
        "---\ntitle: Note\n---\nNo sections here, wrapped\nover two lines.\n\n"
        "A second\nparagraph.\n",
        "utf-8",
    )
    assert [s.text for s in load_document(plain).sections] == [
        "No sections here, wrapped over two lines.\n\nA second paragraph."
    ]
    intro = tmp_path / "intro.md"
    intro.write_text(
        "---\ntitle: Note\n---\n# Note\nAn introduction\nwrapped.\n\n## s1 — One\nText.\n",
        "utf-8",
    )
    assert load_document(intro).sections[0].text == "An introduction wrapped."
