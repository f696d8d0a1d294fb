"""The neutral document model: what a briefing says, not how it looks.

Assembly builds a :class:`Document`; the Word, PDF and HTML renderers each turn
the same object into their format. Numbers that must agree across formats
(heading numbers, table and figure numbers, footnote numbers) are decided here,
once, by assembly, so that no renderer has to count.

Everything is an immutable value: a renderer may walk a document from several
threads, and a test can compare two documents with ``==``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

# --- inline content -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Text:
    """A run of text with its emphasis; ``link`` makes it a hyperlink."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


@dataclass(frozen=True, slots=True)
class FootnoteRef:
    """A superscript reference to ``Document.footnotes`` entry ``number``."""

    number: int


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph or cell."""


Inline = Text | FootnoteRef | LineBreak
Runs = tuple[Inline, ...]
# A table cell is either plain text (fast path for big data tables) or runs.
Cell = str | Runs


# --- blocks ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading. ``number`` is the printed number ("2.3.1", "A.1") or None.

    ``level`` is 1 for chapters. ``anchor`` is a stable id used for internal
    links, bookmarks and the contents.
    """

    level: int
    text: str
    number: str | None = None
    anchor: str = ""

    @property
    def label(self) -> str:
        """The heading as printed: number and text."""
        return f"{self.number} {self.text}" if self.number else self.text


ParagraphStyle = Literal["body", "abstract", "disclaimer", "quote", "note", "source"]


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: Runs
    style: ParagraphStyle = "body"

    @property
    def plain(self) -> str:
        return plain_text(self.runs)


