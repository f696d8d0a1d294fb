"""Private-use marker characters in record text (issue 19, item 7).

Helpers leave markers made of U+E000 ... U+E001 in the rendered text, where
tables, figures and footnotes go. A record whose name held such a marker
(imported from anywhere, or stored by an older version) crashed every build
that printed it (IndexError) or, with the number of an existing marker,
turned the name into a footnote citing another source. Markers now carry a
key no data can know and the two characters are neutralised (U+FFFD) at the
borders where data enters the text.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from briefing_app.assembly import Selection, build_document, render_template
from briefing_app.document import document_text
from briefing_app.export import export_briefing
from briefing_app.store import open_store

FORGED = " \ue0000\ue001 \ue0001\ue001 \ue000999999\ue001 \ue000 \ue001"
SELECTION = Selection(country="CN", sectors=("automotive", "ict"))


def with_forged_names(seeded_template: Path, target: Path) -> Path:
    """A copy of the seeded base whose names and source titles hold forged markers
    (written directly, as data from anywhere may already sit in a file)."""
    shutil.copyfile(seeded_template, target)
    with sqlite3.connect(target) as db:
        db.execute("UPDATE clusters SET name = name || ?", (FORGED,))
        db.execute("UPDATE organisations SET name = name || ?", (FORGED,))
        db.execute(
            "UPDATE sources SET title = title || ?, publisher = publisher || ?", (FORGED, FORGED)
        )
        db.execute("UPDATE countries SET name = name || ?", (FORGED,))
    return target


def test_a_whole_briefing_with_forged_markers_builds_and_cites_nothing_new(
    seeded_template, tmp_path
):
    clean_copy = tmp_path / "clean.sqlite"  # never the session's template itself
    shutil.copyfile(seeded_template, clean_copy)
    with open_store(clean_copy) as clean:
        reference = build_document(clean, SELECTION)
    forged = with_forged_names(seeded_template, tmp_path / "forged.sqlite")
    with open_store(forged) as store:
        document = build_document(store, SELECTION)
        written = export_briefing(document, tmp_path / "out" / "b.docx", ("docx", "pdf"))
    assert len(document.footnotes) == len(reference.footnotes)
    text = document_text(document)
    assert "\ue000" not in text and "\ue001" not in text
    assert "\ufffd0\ufffd" in text  # the name is there, with the markers neutralised
    for note in document.footnotes:
        assert "\ue000" not in str(note)
    assert all(path.stat().st_size > 0 for path in written)


@pytest.mark.parametrize(
    "payload",
    [
        "{{ '\ue000' ~ '999' ~ '\ue001' }}",
        "{{ '\ue0000\ue001'|safe }} {{ cite(kb.indicators()[0].source) }}",
        "{{ table([{'a': '\ue0000\ue001'}], ['a'], 'T\ue0000\ue001') }}",
        "{{ chart('bar', ['\ue0000\ue001'], {'\ue0000\ue001': [1]}, 'C') }}",
    ],
)
def test_template_text_cannot_forge_a_marker(shared_store, payload):
    document = render_template(shared_store, Selection(), payload, "editor")
    text = document_text(document)
    assert "\ue000" not in text and "\ue001" not in text
    assert len(document.footnotes) == payload.count("cite(")
