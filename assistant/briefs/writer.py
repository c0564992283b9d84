"""Training briefs: a session plan on a topic, assembled from retrieved passages only.

No language model. The provisions are the law and guidance sections most similar to the
topic; the case studies are the recommendations most similar to it. Every line that says
something about a source quotes a sentence of the passage it cites, so a trainer can check
each claim; objectives and questions are templates from `prompts/brief.yaml` filled with
those sources' names and quotes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import zip_longest

import prompts
from assistant.answers.composer import AnswerComposer
from assistant.answers.sentences import split_sentences, usable
from assistant.criteria import Criteria
from assistant.models import (
    BriefCaseStudy,
    BriefInstrument,
    BriefProvision,
    Citation,
    Hit,
    PrecedentRow,
    TrainingBrief,
    month_name,
)
from assistant.precedents.table import PrecedentTable
from assistant.retrieval.hybrid import HybridRetriever, to_hit
from vectorstore.chroma_store import StoredPassage

# A section is relevant when its best passage's cosine similarity to the topic reaches both
# the floor and this share of the best section's: topics differ widely in how close their
# best source comes, so a fixed threshold alone would take too much or too little.
RELEVANCE_FLOOR = 0.3
RELATIVE_RELEVANCE = 0.6
# The most relevant instrument may give more sections than the others (a brief on the
# Equality Act needs most of section 26).
MAIN_INSTRUMENT_SECTIONS = 6
OTHER_INSTRUMENT_SECTIONS = 3
MAX_PROVISIONS = 10
MAX_CASE_STUDIES = 3
MAX_OBJECTIVES = 5
MAX_QUESTIONS = 5
SUMMARY_SENTENCES = 2

# Provisions a reader must not take as current law get their own question.
_QUESTION_BY_ROLE = {"superseded": "provision_superseded", "non_statutory": "provision_non_statutory"}
_RECOMMENDATION = re.compile(r"^Recommendations?\b")


@dataclass
class _Citations:
    """Citation numbers in order of first use, one per passage."""

    cite: Callable[[int, Hit], Citation]
    by_passage: dict[str, Citation] = field(default_factory=dict)

    def number(self, hit: Hit) -> int:
        if hit.passage_id not in self.by_passage:
            self.by_passage[hit.passage_id] = self.cite(len(self.by_passage) + 1, hit)
        return self.by_passage[hit.passage_id].n


@dataclass(frozen=True)
class _Case:
    row: PrecedentRow
    happened: Hit | None
    recommended: Hit | None
    response: Hit | None
    # The sentence of `happened` that tells most about the topic.
    story: str = ""


class BriefWriter:
    def __init__(
        self,
        retriever: HybridRetriever,
        composer: AnswerComposer,
        table: Callable[[], PrecedentTable],
        terms: Callable[[str], list[str]],
        top_k: int,
        polish: Callable[[str, Hit, int, str], str | None] | None = None,
    ):
        self.retriever = retriever
        self.composer = composer
        self.table = table
        self.terms = terms
        self.top_k = top_k
        # A language model's rewording of a provision's summary, kept only when every
        # sentence of it passes the citation check (None: keep the quoted sentences).
        self.polish = polish
        self.templates = prompts.load_yaml("brief")

    def write(self, topic: str, audience: str = "") -> TrainingBrief:
        audience = audience.strip() or self.templates["default_audience"]
        overall = self.retriever.retrieve(topic, self.top_k)
        answer = self.composer.compose(topic, overall)
        provisions = self._provisions(topic) if answer.answered else []
        cases = self._cases(topic) if answer.answered else []
        if not provisions and not cases:
            message = self.templates["unsupported"].format(topic=topic)
            return TrainingBrief(topic, audience, False, message, nearest=tuple(overall.hits))
        citations = _Citations(self.composer.citation)
        basis = [self._provision(hit, topic, citations, audience) for hit in provisions]
        case_studies = [self._case_study(case, citations) for case in cases]
        return TrainingBrief(
            topic=topic,
            audience=audience,
            supported=True,
            instruments=self._instruments(provisions, citations),
            objectives=self._objectives(topic, provisions, cases, citations),
            provisions=tuple(basis),
            case_studies=tuple(case_studies),
            questions=self._questions(topic, provisions, cases, citations),
            citations=tuple(citations.by_passage.values()),
            notice=prompts.load("sources_notice"),
        )

    # Selection

    def _provisions(self, topic: str) -> list[Hit]:
        """The relevant law and guidance sections: instruments by relevance (superseded ones
        last), each instrument's sections in the order of the instrument itself."""
        law = Criteria.build(kinds=["legislation", "guidance"])
        hits = self.retriever.retrieve(topic, self.retriever.candidates, law).hits
        skipped = set(self.templates["not_provisions"])
        relevant = [
            h
            for h in _relevant(hits)
            if h.section not in skipped and "history" not in str(h.metadata.get("section_status", ""))
        ]
        by_doc: dict[str, list[Hit]] = {}
        taken = 0
        for hit in _by_relevance(relevant):
            main = not by_doc or hit.doc_id == next(iter(by_doc))
            cap = MAIN_INSTRUMENT_SECTIONS if main else OTHER_INSTRUMENT_SECTIONS
            if len(by_doc.get(hit.doc_id, [])) < cap and taken < MAX_PROVISIONS:
                by_doc.setdefault(hit.doc_id, []).append(hit)
                taken += 1
        order = sorted(by_doc, key=lambda d: _superseded(by_doc[d][0]))
        return [
            hit
            for doc_id in order
            for hit in sorted(by_doc[doc_id], key=lambda h: self.retriever.position(h.passage_id))
        ]

    def _cases(self, topic: str) -> list[_Case]:
        hits = self.retriever.retrieve(
            topic, self.retriever.candidates, Criteria.build(kinds=["precedent"])
        ).hits
        table = self.table()
        ranked = table.rank((h.metadata, h.dense_score or 0.0) for h in _relevant(hits))
        return [self._case(table, table.rows[key], topic) for key, _ in ranked[:MAX_CASE_STUDIES]]

    def _case(self, table: PrecedentTable, row: PrecedentRow, topic: str) -> _Case:
        """The passages that tell a recommendation's story: what happened (the page's
        background, or the finding under the recommendation), the recommendation, the response."""
        own = [p for p in self.retriever.passages if p.metadata.get("doc_id") == row.doc_id]
        happened: list[StoredPassage] = []
        recommended: list[StoredPassage] = []
        response: list[StoredPassage] = []
        for p in own:
            weights = dict(table.credited(p.metadata))
            if row.key not in weights:
                continue
            section = str(p.metadata.get("section", ""))
            if p.metadata.get("part") == "response" or section.startswith("Response"):
                response.append(p)
            elif _RECOMMENDATION.match(section) or p.metadata.get("part") == "recommendation":
                recommended.append(p)
            else:
                happened.append(p)
        # A recommendation's section may carry the finding behind it after its own text.
        happened = happened or recommended[1:]
        told = _first(happened)
        story = ""
        if told is not None:
            story = _join(self._opening_and_best(_statements(told), topic))
        return _Case(row, told, _first(recommended), _first(response), story)

    # Writing

    def _provision(self, hit: Hit, topic: str, citations: _Citations, audience: str) -> BriefProvision:
        n = citations.number(hit)
        chosen = self._opening_and_best(_statements(hit), topic)
        summary = " ".join(f"{s} [{n}]" for s in chosen)
        polished = self.polish(summary, hit, n, audience) if self.polish else None
        return BriefProvision(
            instrument=hit.title,
            section=hit.section,
            heading=hit.heading,
            url=hit.url,
            summary=polished or summary,
            citation=n,
            polished=polished is not None,
        )

    def _role(self, hit: Hit) -> str:
        """How a provision is introduced: its kind, or the status a reader must know first."""
        badges = self.composer.warnings.badges(hit.text, hit.metadata)
        if _superseded(hit):
            return "superseded"
        if "Non-statutory" in badges:
            return "non_statutory"
        if hit.kind == "legislation":
            return "standard" if hit.section.startswith("Standard") else "legislation"
        return "guidance"

    def _opening_and_best(self, sentences: list[str], topic: str) -> list[str]:
        """A passage's opening statement, then the sentence that says most about the topic
        (with informal words expanded to the documents' terms), in the passage's order."""
        topic_terms = set(self.terms(self.retriever.lexicon.expand(topic)))
        rest = sorted(sentences[1:], key=lambda s: -len(topic_terms & set(self.terms(s))))
        return sorted([sentences[0], *rest][:SUMMARY_SENTENCES], key=sentences.index)

    def _instruments(self, provisions: list[Hit], citations: _Citations) -> tuple[BriefInstrument, ...]:
        by_doc: dict[str, list[Hit]] = {}
        for hit in provisions:
            by_doc.setdefault(hit.doc_id, []).append(hit)
        instruments = []
        for hits in by_doc.values():
            first = hits[0]
            numbers = tuple(citations.number(h) for h in hits)
            cited = [citations.by_passage[h.passage_id] for h in hits]
            instruments.append(
                BriefInstrument(
                    title=first.title,
                    status=str(first.metadata.get("status", "")),
                    url=str(first.metadata.get("url", "")),
                    citations=numbers,
                    warnings=tuple(dict.fromkeys(w for c in cited for w in c.warnings)),
                    badges=tuple(dict.fromkeys(b for c in cited for b in c.badges)),
                )
            )
        return tuple(instruments)

    def _case_study(self, case: _Case, citations: _Citations) -> BriefCaseStudy:
        templates = self.templates["case_study"]
        row = case.row
        lines = []
        if case.happened is not None:
            cite = f"[{citations.number(case.happened)}]"
            lines.append(templates["happened"].format(quote=case.story, cite=cite))
        if case.recommended is not None:
            cite = f"[{citations.number(case.recommended)}]"
            lines.append(templates["recommended"].format(quote=_quote(case.recommended), cite=cite))
        if case.response is not None:
            cite = f"[{citations.number(case.response)}]"
            lines.append(templates["accepted"].format(accepted=row.accepted, cite=cite))
            lines.append(templates["response"].format(quote=_quote(case.response), cite=cite))
        elif case.recommended is not None:
            status = str(case.recommended.metadata.get("status", "")) or "unknown"
            cite = f"[{citations.number(case.recommended)}]"
            lines.append(templates["no_response"].format(status=status, cite=cite))
        return BriefCaseStudy(row.key, row.title, row.force, row.month, row.url, tuple(lines))

    def _objectives(
        self, topic: str, provisions: list[Hit], cases: list[_Case], citations: _Citations
    ) -> tuple[str, ...]:
        """One objective per instrument (its most relevant section first), then one per
        case study, topped up from the remaining sections; three to five in all."""
        templates = self.templates["objectives"]
        ranked = _by_relevance(provisions)
        leads = [next(h for h in ranked if h.doc_id == d) for d in dict.fromkeys(h.doc_id for h in ranked)]
        rest = [h for h in ranked if h not in leads]
        by_provision = [
            templates[self._role(hit)].format(
                instrument=_short_title(hit.title),
                section=hit.section,
                heading=hit.heading,
                topic=topic,
                cite=f"[{citations.number(hit)}]",
            )
            for hit in leads + rest
        ]
        by_case = [
            templates["case_study"].format(
                force=case.row.force,
                month=month_name(case.row.month) or "date unknown",
                cite=f"[{citations.number(hit)}]",
            )
            for case in cases
            if (hit := case.recommended or case.happened) is not None
        ]
        first = by_provision[:3] + by_case[:2]
        spare = by_provision[3:] + by_case[2:]
        return tuple((first + spare)[:MAX_OBJECTIVES])

    def _questions(
        self, topic: str, provisions: list[Hit], cases: list[_Case], citations: _Citations
    ) -> tuple[str, ...]:
        templates = self.templates["questions"]
        by_case: list[str] = []
        for case in cases:
            if case.happened is not None and not provisions:
                by_case.append(
                    templates["case_only"].format(
                        force=case.row.force,
                        quote=case.story,
                        cite=f"[{citations.number(case.happened)}]",
                    )
                )
            elif case.happened is not None:
                # The provision that speaks closest to what happened in the case.
                closest = max(
                    provisions,
                    key=lambda h: float(
                        self.retriever.vector(h.passage_id) @ self.retriever.vector(case.happened.passage_id)
                    ),
                )
                by_case.append(
                    templates["case_standard"].format(
                        force=case.row.force,
                        quote=case.story,
                        cite=f"[{citations.number(case.happened)}]",
                        cite_provision=f"[{citations.number(closest)}]",
                    )
                )
            if case.recommended is not None and case.response is not None:
                by_case.append(
                    templates["case_response"].format(
                        quote=_quote(case.recommended, strip_lead=True),
                        cite=f"[{citations.number(case.recommended)}]",
                        cite_response=f"[{citations.number(case.response)}]",
                    )
                )
        by_provision = [
            templates[_QUESTION_BY_ROLE.get(self._role(hit), "provision")].format(
                quote=_quote(hit),
                instrument=_short_title(hit.title),
                section=hit.section,
                topic=topic,
                cite=f"[{citations.number(hit)}]",
            )
            for hit in _by_relevance(provisions)
        ]
        # Alternate case and provision questions so that both kinds are asked.
        mixed = [q for pair in zip_longest(by_case, by_provision) for q in pair if q]
        return tuple(mixed[:MAX_QUESTIONS])


