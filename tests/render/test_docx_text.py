"""Text that XML cannot hold never makes an invalid .docx."""

from __future__ import annotations

import zipfile

import docx
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from briefing_app.document import Document, Heading, Metadata, Paragraph, Table, Text
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.docx_text import clean_text, escape, has_east_asian

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_clean_text_drops_controls_and_replaces_surrogates():
    assert clean_text("a\x00b\x07c\x1fd") == "abcd"
    assert clean_text("lone \ud800 half") == "lone \ufffd half"
    assert clean_text("x\uffffy") == "x\ufffdy"
    assert clean_text("keep\ttab\nand line\r\nend") == "keep\ttab\nand line\nend"
    assert clean_text("杭州 Ünïcödé 🙂") == "杭州 Ünïcödé 🙂"


def test_escape_makes_markup_inert():
    assert escape('<w:b/> & "x"') == "&lt;w:b/&gt; &amp; &quot;x&quot;"


def test_east_asian_detection():
    assert has_east_asian("Hangzhou 杭州")
    assert has_east_asian("カタカナ") and has_east_asian("한국어")
    assert not has_east_asian("Hà Nội, Ünïcödé")


def test_bad_characters_everywhere_still_give_a_readable_file(tmp_path):
    bad = "ok\x00\x0b\x1b[0m \ud83d end <&>"
    document = Document(
        Metadata(title=bad, author=bad, subtitle=bad, abstract=bad, header_text=bad),
        (
            Heading(1, bad, "1", bad),
            Paragraph((Text(bad, link="https://example.org/?a=1&b=2"), Text(bad, code=True))),
            Table(header_rows=((bad, "h"),), rows=((bad, "v"),), caption=bad, number=1),
        ),
    )
    path = render_docx(document, tmp_path / "bad.docx")
    word = docx.Document(str(path))
    heading = next(p for p in word.paragraphs if p.style.name == "Heading 1")
    assert heading.text == "1 ok[0m \ufffd end <&>"
    assert word.core_properties.title == "ok[0m \ufffd end <&>"
    with zipfile.ZipFile(path) as package:
        for name in package.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(package.read(name))  # every part parses


def test_tabs_and_newlines_become_word_tabs_and_breaks(tmp_path):
    document = Document(Metadata(title="t"), (Paragraph((Text("a\tb\nc"),)),))
    word = docx.Document(str(render_docx(document, tmp_path / "t.docx")))
    run = next(p for p in word.paragraphs if "a" in p.text and "c" in p.text)._p
    assert run.find(f".//{W}tab") is not None and run.find(f".//{W}br") is not None
    assert run.find(f".//{W}br").get(qn("w:type")) is None  # a line break, not a page break


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(blacklist_categories=()), max_size=40))
def test_any_text_renders_to_valid_xml(tmp_path, text):
    document = Document(
        Metadata(title=text or "x"),
        (Paragraph((Text(text),)), Table(header_rows=((text,),), rows=((text,),))),
    )
    path = render_docx(document, tmp_path / "any.docx")
    with zipfile.ZipFile(path) as package:
        etree.fromstring(package.read("word/document.xml"))
    assert docx.Document(str(path)).paragraphs[0].text == clean_text(text or "x")
