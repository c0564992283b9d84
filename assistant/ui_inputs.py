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


def year_range(start: Any, end: Any) -> tuple[int | None, int | None]:
    """Two bounds from the browser or an API call, refused when the first is after the second."""
    first, last = year(start, "year from"), year(end, "year to")
    if first is not None and last is not None and first > last:
        raise QuestionError(f"year range: {first} is after {last}")
    return first, last
