"""A local model file or folder (`local:PATH`) as a LangChain chat model: transformers on the
CPU, offline. Imported only when such a model is configured (it imports transformers)."""

from __future__ import annotations

import contextlib
import io
import os
import queue
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Before transformers is imported: it reads these once (the model is on disk; never a hub).
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import torch  # noqa: E402
from langchain_core.language_models import BaseChatModel  # noqa: E402
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage  # noqa: E402
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult  # noqa: E402
from transformers import (  # noqa: E402
    AutoModelForCausalLM,
    AutoTokenizer,
    StoppingCriteria,
    StoppingCriteriaList,
    TextIteratorStreamer,
)
from transformers.utils import logging as transformers_logging  # noqa: E402

from assistant.answers.llm import LLMError  # noqa: E402


class _Cancelled(StoppingCriteria):
    """Ends generation once its event is set."""

    def __init__(self, event: threading.Event):
        self.event = event

    def __call__(self, input_ids, scores, **kwargs):
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool)


class LocalChatModel(BaseChatModel):
    """A transformers causal LM on the CPU behind LangChain's chat-model interface."""

    model: Any
    tokenizer: Any
    max_new_tokens: int = 200
    # Seconds to wait for the next piece of text before giving up.
    timeout: float = 60.0

    @property
    def _llm_type(self) -> str:
        return "local-transformers"

    def _inputs(self, messages: list[BaseMessage]) -> dict:
        roles = {"system": "system", "human": "user", "ai": "assistant"}
        chat = [{"role": roles.get(m.type, "user"), "content": str(m.content)} for m in messages]
        encoded = self.tokenizer.apply_chat_template(
            chat, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        return dict(encoded)

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        text = "".join(chunk.message.content for chunk in self._stream(messages, stop, run_manager))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        streamer = TextIteratorStreamer(
            self.tokenizer, skip_prompt=True, skip_special_tokens=True, timeout=self.timeout
        )
        cancelled = threading.Event()
        failures: list[BaseException] = []

        def generate() -> None:
            try:
                self.model.generate(
                    **self._inputs(messages),
                    streamer=streamer,
                    max_new_tokens=self.max_new_tokens,
                    do_sample=False,
                    stopping_criteria=StoppingCriteriaList([_Cancelled(cancelled)]),
                )
            except Exception as err:  # noqa: BLE001 - handed to the reader below
                failures.append(err)
                streamer.end()

        # Generation runs in a thread so that text can be read as it is written; a reader
        # that stops early (a timeout, a closed page) stops the generation too.
        # Not a daemon: the interpreter waits for it at exit instead of aborting (exit code
        # 134) while it is still inside torch.
        writer = threading.Thread(target=generate)
        writer.start()
        try:
            for piece in streamer:
                if piece:
                    if run_manager:
                        run_manager.on_llm_new_token(piece)
                    yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
        except queue.Empty:
            raise TimeoutError("no reply before the timeout") from None
        finally:
            cancelled.set()
            # It stops within a token once cancelled.
            writer.join(self.timeout)
        if failures:
            raise LLMError(f"the local model failed: {failures[0]}")

    @classmethod
    def load(cls, path: Path, max_new_tokens: int, timeout: float):
        # Its progress bars would interleave with the CLI's output.
        transformers_logging.disable_progress_bar()

        folder, gguf = (path.parent, path.name) if path.is_file() else (path, None)
        extra = {"gguf_file": gguf} if gguf else {}
        try:
            # Loading a GGUF file draws a tqdm bar of its own, which the setting above misses.
            with contextlib.redirect_stderr(io.StringIO()):
                tokenizer = AutoTokenizer.from_pretrained(folder, **extra)
                model = AutoModelForCausalLM.from_pretrained(folder, **extra)
        except Exception as err:  # noqa: BLE001 - a damaged file fails in many ways; say so in one line
            reason = (str(err).strip().splitlines() or [type(err).__name__])[0]
            raise LLMError(f"cannot load the local model {path}: {reason}") from None
        return cls(
            model=model, tokenizer=tokenizer, max_new_tokens=max_new_tokens, timeout=timeout
        )
