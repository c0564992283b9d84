"""A seeded corpus of fictional police-conduct documents, the distractors of the scale benchmark.

Two layouts the real ingest parses, about invented forces only (so that no generated document
names a force of the shipped knowledge base or of the dev set):

- IOPC recommendation pages (`.txt` with a `.meta.yaml` sidecar, the layout of
  data/corpus/recommendations/): a title line, the intro, the IOPC reference, then per
  recommendation "The IOPC recommends that ...", its finding, "Do you accept the
  recommendation?", the answer and the force's response;
- sectioned Markdown documents (the layout of data/corpus/guidance/ and legislation/): force
  procedures with `para N.M` sections and local regulations with `reg N` sections.

Sentences are templates filled from seeded choices over sixteen themes (custody, vetting, use
of force, domestic abuse, body-worn video, ...), so the vocabulary overlaps the real corpus the
way a larger collection of conduct documents would. Every section stays between 45 and 90
words (real IOPC paragraphs are that size; the encoder's speed depends on length), far under the encoder's 256 word pieces, so each section is exactly one passage:
a page with k answered recommendations is 1 + 2k passages (summary, then a recommendation
and a response section each), a page still awaiting its response 1 + k, a Markdown document
one per section. That makes the passage count exact by construction; tests/benchmarks/test_generator.py
checks it against the real loader and chunker.

The same (passages, seed) writes byte-identical files: one `random.Random(seed)` drives every
choice, in a fixed order.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# Every generated file name and document id starts with this (see is_generated).
PREFIX = "gen-"
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
NUMBERS = ("two", "three", "four", "five", "six", "eight", "ten", "twelve")
# Sidecar files count: at most this many files share a folder.
FILES_PER_FOLDER = 1000
# Chance that the next document is an IOPC page rather than a Markdown document.
PAGE_SHARE = 0.6
# A section is filled to at least LOW words and never past HIGH.
LOW, HIGH = 45, 90


@dataclass(frozen=True)
class Theme:
    name: str
    topic: str  # how a question names it
    subjects: tuple[str, ...]  # "... an investigation into <subject>"
    findings: tuple[str, ...]  # "This follows an IOPC investigation where <finding>"
    actions: tuple[str, ...]  # "The IOPC recommends that <force> <action>"
    responses: tuple[str, ...]
    refusals: tuple[str, ...]
    policy: tuple[tuple[str, str], ...]  # (section heading, first sentence)
    document: str  # "<force> <document> Procedure"


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


# Invented names and sentence templates, kept as text beside this file.
_TEXT = yaml.safe_load((Path(__file__).parent / "generator_text.yaml").read_text("utf-8"))
FORCES, TOWNS, ROLES, UNITS, INSTRUMENTS = (
    _tuples(_TEXT[key]) for key in ("forces", "towns", "roles", "units", "instruments")
)
THEMES = tuple(Theme(**{key: _tuples(value) for key, value in theme.items()}) for theme in _TEXT["themes"])
# Sentences any theme's text may use to reach its length: consequences, follow-up, policy.
CONSEQUENCES, FOLLOW_UPS, REFUSAL_NOTES, POLICY_FILLERS, GENERIC_SECTIONS = (
    _tuples(_TEXT[key]) for key in ("consequences", "follow_ups", "refusal_notes", "policy_fillers", "generic_sections")
)


@dataclass(frozen=True)
class GeneratedCorpus:
    folder: Path
    files: int  # documents, not counting sidecars
    passages: int  # what the real loader and chunker make of them
    questions: tuple[str, ...]  # one about each document, in file order


@dataclass(frozen=True)
class _Written:
    name: str
    text: str
    passages: int
    question: str
    sidecar: str = ""


def generate(folder: Path, passages: int, seed: int) -> GeneratedCorpus:
    """Write about `passages` passages of fictional documents under `folder` (created)."""
    rng = random.Random(seed)
    remaining, number, part, in_part = passages, 0, 0, 0
    questions: list[str] = []
    while remaining > 0:
        # A page needs three passages: its summary, a recommendation and the response.
        as_page = remaining >= 3 and rng.random() < PAGE_SHARE
        written = _page(rng, number, remaining) if as_page else _document(rng, number, remaining)
        files = 2 if written.sidecar else 1
        if in_part + files > FILES_PER_FOLDER:
            part, in_part = part + 1, 0
        _write(folder / f"part-{part:03d}", written)
        in_part += files
        remaining -= written.passages
        questions.append(written.question)
        number += 1
    return GeneratedCorpus(folder, number, passages - remaining, tuple(questions))


def is_generated(doc_id: str) -> bool:
    """Whether a document id is one this module wrote."""
    return doc_id.startswith(PREFIX)


def _write(folder: Path, written: _Written) -> None:
    """Write a document and its sidecar, if it has one."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / written.name).write_text(written.text, encoding="utf-8", newline="\n")
    if written.sidecar:
        sidecar = written.name.rsplit(".", 1)[0] + ".meta.yaml"
        (folder / sidecar).write_text(written.sidecar, encoding="utf-8", newline="\n")


