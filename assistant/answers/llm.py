"""The optional language model, as a LangChain chat model chosen by configuration.

`CONDUCT_ASSISTANT_LLM` names it: `ollama:MODEL` (an Ollama server, `CONDUCT_ASSISTANT_LLM_BASE_URL`
or http://127.0.0.1:11434), `openai:MODEL` (any OpenAI-compatible server at the base URL) or
`local:PATH` (a GGUF file or a transformers model folder on this machine, run on the CPU).
The packages come from the `llm` install extra; without it, or with no model configured, the
assistant answers extractively as before.
"""

from __future__ import annotations

import contextlib
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.config import Settings


class LLMError(RuntimeError):
    """The model could not be reached or configured; the message says why in one line."""


def describe(spec: str) -> str:
    """A short name for the UI: "ollama:llama3.2" or "local:SmolLM2-135M-Instruct.Q4_1.gguf"."""
    kind, _, name = spec.partition(":")
    return f"{kind}:{Path(name).name}" if kind == "local" else spec


def load_chat_model(settings: Settings):
    """The configured LangChain chat model (raises LLMError on a bad setting)."""
    kind, _, name = settings.llm.partition(":")
    if not name:
        raise LLMError(f"CONDUCT_ASSISTANT_LLM={settings.llm!r}: use ollama:MODEL, openai:MODEL or local:PATH")
    try:
        if kind == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(
                model=name,
                base_url=settings.llm_base_url or "http://127.0.0.1:11434",
                temperature=0,
                num_predict=settings.llm_max_tokens,
                client_kwargs={"timeout": settings.llm_timeout},
            )
        if kind == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(
                model=name,
                base_url=settings.llm_base_url or None,
                # A local OpenAI-compatible server usually needs no key; the client insists on one.
                api_key=settings.llm_api_key or "not-needed",
                temperature=0,
                max_tokens=settings.llm_max_tokens,
                timeout=settings.llm_timeout,
                max_retries=0,
            )
        if kind == "local":
            return LocalChatModel.load(Path(name).expanduser(), settings.llm_max_tokens, settings.llm_timeout)
    except ImportError as err:
        raise LLMError(
            f"the {kind} backend needs the llm extra: pip install 'conduct-assistant[llm]' ({err.name} is missing)"
        ) from None
    raise LLMError(f"CONDUCT_ASSISTANT_LLM={settings.llm!r}: unknown backend '{kind}' (ollama, openai or local)")


def _local_model_class():
    """LocalChatModel's base lives in langchain-core, imported only when a model is configured."""
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
    from transformers import StoppingCriteria

    class _Cancelled(StoppingCriteria):
        """Ends generation once its event is set."""

        def __init__(self, event: threading.Event):
            self.event = event

        def __call__(self, input_ids, scores, **kwargs):
            import torch

            return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool)

    class _LocalChatModel(BaseChatModel):
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
            import queue

            from transformers import StoppingCriteriaList, TextIteratorStreamer

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

    return _LocalChatModel


class LocalChatModel:
    """Loads a local model file or folder with transformers, offline, on the CPU."""

    @staticmethod
    def load(path: Path, max_new_tokens: int, timeout: float):
        import os

        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        if not path.exists():
            raise LLMError(f"local model not found: {path}")
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as transformers_logging

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
        return _local_model_class()(
            model=model, tokenizer=tokenizer, max_new_tokens=max_new_tokens, timeout=timeout
        )
