"""Parse an IOPC learning-recommendations page saved as plain text.

The page layout: a title line (``Recommendations - <Force>, <Month YYYY>``), an intro,
``IOPC reference`` with zero or more references, then per recommendation the paragraph
beginning ``The IOPC recommends``, its finding, ``Do you accept the recommendation?`` with
the answer, a label (``Accepted action:``, ``Reason for not accepting:`` or a bare
``Accepted``) and the force's response. Recommendations are numbered in page order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.models import IngestError, Recommendation

MONTHS = (
    "january february march april may june july august september october november december"
).split()

TITLE_RE = re.compile(
    r"^\s*Recommendations?\s*[-\u2013\u2014]\s*(?P<force>.+?),\s*"
    r"(?P<month>" + "|".join(MONTHS) + r")\s+(?P<year>\d{4})\s*$",
    re.IGNORECASE,
)
QUESTION = "do you accept the recommendation?"
RECOMMENDS = "the iopc recommends"
REFERENCE_RE = re.compile(r"^IOPC references?\s*:?\s*(?P<rest>.*)$", re.IGNORECASE)
LIST_HEADER_RE = re.compile(r"^Recommendations?\s*:?$", re.IGNORECASE)
# A saved web page may head each recommendation with its number; the parser numbers them itself.
NUMBER_HEADING_RE = re.compile(r"^Recommendation\s+\d+\s*:?$", re.IGNORECASE)
ANSWER_RE = re.compile(r"^(?P<answer>yes|no|partially)\b[.:]?\s*$", re.IGNORECASE)
LABEL_RE = re.compile(
    r"^(?P<label>accepted action|reason for not accepting|reasons for not accepting|"
    r"partially accepted action|accepted|not accepted|response)\s*(?::\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)


def looks_like_iopc_page(text: str) -> bool:
    """A title line, or both the recommendation wording and the acceptance question."""
    first = next((line for line in text.split("\n") if line.strip()), "")
    lowered = text.lower()
    return bool(TITLE_RE.match(first)) or (QUESTION in lowered and RECOMMENDS in lowered)


@dataclass
class _Draft:
    text: str
    finding: list[str] = field(default_factory=list)
    answer: str = ""
    label: str = ""
    response: list[str] = field(default_factory=list)
    asked: bool = False
    answer_slot_open: bool = False
    acceptance_lines: list[str] = field(default_factory=list)

    def accepted(self) -> str:
        if self.answer:
            return self.answer.lower()
        return {"accepted": "yes", "not accepted": "no"}.get(self.label.lower(), "unknown")


@dataclass(frozen=True)
class ParsedPage:
    title: str
    force: str
    month: str
    intro: str
    references: tuple[str, ...]
    recommendations: tuple[Recommendation, ...]
    acceptance_texts: tuple[str, ...]


def parse_iopc_page(text: str) -> ParsedPage:
    lines = [line.strip() for line in text.split("\n")]
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    title_match = TITLE_RE.match(lines[start]) if start < len(lines) else None
    if title_match is None:
        raise IngestError(
            "looks like an IOPC recommendations page but has no title line "
            "'Recommendations - <Force>, <Month YYYY>'"
        )
    month = f"{title_match['year']}-{MONTHS.index(title_match['month'].lower()) + 1:02d}"
    intro, references, body_start = _read_preamble(lines, start + 1)
    drafts = _read_recommendations(lines[body_start:])
    if not drafts:
        raise IngestError(
            "looks like an IOPC recommendations page but has no paragraph "
            "beginning 'The IOPC recommends'"
        )
    recommendations = tuple(
        Recommendation(
            number=n,
            section=f"Recommendation {n}",
            text=d.text,
            finding="\n".join(d.finding),
            accepted=d.accepted(),
            response="\n".join(d.response),
        )
        for n, d in enumerate(drafts, start=1)
    )
    return ParsedPage(
        title=lines[start],
        force=title_match["force"].strip(),
        month=month,
        intro="\n".join(intro),
        references=tuple(references),
        recommendations=recommendations,
        acceptance_texts=tuple("\n".join(d.acceptance_lines) for d in drafts),
    )


def _read_preamble(lines: list[str], i: int) -> tuple[list[str], list[str], int]:
    intro: list[str] = []
    references: list[str] = []
    in_references = False
    while i < len(lines):
        line = lines[i]
        if line.lower().startswith(RECOMMENDS):
            break
        if LIST_HEADER_RE.match(line):
            i += 1
            break
        reference = REFERENCE_RE.match(line)
        if reference:
            in_references = True
            references.extend(_split_references(reference["rest"]))
        elif line and in_references:
            references.extend(_split_references(line))
        elif line:
            intro.append(line)
        i += 1
    return intro, references, i


def _split_references(value: str) -> list[str]:
    parts = re.split(r"\s*(?:,|;|\band\b)\s*", value.strip())
    return [p for p in parts if p]


def _read_recommendations(lines: list[str]) -> list[_Draft]:
    drafts: list[_Draft] = []
    for line in lines:
        if NUMBER_HEADING_RE.match(line):
            continue
        if line.lower().startswith(RECOMMENDS):
            drafts.append(_Draft(text=line))
            continue
        if not drafts:
            continue
        draft = drafts[-1]
        if line.lower().startswith(QUESTION):
            draft.asked = True
            draft.answer_slot_open = True
            draft.acceptance_lines.append(line)
            inline = line[len(QUESTION) :].strip()
            if ANSWER_RE.match(inline):
                draft.answer = ANSWER_RE.match(inline)["answer"]
                draft.answer_slot_open = False
            continue
        if not draft.asked:
            if line:
                draft.finding.append(line)
            continue
        if draft.answer_slot_open:
            if not line:
                continue
            draft.answer_slot_open = False
            answer = ANSWER_RE.match(line)
            if answer:
                draft.answer = answer["answer"]
                draft.acceptance_lines.append(line)
                continue
        label = LABEL_RE.match(line) if not draft.label else None
        if label:
            draft.label = label["label"]
            draft.acceptance_lines.append(line)
            if label["rest"]:
                draft.response.append(label["rest"].strip())
        elif line:
            draft.response.append(line)
    return drafts
