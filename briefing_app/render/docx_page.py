"""Page geometry, landscape sections, running header and page-number footer.

Word stores a section's page setup at its END: in the paragraph that closes
it, or in the body's last ``w:sectPr`` for the final section. A landscape
table therefore gets an empty section-closing paragraph before it (closing
the portrait pages) and one after it (closing the landscape pages). The
properties of those paragraphs are filled in :meth:`PageSetup.finish`, once
the body's own section has its header and footer, by copying it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Twips

from briefing_app.render.theme import Theme

_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
_TWIPS_PER_MM = 1440 / 25.4


class PageSetup:
    """Page size and margins of the body, and the sections a document needs."""

    def __init__(self, sect_pr, page_size: str, theme: Theme) -> None:
        self.sect_pr = sect_pr
        width_mm, height_mm = _SIZES_MM.get(page_size, _SIZES_MM["A4"])
        margins = theme.margins_mm
        self._width = round(width_mm * _TWIPS_PER_MM)
        self._height = round(height_mm * _TWIPS_PER_MM)
        self._margins = {
            side: round(margins.get(side, 20.0) * _TWIPS_PER_MM)
            for side in ("top", "bottom", "left", "right")
        }
        sect_pr.page_width, sect_pr.page_height = Twips(self._width), Twips(self._height)
        sect_pr.orientation = WD_ORIENT.PORTRAIT
        sect_pr.top_margin = Twips(self._margins["top"])
        sect_pr.bottom_margin = Twips(self._margins["bottom"])
        sect_pr.left_margin = Twips(self._margins["left"])
        sect_pr.right_margin = Twips(self._margins["right"])
        sect_pr.header = Mm(12)  # distance of the running header from the page edge
        sect_pr.footer = Mm(10)
        sect_pr.gutter = Twips(0)
        self.landscape = False
        self._breaks: list[tuple[object, bool]] = []  # closing paragraph, was landscape

    @property
    def page_width(self) -> int:
        """Width of a portrait page, in twips."""
        return self._width

    @property
    def text_width(self) -> int:
        """Width between the margins, in twips, for the current orientation."""
        page = self._height if self.landscape else self._width
        return page - self._margins["left"] - self._margins["right"]

    @property
    def text_height(self) -> int:
        page = self._width if self.landscape else self._height
        return page - self._margins["top"] - self._margins["bottom"]

    def orient(self, append: Callable[[object], None], landscape: bool) -> None:
        """Start a new section if the next block needs the other orientation."""
        if landscape == self.landscape:
            return
        closing = parse_xml(f"<w:p {nsdecls('w')}><w:pPr/></w:p>")
        append(closing)
        self._breaks.append((closing, self.landscape))
        self.landscape = landscape

    def finish(self, word, header_xml: str, footer_xml: str) -> None:
        """Header and footer (none on the cover), then the section breaks."""
        section = word.sections[0]
        section.different_first_page_header_footer = True
        for story, xml in (
            (section.header, header_xml),
            (section.footer, footer_xml),
            (section.first_page_header, "<w:p/>"),
            (section.first_page_footer, "<w:p/>"),
        ):
            story.is_linked_to_previous = False
            _replace_content(story.part.element, xml)
        self._set_orientation(self.sect_pr, self.landscape)
        for number, (closing, landscape) in enumerate(self._breaks):
            sect_pr = copy.deepcopy(self.sect_pr)
            if number > 0:  # later sections inherit header/footer; only the first has a cover
                for tag in ("w:headerReference", "w:footerReference", "w:titlePg"):
                    for element in sect_pr.findall(qn(tag)):
                        sect_pr.remove(element)
            self._set_orientation(sect_pr, landscape)
            closing.find(qn("w:pPr")).append(sect_pr)
        if self._breaks:
            for element in self.sect_pr.findall(qn("w:titlePg")):
                self.sect_pr.remove(element)

    def _set_orientation(self, sect_pr, landscape: bool) -> None:
        if landscape:
            sect_pr.orientation = WD_ORIENT.LANDSCAPE
            sect_pr.page_width, sect_pr.page_height = Twips(self._height), Twips(self._width)
        else:
            sect_pr.orientation = WD_ORIENT.PORTRAIT
            sect_pr.page_width, sect_pr.page_height = Twips(self._width), Twips(self._height)


def _replace_content(story, xml: str) -> None:
    for child in list(story):
        story.remove(child)
    wrapper = parse_xml(f"<w:hdr {nsdecls('w', 'r')}>{xml}</w:hdr>")
    for child in list(wrapper):
        story.append(child)
