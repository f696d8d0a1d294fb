"""Writing a briefing where writing is hard: never a partial or corrupt file.

An earlier file at the target stays byte for byte as it was until the new
one is complete; when the new one cannot be put there, the user gets a
RenderError saying why. ``tests/render/test_atomic.py`` and
``tests/test_export.py`` cover the temporary-file mechanics and cancelling;
this file covers what the world does to an export: a folder in the way of
the file, a read-only place, a full disk, a non-ASCII path, and a process
killed in the middle.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import docx
import pypdf
import pytest

from briefing_app import export as export_module
from briefing_app.cli import main
from briefing_app.document import Document, Heading, Metadata, Paragraph, Table, Text
from briefing_app.errors import BriefingError, RenderError
from briefing_app.export import export_briefing
from briefing_app.render import atomic
from briefing_app.render.docx_backend import render_docx

ROOT = os.geteuid() == 0
REPO = Path(__file__).resolve().parents[2]
EARLIER = b"%PDF-1.4 the earlier, complete briefing\n"


def small_document(title: str = "Briefing on Freedonia") -> Document:
    return Document(
        Metadata(title=title),
        (
            Heading(1, "Economy", "1", "economy"),
            Paragraph((Text("Harbours and lacquer workshops."),)),
            Table(
                (("Name", "City"),),
                (("Harbour cluster", "Port Town"),),
                caption="Clusters",
                number=1,
            ),
        ),
    )


def only(folder: Path) -> list[str]:
    """Names in ``folder``: no temporary or scratch file may be left."""
    return sorted(p.name for p in folder.iterdir())


def fail_with(error: OSError):
    def failing(*_args, **_kwargs):
        raise error

    return failing


# -- something in the way, or not allowed -------------------------------------------------


def test_a_folder_where_the_file_should_go(tmp_path):
    (tmp_path / "report.docx").mkdir()
    with pytest.raises(RenderError, match="cannot replace .*report.docx") as caught:
        export_briefing(small_document(), tmp_path / "report", ["docx"])
    assert "earlier" in str(caught.value) or "open in another program" in str(caught.value)
    assert (tmp_path / "report.docx").is_dir() and only(tmp_path) == ["report.docx"]


def test_a_target_that_cannot_be_replaced_keeps_the_earlier_file(tmp_path, monkeypatch):
    # Stands for a file Word holds open on Windows, or a read-only one in a
    # read-only folder (root ignores modes, so the refusal is simulated).
    target = tmp_path / "report.pdf"
    target.write_bytes(EARLIER)
    real_replace = os.replace

    def refuse_the_target(source, destination, **kwargs):
        if Path(destination) == target:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_replace(source, destination, **kwargs)

    monkeypatch.setattr(export_module.os, "replace", refuse_the_target)
    with pytest.raises(RenderError) as caught:
        export_briefing(small_document(), target, ["pdf"])
    assert (
        str(caught.value)
        == f"cannot replace {target}: Permission denied. Is it open in another program? "
        "The earlier files are unchanged."
    )
    assert target.read_bytes() == EARLIER and only(tmp_path) == ["report.pdf"]


def test_a_single_renderer_refused_at_the_last_step_keeps_the_earlier_file(tmp_path, monkeypatch):
    target = tmp_path / "report.docx"
    target.write_bytes(EARLIER)
    monkeypatch.setattr(
        atomic.os, "replace", fail_with(PermissionError(errno.EACCES, "Permission denied"))
    )
    with pytest.raises(RenderError, match="The earlier file is unchanged"):
        render_docx(small_document(), target)
    assert target.read_bytes() == EARLIER and only(tmp_path) == ["report.docx"]


def test_a_folder_that_cannot_be_written_is_a_render_error(tmp_path, monkeypatch):
    monkeypatch.setattr(
        export_module.tempfile,
        "mkdtemp",
        fail_with(PermissionError(errno.EACCES, "Permission denied")),
    )
    with pytest.raises(RenderError, match="cannot write in"):
        export_briefing(small_document(), tmp_path / "report", ["docx"])


def test_a_read_only_folder_for_a_single_renderer(tmp_path, monkeypatch):
    monkeypatch.setattr(
        atomic.tempfile, "mkstemp", fail_with(PermissionError(errno.EACCES, "Permission denied"))
    )
    with pytest.raises(RenderError, match="cannot write in .*Permission denied"):
        render_docx(small_document(), tmp_path / "report.docx")
    assert only(tmp_path) == []


@pytest.mark.skipif(ROOT, reason="root ignores file permissions")
def test_a_really_read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    (folder / "report.pdf").write_bytes(EARLIER)
    folder.chmod(0o555)
    try:
        with pytest.raises(BriefingError):
            export_briefing(small_document(), folder / "report", ["pdf"])
        assert (folder / "report.pdf").read_bytes() == EARLIER
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(ROOT, reason="root ignores file permissions")
def test_a_really_read_only_file_in_a_read_only_folder_from_the_command_line(
    tmp_path, seeded_db_path, capsys
):
    folder = tmp_path / "locked"
    folder.mkdir()
    target = folder / "cars.docx"
    target.write_bytes(EARLIER)
    target.chmod(0o444)
    folder.chmod(0o555)
    try:
        status = main(
            ["build", "--db", str(seeded_db_path), "--format", "docx", "--output", str(target)]
        )
        err = capsys.readouterr().err
        assert status == 1 and err.startswith("briefing: error:") and "Traceback" not in err
        assert target.read_bytes() == EARLIER
    finally:
        folder.chmod(0o755)
        target.chmod(0o644)


def test_both_formats_or_neither_when_the_second_cannot_be_placed(tmp_path):
    (tmp_path / "report.docx").write_bytes(EARLIER)
    (tmp_path / "report.pdf").mkdir()  # the PDF cannot go in
    with pytest.raises(RenderError):
        export_briefing(small_document(), tmp_path / "report", ["docx", "pdf"])
    assert (tmp_path / "report.docx").read_bytes() == EARLIER


def test_a_full_disk_while_writing_keeps_the_earlier_file(tmp_path, monkeypatch):
    target = tmp_path / "report.docx"
    target.write_bytes(EARLIER)
    monkeypatch.setattr(
        atomic, "_fsync", fail_with(OSError(errno.ENOSPC, "No space left on device"))
    )
    with pytest.raises(RenderError, match="No space left on device"):
        export_briefing(small_document(), target, ["docx"])
    assert target.read_bytes() == EARLIER and only(tmp_path) == ["report.docx"]


def test_a_missing_drive_or_folder_that_cannot_be_made(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_bytes(b"not a folder")
    with pytest.raises(RenderError, match="cannot create folder"):
        export_briefing(small_document(), blocker / "sub" / "report", ["docx"])


def test_record_export_onto_a_folder_is_a_store_error(tiny_store, tmp_path, capsys):
    (tmp_path / "clusters.csv").mkdir()
    status = main(
        [
            "export",
            "clusters",
            "--output",
            str(tmp_path / "clusters.csv"),
            "--db",
            str(tiny_store.path),
        ]
    )
    err = capsys.readouterr().err
    assert status == 1 and "cannot write" in err and "Traceback" not in err
    assert (tmp_path / "clusters.csv").is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")], (
        "no temporary file is left"
    )


# -- names ------------------------------------------------------------------------------


def test_a_non_ascii_path_and_title(tmp_path):
    folder = tmp_path / "Übersicht 简报"
    written = export_briefing(
        small_document("简报：浙江 — Café"), folder / "简报 é.pdf", ["docx", "pdf"]
    )
    assert [p.name for p in written] == ["简报 é.docx", "简报 é.pdf"]
    assert docx.Document(str(written[0])).core_properties.title == "简报：浙江 — Café"
    assert len(pypdf.PdfReader(str(written[1])).pages) >= 1
    named_by_title = export_briefing(small_document("Ärzte in Zhōngguó"), folder, ["docx"])
    assert named_by_title[0].parent == folder and named_by_title[0].suffix == ".docx"
    assert only(folder) == sorted(["简报 é.docx", "简报 é.pdf", named_by_title[0].name])


def test_a_non_ascii_output_from_the_command_line(seeded_db_path, tmp_path, capsys):
    target = tmp_path / "Brīfings 简报" / "汽车 é.docx"
    status = main(
        [
            "render-section",
            str(REPO / "templates" / "sections" / "core" / "objective.md"),
            "--db",
            str(seeded_db_path),
            "--format",
            "docx",
            "--output",
            str(target),
        ]
    )
    assert status == 0 and capsys.readouterr().out.strip() == str(target)
    with zipfile.ZipFile(target) as package:
        assert package.testzip() is None


# -- killed in the middle ------------------------------------------------------------------

_KILLED = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from briefing_app.document import Document, Heading, Metadata, Table
    from briefing_app.export import export_briefing

    rows = tuple((f"Cluster {i}", f"City {i}", str(i)) for i in range(4000))
    document = Document(Metadata(title="Big"), (Heading(1, "All", "1", "all"),
                        Table((("Name", "City", "N"),), rows, caption="Every cluster", number=1)))

    def report(fraction):
        print(f"{fraction:.3f}", flush=True)
        if fraction > float(sys.argv[3]):
            sys.stdin.readline()  # hold still here, files half made, until killed

    export_briefing(document, Path(sys.argv[1]), sys.argv[2].split(","), progress=report)
    print("finished", flush=True)
    """
)


