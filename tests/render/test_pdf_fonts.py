"""Font registration, glyph coverage and text cleaning for the PDF."""

from briefing_app.document import Cell, Table, Text
from briefing_app.render.pdf_fonts import clean_text, find_missing_glyphs, register_fonts
from briefing_app.render.pdf_markup import MarkupWriter
from briefing_app.render.pdf_styles import make_styles
from briefing_app.render.pdf_tables import column_widths, table_flowable
from briefing_app.render.theme import load_theme


def _fonts():
    return register_fonts(load_theme())


def test_registering_twice_gives_the_same_faces():
    assert _fonts() is _fonts()


def test_latin_and_chinese_are_covered_and_rare_scripts_are_not():
    fonts = _fonts()
    assert find_missing_glyphs("Hangzhou 杭州蕭山 Đà Nẵng €–“”", fonts) == ""
    assert find_missing_glyphs("Adlam \U0001e900\U0001e901 and 杭", fonts) == "\U0001e900\U0001e901"


def test_chinese_spans_switch_to_the_cjk_face():
    fonts = _fonts()
    spans = fonts.segments("City 杭州 and Ningbo", fonts.body)
    # Spaces stay in the span they follow; nothing is lost or reordered.
    assert spans == [(fonts.body, "City "), (fonts.cjk, "杭州 "), (fonts.body, "and Ningbo")]


def test_a_line_with_chinese_uses_the_cjk_face_whole():
    fonts = _fonts()
    assert fonts.font_for_line("Shenzhen", fonts.body) == fonts.body
    assert fonts.font_for_line("Shenzhen 深圳", fonts.body) == fonts.cjk


def test_clean_text_drops_control_and_forbidden_characters_only():
    assert clean_text("a\x00b\x07c\x1b\ufffed\ud800e") == "abcde"
    assert clean_text("tab\there\r\nline") == "tab here\nline"
    assert clean_text("杭州 – ok") == "杭州 – ok"


def test_markup_escapes_and_names_fonts():
    fonts = _fonts()
    writer = MarkupWriter(fonts, "#2E75B6")
    markup = writer.runs(
        (Text("<b> & 杭州", bold=True), Text("site", link="https://x.org/?a=1&b=2"))
    )
    assert "&lt;b&gt; &amp; " in markup
    assert f'<font name="{fonts.bold}">' in markup and f'<font name="{fonts.cjk}">' in markup
    assert 'href="https://x.org/?a=1&amp;b=2"' in markup


def test_links_to_unknown_anchors_keep_their_words_only():
    writer = MarkupWriter(_fonts(), "#2E75B6")
    writer.anchor_names = {"known": "known", "2.3 Automobile": "2.3-Automobile"}
    assert "<a " not in writer.runs((Text("gone", link="#missing"),))
    assert 'href="#known"' in writer.runs((Text("here", link="#known"),))
    assert 'href="#2.3-Automobile"' in writer.runs((Text("there", link="#2.3 Automobile"),))


def test_column_weights_become_widths_that_fill_the_line():
    table = Table((("a", "b", "c"),), (), column_widths=(2, 1, 1))
    assert column_widths(table, 400) == [200, 100, 100]
    uneven = Table((("a", "b"),), (), column_widths=(1,))  # wrong count: equal columns
    assert column_widths(uneven, 300) == [150, 150]


def test_short_plain_cells_stay_strings_and_long_ones_wrap():
    fonts = _fonts()
    styles = make_styles(load_theme(), fonts)
    rows: tuple[tuple[Cell, ...], ...] = (
        ("short", "杭州"),
        ("a long sentence " * 20, (Text("bold", bold=True),)),
        ("ragged row",),
    )
    flowable = table_flowable(Table((("A", "B"),), rows), 300, styles, MarkupWriter(fonts, "#000"))
    cells = flowable._cellvalues
    assert cells[1] == ["short", "杭州"]
    assert not isinstance(cells[2][0], str) and not isinstance(cells[2][1], str)
    assert cells[3] == ["ragged row", ""]


def test_a_cell_mixing_latin_and_chinese_draws_each_in_its_own_face(tmp_path):
    """A short cell of Chinese alone stays a bare string in the CJK face; one
    that mixes scripts becomes a paragraph, so its Latin words are drawn in
    the body face like the rest of the column (read back from the PDF)."""
    from pypdf import PdfReader

    from briefing_app.document import Document, Metadata
    from briefing_app.render.pdf_backend import render_pdf

    fonts = _fonts()
    styles = make_styles(load_theme(), fonts)
    mixed = "Energy Administration (国家能源局)"
    rows: tuple[tuple[Cell, ...], ...] = (("杭州", mixed),)
    flowable = table_flowable(Table((("A", "B"),), rows), 400, styles, MarkupWriter(fonts, "#000"))
    assert flowable._cellvalues[1][0] == "杭州"
    assert not isinstance(flowable._cellvalues[1][1], str)

    target = tmp_path / "mixed.pdf"
    render_pdf(Document(Metadata(title="Mixed"), (Table((("A", "B"),), rows),)), target)
    faces: dict[str, set[str]] = {}

    def visit(text, _cm, _tm, font, _size):
        if font is not None and text.strip():
            faces.setdefault(text.strip(), set()).add(str(font.get("/BaseFont")))

    for page in PdfReader(target).pages:
        page.extract_text(visitor_text=visit)
    latin = [face for text, found in faces.items() if "Administration" in text for face in found]
    chinese = [face for text, found in faces.items() if "国家能源局" in text for face in found]
    assert latin and not any("WenQuanYi" in face or "cjk" in face.lower() for face in latin)
    assert chinese and all("WenQuanYi" in face or "cjk" in face.lower() for face in chinese)