@dataclass(frozen=True, slots=True)
class ListItem:
    runs: Runs
    children: BulletList | None = None


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[ListItem, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table with ``header_rows`` repeated on every page it spans.

    ``column_widths`` are relative weights (any positive numbers), or empty for
    equal columns. ``number`` is the caption number ("Table 3 - ...").
    """

    header_rows: tuple[tuple[Cell, ...], ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""
    number: int | None = None
    column_widths: tuple[float, ...] = ()
    source: Runs = ()  # printed under the table, e.g. "Source: ..." with a footnote
    landscape: bool = False
    # Rows a preview build counted but left out (see build_document's
    # ``preview_rows``); documents built for export never leave any out.
    omitted_rows: int = 0

    @property
    def column_count(self) -> int:
        rows = self.header_rows or self.rows
        return len(rows[0]) if rows else 0

    @property
    def caption_label(self) -> str:
        return caption_label("Table", self.number, self.caption)


ChartKind = Literal["bar", "barh", "line", "pie"]


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: tuple[float, ...]


@dataclass(frozen=True, slots=True)
class ChartSpec:
    """Data for a chart; ``render/charts.py`` draws it for every format."""

    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    title: str = ""
    x_label: str = ""
    y_label: str = ""
    unit: str = ""
    # The values count whole things (clusters, projects): the value axis is
    # marked in whole numbers only, never 0.5 of a cluster.
    whole: bool = False


MapKind = Literal["clusters", "city-clusters"]


@dataclass(frozen=True, slots=True)
class MapPlace:
    """A region at its label point (WGS84 degrees).

    ``value`` is what a circle's area shows (clusters map); ``groups`` are
    indexes into :attr:`MapSpec.groups` (city-clusters map).
    """

    name: str
    latitude: float
    longitude: float
    local_name: str = ""
    value: float = 0.0
    highlighted: bool = False
    groups: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MapGroup:
    """A group of places (a city cluster) drawn in one colour and named."""

    name: str
    local_name: str = ""
    highlighted: bool = False


@dataclass(frozen=True, slots=True)
class MapSpec:
    """Data for a map of one country; ``render/maps*.py`` draws it.

    ``country`` is the ISO code whose outline is drawn (none is drawn for a
    code the outlines file lacks). ``marker`` is the selected place itself
    when it is not one of ``places`` (a city inside a highlighted province).
    """

    kind: MapKind
    country: str
    places: tuple[MapPlace, ...]
    groups: tuple[MapGroup, ...] = ()
    value_label: str = ""  # legend title of the circle sizes: "Clusters"
    marker: MapPlace | None = None
    title: str = ""

    def texts(self) -> list[str]:
        """Every text the map may print (for glyph checks)."""
        found = [self.title, self.value_label]
        for place in (*self.places, *((self.marker,) if self.marker else ())):
            found += [place.name, place.local_name]
        for group in self.groups:
            found += [group.name, group.local_name]
        return [t for t in found if t]


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture: encoded image bytes (PNG/JPEG), a chart or a map to draw."""

    caption: str
    number: int | None = None
    image: bytes | None = None
    chart: ChartSpec | None = None
    width_fraction: float = 1.0  # of the text width
    source: Runs = ()
    map: MapSpec | None = None

    @property
    def caption_label(self) -> str:
        return caption_label("Figure", self.number, self.caption)


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


@dataclass(frozen=True, slots=True)
class TableOfContents:
    title: str = "Contents"
    max_level: int = 3


@dataclass(frozen=True, slots=True)
class ListOfTables:
    title: str = "Tables"


@dataclass(frozen=True, slots=True)
class ListOfFigures:
    title: str = "Figures"


Block = (
    Heading
    | Paragraph
    | BulletList
    | Table
    | Figure
    | PageBreak
    | TableOfContents
    | ListOfTables
    | ListOfFigures
)


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int
    runs: Runs


# --- the document ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CoverRow:
    """One line of the cover's metadata table ("Project acronym" | "ECCP")."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Metadata:
    """Cover page and document properties."""

    title: str
    subtitle: str = ""
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"
    cover_rows: tuple[CoverRow, ...] = ()
    abstract: str = ""
    disclaimer: str = ""
    copyright: str = ""
    page_size: Literal["A4", "Letter"] = "A4"
    header_text: str = ""  # running header; defaults to the title
    version: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    metadata: Metadata
    blocks: tuple[Block, ...]
    footnotes: tuple[Footnote, ...] = field(default=())

    def headings(self) -> list[Heading]:
        return [b for b in self.blocks if isinstance(b, Heading)]

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def figures(self) -> list[Figure]:
        return [b for b in self.blocks if isinstance(b, Figure)]

    def footnote(self, number: int) -> Footnote:
        return self.footnotes[number - 1]


# --- helpers shared by every renderer -------------------------------------


def caption_label(kind: str, number: int | None, caption: str) -> str:
    """ECCP caption style: "Table 3 - List of clusters"."""
    if number is None:
        return caption
    return f"{kind} {number} - {caption}" if caption else f"{kind} {number}"


def plain_text(runs: Runs | str) -> str:
    """The text of runs without formatting (footnote refs dropped)."""
    if isinstance(runs, str):
        return runs
    parts: list[str] = []
    for run in runs:
        if isinstance(run, Text):
            parts.append(run.text)
        elif isinstance(run, LineBreak):
            parts.append("\n")
    return "".join(parts)


def cell_runs(cell: Cell) -> Runs:
    """A cell as runs, whichever form it was given in."""
    return (Text(cell),) if isinstance(cell, str) else cell


def document_text(document: Document) -> str:
    """All visible text, one block per line: handy for tests and search."""
    lines: list[str] = []
    for block in document.blocks:
        if isinstance(block, Heading):
            lines.append(block.label)
        elif isinstance(block, Paragraph):
            lines.append(block.plain)
        elif isinstance(block, BulletList):
            lines.extend(_list_text(block))
        elif isinstance(block, Table):
            lines.append(block.caption_label)
            for row in block.header_rows + block.rows:
                lines.append(" | ".join(plain_text(c) for c in row))
        elif isinstance(block, Figure):
            lines.append(block.caption_label)
    for note in document.footnotes:
        lines.append(f"[{note.number}] {plain_text(note.runs)}")
    return "\n".join(lines)


def _list_text(bullets: BulletList) -> list[str]:
    out: list[str] = []
    for item in bullets.items:
        out.append(plain_text(item.runs))
        if item.children:
            out.extend(_list_text(item.children))
    return out
