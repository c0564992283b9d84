"""The optional language model, as a LangChain chat model chosen by configuration.

`CONDUCT_ASSISTANT_LLM` names it: `ollama:MODEL` (an Ollama server, `CONDUCT_ASSISTANT_LLM_BASE_URL`
or http://127.0.0.1:11434), `openai:MODEL` (any OpenAI-compatible server at the base URL) or
`local:PATH` (a GGUF file or a transformers model folder on this machine, run on the CPU).
The packages come from the `llm` install extra; without it, or with no model configured, the
assistant answers extractively as before.
"""

from __future__ import annotations

from pathlib import Path

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
            path = Path(name).expanduser()
            if not path.exists():  # before paying for torch's import
                raise LLMError(f"local model not found: {path}")
            from assistant.answers.local_model import LocalChatModel

            return LocalChatModel.load(path, settings.llm_max_tokens, settings.llm_timeout)
    except ImportError as err:
        raise LLMError(
            f"the {kind} backend needs the llm extra: pip install 'conduct-assistant[llm]' ({err.name} is missing)"
        ) from None
    raise LLMError(f"CONDUCT_ASSISTANT_LLM={settings.llm!r}: unknown backend '{kind}' (ollama, openai or local)")
