"""Build ``templates/reference.docx``: the Word styles every briefing uses.

The Word renderer takes all looks from this file by style NAME ('Heading 1',
'Caption', 'Table Text', ...), so an organisation can replace it with its own
(keeping the names) and every exported briefing follows the house style. This
script makes the shipped default from python-docx's blank template and the
theme's fonts and colours. Run it after changing ``theme.yaml``:

    python3 templates/make_reference_docx.py

Styles the exporter uses (a missing one falls back to the next in line, then
to Normal): Title, Subtitle, Abstract, Copyright, Disclaimer (cover);
Heading 1-9, Body Text, Quote, Note, Source; List Bullet (2, 3), List Number
(2, 3); Caption, Figure; TOC Heading, TOC 1-4, Table of Figures; Table Grid
(table style), Table Text, Table Heading; Header, Footer; Footnote Text;
character styles Hyperlink, Code, Footnote Reference.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from anywhere
    sys.path.insert(0, str(ROOT))

import docx  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml import parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from docx.shared import Mm, Pt, RGBColor  # noqa: E402

from briefing_app.render.theme import Theme, load_theme  # noqa: E402


def build_reference(theme: Theme, target: Path) -> Path:
    """Write the reference document for ``theme`` to ``target``."""
    document = docx.Document()
    _set_defaults(document, theme)
    _body_styles(document, theme)
    _heading_styles(document, theme)
    _contents_styles(document, theme)
    _table_styles(document, theme)
    _character_styles(document, theme)
    _write_specimen(document)
    props = document.core_properties
    props.title = "Briefing reference styles"
    props.author = "Briefing Builder"
    props.comments = "Styles for exported briefings; keep the style names when you restyle."
    props.revision = 1
    _drop_thumbnail(document)
    document.save(str(target))
    return target


# --- helpers ----------------------------------------------------------------


def _drop_thumbnail(document) -> None:
    """The blank template's preview picture would show every exported
    briefing as an empty page in file browsers."""
    rels = document.part.package.rels
    for rel_id, rel in list(rels.items()):
        if rel.reltype.endswith("/metadata/thumbnail"):
            del rels[rel_id]


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(_hex(colour))


def _style(document, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, based_on: str | None = "Normal"):
    """The style called ``name``, created when the blank template lacks it."""
    try:
        style = document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, kind)
        style.quick_style = True
    if based_on and kind == WD_STYLE_TYPE.PARAGRAPH and name != based_on:
        style.base_style = document.styles[based_on]
    return style


def _fonts(style, theme: Theme, latin: str | None = None) -> None:
    """Explicit Latin and East Asian fonts, replacing theme-font references."""
    rpr = style.element.get_or_add_rPr()
    for old in rpr.findall(qn("w:rFonts")):
        rpr.remove(old)
    latin = latin or theme.fonts["word_body"]
    fonts = parse_xml(
        f'<w:rFonts {nsdecls("w")} w:ascii="{latin}" w:hAnsi="{latin}" w:cs="{latin}" '
        f'w:eastAsia="{theme.fonts["word_east_asia"]}"/>'
    )
    rpr.insert(0, fonts)


def _look(style, size: float | None = None, colour: str | None = None, bold=None, italic=None):
    font = style.font
    if size is not None:
        font.size = Pt(size)
    if colour is not None:
        font.color.rgb = _rgb(colour)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def _spacing(style, before: float = 0, after: float = 0, line: float | None = None):
    fmt = style.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def _border(style, side: str, colour: str, size_eighths: int = 6, space: int = 4) -> None:
    """A rule on one side of a paragraph style (``side``: top/bottom/left)."""
    ppr = style.element.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is not None:
        ppr.remove(borders)
    borders = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:{side} w:val="single" w:sz="{size_eighths}" '
        f'w:space="{space}" w:color="{_hex(colour)}"/></w:pBdr>'
    )
    # pBdr sits after keepNext/keepLines/pageBreakBefore and before shd/tabs/spacing.
    anchor = None
    for tag in ("w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(borders)
    else:
        ppr.append(borders)


def _shade(style, colour: str) -> None:
    ppr = style.element.get_or_add_pPr()
    shd = parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{_hex(colour)}"/>')
    anchor = None
    for tag in ("w:tabs", "w:spacing", "w:ind", "w:jc", "w:outlineLvl"):
        anchor = ppr.find(qn(tag))
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(shd)
    else:
        ppr.append(shd)


# --- styles -------------------------------------------------------------------


def _set_defaults(document, theme: Theme) -> None:
    body, east = theme.fonts["word_body"], theme.fonts["word_east_asia"]
    size = int(theme.size("body") * 2)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    defaults.getparent().replace(
        defaults,
        parse_xml(
            f"<w:docDefaults {nsdecls('w')}><w:rPrDefault><w:rPr>"
            f'<w:rFonts w:ascii="{body}" w:hAnsi="{body}" w:cs="{body}" w:eastAsia="{east}"/>'
            f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'
            '<w:lang w:val="en-GB" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
            "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
            '<w:spacing w:after="120" w:line="264" w:lineRule="auto"/>'
            "</w:pPr></w:pPrDefault></w:docDefaults>"
        ),
    )
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-GB")
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    _fonts(normal, theme)
    _look(normal, size=theme.size("body"), colour="#262626")


def _body_styles(document, theme: Theme) -> None:
    primary, accent, muted = theme.colour("primary"), theme.colour("accent"), theme.colour("muted")
    small = theme.size("small")

    body = _style(document, "Body Text")
    _spacing(body, after=8, line=1.15)
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.widow_control = True

    title = _style(document, "Title")
    _fonts(title, theme)
    _look(title, size=theme.size("title"), colour=primary, bold=True)
    _spacing(title, before=96, after=10, line=1.0)
    _border(title, "bottom", accent, size_eighths=18, space=8)
    rpr = title.element.get_or_add_rPr()
    for tag in ("w:spacing", "w:kern"):  # letter spacing of the blank template
        for old in rpr.findall(qn(tag)):
            rpr.remove(old)

    subtitle = _style(document, "Subtitle")
    _fonts(subtitle, theme)
    _look(subtitle, size=theme.size("heading2") + 1, colour=accent, italic=False)
    _spacing(subtitle, before=6, after=30)

    for name, size, colour, italic, after in (
        ("Abstract", theme.size("body"), "#262626", False, 12),
        ("Copyright", small + 1, primary, False, 6),
        ("Disclaimer", small, muted, False, 6),
        ("Source", small, muted, True, 12),
        ("Note", theme.size("body"), "#262626", False, 10),
    ):
        style = _style(document, name)
        _look(style, size=size, colour=colour, italic=italic)
        _spacing(style, after=after, line=1.1)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _border(document.styles["Abstract"], "left", accent, size_eighths=18, space=8)
    document.styles["Abstract"].paragraph_format.left_indent = Mm(3)
    _look(document.styles["Copyright"], bold=True)
    _spacing(document.styles["Source"], before=3, after=12)
    document.styles["Source"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    note = document.styles["Note"]
    _shade(note, theme.colour("table_stripe"))
    _border(note, "left", accent, size_eighths=18, space=6)
    note.paragraph_format.left_indent = Mm(3)

    quote = _style(document, "Quote")
    _look(quote, colour=muted, italic=True)
    quote.paragraph_format.left_indent = Mm(10)
    quote.paragraph_format.right_indent = Mm(10)
    _spacing(quote, before=4, after=10)

    caption = _style(document, "Caption")
    _look(caption, size=small + 1, colour=primary, bold=True)
    _spacing(caption, before=6, after=4, line=1.0)
    caption.paragraph_format.keep_with_next = True

    figure = _style(document, "Figure")
    figure.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    figure.paragraph_format.keep_with_next = True
    _spacing(figure, before=6, after=2, line=1.0)

    for name in (
        "List Bullet",
        "List Bullet 2",
        "List Bullet 3",
        "List Number",
        "List Number 2",
        "List Number 3",
        "List Paragraph",
    ):
        style = _style(document, name)
        _spacing(style, after=3, line=1.15)

    header, footer = _style(document, "Header"), _style(document, "Footer")
    for style in (header, footer):
        _look(style, size=small, colour=muted)
        _spacing(style, line=1.0)
    header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _border(header, "bottom", "#BFBFBF", size_eighths=4, space=4)
    footer.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    note_text = _style(document, "Footnote Text")
    _look(note_text, size=small)
    _spacing(note_text, after=0, line=1.0)
    note_ref = _style(document, "Footnote Reference", WD_STYLE_TYPE.CHARACTER, based_on=None)
    note_ref.font.superscript = True
    for style in (note_text, note_ref):  # Word knows these built-ins by lower-case name
        style.element.get_or_add_name().set(qn("w:val"), style.name.lower())


def _heading_styles(document, theme: Theme) -> None:
    primary, accent = theme.colour("primary"), theme.colour("accent")
    levels = (
        (theme.size("heading1"), primary, False, 20, 8),
        (theme.size("heading2"), primary, False, 14, 6),
        (theme.size("heading3"), accent, False, 12, 4),
        (theme.size("body") + 0.5, primary, True, 10, 3),
    )
    for level in range(1, 10):
        size, colour, italic, before, after = levels[min(level, 4) - 1]
        style = document.styles[f"Heading {level}"]
        _fonts(style, theme)
        _look(style, size=size, colour=colour, bold=True, italic=italic)
        _spacing(style, before=before, after=after, line=1.0)
        style.paragraph_format.keep_with_next = True
        rpr = style.element.get_or_add_rPr()
        colour_el = rpr.find(qn("w:color"))
        for attr in ("w:themeColor", "w:themeShade"):  # keep our colour, not the theme's
            colour_el.attrib.pop(qn(attr), None)
    _border(document.styles["Heading 1"], "bottom", accent, size_eighths=8, space=3)

    toc_heading = _style(document, "TOC Heading", based_on="Heading 1")
    _look(toc_heading, size=theme.size("heading1"), colour=primary)
    _spacing(toc_heading, before=18, after=8)


def _contents_styles(document, theme: Theme) -> None:
    for name, indent, bold, before in (
        ("TOC 1", 0, True, 5),
        ("TOC 2", 5, False, 1),
        ("TOC 3", 10, False, 0),
        ("TOC 4", 15, False, 0),
        ("Table of Figures", 0, False, 2),
    ):
        style = _style(document, name)
        style.element.get_or_add_name().set(qn("w:val"), name.lower())  # Word's built-in names
        _look(style, bold=bold)
        _spacing(style, before=before, after=1, line=1.1)
        fmt = style.paragraph_format
        fmt.left_indent = Mm(indent)
        style.unhide_when_used = True
        style.hidden = False


def _table_styles(document, theme: Theme) -> None:
    grid = document.styles["Table Grid"]
    tblpr = grid.element.find(qn("w:tblPr"))
    grid.element.replace(
        tblpr,
        parse_xml(
            f'<w:tblPr {nsdecls("w")}><w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>'
            + "".join(
                f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
            '<w:left w:w="85" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/>'
            '<w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        ),
    )
    text = _style(document, "Table Text")
    _look(text, size=theme.size("small") + 1)
    _spacing(text, after=0, line=1.0)
    head = _style(document, "Table Heading", based_on="Table Text")
    _look(head, bold=True, colour=theme.colour("table_header_text"))
    head.paragraph_format.keep_with_next = True


def _character_styles(document, theme: Theme) -> None:
    link = _style(document, "Hyperlink", WD_STYLE_TYPE.CHARACTER, based_on=None)
    link.font.color.rgb = _rgb(theme.colour("accent"))
    link.font.underline = True
    code = _style(document, "Code", WD_STYLE_TYPE.CHARACTER, based_on=None)
    code.font.name = "Consolas"
    code.font.size = Pt(theme.size("body") - 1)
    code.font.color.rgb = _rgb("#7F3F00")


def _write_specimen(document) -> None:
    """A short page showing the styles, for whoever restyles the file in Word.

    The renderer clears the body, so none of this reaches a briefing.
    """
    document.add_paragraph("Briefing reference styles", style="Title")
    document.add_paragraph("Restyle this file in Word, keep the style names", style="Subtitle")
    document.add_paragraph(
        "Every exported briefing takes its look from the styles defined here. "
        "Change fonts, colours and spacing of any style and save the file under "
        "the same name; renaming or deleting a style makes the exporter fall back "
        "to Normal for it.",
        style="Abstract",
    )
    document.add_paragraph("1 Heading 1", style="Heading 1")
    document.add_paragraph("1.1 Heading 2", style="Heading 2")
    document.add_paragraph("1.1.1 Heading 3", style="Heading 3")
    body = document.add_paragraph("Body Text carries the running prose, with ", style="Body Text")
    body.add_run("a link", style="Hyperlink")
    body.add_run(", ")
    body.add_run("inline code", style="Code")
    body.add_run(" and a footnote mark")
    body.add_run("1", style="footnote reference")
    body.add_run(".")
    document.add_paragraph("List Bullet", style="List Bullet")
    document.add_paragraph("List Number", style="List Number")
    document.add_paragraph("Note: a highlighted remark.", style="Note")
    document.add_paragraph("Quote: words cited from elsewhere.", style="Quote")
    document.add_paragraph("Table 1 - Caption", style="Caption")
    table = document.add_table(rows=2, cols=2, style="Table Grid")
    table.cell(0, 0).paragraphs[0].style = document.styles["Table Heading"]
    table.cell(0, 0).text = "Table Heading"
    table.cell(1, 0).paragraphs[0].style = document.styles["Table Text"]
    table.cell(1, 0).text = "Table Text"
    document.add_paragraph("Source: the Source style.", style="Source")
    document.add_paragraph("Disclaimer: small print on the cover.", style="Disclaimer")


if __name__ == "__main__":
    out = build_reference(load_theme(), ROOT / "templates" / "reference.docx")
    print(f"wrote {out}")
