"""Style names to style ids, for a reference document we did not write.

WordprocessingML refers to styles by id ("Heading1"), people and this
renderer by name ("Heading 1"). A user's reference.docx may come from a
localised Word (ids like "berschrift1") or lack one of our custom styles, so
the renderer asks this map, which answers with the id found in the file or
falls back (to the default paragraph style, or to no character style).
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement


class StyleMap:
    """Look up paragraph and character style ids by case-insensitive name."""

    def __init__(self, styles) -> None:
        self._element = styles.element
        self._paragraph: dict[str, str] = {}
        self._character: dict[str, str] = {}
        self._table: dict[str, str] = {}
        self.default_paragraph = "Normal"
        for style in styles:
            key = (style.name or "").lower()
            if style.type == WD_STYLE_TYPE.PARAGRAPH:
                self._paragraph[key] = style.style_id
                if style.element.get(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}default"
                ) in ("1", "true"):
                    self.default_paragraph = style.style_id
            elif style.type == WD_STYLE_TYPE.CHARACTER:
                self._character[key] = style.style_id
            elif style.type == WD_STYLE_TYPE.TABLE:
                self._table[key] = style.style_id

    def paragraph(self, *names: str) -> str:
        """Id of the first of ``names`` the file defines, else the default style."""
        for name in names:
            found = self._paragraph.get(name.lower())
            if found:
                return found
        return self.default_paragraph

    def character(self, name: str) -> str | None:
        return self._character.get(name.lower())

    def table(self, name: str) -> str | None:
        return self._table.get(name.lower())

    def has_paragraph(self, name: str) -> bool:
        return name.lower() in self._paragraph

    def numbers_itself(self, style_id: str) -> bool:
        """Whether paragraphs in this style get a list number from Word.

        An organisation's reference file may number its headings through a
        multi-level list; printing our own number as well would show "1 1".
        """
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = self._element.get_by_id(style_id)
            if style is None:
                return False
            num = style.find(f"{_W}pPr/{_W}numPr/{_W}numId")
            if num is not None:
                return num.get(f"{_W}val") not in (None, "0")
            based = style.find(f"{_W}basedOn")
            style_id = based.get(f"{_W}val") if based is not None else ""
        return False


def match_complex_script(styles_element) -> None:
    """Give right-to-left text the size and emphasis the styles give Latin text.

    Word draws Arabic and Hebrew with a style's complex-script properties
    (``w:szCs``, ``w:bCs``, ``w:iCs``); a reference file that sets only
    ``w:sz`` and ``w:b`` shows Arabic headings small and thin. Each missing
    one is added beside its Latin twin, with the same value.
    """
    for rpr in styles_element.iter(f"{_W}rPr"):
        for latin, complex_script in _COMPLEX_SCRIPT_TWINS:
            twin = rpr.find(f"{_W}{latin}")
            if twin is None or rpr.find(f"{_W}{complex_script}") is not None:
                continue
            added = OxmlElement(f"w:{complex_script}")
            value = twin.get(f"{_W}val")
            if value is not None:
                added.set(f"{_W}val", value)
            twin.addnext(added)  # the schema puts each right after its twin


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_COMPLEX_SCRIPT_TWINS = (("b", "bCs"), ("i", "iCs"), ("sz", "szCs"))
