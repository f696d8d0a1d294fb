"""``render-section --format html --output F`` writes like ``build`` does (issue 19, item 12).

Through render/atomic.py: whole or not at all, so a full disk leaves neither a
truncated file nor a stray temporary one, and the message names the path; a
symbolic link at F is replaced by the file, and what it pointed at is left
alone. The full disk is a real one for the child process: a file size limit
(RLIMIT_FSIZE), under which writing fails with EFBIG as on a full disk.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from briefing_app.cli import main

ROOT = Path(__file__).resolve().parents[2]
# About 5 MB of HTML ("&" is written "&amp;"), more than the limit below.
SECTION = "---\nkey: long\ntitle: Long\n---\n{{ '&' * 999999 }}\n"

_FULL_DISK_CHILD = textwrap.dedent(
    """
    import json, resource, signal, sys
    from briefing_app.cli import main
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
    limit = 3 * 1024 * 1024  # above the database's size, below the page's
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    status = main(sys.argv[1:])
    print("STATUS " + json.dumps(status))
    """
)


def test_full_disk_leaves_the_earlier_file_and_names_the_path(seeded_db_path, tmp_path):
    section = tmp_path / "long.md"
    section.write_text(SECTION, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "page.html"
    target.write_text("earlier page", encoding="utf-8")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _FULL_DISK_CHILD,
            "render-section",
            str(section),
            "--db",
            str(seeded_db_path),
            "--format",
            "html",
            "--output",
            str(target),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(ROOT),
    )
    status = json.loads(done.stdout.split("STATUS ")[-1]) if "STATUS " in done.stdout else None
    assert status not in (0, None), done.stderr
    assert f"cannot write {target}" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_text(encoding="utf-8") == "earlier page"
    assert sorted(p.name for p in out.iterdir()) == ["page.html"]  # no temporary left


def test_a_symlink_at_the_output_is_replaced_not_followed(seeded_db_path, tmp_path, capsys):
    section = tmp_path / "short.md"
    section.write_text("---\nkey: short\ntitle: Short\n---\nA short text.\n", encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("do not touch", encoding="utf-8")
    target = tmp_path / "page.html"
    target.symlink_to(victim)
    status = main(
        [
            "render-section",
            str(section),
            "--db",
            str(seeded_db_path),
            "--format",
            "html",
            "--output",
            str(target),
        ]
    )
    assert status == 0, capsys.readouterr().err
    assert victim.read_text(encoding="utf-8") == "do not touch"
    assert not target.is_symlink()
    assert "A short text." in target.read_text(encoding="utf-8")
