"""Settings: read from CONDUCT_ASSISTANT_* variables, refused in one line when bad, documented by a
generated table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant import config
from assistant.config import Settings, SettingsError
from tests.conftest import run_cli


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """No CONDUCT_ASSISTANT_* variable of the machine running the tests leaks into them."""
    for name in os.environ:
        if name.upper().startswith(config.PREFIX):
            monkeypatch.delenv(name)


def _generated_block(page: str) -> str:
    return page.partition(config.BEGIN)[2].partition(config.END)[0]


def test_the_documented_table_is_the_generated_one():
    documented = _generated_block(config.DOCS.read_text("utf-8"))
    assert documented == "\n" + config.table(), (
        "docs/configuration.md is out of date: run `python -m assistant.config --write`"
    )


def test_the_table_names_every_setting_with_its_meaning():
    rows = config.table().splitlines()[2:]
    assert len(rows) == len(Settings.model_fields)
    for row, (name, info) in zip(rows, Settings.model_fields.items(), strict=True):
        assert row.startswith(f"| `CONDUCT_ASSISTANT_{name.upper()}` |")
        assert info.description and info.description in row
    # Machine-dependent defaults are described, not this machine's paths.
    assert str(Path.home()) not in config.table()


def test_write_rewrites_only_the_generated_block(tmp_path, monkeypatch):
    page = tmp_path / "configuration.md"
    page.write_text(
        f"# Title\n\nProse.\n\n{config.BEGIN}\n| stale |\n{config.END}\n\nMore prose.\n", "utf-8"
    )
    monkeypatch.setattr(config, "DOCS", page)
    config.main(["--write"])
    assert (
        page.read_text("utf-8")
        == f"# Title\n\nProse.\n\n{config.BEGIN}\n{config.table()}{config.END}\n\nMore prose.\n"
    )


def test_write_refuses_a_page_without_the_markers(tmp_path, monkeypatch, capsys):
    page = tmp_path / "configuration.md"
    page.write_text("# Title\n", "utf-8")
    monkeypatch.setattr(config, "DOCS", page)
    with pytest.raises(SystemExit) as refused:
        config.main(["--write"])
    assert refused.value.code == 2
    assert "the markers" in capsys.readouterr().err
    assert page.read_text("utf-8") == "# Title\n"


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TOP_K", "abc", "CONDUCT_ASSISTANT_TOP_K='abc' is not a valid integer"),
        ("EMBED_GROUP", "1.5", "CONDUCT_ASSISTANT_EMBED_GROUP='1.5' is not a valid integer"),
        (
            "DECLINE_THRESHOLD",
            "high",
            "CONDUCT_ASSISTANT_DECLINE_THRESHOLD='high' is not a valid number",
        ),
        (
            "LLM_MIN_KEPT",
            "nan",
            "CONDUCT_ASSISTANT_LLM_MIN_KEPT='nan' is not a valid finite number",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_in_one_line(monkeypatch, variable, value, message):
    monkeypatch.setenv(config.PREFIX + variable, value)
    with pytest.raises(SettingsError) as refused:
        Settings.from_env()
    assert str(refused.value) == message


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TOP_K", "0", "CONDUCT_ASSISTANT_TOP_K=0: must be at least 1"),
        ("PORT", "70000", "CONDUCT_ASSISTANT_PORT=70000: must be at most 65535"),
        ("CAVEAT_THRESHOLD", "1.2", "CONDUCT_ASSISTANT_CAVEAT_THRESHOLD=1.2: must be at most 1"),
        ("KIND_MARGIN", "-2", "CONDUCT_ASSISTANT_KIND_MARGIN=-2: must be at least -1"),
        ("LLM_TIMEOUT", "0", "CONDUCT_ASSISTANT_LLM_TIMEOUT=0: must be more than 0"),
        (
            "CHROMA_URL",
            "ftp://chroma.example",
            "CONDUCT_ASSISTANT_CHROMA_URL=ftp://chroma.example: must be empty or an http(s) URL",
        ),
        (
            "LLM_BASE_URL",
            "127.0.0.1:11434",
            "CONDUCT_ASSISTANT_LLM_BASE_URL=127.0.0.1:11434: must be empty or an http(s) URL",
        ),
        (
            "LLM_BASE_URL",
            "http://a b",
            "CONDUCT_ASSISTANT_LLM_BASE_URL='http://a b': must be empty or an http(s) URL",
        ),
    ],
)
def test_a_value_out_of_range_is_refused_in_one_line(monkeypatch, variable, value, message):
    monkeypatch.setenv(config.PREFIX + variable, value)
    with pytest.raises(SettingsError) as refused:
        Settings()
    assert str(refused.value) == message


def test_the_edges_of_a_range_are_accepted(monkeypatch):
    monkeypatch.setenv("CONDUCT_ASSISTANT_KIND_MARGIN", "-1")
    monkeypatch.setenv("CONDUCT_ASSISTANT_PORT", "65535")
    monkeypatch.setenv("CONDUCT_ASSISTANT_LLM_MIN_KEPT", "0")
    monkeypatch.setenv("CONDUCT_ASSISTANT_LLM_BASE_URL", "https://llm.example/v1")
    settings = Settings.from_env()
    assert (settings.kind_margin, settings.port, settings.llm_min_kept) == (-1, 65535, 0)
    assert settings.llm_base_url == "https://llm.example/v1"


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "https://chroma.example", "127.0.0.1:8000"]
)
def test_a_chroma_server_may_be_named_without_its_scheme(monkeypatch, url):
    # As PassageStore reads it: a bare host:port is http.
    monkeypatch.setenv("CONDUCT_ASSISTANT_CHROMA_URL", url)
    assert Settings.from_env().chroma_url == url


def test_several_bad_values_are_refused_together_in_one_line(monkeypatch):
    monkeypatch.setenv("CONDUCT_ASSISTANT_TOP_K", "-3")
    monkeypatch.setenv("CONDUCT_ASSISTANT_LLM_TIMEOUT", "soon")
    with pytest.raises(SettingsError) as refused:
        Settings.from_env()
    assert str(refused.value) == (
        "CONDUCT_ASSISTANT_TOP_K=-3: must be at least 1; "
        "CONDUCT_ASSISTANT_LLM_TIMEOUT='soon' is not a valid number"
    )


def test_a_bad_override_is_named_as_given(monkeypatch):
    monkeypatch.setenv("CONDUCT_ASSISTANT_CHROMA_URL", "http://127.0.0.1:8000")
    with pytest.raises(SettingsError) as refused:
        Settings.from_env(chroma_url="ftp://chroma.example")
    assert str(refused.value) == "chroma_url=ftp://chroma.example: must be empty or an http(s) URL"
    with pytest.raises(SettingsError, match="^colour=1: there is no such setting$"):
        Settings.from_env(colour=1)


def test_the_cli_reports_a_bad_setting_in_one_line_and_exits_2(tmp_path):
    done = run_cli("ask", "x", home=tmp_path / "home", seed=False, extra_env={"CONDUCT_ASSISTANT_TOP_K": "abc"})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "error: CONDUCT_ASSISTANT_TOP_K='abc' is not a valid integer"
    ]
    assert done.stdout == ""
    # Refused before anything is built.
    assert not (tmp_path / "home").exists()


def test_overrides_beat_the_environment_and_none_is_no_override(monkeypatch):
    monkeypatch.setenv("CONDUCT_ASSISTANT_TOP_K", "3")
    monkeypatch.setenv("CONDUCT_ASSISTANT_LLM", "ollama:env-model")
    settings = Settings.from_env(top_k=5, llm=None)
    assert settings.top_k == 5
    assert settings.llm == "ollama:env-model"
    assert Settings().top_k == 3


def test_an_empty_variable_means_the_default(monkeypatch):
    monkeypatch.setenv("CONDUCT_ASSISTANT_TOP_K", "")
    monkeypatch.setenv("CONDUCT_ASSISTANT_HOST", "")
    settings = Settings.from_env()
    assert settings.top_k == 8
    assert settings.host == "127.0.0.1"


def test_variable_names_are_read_in_any_case(monkeypatch):
    monkeypatch.setenv("conduct_assistant_top_k", "4")
    assert Settings.from_env().top_k == 4


def test_home_expands_and_defaults_under_xdg_data_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert Settings.from_env().home == tmp_path / "data" / "conduct-assistant"
    monkeypatch.setenv("XDG_DATA_HOME", "")
    assert Settings.from_env().home == tmp_path / ".local" / "share" / "conduct-assistant"
    monkeypatch.setenv("CONDUCT_ASSISTANT_HOME", "~/assistant")
    monkeypatch.setenv("CONDUCT_ASSISTANT_CORPUS_DIR", "~/corpus")
    settings = Settings.from_env()
    assert (settings.home, settings.corpus_dir) == (tmp_path / "assistant", tmp_path / "corpus")
    assert settings.index_dir == tmp_path / "assistant" / "index"
    assert settings.snapshot_dir == tmp_path / "assistant" / "snapshot"


def test_settings_are_frozen_and_copied_with_changes():
    settings = Settings.from_env()
    with pytest.raises(ValidationError):
        settings.top_k = 3
    changed = settings.model_copy(update={"llm": "ollama:m"})
    assert (changed.llm, settings.llm, changed.top_k) == ("ollama:m", "", settings.top_k)

