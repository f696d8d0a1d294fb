"""Pictures: figures from image bytes or a drawn chart, and the cover band."""

from __future__ import annotations

import io

from docx.image.exceptions import UnrecognizedImageError
from docx.image.image import Image
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu

from briefing_app.document import Figure
from briefing_app.errors import RenderError
from briefing_app.render.chart_cache import chart_png
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
        spec = figure.chart or figure.map  # a map is drawn like a chart, in its own height
        if spec is None:
            return None
        width_in = width_emu / 914400
        try:
            return chart_png(
                spec,
                width_in=width_in,
                height_in=width_in * _CHART_ASPECT,
                theme=self._theme,
            )
        except (ValueError, TypeError, RuntimeError) as exc:
            raise RenderError(
                f"the {'map' if figure.map else 'chart'} of {figure.caption_label!r} "
                f"could not be drawn: {exc}"
            ) from exc


def cover_band(part, width_emu: int, theme: Theme):
    """A ``wp:anchor`` picture: a band in the theme's primary colour with an
    accent rule, across the top edge of the page, behind the text, as on the
    PDF cover. A picture pinned to the page corner ignores the margins in
    Word and LibreOffice alike; ``part`` is the story (header) holding it."""
    from PIL import Image as PILImage  # Pillow comes with matplotlib

    primary = theme.colours.get("primary", "#1F3864")
    accent = theme.colours.get("accent", "#2E75B6")
    band = PILImage.new("RGB", (8, 31), primary)
    band.paste(PILImage.new("RGB", (8, 3), accent), (0, 28))  # 14 mm band, 1.5 mm rule
    buffer = io.BytesIO()
    band.save(buffer, "PNG")
    height_emu = int(15.5 * 36000)
    inline = part.new_pic_inline(io.BytesIO(buffer.getvalue()), Emu(width_emu), Emu(height_emu))
    # Drawing ids should be unique across the whole file; python-docx counts
    # only within the header, so take one far above the body's pictures.
    inline.docPr.set("id", "9001")
    inline.docPr.set("name", "Cover band")
    inline.docPr.set("descr", "")
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="0" distR="0" '
        'simplePos="0" relativeHeight="251658240" behindDoc="1" locked="1" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/></wp:anchor>'
    )
    for tag in ("wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"):
        anchor.append(inline.find(qn(tag)))
    return anchor
