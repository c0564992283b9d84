"""Ingest and ask make no network connection: every non-loopback socket is refused and logged."""

from tests.conftest import FIXTURES, run_cli
from tests.offline import guarded_env


def test_the_guard_catches_a_connection_attempt(tmp_path):
    log, env = guarded_env(tmp_path)
    import subprocess
    import sys
    import os

    subprocess.run(
        [sys.executable, "-c", "import urllib.request; urllib.request.urlopen('http://192.0.2.1/', timeout=2)"],
        env={**os.environ, **env},
        capture_output=True,
    )
    assert "192.0.2.1" in log.read_text("utf-8")


def test_ingest_and_ask_attempt_no_connection(tmp_path):
    log, env = guarded_env(tmp_path)
    home = tmp_path / "home"
    ingest = run_cli("ingest", str(FIXTURES / "pages" / "single-yes.txt"), home=home, extra_env=env)
    assert ingest.returncode == 0, ingest.stderr
    ask = run_cli("ask", "what are my duties on social media?", "--json", home=home, extra_env=env)
    assert ask.returncode == 0, ask.stderr
    assert log.read_text("utf-8") == ""
