"""The PDF renderer end to end: real files, read back with pypdf."""

from __future__ import annotations

import dataclasses
import io
import re
import threading

import pytest
from PIL import Image
from pypdf import PdfReader

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
from briefing_app.errors import Cancelled, MissingGlyphError, RenderError
from briefing_app.render.pdf_backend import render_pdf
from briefing_app.render.theme import load_theme

CLUSTER_ROWS = 300


def _png(width: int = 320, height: int = 160) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "#2E75B6").save(buffer, "PNG")
    return buffer.getvalue()


def briefing(page_size: str = "A4", extra_blocks: tuple = ()) -> Document:
    """A hand-made briefing with every kind of block."""
    metadata = Metadata(
        title="Preparatory Briefing on Zhejiang",
        subtitle="Automotive clusters around 杭州蕭山",
        author="Desk officer",
        subject="Cluster cooperation",
        keywords=("China", "automotive"),
        cover_rows=(CoverRow("Project acronym", "ECCP"), CoverRow("Region", "杭州蕭山区")),
        abstract="An overview of cluster opportunities for European SMEs.",
        disclaimer="The views expressed are the authors' own.",
        copyright="© 2026 Briefing Builder test",
        page_size=page_size,
        header_text="Zhejiang briefing",
    )
    clusters = tuple(
        (f"Cluster {n:03d}", "杭州" if n % 2 else "Ningbo", f"{n * 1.5:.1f}")
        for n in range(CLUSTER_ROWS)
    )
    blocks = (
        TableOfContents(max_level=2),
        ListOfTables(),
        ListOfFigures(),
        PageBreak(),
        Heading(1, "Objective of the report", "1", "objective"),
        Paragraph(
            (
                Text("Clusters in "),
                Text("杭州蕭山", bold=True),
                Text(" grow "),
                Text("fast", italic=True),
                Text(" (see "),
                Text("the platform", link="https://www.clustercollaboration.eu"),
                Text(")"),
                FootnoteRef(1),
                Text(", compare <a> & <b>; call "),
                Text("render()", code=True),
                LineBreak(),
                Text("Back to "),
                Text("the start", link="#objective"),
                Text("."),
            )
        ),
        BulletList(
            (
                ListItem(
                    (Text("Automotive"),), BulletList((ListItem((Text("New energy vehicles"),)),))
                ),
                ListItem((Text("Human health 医疗"),)),
            ),
            ordered=True,
        ),
        Heading(2, "Sector trends", "1.1", "trends"),
        Paragraph((Text("Output rose in every city."), FootnoteRef(2)), style="note"),
        Figure(
            "Clusters per city",
            1,
            chart=ChartSpec(
                "bar",
                ("杭州", "Ningbo", "Wenzhou"),
                (Series("2019", (4, 2, 1)), Series("2020", (5, 3, 2))),
                title="Clusters",
                y_label="Clusters",
            ),
        ),
        Figure(
            "Zhejiang at a glance",
            2,
            image=_png(),
            width_fraction=0.5,
            source=(Text("Source: invented picture"),),
        ),
        Heading(1, "Cluster mapping", "2", "mapping"),
        Table(
            (("Cluster", "City", "Score"),),
            clusters,
            caption="List of clusters",
            number=1,
            column_widths=(3, 2, 1),
            source=(Text("Source: ECCP D3.2"), FootnoteRef(2)),
        ),
        Table(
            (tuple(f"Col {c}" for c in range(8)),),
            tuple(tuple(f"r{r}c{c}" for c in range(8)) for r in range(12)),
            caption="Wide comparison",
            number=2,
            landscape=True,
        ),
        Heading(2, "After the wide table", "2.1", "after-wide"),
        Paragraph((Text("Portrait pages again."),)),
        *extra_blocks,
    )
    footnotes = (
        Footnote(
            1,
            (
                Text("European Cluster Collaboration Platform, "),
                Text("website", link="https://www.clustercollaboration.eu"),
            ),
        ),
        Footnote(2, (Text("ECCP, Preparatory Briefing on China, 2019."),)),
    )
    return Document(metadata, blocks, footnotes)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "briefing.pdf"
    fractions: list[float] = []
    result = render_pdf(briefing(), path, progress=fractions.append)
    return result, PdfReader(str(path)), fractions


