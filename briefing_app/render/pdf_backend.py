"""The PDF renderer: a neutral Document becomes a PDF file, here.

This module is the entry point that writes the file; the flowables are made
in ``pdf_story.py``. Page layout lives in ``pdf_pages.py``, inline markup in
``pdf_markup.py``, tables in ``pdf_tables.py``, vector charts in
``pdf_charts.py``, footnotes at the foot of the page that refers to them in
``pdf_footnotes.py`` (each linked from its superscript mark; a note nothing
refers to is listed at the end).

Before anything is written, every text of the document is checked against
the fonts: a character no bundled face can draw stops the build with
:class:`~briefing_app.errors.MissingGlyphError` rather than printing a box.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.platypus.doctemplate import LayoutError

from briefing_app import document as model
from briefing_app.document import Document, plain_text
from briefing_app.errors import MissingGlyphError, RenderError
from briefing_app.render.atomic import atomic_path
from briefing_app.render.pdf_fonts import FontSet, clean_text, find_missing_glyphs, register_fonts
from briefing_app.render.pdf_pages import BriefingDocTemplate, NumberedCanvas
from briefing_app.render.pdf_story import StoryBuilder
from briefing_app.render.pdf_styles import PdfStyles, make_styles
from briefing_app.render.theme import Theme, load_theme

Progress = Callable[[float], None]


@dataclass
class PreparedPdf:
    """What a PDF needs before its document is known: theme, fonts, styles.

    Made ahead by a process that waits for its document (``render_aside``);
    good for one document, since its styles keep what that one parsed.
    With ``keep_later``, what was parsed is written to the cache by the
    caller (``styles.keep_parsed()``), once it has handed the file over.
    """

    theme: Theme
    fonts: FontSet
    styles: PdfStyles
    keep_later: bool = False


def prepare_pdf(theme: Theme | None = None) -> PreparedPdf:
    theme = theme or load_theme()
    fonts = register_fonts(theme)
    return PreparedPdf(theme, fonts, make_styles(theme, fonts))


def render_pdf(
    document: Document,
    path: Path | str,
    theme: Theme | None = None,
    progress: Progress | None = None,
    prepared: PreparedPdf | None = None,
) -> Path:
    """Write ``document`` as a PDF at ``path``, whole or not at all.

    ``progress(fraction)`` is called as pages are laid out; if it raises
    (:class:`~briefing_app.errors.Cancelled`), the error propagates and any
    earlier file at ``path`` is left as it was. ``prepared`` (from
    :func:`prepare_pdf`, used once) stands for ``theme``.
    """
    # Laying out a long briefing makes hundreds of thousands of small objects
    # and few reference cycles: the cyclic collector, run over and over on
    # them, took a sixth of the time. It is paused while the PDF is made
    # (as it was, if it was on) and the cycles are freed afterwards as usual.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _render_pdf(document, path, prepared or prepare_pdf(theme), progress)
    finally:
        if collecting:
            gc.enable()


def _render_pdf(
    document: Document, path: Path | str, prepared: PreparedPdf, progress: Progress | None
) -> Path:
    theme, fonts, styles = prepared.theme, prepared.fonts, prepared.styles
    check_glyphs(document, fonts)
    if progress is not None:
        progress(0.0)
    builder = StoryBuilder(document, theme, styles)
    story = builder.build()
    target = Path(path)
    with atomic_path(target) as temporary:
        template = BriefingDocTemplate(
            str(temporary),
            document.metadata,
            theme,
            styles,
            flowable_count=len(story),
            progress=progress,
            notes=builder.ledger,
        )
        try:
            # One pass: contents know their lines in advance and get their page
            # numbers when the file is saved; footnotes find their page as
            # the text is laid out (pdf_footnotes.py).
            template.build(story, canvasmaker=NumberedCanvas)
        except LayoutError as exc:
            # e.g. a picture or an unsplittable row taller than a page.
            raise RenderError(f"the PDF could not be laid out: {exc}") from exc
        if progress is not None:
            progress(1.0)
    if not prepared.keep_later:
        styles.keep_parsed()
    return target


def check_glyphs(document: Document, fonts: FontSet) -> None:
    """Raise MissingGlyphError if any text holds a character no font draws.

    The error lists every such character in the document (so one fix covers
    them all) and names the first place where one occurs.
    """
    places = list(_document_texts(document))
    # Every character of the document once: nearly always all drawn, and the
    # places are searched only when one is not (about 5 ms of 8 on the China PDF).
    every_char: set[str] = set()
    for _context, texts in places:
        for text in texts:
            every_char.update(text)
    if not find_missing_glyphs(clean_text("".join(every_char)), fonts):
        return
    missing: dict[str, None] = {}
    first_context = ""
    for context, texts in places:
        found = find_missing_glyphs(clean_text("".join(texts)), fonts)
        if found:
            first_context = first_context or context
            missing.update(dict.fromkeys(found))
    if missing:
        raise MissingGlyphError("".join(missing), first_context)


def _document_texts(document: Document) -> Iterator[tuple[str, list[str]]]:
    meta = document.metadata
    yield (
        "cover",
        [
            meta.title,
            meta.subtitle,
            meta.author,
            meta.subject,
            *meta.keywords,
            meta.abstract,
            meta.disclaimer,
            meta.copyright,
            meta.header_text,
            *(r.label + r.value for r in meta.cover_rows),
        ],
    )
    for block in document.blocks:
        if isinstance(block, model.Heading):
            yield f"heading {block.label!r}", [block.label]
        elif isinstance(block, model.Paragraph):
            # Link targets are not printed, so they need no glyphs.
            yield f"paragraph {_preview(block.plain)!r}", [block.plain]
        elif isinstance(block, model.BulletList):
            texts = _list_texts(block)
            yield f"list {_preview(texts[0] if texts else '')!r}", texts
        elif isinstance(block, model.Table):
            cells = [plain_text(c) for row in block.header_rows + block.rows for c in row]
            yield (
                f"table {_preview(block.caption_label)!r}",
                [block.caption_label, plain_text(block.source), *cells],
            )
        elif isinstance(block, model.Figure):
            chart = block.chart
            chart_texts = (
                []
                if chart is None
                else [
                    chart.title,
                    chart.x_label,
                    chart.y_label,
                    chart.unit,
                    *chart.categories,
                    *(s.name for s in chart.series),
                ]
            )
            if block.map is not None:
                chart_texts += block.map.texts()
            yield (
                f"figure {_preview(block.caption_label)!r}",
                [block.caption_label, plain_text(block.source), *chart_texts],
            )
        elif isinstance(block, (model.TableOfContents, model.ListOfTables, model.ListOfFigures)):
            yield f"contents {block.title!r}", [block.title]
    for note in document.footnotes:
        yield f"footnote {note.number}", [plain_text(note.runs)]


def _list_texts(bullets: model.BulletList) -> list[str]:
    texts: list[str] = []
    for item in bullets.items:
        texts.append(plain_text(item.runs))
        if item.children:
            texts.extend(_list_texts(item.children))
    return texts


def _preview(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
