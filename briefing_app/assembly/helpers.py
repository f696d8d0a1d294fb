"""The helpers and filters of docs/templates.md.

``cite``, ``fact``, ``table`` and ``chart`` register model objects with the
build's :class:`Placeholders` and print a marker in their place; the filters
format numbers and names. Values printed with ``{{ }}`` are made literal for
Markdown (``finalize``), so a record's ``*`` or ``|`` cannot break the page;
a template writes Markdown syntax in its own text, around the values.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from markupsafe import Markup

from briefing_app.assembly.amounts import amount
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.assembly.placeholders import Citation, Placeholders
from briefing_app.document import ChartSpec, Figure, Series, Table, Text
from briefing_app.errors import NotFoundError

CHART_KINDS = ("bar", "barh", "line", "pie")
MAP_KINDS = ("clusters", "city-clusters")
MAX_TABLE_ROWS = 5_000
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_NO_SPACE_UNITS = ("%", "‰", "°")


class HelperError(ValueError):
    """A helper was called wrongly; the sandbox reports it with the line."""


def markdown_literal(value: Any) -> Any:
    """``finalize`` of the environment: escape Markdown in printed values."""
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, str):
        return _MARKDOWN_SPECIAL.sub(r"\\\1", value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class Helpers:
    """Bound to one build: its knowledge base and its placeholder registry."""

    def __init__(
        self, kb: KnowledgeBase, placeholders: Placeholders, preview_rows: int | None = None
    ) -> None:
        self.kb = kb
        self.placeholders = placeholders
        # A preview's tables keep this many rows and count the rest.
        self.preview_rows = preview_rows

    def globals(self) -> dict[str, Any]:
        return {
            "cite": self.cite,
            "fact": self.fact,
            "figure": self.figure,
            "table": self.table,
            "chart": self.chart,
            "map_figure": self.map_figure,
        }

    @staticmethod
    def filters() -> dict[str, Any]:
        return {
            "number": number,
            "percent": percent,
            "join_names": join_names,
            "plural": plural,
            "year": year,
            "money": money,
            "amount": amount_filter,
        }

    # -- helpers ---------------------------------------------------------------

    def cite(self, source_slug: Any) -> Markup:
        """A footnote citing ``source_slug``, placed where it is printed."""
        source = self._source(source_slug)
        self.kb._note_citation(source)
        return Markup(self.placeholders.add(Citation(reference_runs(source), source.slug)))

    def fact(self, indicator_slug: str, decimals: int | None = None) -> Markup:
        """An indicator's value and unit, with a footnote citing its source."""
        indicator = self.kb.indicator(indicator_slug)
        if indicator is None:
            raise HelperError(f"fact(): no indicator {indicator_slug!r} in the knowledge base")
        text = amount(indicator.value, indicator.unit, decimals)
        note = self.cite(indicator.source) if indicator.source else ""
        return Markup(markdown_literal(text) + str(note))

    def figure(self, item: Any, cite: Any = True, since: Any = True) -> Markup:
        """One figure as a list line: "Name (2021): CNY 279 billion (2012: CNY
        103 billion)". ``item`` is an indicator or an indicator group (its
        latest figure, and with ``since`` its earliest in brackets). With
        ``cite`` the source's footnote follows the figure, or the name when
        the figure ends in a digit (a mark after a digit reads as a power)."""
        points = getattr(item, "points", None)
        latest = item.latest if points else item
        text = f"{latest.name} ({latest.year})"
        value = amount(latest.value, latest.unit)
        if points and since and len(points) > 1 and points[0].year != latest.year:
            first = points[0]
            same_ranking = first.unit == latest.unit and latest.unit.startswith("rank")
            earlier = amount(first.value, "rank" if same_ranking else first.unit)
            value += f" ({first.year}: {earlier})"
        note = str(self.cite(latest.source)) if cite and latest.source else ""
        name_part, year_part = markdown_literal(latest.name), f" ({latest.year})"
        if note and value[-1:].isdigit():
            return Markup(f"{name_part}{note}{year_part}: {markdown_literal(value)}")
        return Markup(f"{markdown_literal(text)}: {markdown_literal(value)}{note}")

    def table(
        self,
        rows: Iterable[Any],
        columns: Iterable[Any],
        caption: str,
        source: str | None = None,
        widths: Iterable[float] | None = None,
        landscape: bool = False,
    ) -> Markup:
        """A numbered table of records or dicts; put it alone on its line."""
        pairs = _columns(columns)
        header = tuple(head for head, _key in pairs)
        body = []
        kept = self.preview_rows
        omitted = 0
        for n, row in enumerate(rows):
            if n >= MAX_TABLE_ROWS:
                raise HelperError(f"table(): at most {MAX_TABLE_ROWS:,} rows")
            if kept is not None and n >= kept:
                omitted += 1  # counted, not written: the preview shows how many
                continue
            body.append(tuple(cell_text(_value(row, key)) for _head, key in pairs))
        column_widths = tuple(float(w) for w in widths) if widths else ()
        if column_widths and (len(column_widths) != len(pairs) or min(column_widths) <= 0):
            raise HelperError("table(): widths needs one positive number per column")
        block = Table(
            (header,),
            tuple(body),
            caption=str(caption),
            column_widths=column_widths,
            source=self._source_line(source),
            landscape=bool(landscape),
            omitted_rows=omitted,
        )
        return Markup(self._block(block))

    def chart(
        self,
        kind: str,
        categories: Iterable[Any],
        series: Mapping[str, Iterable[Any]],
        caption: str,
        source: str | None = None,
        title: str = "",
        unit: str = "",
    ) -> Markup:
        """A numbered figure drawn from data; put it alone on its line."""
        if kind not in CHART_KINDS:
            raise HelperError(
                f"chart(): kind must be one of {', '.join(CHART_KINDS)}, not {kind!r}"
            )
        labels = tuple(str(c) for c in categories)
        if not isinstance(series, Mapping) or not series:
            raise HelperError("chart(): series must be a mapping of name -> list of numbers")
        data = []
        for name, values in series.items():
            numbers = tuple(_float(v) for v in values)
            if len(numbers) != len(labels):
                raise HelperError(
                    f"chart(): series {name!r} has {len(numbers)} values "
                    f"for {len(labels)} categories"
                )
            data.append(Series(str(name), numbers))
        spec = ChartSpec(
            kind=kind, categories=labels, series=tuple(data), title=str(title), unit=str(unit)
        )
        return Markup(
            self._block(Figure(caption=str(caption), chart=spec, source=self._source_line(source)))
        )

    def map_figure(
        self,
        kind: str = "clusters",
        caption: str | None = None,
        sectors: Iterable[Any] | None = None,
        region: Any = None,
        source: str | None = None,
        width: Any = 1.0,
    ) -> Markup:
        """A numbered map of the country drawn from its regions' positions;
        nothing at all when there is nothing to draw. See docs/templates.md."""
        fraction = _float(width)
        if not 0.3 <= fraction <= 1.0:
            raise HelperError("map_figure(): width is a share of the text width, 0.3 to 1")
        from briefing_app.assembly import maps

        if kind not in MAP_KINDS:
            raise HelperError(
                f"map_figure(): kind must be one of {', '.join(MAP_KINDS)}, not {kind!r}"
            )
        chosen = [s for s in (sectors or ()) if s]
        if kind == "clusters":
            data = maps.clusters_map(self.kb, chosen, region)
            if data is None or not any(p.value for p in data.spec.places):
                return Markup("")  # no position, or no cluster to show: no map
        else:
            data = maps.city_clusters_map(self.kb, region)
            if data is None:
                return Markup("")
        if caption is None:
            caption = _map_caption(kind, self.kb, chosen)
        # Sources: the data's (the three main ones), the positions', the outline's.
        parts = [(slug, "") for slug in ((source,) if source else data.data_sources[:3])]
        parts += [(slug, " (positions)") for slug in data.position_sources[:1]]
        runs: list = [Text("Sources: ")]
        for slug, what in parts:
            if slug:
                found = self._source(slug)
                label = found.publisher or found.author or found.title
                runs += [Text(label + what), Text(str(self.cite(found.slug))), Text("; ")]
        runs.append(Text("outline: Natural Earth."))
        figure = Figure(
            caption=str(caption), map=data.spec, source=tuple(runs), width_fraction=fraction
        )
        return Markup(self._block(figure))

    # -- internals -------------------------------------------------------------

    def _block(self, block: Table | Figure) -> str:
        # Blank lines around the marker make it a paragraph of its own.
        return f"\n\n{self.placeholders.add(block)}\n\n"

    def _source(self, slug: Any) -> Any:
        slug = getattr(slug, "slug", slug)
        source = self.kb.source(str(slug)) if slug else None
        if source is None:
            raise HelperError(f"no source {slug!r} in the knowledge base")
        return source

    def _source_line(self, slug: str | None) -> tuple:
        if not slug:
            return ()
        source = self._source(slug)
        label = source.publisher or source.author or source.title
        return (Text(f"Source: {label}"), Text(str(self.cite(source.slug))))