def _all_text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def test_writes_the_file_it_returns_with_many_pages(rendered):
    path, reader, _ = rendered
    assert path.is_file() and path.read_bytes().startswith(b"%PDF")
    assert len(reader.pages) > 8  # 300 rows alone fill several pages


def test_text_holds_headings_captions_chinese_and_page_numbers(rendered):
    _, reader, _ = rendered
    text = _all_text(reader)
    for expected in (
        "1 Objective of the report",
        "2.1 After the wide table",
        "Table 1 - List of clusters",
        "Table 2 - Wide comparison",
        "Figure 1 - Clusters per city",
        "Figure 2 - Zhejiang at a glance",
        "杭州蕭山",
        "医疗",
        "compare <a> & <b>",
        "Cluster 299",
    ):
        assert expected in text, expected
    assert f"Page 1 of {len(reader.pages)}" in text
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text


def test_footnotes_sit_at_the_foot_of_the_page_that_refers_to_them(rendered):
    _, reader, _ = rendered
    pages = [p.extract_text() for p in reader.pages]
    first = next(t for t in pages if "compare <a> & <b>" in t)
    assert "European Cluster Collaboration Platform" in first
    second = next(t for t in pages if "Output rose in every city." in t)
    assert "ECCP, Preparatory Briefing on China, 2019." in second
    # Each note is printed once, where it is first referred to.
    assert sum("Preparatory Briefing on China, 2019" in t for t in pages) == 1


def test_many_long_notes_flow_on_to_later_pages_and_stray_notes_go_last(tmp_path):
    note_text = "A source described at some length so that the notes fill the page foot. " * 3
    runs = tuple(part for n in range(1, 41) for part in (Text(f"Claim {n}. "), FootnoteRef(n)))
    notes = tuple(Footnote(n, (Text(f"Note {n}: {note_text}"),)) for n in range(1, 42))
    document = Document(Metadata(title="Notes"), (Paragraph(runs),), notes)
    reader = PdfReader(str(render_pdf(document, tmp_path / "notes.pdf")))
    pages = [p.extract_text() for p in reader.pages]
    text = "\n".join(pages)
    for number in range(1, 42):
        assert text.count(f"Note {number}:") == 1, number
    assert len(pages) >= 3  # the notes did not all fit under the one paragraph
    assert "Notes" in pages[-1] and "Note 41:" in pages[-1]  # note 41 is never referred to


def test_notes_stay_with_marks_that_fall_near_page_ends(tmp_path):
    # Paragraphs of different lengths put marks at every height of the page,
    # some in paragraphs that break across pages.
    filler = "Some words to fill the line. "
    blocks = tuple(
        Paragraph(
            (
                Text(f"Point {n}. " + filler * (n % 7 * 5 + 1)),
                FootnoteRef(2 * n - 1),
                Text(filler * (n % 5 * 4)),
                FootnoteRef(2 * n),
                Text(" The end."),
            )
        )
        for n in range(1, 41)
    )
    notes = tuple(
        Footnote(n, (Text(f"Note {n}: a source of middling length, " * (1 + n % 3)),))
        for n in range(1, 81)
    )
    reader = PdfReader(
        str(render_pdf(Document(Metadata(title="Marks"), blocks, notes), tmp_path / "marks.pdf"))
    )
    pages = [p.extract_text() for p in reader.pages]
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    marks = 0
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            destination = annotation.get_object().get("/Dest")
            if destination is not None:
                marks += 1
                assert page_of[destination[0].idnum] == number
    text = "\n".join(pages)
    assert marks == 80 and len(pages) > 5
    # Some paragraph did break across pages (a page starts inside one).
    assert any(not p.split("\n", 1)[1].startswith("Point") for p in pages[2:])
    for n in range(1, 81):
        assert len(re.findall(rf"(?<!\d){n} Note {n}:", text)) == 1, n


def test_cover_carries_metadata_table_abstract_and_disclaimer(rendered):
    _, reader, _ = rendered
    cover = reader.pages[0].extract_text()
    for expected in (
        "Preparatory Briefing on Zhejiang",
        "Project acronym",
        "ECCP",
        "杭州蕭山区",
        "Abstract:",
        "authors' own",
        "© 2026",
    ):
        assert expected in cover, expected