def _fills(rng: random.Random, force: str, theme: Theme, year: int) -> dict[str, str]:
    return {
        "force": force,
        "town": rng.choice(TOWNS),
        "role": rng.choice(ROLES).capitalize(),
        "unit": rng.choice(UNITS),
        "n": rng.choice(NUMBERS),
        "month": rng.choice(MONTHS),
        "year": str(year + rng.randint(0, 1)),
        "topic": theme.topic,
    }


def _fill(
    rng: random.Random, first: str, pool: tuple[str, ...], fills: dict[str, str], used: int = 0
) -> list[str]:
    """`first`, then sentences drawn from `pool` until the section (with `used` words already
    in it) reaches LOW words, never passing HIGH."""
    sentences = [first.format(**fills)]
    for candidate in rng.sample(pool, len(pool)):
        if used + _words(sentences) >= LOW:
            break
        sentence = _capitalised(candidate.format(**fills))
        if sentence not in sentences and used + _words(sentences) + len(sentence.split()) <= HIGH:
            sentences.append(sentence)
    return sentences


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _words(sentences: list[str]) -> int:
    return sum(len(s.split()) for s in sentences)


def _page(rng: random.Random, number: int, budget: int) -> _Written:
    """An IOPC recommendations page of 1 + 2k passages (1 + k while awaiting a response)."""
    force, theme = rng.choice(FORCES), rng.choice(THEMES)
    month, year = rng.choice(MONTHS), rng.randint(2015, 2025)
    awaiting = rng.random() < 0.08
    per_recommendation = 1 if awaiting else 2
    count = min(rng.randint(1, 4), (budget - 1) // per_recommendation)
    bare = rng.random() < 0.1  # "Accepted" alone, as some pages answer
    fills = _fills(rng, force, theme, year)
    plural = "s" if count > 1 else ""
    lines = [f"Recommendation{plural} - {force}, {month} {year}"]
    intro = f"The following learning was identified from an investigation into {rng.choice(theme.subjects)}."
    lines.append(" ".join(_fill(rng, intro, CONSEQUENCES, fills)))
    lines.append("IOPC reference")
    if rng.random() < 0.85:
        lines.append(f"{year - rng.randint(1, 3)}/{rng.randint(1000, 299999):06d}")
    lines.append(f"Recommendation{plural}")
    for action, found in zip(
        rng.sample(theme.actions, count), rng.sample(theme.findings, count), strict=True
    ):
        instrument = rng.choice(INSTRUMENTS) if rng.random() < 0.15 else ""
        recommends = f"The IOPC recommends that {force} {action}{instrument}."
        finding = f"This follows an IOPC investigation where {found}."
        lines.append(recommends)
        lines.append(" ".join(_fill(rng, finding, CONSEQUENCES, fills, len(recommends.split()))))
        lines.append("Do you accept the recommendation?")
        if not awaiting:
            lines.extend(_response(rng, theme, fills, bare))
    sidecar = (
        "# Metadata of a generated page (fictional; scale benchmark).\n"
        f"url: https://{_slug(force)}.example/iopc/{number}\n"
        f"status: {'awaiting response' if awaiting else 'response published'}\n"
        f"themes: [{theme.name}]\n"
    )
    question = rng.choice(
        (
            f"What did the IOPC recommend to {force} in {month} {year}?",
            f"Did {force} accept the IOPC recommendation about {theme.topic}?",
            f"What learning did the IOPC identify for {force} about {theme.topic}?",
            f"Which IOPC recommendations concern {theme.topic}?",
        )
    )
    name = f"{PREFIX}{number:06d}-{_slug(force)}-{month.lower()}-{year}.txt"
    return _Written(name, "\n".join(lines) + "\n", 1 + count * per_recommendation, question, sidecar)


def _response(rng: random.Random, theme: Theme, fills: dict[str, str], bare: bool) -> list[str]:
    """The answer, its label and the force's response paragraphs, as the page lays them out."""
    answer = rng.choices(("Yes", "Partially", "No"), weights=(8, 1, 1))[0]
    if answer == "No":
        head = ["No", "Reason for not accepting:"]
        body = _fill(rng, rng.choice(theme.refusals), REFUSAL_NOTES, fills)
    else:
        head = ["Accepted"] if bare else [answer, "Accepted action:"]
        body = _fill(rng, rng.choice(theme.responses), theme.responses + FOLLOW_UPS, fills)
    return head + body


def _document(rng: random.Random, number: int, budget: int) -> _Written:
    """A force procedure (`para N.M` sections) or local regulations (`reg N` sections)."""
    force, theme = rng.choice(FORCES), rng.choice(THEMES)
    year = rng.randint(2012, 2025)
    fills = _fills(rng, force, theme, year)
    sections = min(rng.randint(4, len(GENERIC_SECTIONS) + len(theme.policy)), budget)
    regulations = rng.random() < 0.3
    core = force.rsplit(" ", 1)[0]
    if regulations:
        title = f"The Police {theme.document} ({core}) Regulations {year}"
        kind, publisher = "legislation", f"Fictional local instrument for {core}"
    else:
        title = f"{force} {theme.document} Procedure ({year})"
        kind, publisher = "guidance", force
    doc_id = f"{PREFIX}{number:06d}-{_slug(title)}"
    url = f"https://{_slug(force)}.example/documents/{doc_id}"
    lines = [
        "---",
        f"id: {doc_id}",
        f"title: {title}",
        f"kind: {kind}",
        f"publisher: {publisher}",
        f"year: {year}",
        f"url: {url}",
        f"status: {rng.choice(('in force', 'in force', 'superseded', 'under review'))}",
        "note: Fictional document generated for the scale benchmark.",
        "---",
        f"# {title}",
    ]
    chosen = rng.sample(GENERIC_SECTIONS + theme.policy, sections)
    policy = tuple(sentence for _, sentence in theme.policy) + POLICY_FILLERS
    headings = []
    for index, (heading, first) in enumerate(chosen, start=1):
        label = f"reg {index}" if regulations else f"para {1 + (index - 1) // 3}.{1 + (index - 1) % 3}"
        headings.append(heading)
        lines += ["", f"## {label} \u2014 {heading}"]
        if rng.random() < 0.3:
            lines.append(f"url: {url}#{_slug(label)}")
        lines += ["", " ".join(_fill(rng, first, policy, fills))]
    named = f"the {title.removeprefix('The ')}"
    question = rng.choice(
        (
            f"What does {named} say about {rng.choice(headings).lower()}?",
            f"What does {force} require of officers on {theme.topic}?",
        )
    )
    return _Written(f"{doc_id}.md", "\n".join(lines) + "\n", sections, question)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