def _map_caption(kind: str, kb: KnowledgeBase, sectors: list) -> str:
    country = kb._country.name
    if kind == "city-clusters":
        kinds = {g.kind for g in kb.regions() if g.kind in ("city-cluster", "macro-region")}
        groups = "City clusters" if kinds == {"city-cluster"} else "Groups of regions"
        return f"{groups} of {country}"
    names = []
    for sector in sectors:
        record = sector if hasattr(sector, "name") else kb.sector(str(sector))
        names.append(record.name if record is not None else str(sector))
    of = f" in {join_names(names)}" if names else ""
    return f"Clusters{of} by area, {country}"


def reference_runs(source: Any) -> tuple:
    """A source as footnote text: author, title, publisher, date, link."""
    parts = [p for p in (source.author, source.title) if p]
    if source.publisher and source.publisher != source.author:
        parts.append(source.publisher)
    if source.published:
        parts.append(source.published)
    text = ", ".join(parts)
    if text and not text.endswith((".", "!", "?")):  # "ThoughtCo." takes no second stop
        text += "."
    runs: list = [Text(text)]
    if source.url:
        runs.append(Text(" "))
        runs.append(Text(source.url, link=source.url))
        if source.accessed:
            runs.append(Text(f" (accessed {source.accessed})"))
    return tuple(runs)


