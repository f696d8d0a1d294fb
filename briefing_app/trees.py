"""Walking the small trees of the knowledge base (regions, sectors).

Kept apart from the store and the assembly so both walk a parent -> children
map the same way.
"""

from __future__ import annotations

from collections.abc import Mapping, Set


def descendants(children: Mapping[str, Set[str]], root: str) -> set[str]:
    """``root`` and everything below it; a cycle in the data cannot hang the walk."""
    seen = {root}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen
