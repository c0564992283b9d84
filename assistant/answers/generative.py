"""Generative answers from an optional language model, with every citation enforced.

The model only ever sees a question the extractive method would answer: when retrieval does
not back an answer, the assistant declines without asking it. The model gets the passages
as quoted, numbered data and must cite each sentence. What it writes is then checked
sentence by sentence (`grounding.SupportChecker`); only sentences that validly cite a passage
that supports them reach the reader. If too few survive, or the model declines, errs or times
out, the reader gets the extractive answer and a line saying why.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import replace

import prompts
from assistant.answers.composer import AnswerComposer
from assistant.answers.grounding import CheckedAnswer, CheckedSentence, SupportChecker, sentences_of
from assistant.models import Answer, AnswerSentence, Hit
from assistant.retrieval.hybrid import Retrieval

# Passages the model is given: the best ones, one per section (as retrieved).
MODEL_PASSAGES = 5
_MARKERS = re.compile(r"\s*\[\d+\]")
_DECLINED = re.compile(r"\bNO ANSWER\b", re.I)
_MAX_REWRITE_CHARS = 400


class GenerativeAnswerer:
    def __init__(
        self,
        model,
        model_name: str,
        composer: AnswerComposer,
        checker: SupportChecker,
        min_kept: float,
    ):
        self.model = model
        self.model_name = model_name
        self.composer = composer
        self.checker = checker
        self.min_kept = min_kept

    def stream(
        self, question: str, retrieval: Retrieval, extractive: Answer, timeout: float
    ) -> Iterator[Answer]:
        """As the model writes: partial answers (mode "drafting") holding only the sentences
        that have already passed the check; then the final answer. Unchecked text is never
        yielded. The whole reply must arrive within `timeout` seconds."""
        if not extractive.answered:
            yield extractive
            return
        passages = _distinct(retrieval.hits)[:MODEL_PASSAGES]
        messages = self._messages(question, passages)
        draft = ""
        checked: list[CheckedSentence] = []
        deadline = time.monotonic() + timeout
        try:
            for chunk in self.model.stream(messages):
                draft += _text(chunk.content)
                # Every sentence but the last is complete: the next one has begun.
                complete = sentences_of(draft)[:-1]
                fresh = [self.checker.check_sentence(raw, passages) for raw in complete[len(checked) :]]
                checked += fresh
                if any(sentence.passage is not None for sentence in fresh):
                    yield replace(self._shown(checked, passages, extractive), mode="drafting", mode_note="")
                if time.monotonic() > deadline:
                    raise TimeoutError("no reply before the timeout")
        except Exception as err:  # noqa: BLE001 - any backend failure ends in the fallback, never a trace
            yield self._fallback(extractive, "llm_failed", _reason(err))
            return
        rest = sentences_of(draft)[len(checked) :]
        checked += [self.checker.check_sentence(raw, passages) for raw in rest]
        yield self.finish(draft, CheckedAnswer(tuple(checked)), passages, extractive)

    def finish(
        self, draft: str, checked: CheckedAnswer, passages: Sequence[Hit], extractive: Answer
    ) -> Answer:
        """The answer the reader sees for a finished, checked draft."""
        if not draft.strip():
            return self._fallback(extractive, "llm_fallback", "the model returned an empty answer")
        if _DECLINED.search(draft):
            return self._fallback(extractive, "llm_fallback", "the model said the passages do not answer")
        if not checked.kept or checked.share_kept < self.min_kept:
            fallback = self._fallback(extractive, "llm_fallback", _dropped(checked))
            return replace(fallback, checked=(len(checked.kept), len(checked.sentences)))
        note = prompts.load("llm_generated").format(
            model=self.model_name, kept=len(checked.kept), total=len(checked.sentences)
        )
        shown = self._shown(checked.kept, passages, extractive)
        return replace(shown, mode_note=note, checked=(len(checked.kept), len(checked.sentences)))

    def rewrite(self, question: str, history: Sequence[str], fallback: str) -> str:
        """A follow-up rewritten as a standalone question; `fallback` if the model fails."""
        from langchain_core.messages import HumanMessage

        text = prompts.load("llm_rewrite").format(
            history="\n".join(f"- {h}" for h in history[-3:]), question=question
        )
        try:
            rewritten = _text(self.model.invoke([HumanMessage(text)]).content).strip().strip('"')
        except Exception:  # noqa: BLE001 - the deterministic rewrite is always there
            return fallback
        first_line = rewritten.splitlines()[0].strip() if rewritten else ""
        if not first_line or len(first_line) > _MAX_REWRITE_CHARS:
            return fallback
        return first_line

    def polish(self, summary: str, passage: Hit, n: int, audience: str) -> str | None:
        """`summary` (sentences of `passage`, cited [n]) reworded by the model for a handout,
        or None unless every sentence of the rewording passes the citation check."""
        from langchain_core.messages import HumanMessage

        text = prompts.load("llm_polish").format(
            audience=audience,
            source=f"{_attribute(passage.title)} \u00b7 {_attribute(passage.section)}",
            passage=_data(passage.text),
            summary=_MARKERS.sub("", summary).strip(),
        )
        try:
            draft = _text(self.model.invoke([HumanMessage(text)]).content)
        except Exception:  # noqa: BLE001 - the unpolished summary is always there
            return None
        checked = self.checker.check(draft, [passage])
        if not checked.sentences or len(checked.kept) != len(checked.sentences):
            return None
        return " ".join(f"{s.text} [{n}]" for s in checked.kept)

    def _messages(self, question: str, passages: Sequence[Hit]) -> list:
        from langchain_core.messages import HumanMessage, SystemMessage

        quoted = "\n\n".join(
            f'<passage n="{n}" source="{_attribute(h.title)} \u00b7 {_attribute(h.section)}">\n'
            f"{_data(h.text)}\n</passage>"
            for n, h in enumerate(passages, start=1)
        )
        return [
            SystemMessage(prompts.load("llm_answer_system")),
            HumanMessage(prompts.load("llm_answer_user").format(passages=quoted, question=question)),
        ]

    def _shown(self, checked: Sequence[CheckedSentence], passages: Sequence[Hit], extractive: Answer) -> Answer:
        """An answer of the sentences that passed the check, their citations numbered in order."""
        numbers: dict[int, int] = {}
        citations = []
        sentences = []
        for sentence in checked:
            if sentence.passage is None:
                continue
            if sentence.passage not in numbers:
                numbers[sentence.passage] = len(numbers) + 1
                citations.append(self.composer.citation(numbers[sentence.passage], passages[sentence.passage]))
            sentences.append(AnswerSentence(sentence.text, numbers[sentence.passage]))
        return replace(
            extractive,
            answer=" ".join(f"{s.text} [{s.citation}]" for s in sentences),
            citations=tuple(citations),
            sentences=tuple(sentences),
            # A model's answer is shown as it wrote it, not as a lead and quoted sections.
            lead=(),
            sections=(),
            mode="generated",
        )

    @staticmethod
    def _fallback(extractive: Answer, template: str, reason: str) -> Answer:
        return replace(extractive, mode="fallback", mode_note=prompts.load(template).format(reason=reason))


def _distinct(hits: Sequence[Hit]) -> list[Hit]:
    seen: set[str] = set()
    unique = []
    for h in hits:
        if h.text not in seen:
            seen.add(h.text)
            unique.append(h)
    return unique


def _text(content) -> str:
    """A message's text, whether the backend gives a string or a list of content blocks."""
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") if isinstance(block, dict) else str(block) for block in content)


def _data(text: str) -> str:
    """A passage's text as data: it cannot close its own tag."""
    return text.replace("</passage>", "< /passage>")


def _attribute(text: str) -> str:
    return text.replace('"', "'")


def _dropped(checked: CheckedAnswer) -> str:
    total = len(checked.sentences)
    kept = len(checked.kept)
    reasons = [s.reason for s in checked.sentences if s.passage is None]
    first = f"; first: {reasons[0]}" if reasons else ""
    return f"{kept} of {total} sentences passed{first}"


def _reason(err: Exception) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    name = type(err).__name__
    if "timeout" in name.lower() or "timed out" in text.lower():
        return "no reply before the timeout"
    return f"{name}: {text[:160]}" if text else name
