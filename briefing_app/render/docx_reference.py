"""The Word reference file, reduced to its looks before anything else reads it.

``templates/reference.docx`` may be swapped for a colleague's. Such a file can
carry what a briefing must never inherit: a remote attached template
(``w:attachedTemplate`` pointing at an http address, which Word fetches when
the briefing opens), external pictures and other external relationships, mail
merge data sources, macros, headers, comments, metadata, or a part of 700 MB
that zips to 750 KB. So the Word backend never opens the file as it is:
:func:`reference_package` builds a new package in memory from

- the styles (and Word 2010's styles with effects), the numbering, the theme,
  the font table and the settings, taken by their relationship from the main
  document, each read with a size limit;
- a main document holding only the page setup of the last section.

Every relationship those parts had is dropped, and every element that pointed
at one (``r:id``, ``r:embed``...: attached template, embedded fonts, picture
bullets, header references) is removed with it. The archive itself is bounded
too: its size on disk, its number of parts and what is read from it.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from pathlib import Path

from lxml import etree

from briefing_app.errors import RenderError

MAX_FILE_BYTES = 50 * 1024 * 1024  # the .docx on disk
MAX_PARTS = 1_000
MAX_PART_BYTES = 20 * 1024 * 1024  # one kept part, uncompressed
MAX_TOTAL_BYTES = 60 * 1024 * 1024  # every kept part together, uncompressed

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = f"{_R}/officeDocument"
_DOCUMENT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OOXML = "application/vnd.openxmlformats-officedocument"
# Relationship type of each part kept -> (its name in the new package, content type).
KEPT_PARTS = {
    f"{_R}/styles": ("word/styles.xml", f"{_OOXML}.wordprocessingml.styles+xml"),
    "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects": (
        "word/stylesWithEffects.xml",
        "application/vnd.ms-word.stylesWithEffects+xml",
    ),
    f"{_R}/numbering": ("word/numbering.xml", f"{_OOXML}.wordprocessingml.numbering+xml"),
    f"{_R}/theme": ("word/theme/theme1.xml", f"{_OOXML}.theme+xml"),
    f"{_R}/fontTable": ("word/fontTable.xml", f"{_OOXML}.wordprocessingml.fontTable+xml"),
    f"{_R}/settings": ("word/settings.xml", f"{_OOXML}.wordprocessingml.settings+xml"),
}
# Settings that reach outside the briefing or lock it: dropped whatever they hold.
_SETTINGS_DROPPED = (
    "attachedTemplate",
    "mailMerge",
    "linkStyles",
    "documentProtection",
    "writeProtection",
)
_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
)


def reference_package(path: Path) -> io.BytesIO:
    """A clean copy of the reference file at ``path``, as an in-memory .docx."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise RenderError(f"cannot open the Word reference file {path}: {exc.strerror}") from exc
    if size > MAX_FILE_BYTES:
        raise _too_big(path, f"the file is {size:,} bytes (at most {MAX_FILE_BYTES:,})")
    try:
        with zipfile.ZipFile(path) as archive:
            return _rebuilt(path, archive)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise RenderError(f"cannot open the Word reference file {path}: {exc}") from exc
    except etree.XMLSyntaxError as exc:
        raise RenderError(f"the Word reference file {path} holds broken XML: {exc}") from exc


def _rebuilt(path: Path, archive: zipfile.ZipFile) -> io.BytesIO:
    names = archive.namelist()
    if len(names) > MAX_PARTS:
        raise _too_big(path, f"it has {len(names):,} parts (at most {MAX_PARTS:,})")
    reader = _Reader(path, archive)
    main = _main_document_name(reader)
    document = reader.xml(main)
    relations = _relationships(reader, _rels_name(main))
    parts: dict[str, bytes] = {}
    content_types: dict[str, str] = {}
    kept_relations: list[tuple[str, str, str]] = []
    for rel_id, (kind, target, external) in relations.items():
        if kind not in KEPT_PARTS or external or kind in {k for _, k, _ in kept_relations}:
            continue  # every other part and every external relationship is dropped
        source = posixpath.normpath(posixpath.join(posixpath.dirname(main), target))
        if source not in names:
            continue
        name, content_type = KEPT_PARTS[kind]
        root = reader.xml(source)
        if kind == f"{_R}/settings":
            _drop(root, _SETTINGS_DROPPED)
        parts[name] = _without_relationships(root)
        content_types[name] = content_type
        kept_relations.append((rel_id, kind, posixpath.relpath(name, "word")))
    parts["word/document.xml"] = _page_setup_only(document)
    content_types["word/document.xml"] = _DOCUMENT_MAIN
    parts["word/_rels/document.xml.rels"] = _relationships_xml(kept_relations)
    parts["_rels/.rels"] = _relationships_xml([("rId1", _OFFICE_DOCUMENT, "word/document.xml")])
    parts["[Content_Types].xml"] = _content_types_xml(content_types)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    buffer.seek(0)
    return buffer