def test_contents_lists_headings_tables_and_figures_with_page_numbers(rendered):
    _, reader, _ = rendered
    pages = [p.extract_text() for p in reader.pages]
    contents = pages[1]
    for label in (
        "1 Objective of the report",
        "1.1 Sector trends",
        "2 Cluster mapping",
        "Table 1 - List of clusters",
        "Figure 2 - Zhejiang at a glance",
    ):
        printed_on = next(n for n, text in enumerate(pages[2:], start=3) if label in text)
        # pypdf reads each entry as its dot leader and page number, then its label.
        assert re.search(rf"(\. )+{printed_on}\n{re.escape(label)}\n", contents), label


def test_table_header_repeats_on_every_page_the_table_spans(rendered):
    _, reader, _ = rendered
    pages = [p.extract_text() for p in reader.pages]
    spanned = [t for t in pages if "Cluster 1" in t and "Col 0" not in t]
    assert len(spanned) >= 3
    assert all("Cluster City Score" in " ".join(t.split()) for t in spanned)


def test_every_row_of_a_long_table_is_printed_once_in_order(rendered):
    _, reader, _ = rendered
    printed = [int(n) for n in re.findall(r"Cluster (\d{3})\b", _all_text(reader))]
    assert printed == list(range(CLUSTER_ROWS))


def test_rows_taller_than_a_page_are_split_not_lost(tmp_path):
    essay = " ".join(f"word{n}" for n in range(3000))  # several pages in one cell
    rows = (("first", essay), ("last", "end"))
    document = Document(
        Metadata(title="Tall"), (Table((("Key", "Text"),), rows, caption="Tall rows", number=1),)
    )
    reader = PdfReader(str(render_pdf(document, tmp_path / "tall.pdf")))
    text = _all_text(reader)
    assert len(reader.pages) > 3
    assert "word0" in text and "word2999" in text and "last" in text


def test_wide_table_sits_on_a_landscape_page_and_the_rest_stays_portrait(rendered):
    _, reader, _ = rendered
    shapes = [
        (float(p.mediabox.width), float(p.mediabox.height), p.extract_text()) for p in reader.pages
    ]
    wide = [(w, h) for w, h, text in shapes if "Col 7" in text]
    assert wide and all(w > h for w, h in wide)
    after = next((w, h) for w, h, text in shapes if "2.1 After the wide table" in text)
    assert after[0] < after[1]


def test_outline_has_nested_heading_bookmarks(rendered):
    _, reader, _ = rendered
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["1 Objective of the report", "2 Cluster mapping"]
    children = [item for item in outline if isinstance(item, list)]
    assert [c.title for c in children[0]] == ["1.1 Sector trends"]


def test_bookmarks_and_links_lead_to_the_page_they_name(rendered):
    _, reader, _ = rendered
    pages = [p.extract_text() for p in reader.pages]
    for item in reader.outline:
        if not isinstance(item, list):
            assert item.title in pages[reader.get_destination_page_number(item)], item.title
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    note_page = next(n for n, t in enumerate(pages) if "European Cluster Collaboration" in t)
    targets = [
        page_of[a.get_object()["/Dest"][0].idnum]
        for a in reader.pages[note_page].get("/Annots") or []
        if "/Dest" in a.get_object()
    ]
    assert note_page in targets  # the footnote mark leads down its own page


def test_links_are_live_to_the_web_and_inside_the_document(rendered):
    _, reader, _ = rendered
    uris, internal = set(), 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            if action is not None and "/URI" in action:
                uris.add(action["/URI"])
            elif "/Dest" in annotation or (action is not None and "/D" in action):
                internal += 1
    assert "https://www.clustercollaboration.eu" in uris
    assert internal >= 5  # contents entries, footnote marks, the "#objective" link


def test_every_font_is_embedded_truetype(rendered):
    path, reader, _ = rendered
    fonts = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
    assert any("WenQuanYi" in name for name in fonts)
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None and "/FontFile2" in descriptor.get_object(), name


def test_document_properties_are_set(rendered):
    _, reader, _ = rendered
    info = reader.metadata
    assert info.title == "Preparatory Briefing on Zhejiang"
    assert info.author == "Desk officer"
    assert info.subject == "Cluster cooperation"
    assert "automotive" in info["/Keywords"]


def test_progress_rises_to_one(rendered):
    _, _, fractions = rendered
    assert fractions[0] == 0.0 and fractions[-1] == 1.0
    assert fractions == sorted(fractions)
    assert 10 <= len(fractions) <= 110  # about one call per percent, not per paragraph


