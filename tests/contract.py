"""What the assistant's users and clients see, on the dev set, as one JSON document.

`tests/data/contract.json` holds it as last accepted; `tests/system/test_contract.py` requires
today's output to equal it, so a refactor cannot change an answer, a citation, a JSON field or a
rendered line unnoticed. Regenerate it, only for an intended change of behaviour, in a new home
as the test builds its index (an index built earlier may hold vectors that differ in the sixth
decimal): `python -m tests.contract "$(mktemp -d)"`.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

from assistant.api.tools import ApiTools
from assistant.cli.render import answer_text, hits_text, precedent_record_text
from assistant.ui.transcript import Turn, conversation_markdown

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "data" / "contract.json"
DEV_SET = ROOT / "data" / "eval" / "dev.jsonl"
EXPORTED = datetime(2026, 1, 1, tzinfo=timezone.utc)
PRECEDENT_QUERIES = ["", "body-worn video", "banter in the team's whatsapp group chat"]
BRIEF_TOPICS = [("challenging and reporting colleagues in group chats", "student officers"),
                ("zebra crossings", "")]


def snapshot(assistant) -> dict:
    """The snapshot, with this checkout's path (in each passage's source) as `<repository>`."""
    text = json.dumps(_outputs(assistant), ensure_ascii=False)
    return json.loads(text.replace(str(ROOT), "<repository>"))


def _outputs(assistant) -> dict:
    api = ApiTools(assistant)
    questions = [json.loads(line) for line in DEV_SET.read_text("utf-8").splitlines() if line.strip()]
    result: dict = {"ask": {}, "search": {}, "precedents": {}, "precedent": {}, "brief": {}}
    for item in questions:
        question = item["question"]
        answer = assistant.ask(question)
        hits = assistant.search(question, 8)
        result["ask"][item["id"]] = {
            "json": json.loads(api.ask(question)),
            "text": answer_text(answer),
            "markdown": conversation_markdown([Turn(answer)], EXPORTED),
        }
        result["search"][item["id"]] = {"json": [h.to_json() for h in hits], "text": hits_text(hits)}
    for query in PRECEDENT_QUERIES:
        result["precedents"][query] = json.loads(api.precedents(query))
    filtered = json.loads(api.precedents("social media", forces=["northumbria"], year_from=2020))
    result["precedents"]["social media, northumbria, 2020-"] = filtered
    keys = [row["id"] for row in result["precedents"][""]["rows"]]
    for key in keys:
        record = assistant.precedent(key)
        result["precedent"][key] = {"json": json.loads(api.precedent(key)),
                                    "text": precedent_record_text(record)}
    result["precedents"][f"similar to {keys[0]}"] = json.loads(api.precedents(similar_to=keys[0]))
    for topic, audience in BRIEF_TOPICS:
        result["brief"][topic] = json.loads(api.brief(topic, audience))
    return result


def main() -> None:
    from assistant.config import Settings
    from assistant.service import ConductAssistant

    home = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    assistant = ConductAssistant(Settings.from_env(home=home) if home else Settings.from_env())
    assistant.ensure_index()
    # Sorted keys: passage metadata comes back from Chroma in no fixed order.
    text = json.dumps(snapshot(assistant), ensure_ascii=False, indent=1, sort_keys=True)
    SNAPSHOT.write_text(text + "\n", "utf-8")


if __name__ == "__main__":
    main()
