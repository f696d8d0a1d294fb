"""The reference file: shipped styles, its generator, and user replacements."""

from __future__ import annotations

import importlib.util

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE

from briefing_app import paths
from briefing_app.document import (
    BulletList,
    Document,
    Footnote,
    FootnoteRef,
    Heading,
    ListItem,
    Metadata,
    Paragraph,
    Table,
    TableOfContents,
    Text,
)
from briefing_app.errors import RenderError
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.theme import load_theme

# Every style the renderer asks for by name.
PARAGRAPH_STYLES = [
    "Normal", "Title", "Subtitle", "Body Text", "Abstract", "Copyright", "Disclaimer",
    "Source", "Note", "Quote", "Caption", "Figure", "TOC Heading", "toc 1", "toc 2",
    "toc 3", "table of figures", "List Bullet", "List Bullet 2", "List Number",
    "List Number 2", "Table Text", "Table Heading", "Header", "Footer", "footnote text",
] + [f"Heading {n}" for n in range(1, 10)]  # fmt: skip
CHARACTER_STYLES = ["Hyperlink", "Code", "footnote reference"]


def styles_of(path) -> dict[str, WD_STYLE_TYPE]:
    return {s.name: s.type for s in docx.Document(str(path)).styles}


def load_generator():
    spec = importlib.util.spec_from_file_location(
        "make_reference_docx", paths.templates_dir() / "make_reference_docx.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_reference_defines_every_style_used():
    found = styles_of(paths.reference_docx())
    for name in PARAGRAPH_STYLES:
        assert found.get(name) == WD_STYLE_TYPE.PARAGRAPH, name
    for name in CHARACTER_STYLES:
        assert found.get(name) == WD_STYLE_TYPE.CHARACTER, name
    assert found.get("Table Grid") == WD_STYLE_TYPE.TABLE


def test_generator_rebuilds_the_same_styles_from_the_theme(tmp_path):
    theme = load_theme()
    out = load_generator().build_reference(theme, tmp_path / "reference.docx")
    assert styles_of(out) == styles_of(paths.reference_docx())
    heading = docx.Document(str(out)).styles["Heading 1"]
    assert str(heading.font.color.rgb) == theme.colour("primary").lstrip("#").upper()
    assert heading.font.size.pt == theme.size("heading1")


def sample() -> Document:
    return Document(
        Metadata(title="Plain reference"),
        (
            TableOfContents(),
            Heading(1, "Scope", "1", "scope"),
            Paragraph((Text("Body", link="https://example.org"), FootnoteRef(1)), style="abstract"),
            BulletList((ListItem((Text("item"),)),)),
            Table(header_rows=(("h",),), rows=(("v",),), caption="T", number=1),
        ),
        (Footnote(1, (Text("A note."),)),),
    )


def test_a_plain_word_template_still_works(tmp_path, monkeypatch):
    """A user's reference without our custom styles: Normal stands in for them."""
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    monkeypatch.setattr(paths, "reference_docx", lambda: plain)
    word = docx.Document(str(render_docx(sample(), tmp_path / "out.docx")))
    by_text = {p.text: p.style.name for p in word.paragraphs}
    assert by_text["1 Scope"] == "Heading 1"
    assert by_text["Body"] == "Body Text"  # 'Abstract' is missing: the next in line
    cell = word.tables[0].cell(1, 0).paragraphs[0]
    assert cell.text == "v" and cell.style.name == "Normal"  # no 'Table Text' at all
    assert word.tables[0].cell(0, 0).text == "h"


def test_reference_with_footnotes_of_its_own(tmp_path, monkeypatch):
    """A reference saved from a real document keeps its separators, loses its notes."""
    earlier = render_docx(sample(), tmp_path / "earlier.docx")
    monkeypatch.setattr(paths, "reference_docx", lambda: earlier)
    notes = (Footnote(1, (Text("A different note."),)),)
    document = Document(sample().metadata, sample().blocks, notes)
    word = docx.Document(str(render_docx(document, tmp_path / "again.docx")))
    part = next(r.target_part for r in word.part.rels.values() if r.reltype.endswith("/footnotes"))
    text = "".join(t.text for t in part.element.iter(docx.oxml.ns.qn("w:t")))
    assert "A different note." in text and "A note." not in text
    assert word.paragraphs[0].text == "Plain reference"  # the earlier body is gone


def test_unreadable_reference_is_a_render_error(tmp_path, monkeypatch):
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip")
    monkeypatch.setattr(paths, "reference_docx", lambda: broken)
    with pytest.raises(RenderError, match="reference"):
        render_docx(sample(), tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


def test_headings_numbered_by_the_house_style_are_not_numbered_twice(tmp_path, monkeypatch):
    house = docx.Document()
    numbering = house.part.numbering_part.element
    num_id = numbering.add_num(0).numId  # any list will do: Word draws the number
    heading = house.styles["Heading 2"].element.get_or_add_pPr()
    heading.get_or_add_numPr().get_or_add_numId().val = num_id
    reference = tmp_path / "house.docx"
    house.save(str(reference))
    monkeypatch.setattr(paths, "reference_docx", lambda: reference)
    blocks = (Heading(1, "Scope", "1", "scope"), Heading(2, "Detail", "1.1", "detail"))
    word = docx.Document(
        str(render_docx(Document(Metadata(title="h"), blocks), tmp_path / "h.docx"))
    )
    texts = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert texts == ["1 Scope", "Detail"]
