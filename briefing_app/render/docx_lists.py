"""Bulleted and numbered lists: the numbering definitions they point to.

Word numbers list paragraphs through ``word/numbering.xml``: an abstract
definition says how each nesting level looks, and a numbering instance
(``w:num``) points at it. Paragraphs sharing an instance count on from each
other, so every ordered list gets its own instance that restarts at 1; a
bulleted list has nothing to count and all of them share one.
"""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

LEVELS = 9
_BULLETS = ("\u2022", "\u2013", "\u25aa")  # bullet, en dash, small square, repeating
_ORDERED = (("decimal", "%{n}."), ("lowerLetter", "%{n})"), ("lowerRoman", "%{n}."))
_STEP = 340  # twips of indent per level (6 mm)
_HANGING = 284  # room for the bullet or number (5 mm)


class ListNumbering:
    """Adds our two abstract definitions to a numbering part and hands out instances."""

    def __init__(self, numbering) -> None:
        self._numbering = numbering
        taken = [int(a.get(qn("w:abstractNumId"))) for a in numbering.findall(qn("w:abstractNum"))]
        base = max(taken, default=-1) + 1
        self._bullet_abstract = base
        self._ordered_abstract = base + 1
        self._add_abstract(base, ordered=False)
        self._add_abstract(base + 1, ordered=True)
        self._bullet_num: int | None = None

    def new_list(self, ordered: bool) -> int:
        """The ``w:numId`` for a new list: fresh for ordered lists, shared for bullets."""
        if not ordered:
            if self._bullet_num is None:
                self._bullet_num = self._add_num(self._bullet_abstract, restart=False)
            return self._bullet_num
        return self._add_num(self._ordered_abstract, restart=True)

    def _add_abstract(self, abstract_id: int, ordered: bool) -> None:
        levels = "".join(_level(i, ordered) for i in range(LEVELS))
        element = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:nsid w:val="{0x4B1E0000 + abstract_id:08X}"/>'
            f'<w:multiLevelType w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
        )
        # Every abstractNum must precede the first w:num (schema order).
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            self._numbering.append(element)

    def _add_num(self, abstract_id: int, restart: bool) -> int:
        used = [int(n.get(qn("w:numId"))) for n in self._numbering.findall(qn("w:num"))]
        num_id = max(used, default=0) + 1
        overrides = ""
        if restart:
            overrides = "".join(
                f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="1"/></w:lvlOverride>'
                for i in range(LEVELS)
            )
        element = parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{num_id}">'
            f'<w:abstractNumId w:val="{abstract_id}"/>{overrides}</w:num>'
        )
        cleanup = self._numbering.find(qn("w:numIdMacAtCleanup"))
        if cleanup is not None:
            cleanup.addprevious(element)
        else:
            self._numbering.append(element)
        return num_id


def _level(index: int, ordered: bool) -> str:
    left = _STEP * index + _STEP + _HANGING // 2
    if ordered:
        fmt, pattern = _ORDERED[index % len(_ORDERED)]
        text = pattern.format(n=index + 1)
        font = ""
    else:
        fmt, text = "bullet", _BULLETS[index % len(_BULLETS)]
        font = '<w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:hint="default"/></w:rPr>'
    return (
        f'<w:lvl w:ilvl="{index}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{_HANGING}"/></w:pPr>{font}</w:lvl>'
    )