def _relevant(hits: list[Hit]) -> list[Hit]:
    best = max((h.dense_score or 0.0 for h in hits), default=0.0)
    cutoff = max(RELEVANCE_FLOOR, RELATIVE_RELEVANCE * best)
    return [h for h in hits if (h.dense_score or 0.0) >= cutoff]


def _by_relevance(hits: list[Hit]) -> list[Hit]:
    return sorted(hits, key=lambda h: -(h.dense_score or 0.0))


def _superseded(hit: Hit) -> bool:
    return "superseded" in str(hit.metadata.get("status", "")).lower()


def _short_title(title: str) -> str:
    """The instrument's name without this knowledge base's framing ("(summary of …)")."""
    return re.sub(r"\s*\((?:summary|reference note|digest)[^)]*\)\s*$", "", title, flags=re.I)


def _first(passages: list[StoredPassage]) -> Hit | None:
    return to_hit(passages[0]) if passages else None


def _join(sentences: list[str]) -> str:
    return " […] ".join(sentences)


def _statements(hit: Hit) -> list[str]:
    """The passage's sentences worth quoting, verbatim, in order."""
    return [s for s in split_sentences(hit.text) if usable(s)] or [hit.text.strip()]


def _quote(hit: Hit, strip_lead: bool = False) -> str:
    """The passage's first statement, verbatim (or from "that …" on, to follow "recommended that")."""
    sentence = _statements(hit)[0]
    if strip_lead:
        lead = re.match(r"^.*?\brecommend(?:s|ed)? that\s+", sentence)
        sentence = sentence[lead.end() :] if lead else sentence
    return sentence
