"""Imports only run down: shells → the facade → features → shared records → vectorstore → ingest.

Every import in the code, at the top of a module or inside a function, is read with `ast`; one
that reaches a higher layer, or a cycle between feature packages, fails with its file and line.
"""

from __future__ import annotations

import ast

from tests.conftest import ROOT

# Higher numbers may import lower ones, never the reverse.
LAYERS = {
    "assistant.cli": 5,
    "assistant.ui": 5,
    "assistant.integrations": 5,
    "assistant.api": 4,  # the chat (ui) serves the API's functions, so it sits just below
    "assistant.service": 3,
    "assistant.briefs": 2,
    "assistant.evaluation": 2,
    "assistant.precedents": 2,
    "assistant.answers": 2,
    "assistant.retrieval": 2,
    "assistant.index": 2,
    "assistant.models": 1,
    "assistant.criteria": 1,
    "assistant.questions": 1,
    "assistant.config": 1,
    "prompts": 1,
    "vectorstore": 0.5,
    "knowledge_base": 0,
    "ingest": 0,
}
PACKAGES = ("assistant", "vectorstore", "ingest", "prompts")


def _layer(module: str) -> tuple[str, float] | None:
    for prefix in sorted(LAYERS, key=len, reverse=True):
        if module == prefix or module.startswith(prefix + "."):
            return prefix, LAYERS[prefix]
    return None


def _imports() -> list[tuple[str, int, str, str]]:
    """(file, line, importing module, imported module) for every import between our packages."""
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                names = (
                    [a.name for a in node.names] if isinstance(node, ast.Import)
                    else [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level
                    else []
                )
                found += [(str(path.relative_to(ROOT)), node.lineno, module, name) for name in names]
    return found


def test_every_module_has_a_layer():
    unplaced = {m for _, _, m, _ in _imports() if _layer(m) is None and m not in ("assistant", "assistant.__main__")}
    assert not unplaced


def test_no_import_runs_up():
    upward = [
        f"{file}:{line}: {importer} imports {imported}"
        for file, line, importer, imported in _imports()
        if (source := _layer(importer)) and (target := _layer(imported)) and target[1] > source[1]
    ]
    assert not upward, "\n".join(upward)


def test_feature_packages_form_no_cycle():
    features = {p for p, level in LAYERS.items() if level == 2}
    edges: dict[str, set[str]] = {f: set() for f in features}
    for _, _, importer, imported in _imports():
        source, target = _layer(importer), _layer(imported)
        if source and target and source[0] in features and target[0] in features and source[0] != target[0]:
            edges[source[0]].add(target[0])

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in edges[start])

    assert not [f for f in features if reaches(f, f)], edges