def test_letter_size_is_honoured(tmp_path):
    document = Document(
        Metadata(title="Letter", page_size="Letter"), (Paragraph((Text("Short."),)),)
    )
    reader = PdfReader(str(render_pdf(document, tmp_path / "letter.pdf")))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_missing_glyph_stops_before_anything_is_written(tmp_path):
    adlam = "\U0001e900"  # Adlam: neither DejaVu Sans nor WenQuanYi has it
    document = Document(
        Metadata(title="Glyphs"), (Heading(1, "Fine"), Paragraph((Text(f"Name {adlam} here"),)))
    )
    with pytest.raises(MissingGlyphError) as caught:
        render_pdf(document, tmp_path / "glyphs.pdf")
    assert caught.value.characters == adlam
    assert "Name" in caught.value.context
    assert list(tmp_path.iterdir()) == []


def test_missing_glyph_in_a_table_cell_names_the_table(tmp_path):
    document = Document(
        Metadata(title="Glyphs"),
        (Table((("A",),), (("ok",), ("\U0010fffd",)), caption="Odd cells", number=4),),
    )
    with pytest.raises(MissingGlyphError) as caught:
        render_pdf(document, tmp_path / "glyphs.pdf")
    assert "Table 4 - Odd cells" in caught.value.context


def test_cancel_leaves_an_earlier_file_byte_identical(tmp_path):
    target = tmp_path / "briefing.pdf"
    render_pdf(Document(Metadata(title="Earlier"), (Paragraph((Text("Old."),)),)), target)
    before = target.read_bytes()
    seen: list[float] = []

    def cancel_midway(fraction: float) -> None:
        seen.append(fraction)
        if fraction > 0.2:
            raise Cancelled()

    with pytest.raises(Cancelled):
        render_pdf(briefing(), target, progress=cancel_midway)
    assert target.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.pdf"]
    assert 0.0 < max(seen) < 1.0


def test_hostile_text_renders(tmp_path):
    long_word = "x" * 10_000
    extra = (
        Paragraph((Text(long_word),)),
        Paragraph((Text("Control \x00\x07\x1b characters and <tags> & ampersands"),)),
        Paragraph((Text("Vietnamese: Nguyễn Thị Hạnh, Đà Nẵng"),)),
        Table((("Long",),), ((long_word,), ("multi\nline",)), caption="Hostile cells", number=3),
    )
    path = render_pdf(briefing(extra_blocks=extra), tmp_path / "hostile.pdf")
    text = _all_text(PdfReader(str(path)))
    assert "Control characters and <tags> & ampersands" in text
    assert "Nguyễn Thị Hạnh" in text
    assert text.count("x" * 40) > 100


def test_a_broken_picture_is_a_render_error(tmp_path):
    document = Document(Metadata(title="Pictures"), (Figure("Broken", 1, image=b"not a picture"),))
    with pytest.raises(RenderError, match="Figure 1 - Broken"):
        render_pdf(document, tmp_path / "pictures.pdf")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_does_not_exist_is_a_render_error(tmp_path):
    document = Document(Metadata(title="Nowhere"), ())
    with pytest.raises(RenderError):
        render_pdf(document, tmp_path / "missing" / "out.pdf")


def test_anchors_that_clash_or_need_cleaning_still_link(tmp_path):
    blocks = (
        Heading(1, "Première", "1", "première partie"),
        Heading(1, "Same anchor", "2", "dup"),
        Heading(1, "Same anchor again", "3", "dup"),
        Heading(1, "Looks internal", "4", "table:0"),
        Paragraph(
            (
                Text("to first", link="#première partie"),
                Text(" to dup", link="#dup"),
                Text(" to nowhere", link="#nowhere"),
                FootnoteRef(1),
            )
        ),
        Table((("A",),), (("x",),), caption="Small", number=1),
    )
    document = Document(Metadata(title="Anchors"), blocks, (Footnote(1, (Text("n"),)),))
    reader = PdfReader(str(render_pdf(document, tmp_path / "anchors.pdf")))
    assert [o.title for o in reader.outline] == [
        "1 Première",
        "2 Same anchor",
        "3 Same anchor again",
        "4 Looks internal",
    ]
    links = [a.get_object() for p in reader.pages for a in (p.get("/Annots") or [])]
    assert sum(1 for a in links if "/Dest" in a) >= 3  # first, dup and the note mark


