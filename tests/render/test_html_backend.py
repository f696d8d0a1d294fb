"""The HTML preview page: complete, escaped, self-contained."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

from briefing_app.document import (
    BulletList,
    ChartSpec,
    CoverRow,
    Document,
    Figure,
    Footnote,
    FootnoteRef,
    Heading,
    LineBreak,
    ListItem,
    ListOfFigures,
    ListOfTables,
    Metadata,
    Paragraph,
    Series,
    Table,
    TableOfContents,
    Text,
)
from briefing_app.render.html_backend import render_html

HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def sample(**extra) -> Document:
    blocks = (
        TableOfContents(),
        ListOfTables(),
        ListOfFigures(),
        Heading(1, "Economy", "1", "economy"),
        Paragraph(
            (
                Text("Growth was "),
                Text("6.6%", bold=True),
                FootnoteRef(1),
                Text(" in "),
                Text("2018", italic=True),
                LineBreak(),
                Text("site", link="https://example.org"),
                Text(" bad", link="javascript:alert(1)"),
            )
        ),
        BulletList(
            (ListItem((Text("one"),), BulletList((ListItem((Text("inner"),)),))),), ordered=True
        ),
        Table(
            (("Name", "City"),),
            (("A & B", "广州"), ((Text("bold", bold=True),), HOSTILE)),
            caption="Clusters",
            number=1,
            column_widths=(2, 1),
            source=(Text("Source: X"), FootnoteRef(2)),
        ),
        Figure("Picture", number=1, image=b"\x89PNG\r\n\x1a\nfake", source=(Text("Source: Y"),)),
        Heading(2, HOSTILE, "1.1", "hostile"),
    )
    meta = Metadata(
        title="Briefing <on> China",
        subtitle="Focus",
        cover_rows=(CoverRow("Project acronym", "ECCP"),),
        abstract="About it.",
        disclaimer="Views are the authors'.",
    )
    return Document(
        meta, blocks, (Footnote(1, (Text("First note"),)), Footnote(2, (Text(HOSTILE),))), **extra
    )


def test_everything_is_escaped():
    page = render_html(sample())
    tags = parse(page)
    names = {tag for tag, _ in tags.tags}
    assert "script" not in names
    assert not any("onerror" in attrs for _tag, attrs in tags.tags)
    assert "&lt;script&gt;" in page
    assert "Briefing &lt;on&gt; China" in page
    text = "".join(tags.text)
    assert HOSTILE in text  # shown as text, whole


def test_structure_for_the_preview():
    page = render_html(sample())
    tags = parse(page)
    assert ("a", {"name": "economy"}) in tags.tags
    assert ("a", {"href": "#economy"}) in tags.tags  # contents links to the heading
    assert ("a", {"href": "https://example.org"}) in tags.tags
    assert not any(attrs.get("href", "").startswith("javascript") for _t, attrs in tags.tags)
    assert ("a", {"href": "#fn-1"}) in tags.tags and ("a", {"name": "fn-1"}) in tags.tags
    assert "<sup>" in page and "<ol>" in page and "<ul>" in page and "<br/>" in page
    assert "Table 1 - Clusters" in page and "Figure 1 - Picture" in page
    assert "1.1 " in page and "广州" in page
    assert re.search(r'<th width="67%">', page)
    assert page.count("Table 1 - Clusters") == 2  # list of tables and caption


def test_figure_images_are_embedded_as_data_uris():
    page = render_html(sample())
    [source] = [attrs["src"] for tag, attrs in parse(page).tags if tag == "img"]
    assert source.startswith("data:image/png;base64,")
    assert base64.b64decode(source.split(",", 1)[1]).startswith(b"\x89PNG")


def test_charts_are_drawn_to_png():
    chart = ChartSpec("bar", ("a", "b"), (Series("s", (1.0, 2.0)),))
    doc = Document(Metadata(title="T"), (Figure("Chart", number=1, chart=chart),))
    calls = []

    def fake_png(spec, **kw):
        calls.append((spec, kw))
        return b"\x89PNG\r\n\x1a\nchart"

    page = render_html(doc, chart_png=fake_png, chart_dpi=72)
    assert calls == [(chart, {"dpi": 72, "theme": calls[0][1]["theme"]})]
    assert "data:image/png;base64," in page


def test_a_chart_not_drawn_yet_is_a_box_of_its_size_with_its_title():
    chart = ChartSpec("bar", ("a", "b"), (Series("s", (1.0, 2.0)),), title="Clusters <by> area")
    doc = Document(
        Metadata(title="T"), (Figure("Chart", number=1, chart=chart, width_fraction=0.5),)
    )
    page = render_html(doc, chart_png=lambda spec, **kw: None)
    assert "<img" not in page
    box = re.search(r'<table align="center" width="(\d+)%" cellpadding="(\d+)"', page)
    assert box and box.group(1) == "50"  # half the text width, as the picture will be
    assert 60 <= int(box.group(2)) <= 90  # about half as tall as wide
    assert "Drawing the chart: Clusters &lt;by&gt; area…" in page
    assert "Figure 1" in page  # the caption is there already


def test_real_chart_renderer_gives_a_png():
    chart = ChartSpec("line", ("2019", "2020"), (Series("s", (1.0, 3.0)),))
    page = render_html(Document(Metadata(title="T"), (Figure("Chart", number=1, chart=chart),)))
    [source] = [attrs["src"] for tag, attrs in parse(page).tags if tag == "img"]
    assert base64.b64decode(source.split(",", 1)[1]).startswith(b"\x89PNG")


def test_built_briefing_renders(seeded_store):
    from briefing_app.assembly import Selection, build_document

    doc = build_document(seeded_store, Selection(sectors=("ict",)))
    page = render_html(doc, chart_png=lambda spec, **kw: b"\x89PNG\r\n\x1a\n")
    assert page.count("<h1>") >= 5
    assert f'name="fn-{len(doc.footnotes)}"' in page


def test_a_long_table_can_be_cut_short_with_the_rest_counted():
    rows = tuple((f"cluster-{n}", f"Cluster {n}") for n in range(1_000))
    document = Document(
        Metadata(title="Long"),
        (Table(header_rows=(("Slug", "Name"),), rows=rows, caption="Many", number=1),),
    )
    whole = render_html(document)
    assert whole.count("<tr") == 1_001
    cut = render_html(document, max_table_rows=300)
    assert cut.count("<tr") == 1 + 300 + 1
    assert "Cluster 299<" in cut and "Cluster 300<" not in cut
    assert "… and 700 more rows, left out of the preview" in cut
    assert render_html(document, max_table_rows=1_000) == whole
