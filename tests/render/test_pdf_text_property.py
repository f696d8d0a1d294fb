"""Any text either prints or is refused with MissingGlyphError: never a crash."""

from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefing_app.document import (
    Document,
    Footnote,
    FootnoteRef,
    Heading,
    Metadata,
    Paragraph,
    Table,
    Text,
)
from briefing_app.errors import MissingGlyphError
from briefing_app.render.pdf_backend import render_pdf

# Markup-like characters and CJK are drawn often, so escaping and font
# switching meet them; anything else in Unicode may turn up too.
TRICKY = st.sampled_from(list("<>&\"';/=#杭州蕭山 \n\t\x00\x1b\u200b\ufeffé"))
TEXT = st.lists(st.one_of(TRICKY, st.characters()), max_size=60).map("".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(heading=TEXT, body=TEXT, cell=TEXT, link=TEXT)
def test_any_text_prints_or_is_refused_cleanly(heading, body, cell, link):
    document = Document(
        Metadata(title=heading or "Title"),
        (
            Heading(1, heading, "1", heading),
            Paragraph((Text(body, bold=True), Text(cell, link=link or None), FootnoteRef(1))),
            Table((("Header",),), ((cell,), ((Text(body, italic=True),),)), caption=cell, number=1),
        ),
        (Footnote(1, (Text(body),)),),
    )
    with TemporaryDirectory() as folder:
        target = Path(folder) / "any.pdf"
        try:
            render_pdf(document, target)
        except MissingGlyphError as error:
            assert set(error.characters) <= set(heading + body + cell)
            assert not target.exists()
            return
        assert len(PdfReader(str(target)).pages) >= 2
