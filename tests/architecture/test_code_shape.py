"""The shape of the code that issue 10 asked for, held by tests: one vocabulary (no bare status
words outside it) and no function of 100 lines or more (widget builders included: today the
longest function is 90 lines)."""

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


def _bare_words(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, value) of every string constant that is a vocabulary value, docstrings aside."""
    docs = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value in VOCABULARY_WORDS
        and id(node) not in docs
    ]


def _long_functions(tree: ast.AST) -> list[tuple[int, str, int]]:
    """(line, name, length) of every function of MAX_FUNCTION_LINES lines or more."""
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines >= MAX_FUNCTION_LINES:
                out.append((node.lineno, node.name, lines))
    return out


def _rel(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_no_bare_vocabulary_words_outside_the_vocabulary() -> None:
    found = [
        f"{_rel(path)}:{line}: {value!r}"
        for path in _modules()
        if path not in VOCABULARY_HOME
        for line, value in _bare_words(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not found, "bare vocabulary values (use domain.vocabulary):\n" + "\n".join(found)


def test_no_function_of_a_hundred_lines() -> None:
    long = [
        f"{_rel(path)}:{line} {name}: {lines} lines"
        for path in _modules()
        for line, name, lines in _long_functions(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert not long, "functions of 100 lines or more:\n" + "\n".join(long)


def test_the_checks_would_catch_an_offender() -> None:
    # The walkers must see what they look for: tiny offenders prove it.
    assert _bare_words(ast.parse('def f():\n    """pass"""\n    return "pass"\n')) == [(3, "pass")]
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    assert _long_functions(ast.parse(f"def g():\n{body}")) == [(1, "g", MAX_FUNCTION_LINES + 1)]
    short = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES - 2))
    assert _long_functions(ast.parse(f"def h():\n{short}")) == []