def test_two_worker_threads_write_the_same_pages_as_one(tmp_path, rendered):
    _, reference, _ = rendered
    expected = [page.extract_text() for page in reference.pages]
    failures: list[BaseException] = []

    def build(name: str) -> None:
        try:
            render_pdf(briefing(), tmp_path / name)
        except BaseException as exc:  # reported below, not lost in the thread
            failures.append(exc)

    workers = [threading.Thread(target=build, args=(f"copy{n}.pdf",)) for n in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert failures == []
    for n in range(2):
        pages = PdfReader(str(tmp_path / f"copy{n}.pdf")).pages
        assert [page.extract_text() for page in pages] == expected


def test_every_missing_character_is_named_at_once(tmp_path):
    document = Document(
        Metadata(title="Glyphs"),
        (
            Paragraph((Text("first \U0001e900"),)),
            Paragraph((Text("later \U0001e922"),)),
        ),
        (Footnote(1, (Text("\U0010fffd"),)),),
    )
    with pytest.raises(MissingGlyphError) as caught:
        render_pdf(document, tmp_path / "glyphs.pdf")
    assert caught.value.characters == "\U0001e900\U0001e922\U0010fffd"
    assert "first" in caught.value.context


def test_heading_levels_that_skip_or_run_deep_still_make_an_outline(tmp_path):
    blocks = (
        Heading(3, "Deep first", "0.0.1", "a"),
        Heading(1, "Top", "1", "b"),
        Heading(4, "Skipped two", "1.0.0.1", "c"),
        Heading(6, "Very deep", "", "d"),
    )
    reader = PdfReader(
        str(render_pdf(Document(Metadata(title="Levels"), blocks), tmp_path / "levels.pdf"))
    )
    flat = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                flat.append((depth, item.title))

    walk(reader.outline, 0)
    assert flat == [
        (0, "0.0.1 Deep first"),
        (0, "1 Top"),
        (1, "1.0.0.1 Skipped two"),
        (2, "Very deep"),
    ]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_empty_lists_say_none_and_long_contents_run_over_pages(tmp_path):
    headings = tuple(Heading(1, f"Chapter {n}", str(n), f"c{n}") for n in range(1, 121))
    document = Document(
        Metadata(title="Lists"),
        (TableOfContents(), ListOfTables(), ListOfFigures(), PageBreak(), *headings),
    )
    pages = [
        p.extract_text() for p in PdfReader(str(render_pdf(document, tmp_path / "lists.pdf"))).pages
    ]
    text = "\n".join(pages)
    assert "Placeholder" not in text
    assert "Tables\n(none)" in text and "Figures\n(none)" in text
    entry = [n for n, t in enumerate(pages) if re.search(r"\. \d+\n120 Chapter 120\n", t)]
    assert entry and entry[0] > 1  # the contents ran on past their first page


def test_a_theme_naming_a_missing_font_is_a_render_error(tmp_path):
    theme = load_theme()
    broken = dataclasses.replace(theme, fonts={**theme.fonts, "cjk": "no-such-font.ttc"})
    with pytest.raises(RenderError, match="no-such-font.ttc"):
        render_pdf(briefing(), tmp_path / "font.pdf", theme=broken)
    assert list(tmp_path.iterdir()) == []


def test_a_link_to_an_unusual_address_needs_no_glyphs(tmp_path):
    runs = (Text("site", link="https://example.org/\U0001e900"),)
    document = Document(Metadata(title="Links"), (Paragraph(runs),))
    assert render_pdf(document, tmp_path / "links.pdf").is_file()


def test_jpeg_and_transparent_png_pictures_are_embedded(tmp_path):
    jpeg, png = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (300, 900), "red").save(jpeg, "JPEG")  # taller than a page would allow
    Image.new("RGBA", (300, 100), (0, 0, 255, 128)).save(png, "PNG")
    document = Document(
        Metadata(title="Pictures"),
        (
            Figure("Tall photo", 1, image=jpeg.getvalue()),
            Figure("Half transparent", 2, image=png.getvalue(), width_fraction=0.3),
        ),
    )
    reader = PdfReader(str(render_pdf(document, tmp_path / "pictures.pdf")))
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 2
    assert "Figure 1 - Tall photo" in _all_text(reader)
