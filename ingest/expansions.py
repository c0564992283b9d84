"""Document-side expansion: what people type when a section is the answer.

Users write "get sacked", "locked profile" or "my Insta"; the documents do not. For each
section of a shipped document, a knowledge editor wrote a few plain-language questions the
section answers and everyday words for its subject, from the section's own content, in
`<expansions folder>/<doc id>.yaml` beside the corpus (the corpus files stay as they are).
Each line is indexed as an extra vector and as extra BM25 text that point to its section;
it is never quoted in an answer.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from ingest.models import IngestError, ParsedDocument


@dataclass(frozen=True)
class Expansions:
    """The expansion lines of one document's sections, and a digest of the file they came from."""

    lines: dict[str, tuple[str, ...]]
    digest: str


class ExpansionFolder:
    def __init__(self, folder: Path | None):
        self.folder = folder

    def attach(self, doc: ParsedDocument) -> ParsedDocument:
        """`doc` with the expansions of its sections, and a content hash that covers them, so
        that editing an expansion file indexes its document again. A section id the file names
        but the document lacks is passed over: the document may have changed since."""
        found = self.read(doc.doc_id)
        if found is None:
            return doc
        known = {s.section_id for s in doc.sections}
        lines = {section: found.lines[section] for section in found.lines if section in known}
        stamp = hashlib.sha256(f"{doc.content_hash}\x1f{found.digest}".encode()).hexdigest()
        return replace(doc, expansions=lines, content_hash=stamp)

    def digest(self) -> str:
        """A digest of every expansion file: it changes when any of them does."""
        if self.folder is None or not self.folder.is_dir():
            return ""
        digest = hashlib.sha256()
        for path in sorted(self.folder.glob("*.yaml")):
            digest.update(f"{path.name}\x1f".encode() + path.read_bytes())
        return digest.hexdigest()

    def read(self, doc_id: str) -> Expansions | None:
        """The expansions written for `doc_id`, or None when there is no file for it."""
        if self.folder is None:
            return None
        path = self.folder / f"{doc_id}.yaml"
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as err:
            raise IngestError(f"{path}: cannot read ({err.strerror})") from None
        try:
            # Every value is text, as typed: a safe_load would read the word "yes" as True and
            # "821" as a number, and fail the whole document over one word.
            data = yaml.load(raw.decode("utf-8"), Loader=yaml.BaseLoader)
        except (UnicodeDecodeError, yaml.YAMLError) as err:
            reason = "not UTF-8" if isinstance(err, UnicodeDecodeError) else "not valid YAML"
            raise IngestError(f"{path}: {reason}") from None
        return Expansions(_lines(path, data, doc_id), hashlib.sha256(raw).hexdigest())


def _lines(path: Path, data: object, doc_id: str) -> dict[str, tuple[str, ...]]:
    """Each section's questions and its words (as one line), checked for shape."""
    if not isinstance(data, dict) or data.get("doc") != doc_id or not isinstance(data.get("sections"), dict):
        raise IngestError(f"{path}: expected 'doc: {doc_id}' and a 'sections' mapping")
    lines: dict[str, tuple[str, ...]] = {}
    for section, entry in data["sections"].items():
        questions = entry.get("questions", []) if isinstance(entry, dict) else None
        words = entry.get("words", []) if isinstance(entry, dict) else None
        if not _strings(questions) or not _strings(words):
            raise IngestError(f"{path}: section {section!r} needs lists of 'questions' and 'words'")
        lines[str(section)] = tuple(q.strip() for q in questions if q.strip()) + (
            (", ".join(w.strip() for w in words if w.strip()),) if any(w.strip() for w in words) else ()
        )
    return lines


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)
