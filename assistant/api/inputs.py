"""Values as the browser and the API send them, turned into what the assistant takes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from assistant.precedents.table import PrecedentQuery
from assistant.service import ConductAssistant, QuestionError
from vectorstore.filters import SearchFilter


def year(value: Any, label: str) -> int | None:
    """A year from a dropdown or a text field; empty means no bound."""
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise QuestionError(f"{label}: '{value}' is not a year") from None


def search_filter(
    assistant: ConductAssistant,
    kinds: Sequence[str] | None,
    forces: Sequence[str] | None,
    themes: Sequence[str] | None,
    year_from: Any,
    year_to: Any,
) -> SearchFilter:
    """What an answer may cite, from the chat's filter panel or the `ask` API's arguments."""
    return assistant.make_filter(
        kinds=kinds,
        forces=forces,
        themes=themes,
        year_from=year(year_from, "year from"),
        year_to=year(year_to, "year to"),
    )


def precedent_query(
    assistant: ConductAssistant,
    forces: Sequence[str] | None,
    themes: Sequence[str] | None,
    accepted: Sequence[str] | None,
    relies_on: Sequence[str] | None,
    year_from: Any,
    year_to: Any,
) -> PrecedentQuery:
    """Which recommendations a precedent search keeps, from the Precedents tab or the API."""
    return assistant.make_precedent_query(
        forces=forces,
        themes=themes,
        accepted=accepted,
        relies_on=relies_on,
        year_from=year(year_from, "year from"),
        year_to=year(year_to, "year to"),
    )
