"""``python -m benchmarks [--quick]``: measure, print the table, save JSON and the plot."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from benchmarks import report
from benchmarks.suite import FULL, QUICK, Run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,000 and 10,000 clusters only, fewer repeats (about two minutes)",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        help="where generated knowledge bases go (default /tmp/briefing-bench)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    settings = QUICK if args.quick else FULL
    if args.work_dir:
        settings.work_dir = args.work_dir
    started = time.perf_counter()
    run = Run(settings, log=lambda text: print(text, file=sys.stderr, flush=True))
    # Order matters: the China briefing goes first among the renders so its
    # "first" run is really the first render in this process.
    for step in (
        run.prepare,
        run.china,
        run.rivals,
        run.annexes,
        run.selection_changes,
        run.lists,
        run.gui,
    ):
        step()
    elapsed = time.perf_counter() - started
    print(report.table(run.rows))
    meta = {"mode": "quick" if args.quick else "full", "elapsed_s": elapsed}
    stamped, latest = report.write_json(run.rows, meta)
    written = [stamped, latest]
    if run.annex_points:
        try:
            written.append(report.plot_rows(run.annex_points, report.RESULTS_DIR / "rows.png"))
        except Exception as exc:  # noqa: BLE001 - the table and JSON are already safe
            print(f"plot failed: {exc}", file=sys.stderr)
    missed = [r for r in run.rows if r.met is False or r.error]
    print(f"\n{len(run.rows)} rows, {len(missed)} missed or failed; {elapsed:.0f} s in all")
    print("written: " + ", ".join(str(p) for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
