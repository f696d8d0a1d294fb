"""The helpers and filters of docs/templates.md.

``cite``, ``fact``, ``table`` and ``chart`` register model objects with the
build's :class:`Placeholders` and print a marker in their place; the filters
format numbers and names. Values printed with ``{{ }}`` are made literal for
Markdown (``finalize``), so a record's ``*`` or ``|`` cannot break the page;
a template writes Markdown syntax in its own text, around the values.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any

from markupsafe import Markup

from briefing_app.assembly.amounts import amount, bracketed, is_count_unit
from briefing_app.assembly.budget import BuildBudget, BuildLimits
from briefing_app.assembly.fields import field_path, record_slug
from briefing_app.assembly.knowledge import KnowledgeBase
from briefing_app.assembly.placeholders import Citation, Placeholders, neutral
from briefing_app.assembly.safe_filters import text_size
from briefing_app.assembly.table_columns import optional_columns
from briefing_app.assembly.text_filters import (
    HelperError,
    _bounded,
    _float,
    _label,
    amount_filter,
    counted,
    join_names,
    leading,
    money,
    number,
    percent,
    plural,
    words,
    year,
)
from briefing_app.document import ChartSpec, Figure, Series, Table, Text
from briefing_app.errors import NotFoundError

CHART_KINDS = ("bar", "barh", "line", "pie")
MAP_KINDS = ("clusters", "city-clusters")
MAX_TABLE_ROWS = BuildLimits.table_rows
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def markdown_literal(value: Any) -> Any:
    """``finalize`` of the environment: escape Markdown in printed values."""
    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, str):
        return _MARKDOWN_SPECIAL.sub(r"\\\1", neutral(value))
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class Helpers:
    """Bound to one build: its knowledge base and its placeholder registry."""

    def __init__(
        self,
        kb: KnowledgeBase,
        placeholders: Placeholders,
        preview_rows: int | None = None,
        budget: BuildBudget | None = None,
    ) -> None:
        self.kb = kb
        self.placeholders = placeholders
        self.budget = budget or BuildBudget()
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
            "bracketed": bracketed,
            "words": words,
            "counted": counted,
            "leading": leading,
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
        text = bracketed(latest.name, latest.year)
        value = amount(latest.value, latest.unit)
        if points and since and len(points) > 1 and points[0].year != latest.year:
            first = points[0]
            same_ranking = first.unit == latest.unit and latest.unit.startswith("rank")
            earlier = amount(first.value, "rank" if same_ranking else first.unit)
            value += f" ({first.year}: {earlier})"
        note = str(self.cite(latest.source)) if cite and latest.source else ""
        if note and value[-1:].isdigit():
            # The mark goes after the name's last word, before its brackets.
            head, sep, tail = text.rpartition(" (")
            if not sep:
                head, tail = text, ""
            name_part, year_part = markdown_literal(head), markdown_literal(sep + tail)
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
        optional: Iterable[Any] = (),
        most: Any = None,
    ) -> Markup:
        """A numbered table of records or dicts; put it alone on its line.

        ``most`` keeps the first ``most`` rows (put the leading ones first)
        and says under the table how many there are in all ("This table
        lists 25 of the 16,192."): a briefing read on paper needs the
        leading rows, not a list that grows with the knowledge base, and a
        table longer than the build's limit is refused.

        A column whose attribute is listed in ``optional`` (a local name that
        only some records have) is left out, with its width, when no row has
        a value in it; when fewer than half of the rows have one, its values
        go in brackets after the first column's text instead ("Renewable
        Energy Law (可再生能源法)"): a column that stands mostly empty helps
        no reader.
        Every input is bounded before any work (budget.py): columns, rows,
        the text of each cell and of the whole table."""
        budget, limits = self.budget, self.budget.limits
        budget.check_time()
        pairs = _columns(columns, limits.table_columns)
        budget.at_most(len(pairs), "table_columns", "table(): columns")
        optional = (optional,) if isinstance(optional, str) else optional
        maybe = {str(key) for key in _bounded(optional, limits.table_columns + 1)}
        filled: dict[str, int] = dict.fromkeys(maybe, 0)  # values in rows not shown
        body = []
        kept = self.preview_rows
        omitted = 0
        total = 0
        shown = None if most is None else _count(most, "table(): most")
        listed = 0  # every row, those past ``most`` too
        for n, row in enumerate(rows):
            listed = n + 1
            if shown is not None and n >= shown:
                if n % 4096 == 0:
                    budget.check_time()
                continue  # only counted, for the line under the table
            budget.at_most(n + 1, "table_rows", "table(): rows (most=N shows the first N)")
            if kept is not None and n >= kept:
                omitted += 1  # counted, not written: the preview shows how many
                # An optional column stays if a row not shown has a value in it,
                # as it does in the full build.
                for k in maybe:
                    filled[k] += bool(cell_text(field_path(row, k)))
                continue
            cells = []
            for _head, key in pairs:
                cell = cell_text(field_path(row, key), limits.cell_chars)
                budget.at_most(len(cell), "cell_chars", f"table(): characters in a {key!r} cell")
                total += len(cell)
                cells.append(cell)
            budget.at_most(total, "table_chars", "table(): characters in the table")
            if n % 64 == 0:
                budget.check_time()
            body.append(tuple(cells))
        column_widths = tuple(_float(w) for w in _bounded(widths or (), len(pairs) + 1))
        if column_widths and (len(column_widths) != len(pairs) or min(column_widths) <= 0):
            raise HelperError("table(): widths needs one positive number per column")
        if maybe:
            pairs, body, column_widths = optional_columns(
                pairs, body, column_widths, filled, len(body) + omitted
            )
        header = tuple(_label(head, limits.caption_chars, "a column header") for head, _ in pairs)
        block = Table(
            (header,),
            tuple(body),
            caption=_label(caption, limits.caption_chars, "table(): the caption"),
            column_widths=column_widths,
            source=self._source_line(source),
            landscape=bool(landscape),
            omitted_rows=omitted,
        )
        if shown is None or listed <= shown:
            return Markup(self._block(block))
        return Markup(
            f"{self._block(block)}This table lists {words(shown)} of the {words(listed)}.\n\n"
        )

    def chart(
        self,
        kind: str,
        categories: Iterable[Any],
        series: Mapping[str, Iterable[Any]],
        caption: str,
        source: str | None = None,
        title: str = "",
        unit: str = "",
        counts: Any = None,
    ) -> Markup:
        """A numbered figure drawn from data; put it alone on its line.

        ``counts=True`` says the values count whole things: the value axis
        then shows whole numbers only. Left out, it is true when every value
        is a whole number and the unit is a count noun ("clusters").
        Categories, series and labels are bounded before drawing (budget.py)."""
        budget, limits = self.budget, self.budget.limits
        budget.check_time()
        if kind not in CHART_KINDS:
            raise HelperError(
                f"chart(): kind must be one of {', '.join(CHART_KINDS)}, not {kind!r}"
            )
        most = limits.chart_categories
        labels = tuple(
            _label(c, limits.label_chars, "chart(): a category")
            for c in _bounded(categories, most + 1)
        )
        budget.at_most(len(labels), "chart_categories", "chart(): categories")
        if not isinstance(series, dict) or not series:
            raise HelperError("chart(): series must be a mapping of name -> list of numbers")
        budget.at_most(len(series), "chart_series", "chart(): series")
        budget.at_most(len(series) * len(labels), "chart_points", "chart(): values")
        data = []
        for name, values in series.items():
            numbers = tuple(_float(v) for v in _bounded(values, len(labels) + 1))
            if len(numbers) != len(labels):
                raise HelperError(
                    f"chart(): series {name!r} has {len(numbers)} values "
                    f"for {len(labels)} categories"
                )
            data.append(Series(_label(name, limits.label_chars, "chart(): a series name"), numbers))
        unit = _label(unit, limits.label_chars, "chart(): the unit")
        whole = all(v.is_integer() for s in data for v in s.values)
        if counts is None:
            counts = whole and is_count_unit(unit)
        elif counts and not whole:
            raise HelperError("chart(): counts=True needs whole numbers as values")
        spec = ChartSpec(
            kind=kind,
            categories=labels,
            series=tuple(data),
            title=_label(title, limits.label_chars, "chart(): the title"),
            unit=unit,
            whole=bool(counts),
        )
        figure = Figure(
            caption=_label(caption, limits.caption_chars, "chart(): the caption"),
            chart=spec,
            source=self._source_line(source),
        )
        return Markup(self._block(figure))

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
        figure = Figure(
            caption=neutral(str(caption)),
            map=_neutral_map(data.spec),
            source=self._map_sources(data, source),
            width_fraction=fraction,
        )
        return Markup(self._block(figure))

    # -- internals -------------------------------------------------------------

    def _map_sources(self, data: Any, source: str | None) -> tuple:
        """The map's source line, crediting only what it shows: the data's
        sources (the three main ones), the positions' and, when one is
        drawn, the outline's."""
        slugs = [(slug, "") for slug in ((source,) if source else data.data_sources[:3]) if slug]
        slugs += [(slug, " (positions)") for slug in data.position_sources[:1] if slug]
        parts: list[list] = []
        for slug, what in slugs:
            found = self._source(slug)
            label = neutral(found.publisher or found.author or found.title)
            parts.append([Text(label + what), Text(str(self.cite(found.slug)))])
        if data.outline:
            parts.append([Text("outline: Natural Earth")])
        if not parts:
            return ()
        runs: list = [Text("Sources: " if len(parts) > 1 else "Source: ")]
        for index, part in enumerate(parts):
            runs += [*part, Text("; " if index < len(parts) - 1 else ".")]
        return tuple(runs)

    def _block(self, block: Table | Figure) -> str:
        # Blank lines around the marker make it a paragraph of its own.
        return f"\n\n{self.placeholders.add(block)}\n\n"

    def _source(self, slug: Any) -> Any:
        slug = record_slug(slug)
        source = self.kb.source(str(slug)) if slug else None
        if source is None:
            raise HelperError(f"no source {slug!r} in the knowledge base")
        return source

    def _source_line(self, slug: str | None) -> tuple:
        if not slug:
            return ()
        source = self._source(slug)
        label = neutral(source.publisher or source.author or source.title)
        return (Text(f"Source: {label}"), Text(str(self.cite(source.slug))))


def _map_caption(kind: str, kb: KnowledgeBase, sectors: list) -> str:
    country = kb._country.name
    if kind == "city-clusters":
        grouping = kb.kind_codes("regions", "group")
        kinds = {g.kind for g in kb.regions() if g.kind in grouping}
        groups = (
            kb.kind_label("regions", kinds.pop(), 2, start=True)
            if len(kinds) == 1
            else "Groups of regions"
        )
        return f"{groups} of {country}"
    names = []
    for sector in sectors:
        record = sector if hasattr(sector, "name") else kb.sector(str(sector))
        names.append(record.name if record is not None else str(sector))
    of = f" in {join_names(names)}" if names else ""
    return f"Clusters{of} by area, {country}"


def reference_runs(source: Any) -> tuple:
    """A source as footnote text: author, title, publisher, date, link."""
    parts = [neutral(p) for p in (source.author, source.title) if p]
    if source.publisher and source.publisher != source.author:
        parts.append(neutral(source.publisher))
    if source.published:
        parts.append(neutral(source.published))
    text = ", ".join(parts)
    if text and not text.endswith((".", "!", "?")):  # "ThoughtCo." takes no second stop
        text += "."
    runs: list = [Text(text)]
    if source.url:
        url = neutral(source.url)
        runs.append(Text(" "))
        # Whether it becomes a live link is the renderers' call (render/links.py).
        runs.append(Text(url, link=url))
        if source.accessed:
            runs.append(Text(f" (accessed {neutral(source.accessed)})"))
    return tuple(runs)


def _neutral_map(spec: Any) -> Any:
    """A map whose names (record text) can never be read as markers."""

    def named(item: Any) -> Any:
        if item is None:
            return None
        return dataclasses.replace(
            item, name=neutral(item.name), local_name=neutral(item.local_name)
        )

    return dataclasses.replace(
        spec,
        places=tuple(named(p) for p in spec.places),
        groups=tuple(named(g) for g in spec.groups),
        marker=named(spec.marker),
        title=neutral(spec.title),
        value_label=neutral(spec.value_label),
    )


# -- filters -------------------------------------------------------------------


def cell_text(value: Any, most: int = BuildLimits.cell_chars) -> str:
    """A record field as table cell text (refused when over ``most`` characters,
    measured before the text is built)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return number(value, None)
    if isinstance(value, (list, tuple)):
        parts: list[str] = []
        size = 0
        for item in value:
            parts.append(cell_text(item, most))
            size += len(parts[-1]) + 2
            if size > most + 2:
                raise HelperError(f"table(): a cell's text is over {most:,} characters")
        return ", ".join(parts)
    if not isinstance(value, str) and text_size(value, most + 1) > most:
        raise HelperError(f"table(): a cell's text is over {most:,} characters")  # before str()
    text = neutral(str(value))
    if len(text) > most:
        raise HelperError(f"table(): a cell's text is over {most:,} characters")
    return text


def _count(value: Any, what: str) -> int:
    """A whole number of at least one, given to a helper."""
    try:
        x = _float(value)
    except HelperError:
        x = 0.0
    if not x.is_integer() or x < 1:
        raise HelperError(f"{what} must be a whole number of at least 1, not {value!r}")
    return int(x)


def _columns(columns: Iterable[Any], most: int) -> list[tuple[str, str]]:
    pairs = []
    for column in _bounded(columns, most + 1):
        if isinstance(column, str):
            pairs.append((column.replace("_", " ").capitalize(), column))
        elif isinstance(column, (list, tuple)) and len(column) == 2:
            pairs.append((str(column[0]), str(column[1])))
        else:
            raise HelperError("table(): columns are [header, attribute] pairs")
    if not pairs:
        raise HelperError("table(): give at least one column")
    return pairs


__all__ = ["Helpers", "HelperError", "markdown_literal", "NotFoundError"]