@pytest.mark.parametrize(
    ("formats", "point"),
    [("docx,pdf", 0.2), ("docx,pdf", 0.75), ("pdf", 0.3)],
    ids=["in-the-docx", "in-the-pdf-after-the-docx", "pdf-alone"],
)
def test_killed_mid_export_leaves_the_earlier_files_byte_identical(tmp_path, formats, point):
    earlier = {fmt: tmp_path / f"report.{fmt}" for fmt in formats.split(",")}
    for fmt, path in earlier.items():
        path.write_bytes(EARLIER + fmt.encode())
    child = subprocess.Popen(
        [sys.executable, "-c", _KILLED, str(tmp_path / "report"), formats, str(point)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    seen = []
    try:
        while True:
            line = child.stdout.readline().strip()
            assert line and line != "finished", (
                f"the export ended before it could be killed: {seen}"
            )
            seen.append(float(line))
            if seen[-1] > point:
                break
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    for fmt, path in earlier.items():
        assert path.read_bytes() == EARLIER + fmt.encode(), f"the earlier {fmt} was touched"
    # Only hidden scratch files can be left by a killed process, never a file at a target name.
    leftovers = [name for name in only(tmp_path) if name not in {p.name for p in earlier.values()}]
    assert all(name.startswith(".") for name in leftovers), leftovers
