"""The Word renderer end to end: render a hand-built briefing, reopen the
.docx with python-docx and look at what Word would see."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

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
    PageBreak,
    Paragraph,
    Series,
    Table,
    TableOfContents,
    Text,
)
from briefing_app.errors import RenderError
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.theme import load_theme

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CHINESE = "杭州蕭山"


def png_bytes(width=120, height=60) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (31, 56, 100)).save(buffer, "PNG")
    return buffer.getvalue()


def cluster_rows(count: int) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (f"Cluster {i}", CHINESE if i % 4 == 0 else "Shenzhen", str(i * 3)) for i in range(count)
    )


def briefing(page_size="A4", rows=1000) -> Document:
    metadata = Metadata(
        title="Preparatory Briefing on China",
        subtitle="Pearl River Delta: automotive",
        author="Desk Officer",
        subject="Cluster cooperation",
        keywords=("China", "clusters"),
        language="en-US",
        cover_rows=(
            CoverRow("Project acronym", "ECCP"),
            CoverRow("Document version", "V3"),
        ),
        abstract="What a European cluster needs to know before a visit.",
        disclaimer="Views are the authors' own.",
        copyright="© 2026 Example Office",
        page_size=page_size,
        header_text="Briefing on China",
        version="V3",
    )
    blocks = (
        TableOfContents(),
        ListOfFigures(),
        ListOfTables(),
        PageBreak(),
        Heading(1, "Objective of the report", "1", "objective"),
        Paragraph(
            (
                Text("Clusters in "),
                Text(CHINESE, bold=True),
                Text(" grow fast"),
                FootnoteRef(1),
                Text(". See "),
                Text("the platform", link="https://www.clustercollaboration.eu"),
                Text(" and "),
                Text("the economy", link="#economy"),
                Text(", or run "),
                Text("briefing build", code=True),
                LineBreak(),
                Text("Second line", italic=True),
            )
        ),
        Heading(1, "China economy", "2", "economy"),
        Heading(2, "Overview", "2.1", "overview"),
        Paragraph(
            (Text("GDP grew 6.6% in 2018"), FootnoteRef(2), Text(" as said"), FootnoteRef(1))
        ),
        BulletList(
            (
                ListItem((Text("Automotive"),)),
                ListItem(
                    (Text("Human health"),),
                    BulletList(
                        (ListItem((Text("Biopharma"),)), ListItem((Text("TCM"),))), ordered=True
                    ),
                ),
            )
        ),
        BulletList(
            (ListItem((Text("First step"),)), ListItem((Text("Second step"),))), ordered=True
        ),
        Table(
            header_rows=(("Cluster", "City", "Firms"),),
            rows=cluster_rows(rows),
            caption="Top clusters",
            number=1,
            column_widths=(3, 2, 1),
            source=(Text("Source: ECCP 2019"), FootnoteRef(3)),
        ),
        Figure(caption="A picture", number=1, image=png_bytes(), source=(Text("Source: drawn"),)),
        Heading(1, "Annex", "A", "annex"),
        Table(
            header_rows=(("A", "B"),),
            rows=(("1", "2"),),
            caption="Wide annex table",
            number=2,
            landscape=True,
        ),
        Paragraph((Text("After the annex table."),), style="note"),
    )
    footnotes = (
        Footnote(
            1, (Text("National Bureau of Statistics, "), Text("site", link="https://stats.gov.cn"))
        ),
        Footnote(2, (Text("World Bank 2019."),)),
        Footnote(3, (Text("ECCP D3.2, 2019."),)),
    )
    return Document(metadata=metadata, blocks=blocks, footnotes=footnotes)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "briefing.docx"
    render_docx(briefing(), path)
    return path


@pytest.fixture(scope="module")
def word(rendered):
    return docx.Document(str(rendered))


def body_paragraphs(word):
    return list(word.element.body.iter(f"{W}p"))


def instructions(element) -> list[str]:
    return [t.text.strip() for t in element.iter(f"{W}instrText")]


def test_headings_carry_their_number_style_and_bookmark(word):
    headings = [
        (p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings == [
        ("Heading 1", "1 Objective of the report"),
        ("Heading 1", "2 China economy"),
        ("Heading 2", "2.1 Overview"),
        ("Heading 1", "A Annex"),
    ]
    economy = next(
        p for p in word.paragraphs if p.text == "2 China economy" and p.style.name == "Heading 1"
    )
    names = [b.get(qn("w:name")) for b in economy._p.iter(f"{W}bookmarkStart")]
    assert names == ["economy"]


def test_links_are_real_hyperlinks(word):
    links = list(word.element.body.iter(f"{W}hyperlink"))
    external = [h for h in links if h.get(qn("r:id"))]
    assert len(external) == 1
    rel = word.part.rels[external[0].get(qn("r:id"))]
    assert rel.is_external and rel.target_ref == "https://www.clustercollaboration.eu"
    internal = [h.get(qn("w:anchor")) for h in links if h.get(qn("w:anchor"))]
    assert "economy" in internal  # the in-text link, besides the contents entries


def test_footnotes_are_word_footnotes(rendered, word):
    with zipfile.ZipFile(rendered) as package:
        notes_xml = package.read("word/footnotes.xml").decode("utf-8")
        types = package.read("[Content_Types].xml").decode("utf-8")
    assert "footnotes+xml" in types
    part = next(r.target_part for r in word.part.rels.values() if r.reltype.endswith("/footnotes"))
    notes = {
        n.get(qn("w:id")): "".join(t.text for t in n.iter(f"{W}t")).strip()
        for n in part.element.iter(f"{W}footnote")
        if n.get(qn("w:type")) is None
    }
    refs = [r.get(qn("w:id")) for r in word.element.body.iter(f"{W}footnoteReference")]
    assert len(refs) == 3 and set(refs) == set(notes)
    assert [notes[r] for r in refs] == [
        "National Bureau of Statistics, site",
        "World Bank 2019.",
        "ECCP D3.2, 2019.",
    ]
    assert "https://stats.gov.cn" not in notes_xml  # links in notes go through the part's rels
    assert any(rel.target_ref == "https://stats.gov.cn" for rel in part.rels.values())
    # The second mark for note 1 repeats its number through a NOTEREF field.
    assert any(i.startswith("NOTEREF") for i in instructions(word.element.body))


def test_contents_field_has_a_first_content(word):
    paragraphs = body_paragraphs(word)
    toc = next(p for p in paragraphs if any(i.startswith("TOC \\o") for i in instructions(p)))
    assert '"1-3"' in instructions(toc)[0]
    texts = [
        "".join(t.text for t in p.iter(f"{W}t"))
        for p in paragraphs
        if p.find(f"{W}pPr/{W}pStyle") is not None
        and p.find(f"{W}pPr/{W}pStyle").get(qn("w:val")).startswith("TOC")
    ]
    for label in ("1 Objective of the report", "2 China economy", "2.1 Overview", "A Annex"):
        assert label in texts
    settings = word.settings.element
    assert settings.find(f"{W}updateFields").get(qn("w:val")) == "true"


def test_lists_of_tables_and_figures_are_caption_fields(word):
    body = word.element.body
    assert 'TOC \\h \\z \\c "Table"' in instructions(body)
    assert 'TOC \\h \\z \\c "Figure"' in instructions(body)
    entries = [p.text for p in word.paragraphs if p.style.name == "table of figures"]
    assert entries == [
        "Figure 1 - A picture",
        "Table 1 - Top clusters",
        "Table 2 - Wide annex table",
    ]


def test_captions_number_through_seq_fields(word):
    captions = [p for p in word.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == [
        "Table 1 - Top clusters",
        "Figure 1 - A picture",
        "Table 2 - Wide annex table",
    ]
    assert instructions(captions[0]._p) == ["SEQ Table \\* ARABIC"]
    assert instructions(captions[1]._p) == ["SEQ Figure \\* ARABIC"]


def test_big_table_has_repeating_header_shading_and_widths(word):
    table = word.tables[1]  # the cover's table comes first
    rows = table._tbl.findall(f"{W}tr")
    assert len(rows) == 1001
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    fill = rows[0].find(f"{W}tc/{W}tcPr/{W}shd").get(qn("w:fill"))
    assert fill == load_theme().colour("table_header").lstrip("#").upper()
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.iter(f"{W}gridCol")]
    assert grid[0] == pytest.approx(3 * grid[2], abs=3) and grid[1] == pytest.approx(
        2 * grid[2], abs=3
    )
    assert table.cell(1, 1).text == CHINESE
    assert table.cell(1000, 0).text == "Cluster 999"
    source = next(p for p in word.paragraphs if p.text.startswith("Source: ECCP"))
    assert source.style.name == "Source"


def test_cover_has_title_metadata_table_abstract_and_notices(word):
    assert word.paragraphs[0].style.name == "Title"
    assert word.paragraphs[0].text == "Preparatory Briefing on China"
    cover = word.tables[0]
    assert [[c.text for c in row.cells] for row in cover.rows] == [
        ["Project acronym", "ECCP"],
        ["Document version", "V3"],
    ]
    texts = [p.text for p in word.paragraphs[:8]]
    assert "Abstract: What a European cluster needs to know before a visit." in texts
    assert "© 2026 Example Office" in texts and "Views are the authors' own." in texts


def test_lists_nest_and_ordered_lists_restart(word):
    items = {}
    for p in word.paragraphs:
        num = p._p.find(f"{W}pPr/{W}numPr")
        if num is not None:
            items[p.text] = (
                int(num.find(f"{W}ilvl").get(qn("w:val"))),
                num.find(f"{W}numId").get(qn("w:val")),
            )
    assert items["Automotive"][0] == 0 and items["Biopharma"][0] == 1
    assert items["Biopharma"][1] == items["TCM"][1]
    # each ordered list is its own numbering instance, so it starts at 1 again
    assert items["First step"][1] != items["Biopharma"][1]
    assert items["Automotive"][1] != items["First step"][1]


def test_figure_is_an_inline_picture(word):
    assert len(word.inline_shapes) == 1
    shape = word.inline_shapes[0]
    assert shape.width <= word.sections[0].page_width
    assert shape.width == pytest.approx(2 * shape.height, rel=0.01)


def test_core_properties(word):
    props = word.core_properties
    assert props.title == "Preparatory Briefing on China"
    assert props.author == "Desk Officer"
    assert props.subject == "Cluster cooperation"
    assert props.keywords == "China; clusters"
    assert props.language == "en-US"
    assert props.version == "V3" and props.revision == 3 and "V3" in props.comments
    lang = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(qn("w:val")) == "en-US"  # spell-checking follows the metadata


def test_east_asian_font_in_styles_and_runs(word):
    theme = load_theme()
    defaults = word.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(qn("w:eastAsia")) == theme.fonts["word_east_asia"]
    chinese_runs = [
        r
        for r in word.element.body.iter(f"{W}r")
        if CHINESE in "".join(t.text for t in r.iter(f"{W}t"))
    ]
    assert chinese_runs
    for run in chinese_runs:
        assert run.find(f"{W}rPr/{W}rFonts").get(qn("w:eastAsia")) == theme.fonts["word_east_asia"]


def test_header_footer_and_cover_page(word):
    first = word.sections[0]
    assert first.different_first_page_header_footer
    assert first.header.paragraphs[0].text == "Briefing on China"
    footer = first.footer.paragraphs[0]
    assert footer.text == "Page 1 of 1"  # cached results; Word shows the real numbers
    assert instructions(footer._p) == ["PAGE", "NUMPAGES"]
    cover_header = first.first_page_header.paragraphs[0]
    assert cover_header.text == ""  # no running header on the cover, only its colour band
    WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
    band = cover_header._p.find(f".//{WP}anchor")
    assert band.get("behindDoc") == "1"
    assert band.find(f"{WP}positionH").get("relativeFrom") == "page"
    assert int(band.find(f"{WP}extent").get("cx")) == first.page_width


def test_page_size_margins_and_landscape_section(word):
    theme = load_theme()
    sections = word.sections
    assert len(sections) == 3
    first, wide, last = sections
    assert round(first.page_width.mm) == 210 and round(first.page_height.mm) == 297
    assert round(first.left_margin.mm) == round(theme.margins_mm["left"])
    assert round(first.header_distance.mm) == 12
    assert wide.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert wide.page_width > wide.page_height
    assert last.orientation == docx.enum.section.WD_ORIENT.PORTRAIT
    assert not last.different_first_page_header_footer  # only the cover page is bare


def test_letter_paper(tmp_path):
    path = render_docx(briefing(page_size="Letter", rows=3), tmp_path / "letter.docx")
    section = docx.Document(str(path)).sections[0]
    assert round(section.page_width.inches, 2) == 8.5 and round(section.page_height.inches, 2) == 11


def test_chart_figure_is_drawn(tmp_path):
    chart = ChartSpec("bar", ("2017", "2018"), (Series("Exports", (1.0, 2.0)),), title="Trade")
    document = Document(Metadata(title="Charts"), (Figure(caption="Trade", number=1, chart=chart),))
    word = docx.Document(str(render_docx(document, tmp_path / "chart.docx")))
    assert len(word.inline_shapes) == 1
    image = word.inline_shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    assert word.part.related_parts[image].content_type == "image/png"


def test_repeated_anchors_get_unique_bookmarks(tmp_path):
    blocks = (
        Heading(1, "Overview", "1", "overview"),
        Heading(1, "Overview again", "2", "overview"),
        Heading(2, "No anchor", "2.1"),
        Paragraph((Text("back", link="#overview"),)),
    )
    word = docx.Document(
        str(render_docx(Document(Metadata(title="a"), blocks), tmp_path / "a.docx"))
    )
    names = [b.get(qn("w:name")) for b in word.element.body.iter(f"{W}bookmarkStart")]
    assert len(names) == len({n.lower() for n in names}) == 3
    assert names[0] == "overview"
    link = next(word.element.body.iter(f"{W}hyperlink"))
    assert link.get(qn("w:anchor")) == "overview"


def test_no_blank_page_around_a_landscape_table(tmp_path):
    wide = Table(header_rows=(("a",),), rows=(("1",),), landscape=True)
    blocks = (
        Paragraph((Text("before"),)),
        PageBreak(),
        wide,
        PageBreak(),
        Paragraph((Text("after"),)),
    )
    word = docx.Document(
        str(render_docx(Document(Metadata(title="w"), blocks), tmp_path / "w.docx"))
    )
    page_breaks = [br for br in word.element.body.iter(f"{W}br") if br.get(qn("w:type")) == "page"]
    assert len(page_breaks) == 1  # the cover's; section breaks start the other pages
    assert [s.orientation for s in word.sections] == [
        docx.enum.section.WD_ORIENT.PORTRAIT,
        docx.enum.section.WD_ORIENT.LANDSCAPE,
        docx.enum.section.WD_ORIENT.PORTRAIT,
    ]


def test_jpeg_pictures_and_narrow_figures(tmp_path):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), (200, 30, 30)).save(buffer, "JPEG")
    figure = Figure(caption="Square", number=1, image=buffer.getvalue(), width_fraction=0.5)
    word = docx.Document(
        str(render_docx(Document(Metadata(title="j"), (figure,)), tmp_path / "j.docx"))
    )
    shape = word.inline_shapes[0]
    section = word.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    assert shape.width == pytest.approx(text_width / 2, rel=0.01)
    assert shape.height == pytest.approx(shape.width, rel=0.01)


def test_broken_picture_is_a_render_error_and_writes_nothing(tmp_path):
    figure = Figure(caption="Broken", number=1, image=b"not a picture at all")
    with pytest.raises(RenderError, match="Figure 1 - Broken"):
        render_docx(Document(Metadata(title="b"), (figure,)), tmp_path / "b.docx")
    assert list(tmp_path.iterdir()) == []
