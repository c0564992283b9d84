"""The first places of a hybrid result keep one of each kind of source close to the question."""

from assistant.models import Hit
from assistant.retrieval.fusion import each_kind_first

SIMILARITY = {
    "p1": 0.62, "p2": 0.61, "p3": 0.60, "p4": 0.60, "p5": 0.59, "p6": 0.58,
    "law": 0.60, "far-law": 0.40, "guide": 0.595,
}


def _hit(pid: str, kind: str, rank: int) -> Hit:
    return Hit(rank, 1.0 / rank, pid, pid, "s", "", kind, pid, "", "text", {})


def _ranked(*ids_and_kinds: tuple[str, str]) -> list[Hit]:
    return [_hit(pid, kind, rank) for rank, (pid, kind) in enumerate(ids_and_kinds, start=1)]


def _order(hits: list[Hit]) -> list[str]:
    return [h.passage_id for h in hits]


def _first(ranked: list[Hit], k: int = 8, floor: float = 0.59) -> list[Hit]:
    return each_kind_first(ranked, k, lambda h: SIMILARITY[h.passage_id], floor, 5)


PRECEDENTS = [(f"p{n}", "precedent") for n in range(1, 7)]


def test_a_close_law_passage_takes_the_fifth_place_from_a_sixth_precedent():
    hits = _first(_ranked(*PRECEDENTS, ("law", "legislation")))
    assert _order(hits) == ["p1", "p2", "p3", "p4", "law", "p5", "p6"]
    assert [h.rank for h in hits] == list(range(1, 8))


def test_each_missing_kind_gets_a_place_and_nothing_is_dropped_within_k():
    hits = _first(_ranked(*PRECEDENTS, ("guide", "guidance"), ("law", "legislation")), k=8)
    assert _order(hits) == ["p1", "p2", "p3", "guide", "law", "p4", "p5", "p6"]


def test_a_distant_passage_of_a_missing_kind_stays_where_fusion_put_it():
    ranked = _ranked(*PRECEDENTS, ("far-law", "legislation"))
    assert _order(_first(ranked)) == _order(ranked)


def test_a_result_that_already_holds_every_kind_is_unchanged():
    ranked = _ranked(("p1", "precedent"), ("law", "legislation"), *PRECEDENTS[1:])
    assert _order(_first(ranked)) == _order(ranked)


def test_k_still_bounds_the_result():
    assert _order(_first(_ranked(*PRECEDENTS, ("law", "legislation")), k=5)) == ["p1", "p2", "p3", "p4", "law"]
