"""Optional columns of ``table()`` (see :meth:`Helpers.table`): a column of
values that only some rows have (a local-script name) is kept when at least
half of the rows have one, moved in brackets beside the first column's text
when fewer do, and left out when none does."""

from __future__ import annotations


def optional_columns(
    pairs: list[tuple[str, str]],
    body: list[tuple[str, ...]],
    widths: tuple[float, ...],
    hidden: dict[str, int],
    total: int,
) -> tuple[list[tuple[str, str]], list[tuple[str, ...]], tuple[float, ...]]:
    """``table()``'s optional columns (``hidden``: key -> values in the rows
    not shown) kept, moved beside the first column, or left out."""
    keep, beside = [], []
    for n, (_head, key) in enumerate(pairs):
        if key not in hidden or n == 0:
            keep.append(n)
            continue
        count = hidden[key] + sum(1 for row in body if row[n])
        if count * 2 >= total:
            keep.append(n)
        elif count:
            beside.append(n)
    if len(keep) == len(pairs):
        return pairs, body, widths
    rows = []
    for row in body:
        first = row[0]
        for n in beside:
            if row[n] and row[n] not in first:
                first = f"{first} ({row[n]})" if first else row[n]
        rows.append((first, *(row[n] for n in keep[1:])))
    kept_widths = tuple(widths[n] for n in keep) if widths else ()
    return [pairs[n] for n in keep], rows, kept_widths
