"""Nothing leaves the machine: ingest, ask and a browser session run with every non-loopback
connection refused and logged at the socket level (tests/offline.py), and the log stays empty."""

import os
import subprocess
import sys
from urllib.parse import urlparse

from tests.conftest import FIXTURES, run_cli
from tests.offline import guarded_env
from tests.ui_server import chromium, serve


def test_the_guard_catches_a_connection_attempt(tmp_path):
    log, env = guarded_env(tmp_path)
    subprocess.run(
        [sys.executable, "-c", "import urllib.request; urllib.request.urlopen('http://192.0.2.1/', timeout=2)"],
        env={**os.environ, **env},
        capture_output=True,
    )
    assert "192.0.2.1" in log.read_text("utf-8")


def test_ingest_ask_and_a_browser_session_attempt_no_connection(tmp_path):
    log, env = guarded_env(tmp_path)
    home = tmp_path / "home"
    # The first ingest also builds the shipped knowledge base, as on a new machine.
    ingest = run_cli("ingest", str(FIXTURES / "pages" / "single-yes.txt"), home=home, extra_env=env)
    assert ingest.returncode == 0, ingest.stderr
    ask = run_cli("ask", "what are my duties on social media?", "--json", home=home, extra_env=env)
    assert ask.returncode == 0, ask.stderr

    requested: list[str] = []
    with serve(home, tmp_path, env=env) as ui, chromium(tmp_path / "profile") as browser:
        page = browser.new_page()
        page.on("request", lambda r: requested.append(r.url))
        page.goto(ui.url)
        page.locator("#ca-question textarea").fill("did Wessex accept the body-worn video recommendation?")
        page.locator("#ca-send").click()
        answer = page.locator('#ca-chat [data-testid="bot"] .ca-answer:not(.ca-streaming)')
        answer.wait_for()
        assert answer.locator("a.ca-cite").count() >= 1
        page.get_by_role("tab", name="Sources").click()
        page.locator('#ca-catalogue details.ca-doc[data-doc="single-yes"]').wait_for(state="attached")
    hosts = {urlparse(url).hostname for url in requested if urlparse(url).scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, hosts
    assert log.read_text("utf-8") == ""
