"""The real briefing (seeded knowledge base, four sectors) as a PDF, read back."""

from __future__ import annotations

import re
import shutil

import pytest
from pypdf import PdfReader

from briefing_app import document as model
from briefing_app.assembly import Selection, build_document
from briefing_app.document import plain_text
from briefing_app.render.pdf_backend import render_pdf
from briefing_app.store import open_store

SECTORS = ("automotive", "human-health", "renewable-energy", "ict")


@pytest.fixture(scope="module")
def briefing_pdf(tmp_path_factory, seeded_template):
    folder = tmp_path_factory.mktemp("briefing")
    database = folder / "kb.sqlite"
    shutil.copyfile(seeded_template, database)
    with open_store(database) as store:
        document = build_document(store, Selection(country="CN", sectors=SECTORS))
    reader = PdfReader(str(render_pdf(document, folder / "briefing.pdf")))
    return document, reader, [page.extract_text() for page in reader.pages]


def _marks(document: model.Document) -> int:
    """How many footnote marks the document's text carries."""

    def count(runs) -> int:
        return 0 if isinstance(runs, str) else sum(isinstance(r, model.FootnoteRef) for r in runs)

    def in_list(bullets: model.BulletList) -> int:
        return sum(
            count(i.runs) + (in_list(i.children) if i.children else 0) for i in bullets.items
        )

    total = 0
    for block in document.blocks:
        if isinstance(block, model.Paragraph):
            total += count(block.runs)
        elif isinstance(block, model.BulletList):
            total += in_list(block)
        elif isinstance(block, model.Table):
            total += count(block.source) + sum(
                count(c) for row in block.header_rows + block.rows for c in row
            )
        elif isinstance(block, model.Figure):
            total += count(block.source)
    return total


def test_every_note_is_printed_once(briefing_pdf):
    document, _, pages = briefing_pdf
    assert len(document.footnotes) > 50  # the seeded briefing is heavily sourced
    text = " ".join(" ".join(pages).split())
    for note in document.footnotes:
        start = " ".join(plain_text(note.runs).split())[:30]
        found = re.findall(rf"(?<!\d){note.number} {re.escape(start)}", text)
        assert len(found) == 1, (note.number, start, len(found))


def test_each_mark_links_to_its_note_on_the_same_page(briefing_pdf):
    document, reader, _ = briefing_pdf
    page_of = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    same_page = 0
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            destination = annotation.get_object().get("/Dest")
            if destination is not None and page_of[destination[0].idnum] == number:
                same_page += 1
    # Cross-references may link elsewhere; every footnote mark links down its own page.
    assert same_page >= _marks(document) > 0


def test_contents_numbers_are_the_pages_of_the_headings(briefing_pdf):
    _, reader, pages = briefing_pdf
    outline: list[tuple[int, int]] = []

    def walk(items, depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                outline.append((depth, reader.get_destination_page_number(item) + 1))

    walk(reader.outline, 0)
    contents = "\n".join(pages[1:6]).split("\nFigures\n")[0]
    printed = [int(n) for n in re.findall(r"(?:\. )+(\d+)\n", contents)]
    # The contents go three levels deep, like the blueprint asks.
    assert printed == [page for depth, page in outline if depth < 3]
    assert len(set(printed)) > 10 and printed == sorted(printed)


def test_lists_of_tables_and_figures_point_at_the_captions(briefing_pdf):
    _, reader, pages = briefing_pdf
    body_starts = reader.get_destination_page_number(reader.outline[0]) + 1
    lists = "\n".join(pages[1:body_starts])
    entries = re.findall(r"(?:\. )+(\d+)\n((?:Table|Figure) \d+ - [^\n]+)\n", lists)
    assert sum(label.startswith("Table") for _, label in entries) >= 10
    assert sum(label.startswith("Figure") for _, label in entries) >= 5
    for number, label in entries:
        # The caption itself is the label's last appearance (the lists come first).
        printed_on = [n for n, text in enumerate(pages, start=1) if label in text]
        assert printed_on[-1] >= body_starts and printed_on[-1] == int(number), label
