"""atomic_path: whole files or nothing, with the mode an ordinary file gets."""

import os
import stat

import pytest

from briefing_app.errors import RenderError
from briefing_app.render.atomic import atomic_path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_new_file_gets_the_ordinary_mode(tmp_path):
    target = tmp_path / "brief.pdf"
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()


def test_replacing_keeps_the_old_mode(tmp_path):
    target = tmp_path / "brief.docx"
    target.write_bytes(b"old")
    target.chmod(0o640)
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_failure_leaves_the_old_file_and_no_leftovers(tmp_path):
    target = tmp_path / "brief.docx"
    target.write_bytes(b"old")
    with pytest.raises(ValueError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise ValueError("boom")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.docx"]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(RenderError, match="does not exist"), atomic_path(tmp_path / "no" / "x.pdf"):
        pass
