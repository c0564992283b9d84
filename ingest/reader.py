"""Read a source file's bytes or text, refusing what is not a readable document."""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass
from pathlib import Path

from ingest.models import IngestError

# Documents in this domain are pages and summaries; anything larger is a mistake
# (a log, a dump) that would flood the index.
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


@dataclass(frozen=True)
class SourceBytes:
    path: Path
    data: bytes
    sha256: str


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    sha256: str


def read_bytes(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceBytes:
    """Return the file's bytes and their SHA-256, or raise IngestError: the checks every
    format shares (HTML, PDF and DOCX are parsed from these bytes)."""
    if not path.exists():
        # A link whose target is gone, or that points back at itself, is still listed.
        if path.is_symlink():
            raise IngestError("broken symbolic link (its target is missing or loops back)")
        raise IngestError("no such file")
    if not path.is_file():
        raise IngestError("not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty file")
    if size > max_bytes:
        raise IngestError(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
    data = path.read_bytes()
    return SourceBytes(path=path, data=data, sha256=hashlib.sha256(data).hexdigest())


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """Return the file's text (BOM removed, newlines normalised) or raise IngestError."""
    source = read_bytes(path, max_bytes)
    raw = source.data
    # Checked before the NUL bytes that every UTF-16 file holds, for a reason the user can act on.
    if raw.startswith(UTF16_BOMS):
        raise IngestError("UTF-16 text; re-save the file as UTF-8")
    if b"\x00" in raw:
        raise IngestError("binary file (contains NUL bytes)")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        if err.end >= len(raw) - 3 and err.reason == "unexpected end of data":
            raise IngestError("truncated UTF-8 (the file ends inside a character)") from None
        raise IngestError(
            f"not UTF-8 text (invalid byte 0x{raw[err.start]:02x} at offset {err.start}); "
            "re-save the file as UTF-8"
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise IngestError("file holds only white space")
    if _control_share(text) > 0.01:
        raise IngestError("binary file (control characters in the text)")
    return SourceText(path=path, text=text, sha256=source.sha256)


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\t\f")
    return controls / len(text)
