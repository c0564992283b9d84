"""Values as the browser sends them, turned into what the assistant API takes."""

from __future__ import annotations

from typing import Any

from assistant.service import QuestionError


def year(value: Any, label: str) -> int | None:
    """A year from a dropdown or a text field; empty means no bound."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise QuestionError(f"{label}: '{value}' is not a year") from None
