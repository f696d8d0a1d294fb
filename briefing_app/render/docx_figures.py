"""Figures: a picture paragraph from image bytes or a drawn chart."""

from __future__ import annotations

import io

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Emu

from briefing_app.document import Figure
from briefing_app.errors import RenderError
from briefing_app.render.docx_styles import StyleMap
from briefing_app.render.docx_text import clean_text
from briefing_app.render.theme import Theme

_EMU_PER_TWIP = 635
_MAX_HEIGHT_SHARE = 0.6  # of the text height, so a caption fits beside a tall picture
_CHART_ASPECT = 3.2 / 6.3


class FigureWriter:
    def __init__(self, document_part, styles: StyleMap, theme: Theme) -> None:
        self._part = document_part
        self._style = styles.paragraph("Figure")
        self._theme = theme

    def picture(self, figure: Figure, text_width: int, text_height: int):
        """The picture paragraph for ``figure`` (sizes in twips), or None
        when the figure has neither an image nor a chart."""
        fraction = min(1.0, max(0.1, figure.width_fraction or 1.0))
        width = int(text_width * _EMU_PER_TWIP * fraction)
        data = figure.image or self._chart(figure, width)
        if not data:
            return None
        try:
            image = Image.from_blob(data)
        except (UnrecognizedImageError, ValueError, IndexError) as exc:
            raise RenderError(
                f"the picture of {figure.caption_label!r} is not a PNG or JPEG image"
            ) from exc
        height = int(width * image.px_height / max(1, image.px_width))
        limit = int(text_height * _EMU_PER_TWIP * _MAX_HEIGHT_SHARE)
        if height > limit:
            width, height = int(width * limit / height), limit
        inline = self._part.new_pic_inline(io.BytesIO(data), Emu(width), Emu(height))
        inline.docPr.set("descr", clean_text(figure.caption_label))  # alt text for screen readers
        paragraph = parse_xml(
            f'<w:p {nsdecls("w")}><w:pPr><w:pStyle w:val="{self._style}"/><w:keepNext/>'
            '<w:jc w:val="center"/></w:pPr></w:p>'
        )
        paragraph.add_r().add_drawing(inline)
        return paragraph

    def _chart(self, figure: Figure, width_emu: int) -> bytes | None:
        if figure.chart is None:
            return None
        from briefing_app.render.charts import render_chart_png  # matplotlib loads only when needed

        width_in = width_emu / 914400
        try:
            return render_chart_png(
                figure.chart,
                width_in=width_in,
                height_in=width_in * _CHART_ASPECT,
                theme=self._theme,
            )
        except (ValueError, TypeError, RuntimeError) as exc:
            raise RenderError(
                f"the chart of {figure.caption_label!r} could not be drawn: {exc}"
            ) from exc
