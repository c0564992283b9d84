"""Choose how answers are composed, and when they are declined, on the question bank's `tune` half.

Each tune and dev question is retrieved once with the shipped retriever; the grids then only
recompose the answers. Two grids, each printed best first:

- the answer shape (assistant.answers.composer.AnswerShape): the weights of a unit's lexical overlap
  and of its passage's retrieval score beside its cosine similarity, and the margin under the
  lead within which other sections are quoted. Ranked by the sum of the shares of answerable
  tune questions whose first line comes from a gold section and whose answer cites one, then
  by fewer words;
- the decline and caveat thresholds and the rarity below which an unknown word counts as a
  name (scope.UnknownTerms). Ranked by the share of unanswerable tune questions declined,
  among settings declining at most 5 % of the answerable ones.

The test half is never read here.

    python -m benchmarks.answer_tuning     # about three minutes on two cores
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import knowledge_base

from assistant.config import Settings
from assistant.evaluation.metrics import answer_quality, load_questions
from assistant.service import ConductAssistant

SHAPES = {
    "lexical_weight": (0.0, 0.2, 0.4),
    "retrieval_weight": (0.0, 0.5, 0.75, 1.0, 1.5),
    "section_margin": (0.1, 0.2, 0.3, 0.4, 0.6),
}
DECLINES = {
    "rarer_than": (2.0, 2.5, 3.0, 3.5),
    "decline_threshold": (0.38, 0.40, 0.42, 0.44, 0.46),
    "caveat_threshold": (0.6, 0.65, 0.7, 0.75, 0.8, 0.9),
}
MAX_FALSE_DECLINES = 0.05


def main() -> None:
    assistant = ConductAssistant(Settings.from_env())
    assistant.ensure_index()
    retriever, composer = assistant.retriever, assistant.composer
    sets = {"tune": load_questions(knowledge_base.TUNE_SET), "dev": load_questions(knowledge_base.DEV_SET)}

    def retrieved() -> dict[str, list]:
        return {name: [retriever.retrieve(q.question, assistant.settings.top_k) for q in qs] for name, qs in sets.items()}

    def quality(name: str, retrievals: dict[str, list]) -> dict[str, float]:
        answers = [composer.compose(q.question, r) for q, r in zip(sets[name], retrievals[name], strict=True)]
        return answer_quality(sets[name], answers)

    retrievals = retrieved()
    shipped = composer.shape
    rows = []
    for values in itertools.product(*SHAPES.values()):
        composer.shape = replace(shipped, **dict(zip(SHAPES, values, strict=True)))
        tune = quality("tune", retrievals)
        rows.append((tune["lead_gold"], tune["cites_gold"], tune["words_mean"], values))
    composer.shape = shipped
    print("Answer shape on tune: lead from gold, cites gold, mean words  (" + ", ".join(SHAPES) + ")")
    for lead, cites, words, values in sorted(rows, key=lambda r: (round(r[0] + r[1], 6), -r[2]), reverse=True)[:15]:
        print(f"  {lead:.3f}  {cites:.3f}  {words:5.1f}  {values}")

    rows = []
    for rarer_than in DECLINES["rarer_than"]:
        retriever.rare_zipf = rarer_than
        retriever.refresh()
        retrievals = retrieved()
        for decline, caveat in itertools.product(DECLINES["decline_threshold"], DECLINES["caveat_threshold"]):
            composer.decline_threshold, composer.caveat_threshold = decline, caveat
            tune, dev = quality("tune", retrievals), quality("dev", retrievals)
            rows.append((tune, dev, (rarer_than, decline, caveat)))
    print("\nDeclines on tune (unanswerable declined / caveated, answerable declined) and dev  ("
          + ", ".join(DECLINES) + ")")
    kept = [r for r in rows if r[0]["false_decline_rate"] <= MAX_FALSE_DECLINES]
    for tune, dev, values in sorted(kept, key=lambda r: (r[0]["decline_rate"], -r[0]["false_decline_rate"]), reverse=True)[:15]:
        print(
            f"  tune {tune['decline_rate']:.3f} / {tune['caveat_rate_unanswerable']:.3f}, "
            f"{tune['false_decline_rate']:.3f}   dev {dev['decline_rate']:.3f}, {dev['false_decline_rate']:.3f}   {values}"
        )


if __name__ == "__main__":
    main()
