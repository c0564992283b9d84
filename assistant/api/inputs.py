"""Values as the browser and the API send them, turned into the assistant's `Criteria`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.criteria import Criteria
from assistant.questions import QuestionError
from assistant.service import ConductAssistant


def year(value: Any, label: str) -> int | None:
    """A year from a dropdown or a text field; empty means no bound."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise QuestionError(f"{label}: '{value}' is not a year") from None


def criteria(
    assistant: ConductAssistant,
    *,
    kinds: Sequence[str] | None = None,
    forces: Sequence[str] | None = None,
    themes: Sequence[str] | None = None,
    accepted: Sequence[str] | None = None,
    relies_on: Sequence[str] | None = None,
    year_from: Any = None,
    year_to: Any = None,
) -> Criteria:
    """What an answer may cite or a precedent search keeps, from the chat's filter panel, the
    Precedents tab or the API's arguments."""
    return assistant.criteria(
        kinds=kinds,
        forces=forces,
        themes=themes,
        accepted=accepted,
        relies_on=relies_on,
        year_from=year(year_from, "year from"),
        year_to=year(year_to, "year to"),
    )
