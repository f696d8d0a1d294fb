"""``python -m benchmarks [--quick]``: measure, print the table, save JSON and the plot."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from benchmarks import report
from benchmarks.suite import FULL, QUICK, Run

# In this order: the China briefing goes first among the renders so that its
# "first" run really is the first render in this process.
STEPS = ("processes", "china", "maps", "rivals", "annexes", "selection_changes", "lists", "gui")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="1,000 and 10,000 clusters only, fewer repeats (under two minutes)",
    )
    parser.add_argument(
        "--only",
        nargs="+",
        choices=STEPS,
        metavar="STEP",
        help=f"run only these steps ({', '.join(STEPS)}); knowledge bases are always built",
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
    wanted = args.only or STEPS
    if "rivals" in wanted and "china" not in wanted:
        wanted = ("china", *wanted)  # the rivals are compared with the China briefing's numbers
    load_at_start = report.load_average()
    started = time.perf_counter()
    run = Run(settings, log=lambda text: print(text, file=sys.stderr, flush=True))
    run.prepare()
    for name in STEPS:
        if name in wanted:
            getattr(run, name)()
    elapsed = time.perf_counter() - started
    meta = {
        "mode": "quick" if args.quick else "full",
        "steps": list(wanted),
        "elapsed_s": elapsed,
        "load_at_start": load_at_start,
        "load_at_end": report.load_average(),
    }
    stamped, latest = report.write_json(run.rows, meta)  # first: the numbers are safe
    print(report.table(run.rows))
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
