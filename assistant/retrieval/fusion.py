"""Fusing the rankings of the search legs, and giving each kind of source a place up front."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from assistant.models import Hit

# The first places of a hybrid result, where each kind of source close enough to the question
# (law, guidance, precedent) gets one: a large collection of one kind must not push out the rest.
KIND_SLOTS = 5


def each_kind_first(
    ranked: list[Hit], k: int, similarity: Callable[[Hit], float], floor: float, within: int
) -> list[Hit]:
    """The first k hits, except that the best hit of a kind of source (law, guidance,
    precedent) missing from the first `within`, if its similarity to the question reaches
    `floor`, moves up to the last of those places; the last hit there of a kind held more
    than once moves down to the place just after them."""
    hits = list(ranked)
    for candidate in ranked[within:]:
        head = [h.kind for h in hits[:within]]
        if candidate.kind in head or similarity(candidate) < floor:
            continue
        crowded = [i for i, kind in enumerate(head) if head.count(kind) > 1]
        if not crowded:
            break
        hits.remove(candidate)
        displaced = hits.pop(crowded[-1])
        hits.insert(within - 1, candidate)
        hits.insert(within, displaced)
    return [replace(h, rank=rank) for rank, h in enumerate(hits[:k], start=1)]


def reciprocal_rank_fusion(
    rankings: list[tuple[list[str], float]], k: int
) -> list[tuple[str, float]]:
    """Weighted RRF. Hand-written rather than ranx.fuse: importing ranx (numba) costs seconds."""
    fused: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, pid in enumerate(ranking, start=1):
            fused[pid] = fused.get(pid, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: item[1], reverse=True)
