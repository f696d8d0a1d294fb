"""Right-to-left text: drawn in visual order in the PDF, marked for Word.

The PDF is read back with pypdf's layout mode, which gives each page's lines
as they are drawn, left to right; the Word file is reopened with python-docx
and its XML looked at with lxml.
"""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader

from briefing_app.document import (
    BulletList,
    CoverRow,
    Document,
    Footnote,
    FootnoteRef,
    Heading,
    ListItem,
    Metadata,
    Paragraph,
    Table,
    Text,
)
from briefing_app.render import bidi
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.pdf_backend import render_pdf

KSU = "جامعة الملك سعود"  # King Saud University
# The same words in the joined forms a reader sees, written out by hand:
# jeem initial, alef final, meem initial, ain medial, teh marbuta final ...
KSU_SHAPED = (
    "\ufe9f\ufe8e\ufee3\ufecc\ufe94 \ufe8d\ufedf\ufee4\ufee0\ufeda \ufeb3\ufecc\ufeee\ufea9"
)
TAU = "אוניברסיטת תל אביב"  # Tel Aviv University
# 66 distinct Hebrew words of three letters (no final forms).
_LETTERS = "אבגדהוזחטיכלמנסעפצקרשת"
HEBREW_WORDS = [_LETTERS[i // 22] + _LETTERS[i % 22] + "ה" for i in range(66)]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def rtl_document() -> Document:
    return Document(
        Metadata(
            title="Gulf delegation briefing",
            cover_rows=(CoverRow("Partner", f"{KSU} (KSU)"),),
            header_text="Gulf delegation",
        ),
        (
            Heading(1, "Partners", "1", "partners"),
            Paragraph((Text(f"Partner: {KSU} (KSU)"),)),
            Paragraph((Text("Partner: ", bold=True), Text(f"{KSU} (KSU)"))),
            Paragraph((Text(f"Hebrew partner: {TAU} (TAU)"),)),
            Paragraph((Text(" ".join(HEBREW_WORDS)),)),
            Paragraph((Text(f"{KSU} في الرياض"), FootnoteRef(1))),
            BulletList((ListItem((Text(TAU),)), ListItem((Text("Second item"),)))),
            BulletList((ListItem((Text(KSU),)),), ordered=True),
            Table((("Name",),), ((KSU,), (f"Tel Aviv University {TAU}",)), caption="Partners"),
        ),
        (Footnote(1, (Text("المصدر: "), Text("Saudi statistics"))),),
    )


@pytest.fixture(scope="module")
def pdf_lines(tmp_path_factory) -> list[str]:
    target = tmp_path_factory.mktemp("rtl") / "rtl.pdf"
    render_pdf(rtl_document(), target)
    reader = PdfReader(target)
    text = "\n".join(page.extract_text(extraction_mode="layout") for page in reader.pages)
    return [line.rstrip() for line in text.splitlines() if line.strip()]


# --- the bidi module -------------------------------------------------------------


def test_arabic_is_shaped_into_joined_forms():
    assert bidi.shape(KSU) == KSU_SHAPED
    assert bidi.shape("Latin and 中文") == "Latin and 中文"


def test_a_word_whose_forms_cannot_be_drawn_keeps_its_letters():
    def no_presentation_forms(text: str) -> bool:
        return not re.search("[\ufb50-\ufeff]", text)

    assert bidi.shape(KSU, no_presentation_forms) == KSU


def test_a_mixed_line_reads_correctly():
    line = bidi.visual_line(bidi.shape(f"Partner: {KSU} (KSU)"))
    assert line == f"Partner: {KSU_SHAPED[::-1]} (KSU)"
    # In a right-to-left paragraph the English comes first from the left.
    assert bidi.visual_line(f"{TAU} (TAU)") == f"(TAU) {TAU[::-1]}"


def test_brackets_around_latin_text_stay_together_at_the_end_of_a_right_to_left_line():
    # Rule N0: without it the closing bracket took the paragraph's direction.
    assert bidi.visual_line("אבג abc (def)", rtl=True) == "abc (def) גבא"


def test_styled_pieces_keep_their_identity_when_reordered():
    runs = bidi.visual_runs(["Partner: ", "אבג דהו", " (KSU)"], rtl=False)
    assert runs == [(0, "Partner: "), (1, "והד גבא"), (2, " (KSU)")]
    runs = bidi.visual_runs(["אבג ", "bold", " דהו"], rtl=True)
    assert runs == [(2, "והד "), (1, "bold"), (0, " גבא")]


def test_direction_and_spans():
    assert not bidi.has_rtl("Hangzhou 杭州, Đồng bằng")
    assert bidi.base_is_rtl(f"{KSU} (KSU)")
    assert not bidi.base_is_rtl(f"Partner: {KSU}")
    assert not bidi.base_is_rtl("2024 ")
    assert bidi.rtl_spans(f"Partner: {KSU} (KSU)") == [
        ("Partner: ", False),
        (KSU, True),
        (" (KSU)", False),
    ]
    assert bidi.rtl_spans("plain") == [("plain", False)]


# --- the PDF -----------------------------------------------------------------------


def test_pdf_draws_mixed_lines_in_reading_order(pdf_lines):
    expected = f"Partner: {KSU_SHAPED[::-1]} (KSU)"
    # Once as one run, once with a bold label (two styled pieces).
    assert sum(line.strip() == expected for line in pdf_lines) == 2
    assert f"Hebrew partner: {TAU[::-1]} (TAU)" in [line.strip() for line in pdf_lines]
    # Every Arabic letter is drawn in a joined form, none as a bare letter.
    assert not re.search("[\u0621-\u064a]", "\n".join(pdf_lines))


def test_pdf_right_to_left_paragraph_wraps_line_by_line_flush_right(pdf_lines):
    hebrew = [
        line
        for line in pdf_lines
        if line.strip() and set(line.split()) <= set(word[::-1] for word in HEBREW_WORDS)
    ]
    assert len(hebrew) >= 2, "the paragraph should take several lines"
    # Each line read right to left, the lines top to bottom: the words in order.
    read = [word[::-1] for line in hebrew for word in reversed(line.split())]
    assert read == HEBREW_WORDS
    # Full (justified) lines start at the left margin; the last, shorter one
    # is set flush right, so it starts well inside.
    indent = [len(line) - len(line.lstrip()) for line in hebrew]
    assert indent[0] == min(indent)
    assert indent[-1] > indent[0] + 5


def test_pdf_cover_table_cells_and_footnotes_are_reordered(pdf_lines):
    text = "\n".join(pdf_lines)
    assert f"(KSU) {KSU_SHAPED[::-1]}" in text  # cover value, a right-to-left paragraph
    assert KSU_SHAPED[::-1] in text  # the plain table cell
    assert f"Tel Aviv University {TAU[::-1]}" in text
    assert bidi.visual_line(bidi.shape("المصدر: ")).strip() in text  # the footnote


def test_pdf_right_to_left_list_items_have_their_bullet_on_the_right(pdf_lines):
    stripped = [line.strip() for line in pdf_lines]
    assert any(re.fullmatch(rf"{TAU[::-1]}\s+•", line) for line in stripped)
    assert any(re.fullmatch(rf"{KSU_SHAPED[::-1]}\s+\.1", line) for line in stripped)
    assert any(re.fullmatch(r"•\s+Second item", line) for line in stripped)


def test_pdf_without_right_to_left_text_skips_the_bidi_work(tmp_path, monkeypatch):
    calls = []
    real = bidi.visual_runs
    monkeypatch.setattr(
        "briefing_app.render.pdf_paragraph.visual_runs", lambda *a: calls.append(a) or real(*a)
    )
    monkeypatch.setattr(
        "briefing_app.render.pdf_paragraph.visual_line", lambda *a: calls.append(a) or a[0]
    )
    plain = Document(
        Metadata(title="Zhejiang"),
        (Paragraph((Text("Clusters in "), Text("杭州", bold=True), Text(" grow fast."))),),
    )
    render_pdf(plain, tmp_path / "plain.pdf")
    assert calls == []
    render_pdf(rtl_document(), tmp_path / "rtl.pdf")
    assert calls


# --- Word ------------------------------------------------------------------------


def _paragraph_with(word_document, text: str):
    return next(p for p in word_document.paragraphs if text in p.text)


def _is_bidi(paragraph) -> bool:
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(f"{W}bidi") is not None


def _rtl_runs(paragraph) -> dict[str, bool]:
    return {run.text: run._r.find(f"{W}rPr/{W}rtl") is not None for run in paragraph.runs}


def test_word_marks_right_to_left_runs_and_paragraphs(tmp_path):
    target = tmp_path / "rtl.docx"
    render_docx(rtl_document(), target)
    word = docx.Document(str(target))

    mixed = _paragraph_with(word, "Partner: ")
    assert not _is_bidi(mixed)  # starts with a Latin letter
    assert _rtl_runs(mixed) == {"Partner: ": False, KSU: True, " (KSU)": False}

    arabic_first = _paragraph_with(word, "في الرياض")
    assert _is_bidi(arabic_first)
    assert _rtl_runs(arabic_first)[f"{KSU} في الرياض"] is True

    hebrew = _paragraph_with(word, HEBREW_WORDS[0])
    assert _is_bidi(hebrew)

    bold = [p for p in word.paragraphs if p.text == f"Partner: {KSU} (KSU)"][1]
    label = bold.runs[0]._r.rPr
    assert label.find(f"{W}b") is not None and label.find(f"{W}rtl") is None

    item = next(p for p in word.paragraphs if p.text == TAU)  # the list item
    ppr = etree.tostring(item._p.pPr).decode()
    # w:bidi follows w:numPr, as the schema orders them.
    assert ppr.index("numPr") < ppr.index("bidi")

    cells = {cell.text: cell for row in word.tables[-1].rows for cell in row.cells}
    assert _is_bidi(cells[KSU].paragraphs[0])
    assert not _is_bidi(cells[f"Tel Aviv University {TAU}"].paragraphs[0])
    cover = {cell.text: cell for row in word.tables[0].rows for cell in row.cells}
    assert _is_bidi(cover[f"{KSU} (KSU)"].paragraphs[0])

    with zipfile.ZipFile(target) as package:
        notes = etree.fromstring(package.read("word/footnotes.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
    note = next(p for p in notes.iter(f"{W}p") if "المصدر" in "".join(p.itertext()))
    assert note.find(f"{W}pPr/{W}bidi") is not None
    assert any(r.find(f"{W}rPr/{W}rtl") is not None for r in note.iter(f"{W}r"))
    # Complex-script size beside every Latin size, so Arabic is not drawn small.
    for rpr in styles.iter(f"{W}rPr"):
        size = rpr.find(f"{W}sz")
        if size is not None:
            assert rpr.find(f"{W}szCs") is not None


# --- any mix of scripts ------------------------------------------------------------

_PIECES = st.sampled_from(
    [
        KSU,
        TAU,
        "abc",
        "KSU",
        " ",
        "  ",
        "2024",
        "١٢٣",
        "(",
        ")",
        "[",
        "]",
        ", ",
        ".",
        "-",
        "\u064e",
        "\u05b8",
        "\u202e",
        "\u202b",
        "\u202c",
        "\u200f",
        "\u200e",
        "杭州",
        "\u00a0",
    ]
)
MIXED = st.lists(_PIECES, max_size=30).map("".join)
_REMOVED = set("\u202e\u202b\u202c")  # explicit embeddings: used, then dropped (rule X9)
_FOLD = str.maketrans(")]", "([")  # a bracket may be drawn mirrored (rule L4)


@settings(max_examples=60, deadline=None)
@given(pieces=st.lists(MIXED, min_size=1, max_size=4), rtl=st.booleans())
def test_reordering_loses_and_invents_no_character(pieces, rtl):
    runs = bidi.visual_runs(pieces, rtl)
    assert all(text for _, text in runs)
    for number, piece in enumerate(pieces):
        drawn = "".join(text for n, text in runs if n == number)
        wanted = "".join(c for c in piece if c not in _REMOVED)
        assert sorted(drawn.translate(_FOLD)) == sorted(wanted.translate(_FOLD))


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=MIXED, bold=MIXED)
def test_any_mix_of_scripts_gives_a_pdf(tmp_path, body, bold):
    document = Document(
        Metadata(title=body or "title"),
        (
            Heading(1, bold or "heading", "1", "h"),
            Paragraph((Text(body * 4), Text(bold, bold=True), FootnoteRef(1), Text(body))),
            Table((("Name",),), ((body,), ((Text(bold, italic=True),),))),
        ),
        (Footnote(1, (Text(bold + body),)),),
    )
    target = tmp_path / "mixed.pdf"
    render_pdf(document, target)
    assert PdfReader(target).pages
