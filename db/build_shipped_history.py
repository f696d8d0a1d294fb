"""Write ``db/shipped-history.json``: the fingerprints of every earlier
version of every shipped record, taken from the project's git history.

A knowledge base made before shipped records were fingerprinted cannot say
which of its values the user typed and which came with the application; a
record whose fingerprint equals one of its earlier shipped versions was
never edited, so ``briefing db update-shipped`` may replace it with the
current version (and remove it when the seed no longer ships it).

Run from the project's root after a change to ``db/seed`` is committed::

    python3 db/build_shipped_history.py

Each version of ``db/seed`` in ``git log`` is read the way the application
reads the seed (built into a scratch database, checked as an import is);
a version today's code cannot read is named on stderr and left out.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing_app.errors import StoreError  # noqa: E402
from briefing_app.store import shipped_marks  # noqa: E402
from briefing_app.store.shipped_update import read_seed  # noqa: E402

TARGET = ROOT / "db" / "shipped-history.json"


def seed_versions() -> list[str]:
    """Commits that changed ``db/seed``, oldest first."""
    out = subprocess.run(
        ["git", "log", "--reverse", "--format=%H", "--", "db/seed"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.split()


def fingerprints_at(commit: str) -> dict[tuple[str, str], str]:
    """{(entity, slug): fingerprint} of the seed as it was at ``commit``."""
    tar = subprocess.run(
        ["git", "archive", commit, "db/seed"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tempfile.TemporaryDirectory(prefix="shipped-history-") as folder:
        with tarfile.open(fileobj=io.BytesIO(tar)) as archive:
            archive.extractall(folder, filter="data")
        return shipped_marks.fingerprints(read_seed(Path(folder) / "db" / "seed"))


def main() -> int:
    history: dict[str, set[str]] = {}
    for commit in seed_versions():
        try:
            found = fingerprints_at(commit)
        except StoreError as exc:
            print(f"{commit[:10]}: left out, today's code cannot read it: {exc}", file=sys.stderr)
            continue
        for (entity, slug), value in found.items():
            history.setdefault(f"{entity}/{slug}", set()).add(value)
    data = {
        "format": 1,
        "about": "fingerprints of earlier shipped versions of each record "
        "(db/build_shipped_history.py)",
        "records": {key: sorted(values) for key, values in sorted(history.items())},
    }
    text = json.dumps(data, indent=0, sort_keys=True, ensure_ascii=False) + "\n"
    TARGET.write_text(text, encoding="utf-8")
    print(f"{TARGET.relative_to(ROOT)}: {len(history)} records", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
