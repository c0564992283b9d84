"""Save the README's screenshots from the real app in headless Chromium: the chat answering
a real question, and the Training brief tab with a brief written.

    .venv/bin/python -m tests.screenshot docs/screenshot.png docs/brief.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from assistant.config import Settings
from assistant.service import ConductAssistant
from tests.ui_server import chromium, serve

QUESTION = "What are my duties on social media?"
TOPIC = "challenging and reporting colleagues in group chats"


def main(target: Path, brief_target: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        home = Path(work) / "home"
        ConductAssistant(Settings.from_env(home=home)).ensure_index()
        with serve(home, Path(work)) as served, chromium(Path(work) / "profile") as context:
            page = context.new_page()
            page.set_viewport_size({"width": 1400, "height": 1050})
            page.goto(served.url)
            page.locator("#ca-question textarea").fill(QUESTION)
            page.locator("#ca-send").click()
            answer = page.locator('#ca-chat [data-testid="bot"]').last
            answer.locator(".ca-cards").wait_for()
            answer.locator("a.ca-cite").first.click()
            page.wait_for_timeout(800)
            # Show the answer's text above its opened first card.
            answer.evaluate("element => element.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(300)
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target))
            page.get_by_role("tab", name="Training brief").click()
            page.locator("#ca-brief-topic textarea").fill(TOPIC)
            page.locator("#ca-brief-write").click()
            page.locator("#ca-brief-status .ca-brief-ready").wait_for(timeout=60_000)
            page.wait_for_timeout(300)
            page.screenshot(path=str(brief_target))
    print(f"saved {target} and {brief_target}")


if __name__ == "__main__":
    chat, brief = sys.argv[1:3] if len(sys.argv) == 3 else ("docs/screenshot.png", "docs/brief.png")
    main(Path(chat), Path(brief))
