"""``briefing check``: the reader-text rules on a briefing (DESIGN.md "Reader text").

    briefing check out/Preparatory-Briefing-on-China.docx out/...pdf
    briefing check --blueprint delegation-brief --country CN --region jilin --sector human-health

A Word or PDF file is read back and checked paragraph by paragraph (Word) or
page by page (PDF: footnote marks cannot be told from digits there, so that
rule is left to the Word file and to builds). Without a file the briefing is
built in memory and checked with the knowledge base at hand, which adds the
data rules (acronyms marked not official, figures ten times off). Each
finding prints as ``FILE: WHERE: [rule] message: "excerpt"``; the exit status
is 1 when there is any, 0 when none.

``briefing build`` runs the same checks on what it builds and prints the
findings as warnings on stderr; ``--strict`` makes them fail the build
(:func:`export_checked`).
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefing_app.document import FootnoteRef, LineBreak, Text
from briefing_app.errors import BriefingError

if TYPE_CHECKING:
    from briefing_app.assembly.reader_check import Finding, Unit

# The checker (and with it the whole assembly) is imported by the functions
# that check: every `briefing` command builds this parser, and `briefing list`
# should not pay for the assembly it never uses.

FINDINGS_STATUS = 1
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def register(subparsers: argparse._SubParsersAction) -> None:
    from briefing_app.cli import add_db_option
    from briefing_app.cli_build import _selection_options

    p = subparsers.add_parser(
        "check",
        help="check a briefing's reader text (a .docx/.pdf, or a selection built in memory)",
        description="Report text that breaks the reader-text rules: words about the tool or "
        "its data, tautologies, amounts not written 'EUR 222.7 billion', footnote marks after "
        "digits, leftovers. Give built files, or a selection to build in memory (which also "
        "checks the figures against the knowledge base). Exit status 1 when anything is found.",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="a built .docx or .pdf")
    p.add_argument("--blueprint", default="eccp-preparatory", metavar="SLUG")
    _selection_options(p)
    add_db_option(p)
    p.set_defaults(handler=cmd_check)


def add_strict_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 when the reader-text check finds anything (files are written)",
    )


def cmd_check(args: argparse.Namespace) -> int:
    from briefing_app.assembly.reader_check import check_document, summary

    found: list[tuple[str, Finding]] = []
    if args.files:
        for name in args.files:
            found += [(name, f) for f in check_file(Path(name))]
    else:
        from briefing_app.assembly import build_document
        from briefing_app.cli import open_store_from_args
        from briefing_app.cli_build import _selection

        with open_store_from_args(args) as store:
            selection = _selection(store, args, args.blueprint)
            document = build_document(store, selection)
            label = f"{args.blueprint} {selection.country}" + (
                f" {selection.region}" if selection.region else ""
            )
            found = [(label, f) for f in check_document(document, store, selection.country)]
    for name, finding in found:
        print(f"{name}: {finding.line()}")
    print(summary([f for _n, f in found]), file=sys.stderr)
    return FINDINGS_STATUS if found else 0


def export_checked(
    store: Any,
    selection: Any,
    output: Any,
    formats: Sequence[str],
    strict: bool = False,
    replacing: Callable[[Path], None] | None = None,
) -> tuple[list[Path], int]:
    """Build, check (warnings on stderr) and write; the paths and the exit status.
    Files in a folder are named as ``export.export_selection`` names them.

    The check runs beside the writing when it can (``cli_check_aside``); its
    warnings still come first, before any "replacing" notice, as when the
    check ran before the writing began."""
    from briefing_app.assembly import build_document
    from briefing_app.assembly.reader_check import summary
    from briefing_app.cli_check_aside import start_check
    from briefing_app.export import export_briefing, selection_stem

    document = build_document(store, selection)
    findings_of = start_check(document, store, selection.country)
    replaced: list[Path] = []
    try:
        stem = selection_stem(document.metadata.title, selection)
        written = export_briefing(document, output, formats, stem=stem, replacing=replaced.append)
    finally:
        findings = findings_of()
        for finding in findings:
            print(f"briefing: warning: {finding.line()}", file=sys.stderr)
        if findings:
            print(f"briefing: warning: {summary(findings)}", file=sys.stderr)
        if replacing is not None:
            for path in replaced:
                replacing(path)
    return written, (FINDINGS_STATUS if strict and findings else 0)


# -- reading built files -----------------------------------------------------


def check_file(path: Path) -> list[Finding]:
    from briefing_app.assembly.reader_check import check_units

    suffix = path.suffix.lower()
    if not path.is_file():
        raise BriefingError(f"cannot check {path}: no such file")
    if suffix == ".docx":
        return check_units(docx_units(path))
    if suffix == ".pdf":
        return check_units(pdf_units(path))
    raise BriefingError(f"cannot check {path}: only .docx and .pdf briefings can be checked")


def _docx_kind(paragraph) -> str:
    """What a body paragraph is, by its style: headings and the contents
    lists ("3 Key clusters") are no running text, nor are captions."""
    style = paragraph.find(f"{_W}pPr/{_W}pStyle")
    name = (style.get(f"{_W}val") if style is not None else "") or ""
    folded = name.replace(" ", "").lower()
    if folded.startswith(("heading", "toc", "title", "subtitle")):
        return "heading"
    if folded.startswith(("caption", "tableoffigures")):
        return "caption"
    return "paragraph"


def docx_units(path: Path) -> list[Unit]:
    """Body paragraphs (numbered as Word counts them), table cells and footnotes."""
    from lxml import etree

    from briefing_app.assembly.reader_check import Unit

    try:
        with zipfile.ZipFile(path) as archive:
            body = etree.fromstring(archive.read("word/document.xml"))
            notes = (
                etree.fromstring(archive.read("word/footnotes.xml"))
                if "word/footnotes.xml" in archive.namelist()
                else None
            )
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise BriefingError(f"cannot read {path} as a Word file: {exc}") from exc
    units: list[Unit] = []
    number = 0
    for paragraph in body.iter(f"{_W}p"):
        number += 1
        in_table = any(a.tag == f"{_W}tc" for a in paragraph.iterancestors())
        runs = tuple(_docx_runs(paragraph))
        text = "".join(r.text for r in runs if isinstance(r, Text))
        kind = "cell" if in_table else _docx_kind(paragraph)
        units.append(Unit(f"paragraph {number}", text, runs, kind))
    if notes is not None:
        for note in notes.iter(f"{_W}footnote"):
            if note.get(f"{_W}type") in ("separator", "continuationSeparator"):
                continue
            runs = tuple(_docx_runs(note))
            text = "".join(r.text for r in runs if isinstance(r, Text))
            units.append(Unit(f"footnote {note.get(f'{_W}id')}", text, runs, "footnote"))
    return units


def _docx_runs(element: Any) -> Iterable[Any]:
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}footnoteReference"):
        if node.tag == f"{_W}t":
            yield Text((node.text or "").replace("\u200b", ""))
        elif node.tag == f"{_W}tab":
            yield Text(" ")
        elif node.tag == f"{_W}br":
            yield LineBreak()
        else:
            yield FootnoteRef(int(node.get(f"{_W}id") or 0))


def pdf_units(path: Path) -> list[Unit]:
    """One unit per page (lines joined; a word hyphenated at a line end rejoined)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from briefing_app.assembly.reader_check import Unit

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (OSError, PdfReadError, ValueError) as exc:
        raise BriefingError(f"cannot read {path} as a PDF file: {exc}") from exc
    units = []
    for number, text in enumerate(pages, start=1):
        joined = " ".join(line.strip() for line in text.splitlines() if line.strip())
        units.append(Unit(f"page {number}", joined, None, "page"))
    return units
