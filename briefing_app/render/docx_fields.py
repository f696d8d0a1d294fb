"""Word fields and bookmarks: contents, caption numbers, page numbers.

A field is written as a "complex field": begin mark, instruction, separator,
the result a reader shows until Word recalculates, end mark. The results we
write are real (heading labels, caption numbers), so viewers that never
update fields (LibreOffice's converter, previewers) still show content, and
``w:updateFields`` asks Word to refresh everything when the file is opened.
"""

from __future__ import annotations

import hashlib
import re

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from briefing_app.render.docx_text import escape

_BEGIN = '<w:r><w:fldChar w:fldCharType="begin"{dirty}/></w:r>'
_INSTRUCTION = '<w:r><w:instrText xml:space="preserve"> {text} </w:instrText></w:r>'
_SEPARATE = '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
_END = '<w:r><w:fldChar w:fldCharType="end"/></w:r>'


def field_start(instruction: str, dirty: bool = False) -> str:
    """Begin mark, instruction and separator; the result follows, then :func:`field_end`."""
    mark = ' w:dirty="true"' if dirty else ""
    return _BEGIN.format(dirty=mark) + _INSTRUCTION.format(text=escape(instruction)) + _SEPARATE


def field_end() -> str:
    return _END


def field(instruction: str, result_xml: str, dirty: bool = False) -> str:
    """A whole field inside one paragraph, with ``result_xml`` as its shown result."""
    return field_start(instruction, dirty) + result_xml + field_end()


def toc_instruction(max_level: int) -> str:
    """Contents from heading styles 1..max_level, entries as links, no page
    numbers in web view."""
    return f'TOC \\o "1-{max(1, min(max_level, 9))}" \\h \\z \\u'


def caption_list_instruction(label: str) -> str:
    """A list of tables or figures: every caption numbered with ``SEQ label``."""
    return f'TOC \\h \\z \\c "{label}"'


def seq_instruction(label: str) -> str:
    return f"SEQ {label} \\* ARABIC"


def bookmark(bookmark_id: int, name: str, content_xml: str) -> str:
    """``content_xml`` enclosed in a bookmark (the target of links and references)."""
    return (
        f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{escape(name)}"/>'
        f'{content_xml}<w:bookmarkEnd w:id="{bookmark_id}"/>'
    )


class BookmarkNames:
    """Word-safe, unique bookmark names for anchors.

    Word accepts letters, digits and underscores, at most 40 characters,
    starting with a letter; a name starting with an underscore is hidden from
    the user's bookmark list, which suits names made up for captions.
    """

    MAX = 40

    def __init__(self) -> None:
        self._by_anchor: dict[str, str] = {}
        self._taken: set[str] = set()
        self._next_id = 1

    def for_anchor(self, anchor: str) -> str:
        """The name for ``anchor``; the same anchor always gets the same name."""
        if anchor not in self._by_anchor:
            self._by_anchor[anchor] = self._claim(self._safe(anchor))
        return self._by_anchor[anchor]

    def hidden(self, stem: str, prefix: str = "_Toc") -> str:
        """A fresh hidden name such as ``_Toc_c3``: ``_Toc`` for contents
        targets, ``_Ref`` for cross-references, as Word names its own."""
        return self._claim(f"{prefix}_{stem}")

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def _safe(self, anchor: str) -> str:
        name = re.sub(r"\W", "_", anchor, flags=re.ASCII).strip("_") or "anchor"
        if not name[0].isalpha():
            name = "h_" + name
        if len(name) > self.MAX:
            digest = hashlib.sha1(anchor.encode("utf-8", "replace")).hexdigest()[:8]
            name = name[: self.MAX - 9] + "_" + digest
        return name

    def _claim(self, name: str) -> str:
        candidate, n = name, 2
        while candidate.lower() in self._taken:  # Word compares names case-blind
            suffix = f"_{n}"
            candidate = name[: self.MAX - len(suffix)] + suffix
            n += 1
        self._taken.add(candidate.lower())
        return candidate


# Children of w:settings that must come after w:updateFields / w:footnotePr
# (ECMA-376 part 1, CT_Settings sequence); Word rejects a misplaced element.
_AFTER_UPDATE_FIELDS = (
    "hdrShapeDefaults",
    "footnotePr",
    "endnotePr",
    "compat",
    "docVars",
    "rsids",
    "mathPr",
    "attachedSchema",
    "themeFontLang",
    "clrSchemeMapping",
    "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures",
    "forceUpgrade",
    "captions",
    "readModeInkLockDown",
    "smartTagType",
    "schemaLibrary",
    "shapeDefaults",
    "doNotEmbedSmartTags",
    "decimalSymbol",
    "listSeparator",
)


def insert_setting(settings, element, successors: tuple[str, ...]) -> None:
    """Put ``element`` in ``settings`` before the first of ``successors``,
    replacing an element of the same tag."""
    for old in settings.findall(element.tag):
        settings.remove(old)
    for name in successors:
        follower = settings.find(qn(f"w:{name}"))
        if follower is not None:
            follower.addprevious(element)
            return
    settings.append(element)


def update_fields_on_open(settings) -> None:
    """Ask Word to recalculate contents, lists and page references on open."""
    element = parse_xml(f'<w:updateFields {nsdecls("w")} w:val="true"/>')
    insert_setting(settings, element, _AFTER_UPDATE_FIELDS)


def after(name: str) -> tuple[str, ...]:
    """The settings that follow ``name`` in schema order."""
    index = _AFTER_UPDATE_FIELDS.index(name)
    return _AFTER_UPDATE_FIELDS[index + 1 :]
