"""Questions are encoded by the model's ONNX export: the same vectors as torch, and no torch import."""

import subprocess
import sys

import knowledge_base
import numpy as np

from assistant.evaluation.metrics import load_questions
from ingest.chunking import Chunker
from ingest.loader import discover, load_document
from vectorstore.embedder import Embedder
from vectorstore.onnx_encoder import graph_path


def test_onnx_vectors_agree_with_the_torch_encoder(assistant):
    onnx = assistant.embedder
    torch = Embedder(assistant.settings.model_dir)
    questions = [q.question for q in load_questions(knowledge_base.DEV_SET)]
    # Passages are longer than the encoder's 256 tokens: truncation must match too.
    chunker = Chunker(assistant.settings.model_dir / "tokenizer.json")
    files = discover([assistant.settings.corpus_dir])
    passages = [p.indexed_text for f in files for p in chunker.passages(load_document(f))][:40]
    for texts in (questions, passages):
        agreement = np.sum(onnx.encode(texts) * torch.encode(texts), axis=1)
        assert onnx.backend == "onnx" and torch.backend == "torch"
        assert agreement.min() >= 0.9999, texts[int(agreement.argmin())]


def test_cold_ask_never_imports_torch(assistant, shipped_home):
    question = "What must I do if a colleague posts something offensive in a WhatsApp group?"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "assistant", "ask", question, "--json"],
        env={"CONDUCT_ASSISTANT_HOME": str(shipped_home), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "assistant.service" in imported and '"answered": true' in result.stdout
    assert not {"torch", "sentence_transformers", "transformers"} & imported


def test_a_damaged_export_is_rebuilt_and_leftovers_are_removed(tmp_path, assistant):
    model_dir, encoder = assistant.settings.model_dir, tmp_path / "encoder"
    graph = graph_path(encoder, model_dir)
    graph.parent.mkdir(parents=True)
    graph.write_bytes(b"\x08\x07 not a graph, the end of a full disk")
    interrupted = graph.parent / "tmp-interrupted-export"
    interrupted.mkdir()
    (interrupted / "plain.onnx").write_bytes(b"half an export")
    older_model = encoder / "0123456789abcdef"
    older_model.mkdir()
    (older_model / "model.onnx").write_bytes(b"the graph of a model no longer installed")

    embedder = Embedder(model_dir, onnx_dir=encoder)
    vector = embedder.encode(["misconduct in a group chat"])
    assert embedder.backend == "onnx" and graph.stat().st_size > 10_000_000
    assert np.isclose(np.linalg.norm(vector), 1.0)
    assert sorted(p.name for p in encoder.iterdir()) == sorted([".export.lock", graph.parent.name])
    assert [p.name for p in graph.parent.iterdir()] == ["model.onnx"]


def test_a_changed_model_gets_its_own_export(tmp_path):
    model = tmp_path / "model"
    (model / "1_Pooling").mkdir(parents=True)
    (model / "config.json").write_text('{"hidden_size": 384}')
    (model / "1_Pooling" / "config.json").write_text('{"pooling_mode_mean_tokens": true}')
    first = graph_path(tmp_path / "encoder", model)
    assert graph_path(tmp_path / "encoder", model) == first
    (model / "config.json").write_text('{"hidden_size": 768}')
    assert graph_path(tmp_path / "encoder", model) != first


def test_without_a_writable_place_for_the_export_torch_encodes(tmp_path, assistant, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("the encoder folder cannot be made under a file")
    embedder = Embedder(assistant.settings.model_dir, onnx_dir=blocker / "encoder")
    vector = embedder.encode(["misconduct in a group chat"])
    assert embedder.backend == "torch" and np.isclose(np.linalg.norm(vector), 1.0)
    assert "encoding with torch: cannot export the encoder to ONNX" in caplog.text
