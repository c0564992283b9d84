"""Word documents (.docx): paragraphs and table cells in order, styles marking the structure.

A paragraph styled Title or Heading 1 is the title (a later one heads a section), Heading 2
heads a section; the document's core title stands in when no paragraph is styled as one.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from zipfile import ZipFile

import docx
from docx.document import Document as WordDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.blocks import Block, Converted, Role, arrange, one_line
from ingest.models import IngestError

# By lower-case style name; the first title is the title, a later one heads a section.
STYLE_ROLES: dict[str, Role] = {"title": "title", "heading 1": "title", "heading 2": "heading"}
# Old Word files and password-protected .docx files are OLE compound files, not zips.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# python-docx reads every part into memory: refuse a package that would unpack to more.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


def docx_to_text(data: bytes) -> Converted:
    """The document's blocks arranged for a parser, or IngestError."""
    _check_package(data)
    try:
        document = docx.Document(BytesIO(data))
        styled = list(_paragraphs(document))
        core_title = document.core_properties.title or ""
    except Exception as err:  # noqa: BLE001 - python-docx raises many types on a damaged file
        raise IngestError(f"not a valid DOCX ({one_line(err)})") from None
    blocks = [Block(text, STYLE_ROLES.get(style, "text")) for style, text in styled]
    return arrange(blocks, fallback_title=core_title, url="", source_format="DOCX")


def _check_package(data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        raise IngestError(
            "not a valid DOCX (an old Word .doc or a password-protected file); "
            "save it as .docx without a password"
        )
    try:
        with ZipFile(BytesIO(data)) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except Exception as err:  # noqa: BLE001 - zipfile raises several types on a damaged package
        raise IngestError(f"not a valid DOCX ({one_line(err)})") from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise IngestError(
            f"not a valid DOCX (it would unpack to {unpacked:,} bytes; "
            f"the limit is {MAX_UNPACKED_BYTES:,})"
        )


def _paragraphs(document: WordDocument) -> Iterator[tuple[str, str]]:
    """(lower-case style name, text) of each non-empty paragraph, table cells included, in
    document order. A stack of iterators, not recursion, walks tables nested in cells."""
    stack: list[Iterator[Paragraph | Table]] = [document.iter_inner_content()]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, Table):
            stack.append(_cell_content(item))
        elif item.text.strip():
            style = item.style
            yield (style.name or "").lower() if style is not None else "", item.text


def _cell_content(table: Table) -> Iterator[Paragraph | Table]:
    """The content of each cell row by row; a merged cell once, not once per grid column."""
    seen: set[object] = set()
    for row in table.rows:
        for cell in row.cells:
            # python-docx repeats a merged cell (same w:tc element) for each column it spans
            # and for each row of a vertical merge.
            if cell._tc in seen:
                continue
            seen.add(cell._tc)
            yield from cell.iter_inner_content()
