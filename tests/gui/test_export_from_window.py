"""Exporting from the window: what the outline says is what the files hold."""

from __future__ import annotations

import docx
import pypdf
import pytest
from window_helpers import close_quietly, open_window, tick

from briefing_app.gui.export_worker import ExportJob

EXPORT_TIMEOUT_MS = 120_000


@pytest.fixture
def window(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    window.selection_panel.regions.select_region("pearl-river-delta")
    tick(window.selection_panel.sectors, "automotive")
    tick(window.selection_panel.sectors, "ict")
    yield window
    close_quietly(window)


def docx_headings(path) -> list[str]:
    document = docx.Document(str(path))
    return [
        p.text for p in document.paragraphs if p.style.name.startswith("Heading") and p.text.strip()
    ]


def is_heading_of(text: str, title: str) -> bool:
    """ "2.3.2 ICT" and "ICT" are headings of ICT; "Clusters in ICT" is not."""
    return text == title or text.split(" ", 1)[-1] == title


def position(headings: list[str], title: str) -> int:
    return next(i for i, text in enumerate(headings) if is_heading_of(text, title))


def export(qtbot, window, formats, output):
    with qtbot.waitSignal(window.exporter.finished, timeout=EXPORT_TIMEOUT_MS) as blocker:
        window.exporter.start(formats, output)
    return blocker.args


def test_excluded_and_reordered_sections_show_so_in_the_word_file(qtbot, window, tmp_path):
    panel = window.outline_panel
    automotive = next(i for i in panel.outline() if i.params.get("sector") == "automotive")
    # The last ICT item ("ICT policies and programmes"): a title no body
    # sub-heading repeats, unlike the bare sector name.
    ict = [i for i in panel.outline() if i.params.get("sector") == "ict"][-1]
    assert ict.title != "ICT"
    # Leave it out; move the last top-level chapter up one place.
    panel.set_included(ict.key, False)
    chapters = [i for i in panel.outline() if i.level == 1 and not i.annex]
    last, before = chapters[-1], chapters[-2]
    panel.select_key(last.key)
    panel.move_current(-1)

    target = tmp_path / "edited.docx"
    outcome, paths = export(qtbot, window, ("docx",), target)
    assert outcome == "succeeded", paths
    assert paths == [str(target)]

    headings = docx_headings(target)
    assert any(is_heading_of(text, automotive.title) for text in headings)
    assert not any(is_heading_of(text, ict.title) for text in headings)
    assert position(headings, last.title) < position(headings, before.title)
    assert (
        window.exporter.result_box is not None and "Exported" in window.exporter.result_box.text()
    )


def test_both_formats_to_a_folder(qtbot, window, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    outcome, paths = export(qtbot, window, ("docx", "pdf"), folder)
    assert outcome == "succeeded", paths
    written = sorted(folder.iterdir())
    assert sorted(p.suffix for p in written) == [".docx", ".pdf"]
    assert not [p for p in written if p.name.endswith(".part")]

    pdf_text = "".join(
        page.extract_text()
        for page in pypdf.PdfReader(
            str(folder / next(p.name for p in written if p.suffix == ".pdf"))
        ).pages[:3]
    )
    assert "Pearl River Delta" in pdf_text
    assert any(
        "Pearl River Delta" in text
        for text in docx_headings(next(p for p in written if p.suffix == ".docx"))
        + [
            docx.Document(
                str(next(p for p in written if p.suffix == ".docx"))
            ).core_properties.title
        ]
    )


def test_a_cancelled_export_writes_nothing(qtbot, window, tmp_path):
    folder = tmp_path / "cancelled"
    folder.mkdir()
    job = ExportJob(window.store.path, window.current_selection(), folder, ("docx", "pdf"))
    job.cancel()  # before it starts: the first progress report stops it
    with qtbot.waitSignal(job.done, timeout=EXPORT_TIMEOUT_MS) as blocker:
        job.start()
    assert blocker.args[0] == "cancelled"
    assert list(folder.iterdir()) == []


def test_a_failed_export_says_why(qtbot, window, tmp_path):
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("in the way", encoding="utf-8")
    outcome, message = export(qtbot, window, ("docx",), blocker / "x.docx")
    assert outcome == "failed"
    assert "a-file-not-a-folder" in message
    assert blocker.read_text(encoding="utf-8") == "in the way"
    assert window.exporter.result_box.text().startswith("The briefing was not exported")
