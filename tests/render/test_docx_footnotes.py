"""Footnote marks in the awkward places: tables, repeats, notes that are missing."""

from __future__ import annotations

import docx
from docx.oxml.ns import qn

from briefing_app.document import Document, Footnote, FootnoteRef, Metadata, Paragraph, Table, Text
from briefing_app.render.docx_backend import render_docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def footnote_texts(word) -> dict[str, str]:
    part = next(r.target_part for r in word.part.rels.values() if r.reltype.endswith("/footnotes"))
    return {
        n.get(qn("w:id")): "".join(t.text for t in n.iter(f"{W}t")).strip()
        for n in part.element.iter(f"{W}footnote")
        if n.get(qn("w:type")) is None
    }


def render(tmp_path, blocks, notes):
    path = render_docx(Document(Metadata(title="Notes"), blocks, notes), tmp_path / "n.docx")
    return docx.Document(str(path))


def test_marks_in_table_cells_and_sources_are_real_footnotes(tmp_path):
    table = Table(
        header_rows=(("City", "Firms"),),
        rows=(((Text("Hangzhou"), FootnoteRef(1)), "12"),),
        source=(Text("Source: survey"), FootnoteRef(2)),
    )
    notes = (Footnote(1, (Text("City statistics."),)), Footnote(2, (Text("Survey 2023."),)))
    word = render(tmp_path, (table,), notes)
    refs = [r.get(qn("w:id")) for r in word.element.body.iter(f"{W}footnoteReference")]
    texts = footnote_texts(word)
    assert [texts[r] for r in refs] == ["City statistics.", "Survey 2023."]
    cell = word.tables[0].cell(1, 0)._tc
    assert cell.find(f".//{W}footnoteReference") is not None


def test_a_note_referred_to_twice_is_written_once(tmp_path):
    notes = (Footnote(1, (Text("Only once."),)),)
    paragraph = Paragraph((Text("a"), FootnoteRef(1), Text("b"), FootnoteRef(1)))
    word = render(tmp_path, (paragraph,), notes)
    assert list(footnote_texts(word).values()) == ["Only once."]
    assert len(list(word.element.body.iter(f"{W}footnoteReference"))) == 1
    assert "1" in word.paragraphs[-1].text  # the repeat shows the number through NOTEREF


def test_a_mark_without_a_note_shows_its_number_and_invents_no_note(tmp_path):
    word = render(tmp_path, (Paragraph((Text("x"), FootnoteRef(7))),), ())
    assert footnote_texts(word) == {}
    assert word.paragraphs[-1].text == "x7"


def test_marks_inside_a_note_stay_plain_text(tmp_path):
    notes = (Footnote(1, (Text("See also"), FootnoteRef(2))), Footnote(2, (Text("Other."),)))
    word = render(tmp_path, (Paragraph((Text("a"), FootnoteRef(1), FootnoteRef(2))),), notes)
    assert sorted(footnote_texts(word).values()) == ["Other.", "See also2"]
