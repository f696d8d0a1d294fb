"""Text that breaks documents: Markdown -> document model -> Word and PDF.

Each case goes the whole way a section's text goes: Markdown is converted to
the document model, then written by both renderers. The Word file must be a
sound zip whose XML parts all parse and that python-docx reopens; the PDF
must be readable by pypdf. For characters no bundled font can draw, the PDF
renderer refuses with MissingGlyphError and leaves no file (the designed
behaviour): the test accepts that, and only that, in place of a PDF.

``tests/render/test_docx_text.py`` and ``test_pdf_text_property.py`` throw
random text at the renderers' own cleaning; this file adds the Markdown
step, whole documents of it, and sizes (long words, long tables).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from tempfile import TemporaryDirectory

import docx
import pypdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from briefing_app.assembly import Selection, render_template
from briefing_app.assembly.markdown_model import MarkdownError, markdown_to_blocks
from briefing_app.document import Document, Heading, Metadata, Paragraph, Table, Text, document_text
from briefing_app.errors import MissingGlyphError, TemplateError
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.pdf_backend import render_pdf

CONTROLS = "".join(chr(c) for c in [*range(0, 32), 127, *range(0x80, 0xA0)])
TEXTS = {
    "every-control-character": f"Before{CONTROLS}after.",
    "lone-surrogates": "half \ud800 pair \udfff and \udbff\udc00 reversed \udc00\ud800 end",
    "xml-forbidden": "forbidden \ufffe \uffff \x0b \x0c \U0010ffff \ud7ff \ue000 end",
    "right-to-left": (
        "Arabic: مرحبا بكم في الصين. Hebrew: שלום עולם. Mixed \u202eevil override\u202c done."
    ),
    "bidi-isolates": "\u2066isolate\u2069 \u2067rtl\u2069 \u200f\u200e\u061c marks",
    "combining-marks": "Zalgo: e"
    + "\u0301\u0300\u0302\u0308\u0323" * 40
    + " and a\u0338\u20dd end.",
    "emoji": (
        "Flags 🇪🇺🇨🇳, family 👩\u200d👩\u200d👧\u200d👦, skin 👍🏽, keycap 1\ufe0f\u20e3 🙂 end."
    ),
    "cjk-and-vietnamese": "杭州萧山 and Đồng bằng sông Đỏ, 한국어, カタカナ end.",
    "zero-width-and-bom": "zero\u200bwidth\u200c\u200d\ufeff joiners\u2028line\u2029para",
    "ten-thousand-character-word": "Start " + "x" * 10_000 + " end.",
    "long-url-word": "See https://example.org/" + "a/" * 3000 + " now.",
}

MARKDOWN_EDGES = {
    "empty": "",
    "only-blank-lines": "\n\n   \n\t\n",
    "unclosed-emphasis": "**bold *italic `code [link(",
    "deep-nesting": "".join("  " * i + "- level\n" for i in range(60)),
    "deep-quotes": ">" * 200 + " quoted",
    "heading-levels": "\n".join("#" * n + " Heading" for n in range(1, 10)),
    "ragged-table": "| a | b |\n|---|---|\n| 1 |\n| 1 | 2 | 3 | 4 |\n",
    "table-only-header": "| a | b |\n|---|---|\n",
    "html-and-script": "<script>alert(1)</script> <b>x</b> <!-- c --> <w:p/> &amp; &#0; &#xD800;",
    "links": "[js](javascript:alert(1)) [empty]() [rel](../../etc/passwd) <https://x.org/%00>",
    "footnotes": "Text[^1] and[^missing].\n\n[^1]: Note [^1] itself.\n[^2]: Unused.",
    "code-fence-unclosed": "```python\nprint('never closed')\n",
    "entities": "&nbsp;&lt;&gt;&quot;&#x1F600;&#1114112;",
    "reference-loops": "[a][b]\n\n[b]: <c>\n[c]: <b>\n",
    "thousand-inline": "*a* " * 1000,
    "backslashes": "\\" * 501 + "*",
}


def assert_sound_docx(path: Path) -> docx.Document:
    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None
        for name in package.namelist():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(package.read(name))
    return docx.Document(str(path))


def write_both(document: Document, folder: Path) -> tuple[docx.Document, pypdf.PdfReader | None]:
    """Write Word and PDF; (reopened Word, reopened PDF or None when glyphs are missing)."""
    word = assert_sound_docx(render_docx(document, folder / "t.docx"))
    target = folder / "t.pdf"
    try:
        render_pdf(document, target)
    except MissingGlyphError as error:
        assert error.characters and str(error).startswith("no installed font can draw")
        assert not target.exists(), "a refused PDF must leave no file"
        assert [p.name for p in folder.iterdir()] == ["t.docx"], "no temporary file may remain"
        return word, None
    reader = pypdf.PdfReader(str(target))
    assert len(reader.pages) >= 1
    for page in reader.pages:
        page.extract_text()
    return word, reader


def document_of(markdown: str, title: str = "Hostile") -> Document:
    blocks = markdown_to_blocks(markdown)
    return Document(Metadata(title=title), (Heading(1, title, "1", "hostile"), *blocks))


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_hostile_text_in_every_place(tmp_path, text):
    markdown = (
        f"# {text}\n\n{text}\n\n- {text}\n\n| {text[:200]} | b |\n|---|---|\n| {text[:200]} | c |\n"
    )
    document = Document(
        Metadata(title=text[:300], subtitle=text[:300], author=text[:100]),
        (
            *markdown_to_blocks(markdown),
            Paragraph((Text(text, bold=True), Text(text, link=text[:50]))),
        ),
    )
    word, pdf = write_both(document, tmp_path)
    tail = text[-4:]  # every case ends in plain letters that must survive
    assert tail.isascii() and tail.isprintable()
    assert any(p.text.endswith(tail) for p in word.paragraphs)
    if pdf is not None:
        assert tail in "".join(page.extract_text() for page in pdf.pages).replace("\n", "")


def test_emoji_pdf_is_refused_clearly_or_printed(tmp_path):
    document = document_of("A smile 🙂 and a flag 🇪🇺.")
    _word, pdf = write_both(document, tmp_path)
    if pdf is None:
        with pytest.raises(MissingGlyphError, match="U\\+1F642"):
            render_pdf(document, tmp_path / "again.pdf")


@pytest.mark.parametrize("markdown", MARKDOWN_EDGES.values(), ids=MARKDOWN_EDGES.keys())
def test_markdown_edge_cases(tmp_path, markdown):
    try:
        document = document_of(markdown)
    except MarkdownError as error:  # a clear refusal is fine; a crash is not
        assert str(error)
        return
    write_both(document, tmp_path)


def test_markdown_through_the_editor_stays_literal(shared_store, tmp_path):
    body = "{% raw %}<script>x</script> {{ not_jinja }}{% endraw %}\n\n" + TEXTS["right-to-left"]
    document = render_template(shared_store, Selection(), body, "editor")
    assert "<script>x</script> {{ not_jinja }}" in document_text(document)
    write_both(document, tmp_path)


def test_empty_section_gives_valid_files(shared_store, tmp_path):
    document = render_template(
        shared_store, Selection(), "---\nkey: e\ntitle: Empty\n---\n", "editor"
    )
    word, _pdf = write_both(document, tmp_path)
    assert any("Empty" in p.text for p in word.paragraphs)


def test_a_five_thousand_row_table(tmp_path):
    rows = tuple((f"Cluster {i}", f"城市 {i}", f"{i * 1.5:.1f}") for i in range(5000))
    document = Document(
        Metadata(title="Big table"),
        (
            Heading(1, "Table", "1", "t"),
            Table((("Name", "City", "Value"),), rows, caption="Many", number=1),
        ),
    )
    word, pdf = write_both(document, tmp_path)
    table = word.tables[-1]
    assert len(table.rows) == 5001 and table.cell(5000, 0).text == "Cluster 4999"
    assert pdf is not None and len(pdf.pages) > 50
    assert "Cluster 4999" in pdf.pages[-1].extract_text()


def test_a_template_producing_a_huge_table_is_still_valid(shared_store, tmp_path):
    body = (
        "| n | square |\n|---|---|\n"
        "{% for i in range(3000) %}| {{ i }} | {{ i * i }} |\n{% endfor %}"
    )
    document = render_template(shared_store, Selection(), body, "editor")
    assert len(document.tables()[0].rows) == 3000
    write_both(document, tmp_path)


# -- property-based: any Markdown the grammar below can make ---------------------

FRAGMENTS = st.sampled_from(
    [
        "# ",
        "## ",
        "###### ",
        "- ",
        "  - ",
        "1. ",
        "> ",
        "```",
        "**",
        "*",
        "_",
        "`",
        "[",
        "](",
        ")",
        "[^1]",
        "[^1]: ",
        "|",
        "|---|",
        "\n",
        "\n\n",
        "<b>",
        "</b>",
        "&amp;",
        "&#0;",
        "\\",
        "---",
        "***",
        "杭州",
        "مرحبا",
        "e\u0301",
        "\u202e",
        "\x00",
        "\ud800",
        "\ufffe",
        "🙂",
        "x" * 300,
        "{",
        "}",
    ]
)
MARKDOWN = st.lists(st.one_of(FRAGMENTS, st.text(max_size=12)), max_size=40).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKDOWN)
def test_any_markdown_gives_valid_files_or_a_clear_refusal(markdown):
    try:
        document = document_of(markdown)
    except MarkdownError as error:
        assert str(error)
        return
    with TemporaryDirectory() as folder:
        write_both(document, Path(folder))


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(MARKDOWN)
def test_any_text_in_the_editor_renders_or_is_a_template_error(shared_store, markdown):
    try:
        document = render_template(shared_store, Selection(), markdown, "editor")
    except TemplateError as error:
        assert error.section == "editor" and error.message
        return
    with TemporaryDirectory() as folder:
        write_both(document, Path(folder))
