"""Run the `briefing` command as a real process, as a user's shell would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from briefing_app import paths


def briefing(*args: str, db: Path, cwd: Path) -> subprocess.CompletedProcess:
    """`briefing ARGS --db DB` in ``cwd``, with this checkout's package on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(paths.project_root()) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run(
        [sys.executable, "-m", "briefing_app.cli", *args, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )
