"""Exporting a document: paths, both formats read back, all or nothing."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf
import pytest

from briefing_app.document import Document, Heading, Metadata, Paragraph, Table, Text
from briefing_app.errors import BriefingError, Cancelled
from briefing_app.export import export_briefing, output_paths


def small_document(title: str = "Briefing on Freedonia") -> Document:
    blocks = (
        Heading(1, "Economy", "1", "economy"),
        Paragraph((Text("Freedonia grows steadily."),)),
        Table(
            (("Name", "City"),), (("Harbour cluster", "Port Town"),), caption="Clusters", number=1
        ),
    )
    return Document(Metadata(title=title), blocks)


def test_paths_from_folder_file_and_default(tmp_path: Path):
    doc = small_document()
    assert output_paths(doc, tmp_path, ["docx", "pdf"]) == [
        tmp_path / "briefing-on-freedonia.docx",
        tmp_path / "briefing-on-freedonia.pdf",
    ]
    assert output_paths(doc, tmp_path / "mine.pdf", ["docx"]) == [tmp_path / "mine.docx"]
    assert output_paths(doc, f"{tmp_path}/new-folder/", ["pdf"]) == [
        tmp_path / "new-folder" / "briefing-on-freedonia.pdf"
    ]
    assert output_paths(doc, None, ["docx"]) == [Path("out") / "briefing-on-freedonia.docx"]
    with pytest.raises(BriefingError):
        output_paths(doc, tmp_path, ["odt"])


def test_both_formats_are_written_and_read_back(tmp_path: Path):
    seen: list[float] = []
    written = export_briefing(small_document(), tmp_path / "sub" / "report", progress=seen.append)
    assert [p.name for p in written] == ["report.docx", "report.pdf"]
    word = docx.Document(str(written[0]))
    assert any("Freedonia grows steadily." in p.text for p in word.paragraphs)
    assert word.tables and word.tables[-1].cell(1, 0).text == "Harbour cluster"
    pdf_text = "".join(page.extract_text() for page in pypdf.PdfReader(str(written[1])).pages)
    assert "Freedonia grows steadily." in pdf_text
    assert seen[-1] == 1.0 and all(0 <= f <= 1 for f in seen) and seen == sorted(seen)
    assert sorted(p.name for p in (tmp_path / "sub").iterdir()) == ["report.docx", "report.pdf"]


def test_cancel_leaves_nothing_new(tmp_path: Path):
    earlier = tmp_path / "report.docx"
    earlier.write_bytes(b"earlier version")

    def cancel_in_pdf(fraction: float) -> None:
        if fraction > 0.5:
            raise Cancelled()

    with pytest.raises(Cancelled):
        export_briefing(small_document(), tmp_path / "report", progress=cancel_in_pdf)
    assert earlier.read_bytes() == b"earlier version"
    assert [p.name for p in tmp_path.iterdir()] == ["report.docx"]


def test_scratch_folders_left_by_a_killed_export_are_cleared(tmp_path):
    import os
    import time

    from briefing_app.document import Document, Heading, Metadata
    from briefing_app.export import SCRATCH_PREFIX, STALE_AFTER_S, export_briefing

    stale = tmp_path / f"{SCRATCH_PREFIX}dead"
    stale.mkdir()
    (stale / "half.pdf").write_bytes(b"%PDF-1.4 half")
    old = time.time() - STALE_AFTER_S - 60
    os.utime(stale, (old, old))
    running = tmp_path / f"{SCRATCH_PREFIX}running"
    running.mkdir()

    document = Document(Metadata(title="Scratch"), (Heading(1, "One", "1", "one"),))
    export_briefing(document, tmp_path / "scratch.docx", formats=("docx",))

    assert not stale.exists()
    assert running.exists()  # may belong to an export under way elsewhere
    assert (tmp_path / "scratch.docx").is_file()
