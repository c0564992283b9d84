"""The same encoder as an ONNX graph, so that a process answering one question never imports torch.

The graph is exported once from the model's weights with torch (the first time anything is
encoded: on a new machine, while the index is built) and kept under the assistant's home, in a folder named by a fingerprint of
the model's files: a changed model gets a new export. Questions are then encoded with
onnxruntime and tokenizers, pooled and normalised as sentence-transformers does for this model
(mean over the attention mask, unit length).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from filelock import FileLock, Timeout

GRAPH = "model.onnx"
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
# Bumped when the export itself changes, so that an old graph is not reused.
EXPORT_VERSION = 2
LOCK = ".export.lock"
# How long a process waits for another one's export (which takes seconds) before using torch.
EXPORT_WAIT_SECONDS = 300
# Free space an export leaves beside the graph (about the model's size) for the index.
SPARE_BYTES = 500_000_000


class OnnxUnavailable(RuntimeError):
    """The ONNX encoder cannot be exported or loaded here; the torch encoder is used instead."""


def fingerprint(model_dir: Path) -> str:
    """Names, sizes and modification times of the model's files: cheap to read on every start,
    and different whenever the model is replaced."""
    digest = hashlib.sha256(f"export {EXPORT_VERSION}".encode())
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(model_dir)} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def graph_path(cache_dir: Path, model_dir: Path) -> Path:
    return cache_dir / fingerprint(model_dir) / GRAPH


def exported_graph(cache_dir: Path, model_dir: Path, damaged: Path | None = None) -> Path:
    """The path of this model's graph, exported first when there is none (or when the file at
    `damaged` could not be loaded). One process exports at a time; one that waited uses the
    file the other wrote. An export clears the folder first: other models' graphs and what an
    interrupted export left are never read again."""
    graph = graph_path(cache_dir, model_dir)
    stale = _identity(damaged) if damaged is not None else None
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with FileLock(cache_dir / LOCK, timeout=EXPORT_WAIT_SECONDS):
            if graph.is_file() and _identity(graph) != stale:
                return graph
            # The export is a speed-up: it must not take the room the index needs.
            weights = sum(p.stat().st_size for p in model_dir.glob("*.safetensors"))
            free = shutil.disk_usage(cache_dir).free
            if free < weights + SPARE_BYTES:
                raise OnnxUnavailable(
                    f"not enough disk space for the ONNX export in {cache_dir} "
                    f"({free / 1e6:.0f} MB free; it keeps {SPARE_BYTES // 1_000_000} MB spare beside the "
                    f"{weights / 1e6:.0f} MB graph)"
                )
            for entry in cache_dir.iterdir():
                if entry.is_dir():
                    shutil.rmtree(entry)
                elif entry.name != LOCK:
                    entry.unlink()
            export(model_dir, graph)
    except (OSError, Timeout) as err:
        raise OnnxUnavailable(f"cannot export the encoder to ONNX: {err}") from err
    return graph


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return stat.st_ino, stat.st_mtime_ns


def export(model_dir: Path, target: Path) -> None:
    """Write the model's transformer as an ONNX graph at `target` (atomically: a concurrent
    reader sees no file or the whole file)."""
    try:
        import onnx  # noqa: F401  (the exporter needs it; failing here gives a clear reason)
        import torch
        from transformers import AutoModel
    except ImportError as err:
        raise OnnxUnavailable(f"cannot export the encoder to ONNX: {err}") from err

    try:
        # Eager attention: under onnxruntime as fast as the fused graph its optimiser makes of
        # it, and faster than the default attention exported as is.
        transformer = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager").eval()
    except Exception as err:
        raise OnnxUnavailable(f"cannot export the encoder to ONNX: {err}") from err

    class LastHiddenState(torch.nn.Module):
        # Keyword arguments: the transformer's positional order differs between versions.
        def __init__(self) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.transformer(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    example = torch.ones(2, 8, dtype=torch.long)
    dynamic = {name: {0: "batch", 1: "tokens"} for name in (*INPUTS, "last_hidden_state")}
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as work:
            written = Path(work) / GRAPH
            # The exporter's warnings are about graph shapes this model does not produce.
            with torch.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                torch.onnx.export(
                    LastHiddenState(),
                    (example, torch.ones_like(example), torch.zeros_like(example)),
                    str(written),
                    input_names=list(INPUTS),
                    output_names=["last_hidden_state"],
                    dynamic_axes=dynamic,
                    opset_version=17,
                    dynamo=False,
                )
            os.replace(written, target)
    except Exception as err:
        # Any failure (a full or read-only disk, an exporter error) leaves the torch encoder.
        raise OnnxUnavailable(f"cannot export the encoder to ONNX: {err}") from err


class DamagedGraph(OnnxUnavailable):
    """The exported file exists but onnxruntime cannot load it."""


class OnnxEncoder:
    """Encodes texts with an exported graph; raises OnnxUnavailable when it cannot be loaded."""

    def __init__(self, graph: Path, model_dir: Path, batch_size: int = 64):
        pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
        if not pooling.get("pooling_mode_mean_tokens"):
            raise OnnxUnavailable(f"{model_dir}: only mean pooling is reproduced outside torch")
        self.dimension = int(pooling["word_embedding_dimension"])
        max_tokens = json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"]
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as err:
            raise OnnxUnavailable(f"onnxruntime or tokenizers is not installed: {err}") from err
        if not graph.is_file():
            raise OnnxUnavailable(f"{graph}: no exported encoder")
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        try:
            self._session = onnxruntime.InferenceSession(
                str(graph), options, providers=["CPUExecutionProvider"]
            )
        except Exception as err:
            raise DamagedGraph(f"{graph}: {err}") from err
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_tokens)
        self._tokenizer.enable_padding(pad_id=self._tokenizer.token_to_id("[PAD]") or 0)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        # Batched longest first, as sentence-transformers does, so that padding stays small.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        vectors = np.zeros((len(texts), self.dimension), np.float32)
        for start in range(0, len(order), self.batch_size):
            batch = order[start : start + self.batch_size]
            vectors[batch] = self._encode_batch([texts[i] for i in batch])
        return vectors

    def _encode_batch(self, texts: Sequence[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        types = np.array([e.type_ids for e in encodings], dtype=np.int64)
        (hidden,) = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        )
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return (pooled / norms).astype(np.float32)
