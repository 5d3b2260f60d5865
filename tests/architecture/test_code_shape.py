"""The shape of the code that issue 10 asked for, held by tests: one vocabulary (no bare status
words outside it) and no function of 100 lines or more apart from flat declaration builders."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "desktop_app"

# The stored values of the vocabulary's enums that must not be written out anywhere else.
VOCABULARY_WORDS = {
    "pass",
    "fail",
    "unknown",
    "fel",
    "varning",
    "certification",
    "representative",
    "accepted",
    "refused",
    "superseded",
    "void",
}
VOCABULARY_HOME = {PACKAGE / "domain" / "vocabulary.py"}

MAX_FUNCTION_LINES = 100
# Builders that are one flat list of declarations (widgets, sheet columns, argparse options);
# splitting them would scatter one screen or one command line over several functions.
FLAT_BUILDERS: set[tuple[str, str]] = set()


def _modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if "migrations" not in p.relative_to(PACKAGE).parts
    )


def _docstrings(tree: ast.AST) -> set[int]:
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def test_no_bare_vocabulary_words_outside_the_vocabulary() -> None:
    found = []
    for path in _modules():
        if path in VOCABULARY_HOME:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value in VOCABULARY_WORDS
                and id(node) not in docs
            ):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.value!r}")
    assert not found, "bare vocabulary values (use domain.vocabulary):\n" + "\n".join(found)


def test_no_function_of_a_hundred_lines() -> None:
    long = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                rel = str(path.relative_to(PACKAGE.parent))
                if lines >= MAX_FUNCTION_LINES and (rel, node.name) not in FLAT_BUILDERS:
                    long.append(f"{rel}:{node.lineno} {node.name}: {lines} lines")
    assert not long, "functions of 100 lines or more:\n" + "\n".join(long)


def test_the_checks_would_catch_an_offender() -> None:
    # The walkers above must see what they look for; a parse of a tiny offender proves it.
    tree = ast.parse('def f():\n    """pass"""\n    return "pass"\n')
    docs = _docstrings(tree)
    words = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and n.value in VOCABULARY_WORDS and id(n) not in docs
    ]
    assert words == ["pass"]