class _Reader:
    """Reads parts of the archive with per-part and total size limits."""

    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.path = path
        self.archive = archive
        self.total = 0

    def read(self, name: str) -> bytes:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            raise RenderError(f"the Word reference file {self.path} has no part {name}") from None
        chunks: list[bytes] = []
        size = 0
        with self.archive.open(info) as stream:  # sizes in the header may lie: count
            while chunk := stream.read(1024 * 1024):
                size += len(chunk)
                self.total += len(chunk)
                if size > MAX_PART_BYTES:
                    raise _too_big(
                        self.path, f"its part {name} is over {MAX_PART_BYTES:,} bytes unpacked"
                    )
                if self.total > MAX_TOTAL_BYTES:
                    raise _too_big(self.path, f"its parts unpack to over {MAX_TOTAL_BYTES:,} bytes")
                chunks.append(chunk)
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.read(name), _PARSER)


def _main_document_name(reader: _Reader) -> str:
    for _id, (kind, target, external) in _relationships(reader, "_rels/.rels").items():
        if kind == _OFFICE_DOCUMENT and not external:
            return posixpath.normpath(target.lstrip("/"))
    raise RenderError(f"the Word reference file {reader.path} has no main document")


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", f"{name}.rels")


def _relationships(reader: _Reader, name: str) -> dict[str, tuple[str, str, bool]]:
    if name not in reader.archive.namelist():
        return {}
    found = {}
    for rel in reader.xml(name).iter(f"{{{_PKG_RELS}}}Relationship"):
        found[rel.get("Id", "")] = (
            rel.get("Type", ""),
            rel.get("Target", ""),
            rel.get("TargetMode", "") == "External",
        )
    return found


def _without_relationships(root: etree._Element) -> bytes:
    """The part with every element that refers to a relationship removed
    (its relationships are not copied: they would point at nothing)."""
    doomed = [
        element
        for element in root.iter()
        if isinstance(element.tag, str)
        and any(key.startswith(f"{{{_R}}}") for key in element.attrib)
    ]
    for element in doomed:
        parent = element.getparent()
        if parent is not None:
            parent.remove(element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop(root: etree._Element, names: tuple[str, ...]) -> None:
    for name in names:
        for element in list(root.iter(f"{{{_W}}}{name}")):
            element.getparent().remove(element)


def _page_setup_only(document: etree._Element) -> bytes:
    """A main document with no content but the page setup of its last section."""
    body = document.find(f"{{{_W}}}body")
    section = body.find(f"{{{_W}}}sectPr") if body is not None else None
    root = etree.Element(f"{{{_W}}}document", nsmap={"w": _W, "r": _R})
    new_body = etree.SubElement(root, f"{{{_W}}}body")
    if section is not None:
        new_body.append(section)
    return _without_relationships(root)


def _relationships_xml(relations: list[tuple[str, str, str]]) -> bytes:
    root = etree.Element(f"{{{_PKG_RELS}}}Relationships", nsmap={None: _PKG_RELS})
    for rel_id, kind, target in relations:
        etree.SubElement(root, f"{{{_PKG_RELS}}}Relationship", Id=rel_id, Type=kind, Target=target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _content_types_xml(overrides: dict[str, str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/package/2006/content-types"
    root = etree.Element(f"{{{ns}}}Types", nsmap={None: ns})
    etree.SubElement(
        root,
        f"{{{ns}}}Default",
        Extension="rels",
        ContentType="application/vnd.openxmlformats-package.relationships+xml",
    )
    etree.SubElement(root, f"{{{ns}}}Default", Extension="xml", ContentType="application/xml")
    for name, content_type in overrides.items():
        etree.SubElement(root, f"{{{ns}}}Override", PartName=f"/{name}", ContentType=content_type)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _too_big(path: Path, why: str) -> RenderError:
    return RenderError(f"the Word reference file {path} is too big to use: {why}")
