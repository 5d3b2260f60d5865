"""Defences for reading hostile PDF structures: a name-tree walk that cannot loop or explode
(visited set, depth cap, node cap; limits in desktop_app.domain.limits)."""

from __future__ import annotations

from typing import Any

from desktop_app.domain.limits import (
    PDF_MAX_EMBEDDED_FILES,
    PDF_NAME_TREE_MAX_DEPTH,
    PDF_NAME_TREE_MAX_NODES,
)


def _raw(container: Any, key: str, refs: list[Any]) -> Any:
    """``container[key]`` resolved; its reference noted when it is an indirect object."""
    from pyhanko.pdf_utils import generic

    value = container.raw_get(key)
    if isinstance(value, generic.IndirectObject):
        refs.append(value.reference)
        return value.get_object()
    return value


def name_tree_leaves(root: Any, refs: list[Any]) -> list[tuple[str, Any, list[Any]]]:
    """(name, value, references on the way from the tree's root) for each leaf of a PDF name
    tree. Every node is visited at most once (a /Kids entry pointing back up the tree, or to
    itself, is skipped), the walk stops at PDF_NAME_TREE_MAX_DEPTH levels and
    PDF_NAME_TREE_MAX_NODES nodes, and at most PDF_MAX_EMBEDDED_FILES leaves are returned, so a
    hostile tree costs bounded time and memory. Iterative: no recursion limit to hit."""
    out: list[tuple[str, Any, list[Any]]] = []
    seen: set[Any] = set()
    stack: list[tuple[Any, list[Any], int]] = [(root, list(refs), 0)]
    nodes = 0
    while stack and nodes < PDF_NAME_TREE_MAX_NODES and len(out) < PDF_MAX_EMBEDDED_FILES:
        node, path, depth = stack.pop()
        nodes += 1
        try:
            _visit(node, path, depth, seen, stack, out)
        except Exception:  # a damaged object (PdfReadError …): that node is skipped
            continue
    return out[:PDF_MAX_EMBEDDED_FILES]


def _visit(
    node: Any,
    path: list[Any],
    depth: int,
    seen: set[Any],
    stack: list[tuple[Any, list[Any], int]],
    out: list[tuple[str, Any, list[Any]]],
) -> None:
    from pyhanko.pdf_utils import generic

    if not isinstance(node, generic.DictionaryObject):
        return
    if "/Names" in node:
        leaf_path = list(path)
        items = _raw(node, "/Names", leaf_path)
        if isinstance(items, generic.ArrayObject):
            for i in range(0, min(len(items) - 1, 2 * PDF_MAX_EMBEDDED_FILES), 2):
                out.append((str(items[i]), items.raw_get(i + 1), leaf_path))
    if "/Kids" in node and depth < PDF_NAME_TREE_MAX_DEPTH:
        kids_path = list(path)
        kids = _raw(node, "/Kids", kids_path)
        if not isinstance(kids, generic.ArrayObject):
            return
        for k in reversed(range(min(len(kids), PDF_NAME_TREE_MAX_NODES))):
            kid = kids.raw_get(k)
            if not isinstance(kid, generic.IndirectObject):
                continue  # kids are indirect references by the standard
            if kid.reference in seen or kid.reference in path:
                continue
            seen.add(kid.reference)
            stack.append((kid.get_object(), [*kids_path, kid.reference], depth + 1))
