"""How a brief names a month: shared by the brief's wording and its files."""

from __future__ import annotations

from datetime import date


def month_name(month: str) -> str:
    """'2020-12' as 'December 2020'."""
    try:
        year, number = (int(part) for part in month.split("-")[:2])
        return date(year, number, 1).strftime("%B %Y")
    except ValueError:
        return month or "date unknown"