# -- filters -------------------------------------------------------------------


def number(value: Any, decimals: int | None = 0) -> str:
    """1234567 -> "1,234,567"; ``decimals=None`` keeps the decimals a value has."""
    x = _float(value)
    if decimals is None:
        shortest = f"{x:.6f}".rstrip("0").rstrip(".")
        decimals = len(shortest.split(".")[1]) if "." in shortest else 0
    return f"{x:,.{int(decimals)}f}"


def percent(value: Any, decimals: int = 1) -> str:
    """20.2 -> "20.2%" (the value is already in percent)."""
    return f"{_float(value):,.{int(decimals)}f}%"


def join_names(records: Iterable[Any], attr: str = "name", most: Any = None) -> str:
    """["A", "B", "C"] (or records' ``attr``) -> "A, B and C".

    ``most`` caps the names written out: ``join_names(clusters, most=2)`` of
    five clusters gives "A, B and 3 more" (one too many is simply named). A
    sentence that names every record reads badly past a handful, and a
    large knowledge base would put thousands of names in one paragraph.
    """
    items = records if isinstance(records, Sequence) else list(records)
    cap = len(items) if most is None else max(1, int(_float(most)))
    if len(items) == cap + 1:
        cap += 1  # "A, B and 1 more" says less than "A, B and C"
    names = [
        str(r[attr] if isinstance(r, Mapping) else (r if isinstance(r, str) else _public(r, attr)))
        for r in items[:cap]
    ]
    if len(items) > cap:
        return f"{', '.join(names)} and {len(items) - cap:,} more"
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def plural(count: Any, singular: str, plural_form: str | None = None) -> str:
    """The word that goes with ``count``."""
    return singular if _float(count) == 1 else (plural_form or singular + "s")


def year(value: Any) -> str:
    """A year from an int, a float or an ISO date string."""
    if isinstance(value, str):
        found = re.search(r"\d{4}", value)
        return found.group(0) if found else value
    return str(int(_float(value)))


def money(value: Any, currency: str = "EUR") -> str:
    """A sum given in millions: 170136 -> "EUR 170.1 billion"."""
    return amount(_float(value), f"{currency} million")


def amount_filter(value: Any, unit: Any = "", decimals: Any = None) -> str:
    """``{{ x|amount('EUR million') }}`` -> "EUR 170.1 billion" (amounts.amount)."""
    return amount(_float(value), str(unit or ""), None if decimals is None else int(decimals))


def with_unit(text: str, unit: str) -> str:
    if not unit:
        return text
    return f"{text}{unit}" if unit in _NO_SPACE_UNITS else f"{text} {unit}"


def cell_text(value: Any) -> str:
    """A record field as table cell text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number(value, None)
    if isinstance(value, (list, tuple)):
        return ", ".join(cell_text(v) for v in value)
    return str(value)


def _columns(columns: Iterable[Any]) -> list[tuple[str, str]]:
    pairs = []
    for column in columns:
        if isinstance(column, str):
            pairs.append((column.replace("_", " ").capitalize(), column))
        elif isinstance(column, (list, tuple)) and len(column) == 2:
            pairs.append((str(column[0]), str(column[1])))
        else:
            raise HelperError("table(): columns are [header, attribute] pairs")
    if not pairs:
        raise HelperError("table(): give at least one column")
    return pairs


def _value(row: Any, key: str) -> Any:
    """``row[key]`` for mappings, else a public attribute; dotted paths allowed."""
    value = row
    for part in key.split("."):
        if isinstance(value, Mapping):
            value = value.get(part)
        elif isinstance(value, (list, tuple)) and part.isdigit():
            value = value[int(part)] if int(part) < len(value) else None
        else:
            value = _public(value, part)
        if value is None:
            return None
    return value


def _public(obj: Any, attr: str) -> Any:
    if attr.startswith("_"):
        raise HelperError(f"attribute {attr!r} is private")
    value = getattr(obj, attr, None)
    if callable(value):
        raise HelperError(f"{attr!r} is not a field")
    return value


def _float(value: Any) -> float:
    if isinstance(value, bool):
        return float(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise HelperError(f"{value!r} is not a number") from None
    if math.isnan(x) or math.isinf(x):
        raise HelperError(f"{value!r} is not a finite number")
    return x


__all__ = ["Helpers", "HelperError", "markdown_literal", "NotFoundError"]
