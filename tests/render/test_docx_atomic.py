"""A cancelled or failed Word export leaves the target as it was."""

from __future__ import annotations

import pytest

from briefing_app.document import Document, Heading, Metadata, Paragraph, Table, Text
from briefing_app.errors import Cancelled, RenderError
from briefing_app.render.docx_backend import render_docx


def small_document(rows: int = 1200) -> Document:
    table = Table(
        header_rows=(("a", "b"),), rows=tuple((str(i), "x") for i in range(rows)), number=1
    )
    return Document(
        Metadata(title="Atomic"),
        (Heading(1, "One", "1", "one"), Paragraph((Text("Body"),)), table),
    )


def cancel_after(calls: int):
    seen = []

    def progress(fraction: float) -> None:
        seen.append(fraction)
        if len(seen) >= calls:
            raise Cancelled()

    return progress, seen


@pytest.mark.parametrize("calls", [1, 3, 6])
def test_cancel_leaves_an_earlier_file_byte_identical(tmp_path, calls):
    target = tmp_path / "briefing.docx"
    target.write_bytes(b"the earlier export")
    progress, seen = cancel_after(calls)
    with pytest.raises(Cancelled):
        render_docx(small_document(), target, progress=progress)
    assert len(seen) == calls
    assert target.read_bytes() == b"the earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.docx"]


def test_cancel_on_the_last_report_still_writes_nothing(tmp_path):
    """The final report comes after saving, before the file is moved in place."""
    target = tmp_path / "briefing.docx"
    fractions = []

    def progress(fraction: float) -> None:
        fractions.append(fraction)
        if fraction >= 1.0:
            raise Cancelled()

    with pytest.raises(Cancelled):
        render_docx(small_document(), target, progress=progress)
    assert fractions[-1] == 1.0
    assert list(tmp_path.iterdir()) == []


def test_progress_rises_to_one(tmp_path):
    fractions = []
    render_docx(small_document(), tmp_path / "b.docx", progress=fractions.append)
    assert fractions == sorted(fractions)
    assert fractions[-1] == 1.0 and len(fractions) > 3  # the big table reports by chunks


def test_missing_folder_is_a_render_error(tmp_path):
    with pytest.raises(RenderError, match="does not exist"):
        render_docx(small_document(3), tmp_path / "no" / "such" / "b.docx")
