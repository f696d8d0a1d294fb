"""Results: rows of the table, the targets they are checked against, JSON and the plot."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).resolve().parent / "results"


@dataclass
class Row:
    """One line of the table: a measure at a scale, its numbers and its target."""

    measure: str
    scale: str = ""
    median_s: float | None = None
    first_s: float | None = None
    peak_mb: float | None = None
    memory: str = ""
    target: str = ""
    met: bool | None = None  # None: no target, or not measured
    note: str = ""
    error: str = ""
    load: float | None = None  # 1-minute load average when the measure started
    runs_s: list[float] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.met is None:
            return "-" if not self.target else "n/a"
        return "met" if self.met else "MISSED"


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def _spread(runs: list[float]) -> str:
    """Fastest and slowest of several runs: on a shared machine the gap says
    how far a median can be trusted."""
    if len(runs) < 2:
        return ""
    return f"{_seconds(min(runs))}-{_seconds(max(runs))}"


def table(rows: list[Row]) -> str:
    """A plain text table (also valid Markdown)."""
    header = (
        "measure",
        "scale",
        "median",
        "fastest-slowest",
        "first (cold)",
        "peak MB",
        "target",
        "verdict",
        "load",
        "note",
    )
    lines = [header]
    for r in rows:
        peak = (
            f"{r.peak_mb:.0f} ({'tm' if r.memory == 'tracemalloc' else 'rss'})"
            if r.peak_mb is not None
            else ""
        )
        note = r.error or r.note
        lines.append(
            (
                r.measure,
                r.scale,
                _seconds(r.median_s),
                _spread(r.runs_s),
                _seconds(r.first_s),
                peak,
                r.target,
                r.verdict,
                f"{r.load:.1f}" if r.load is not None else "",
                note,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]

    def fmt(cells) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    out = [fmt(lines[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [fmt(line) for line in lines[1:]]
    return "\n".join(out)


def load_average() -> float | None:
    """The 1-minute load average: other work on the machine skews every timing."""
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = int(subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip())
    except (OSError, ValueError):
        nproc = None
    return {
        "nproc": nproc,
        "cpu": model,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def write_json(rows: list[Row], meta: dict[str, Any]) -> tuple[Path, Path]:
    """``results/<UTC timestamp>.json`` and ``results/latest.json``; both paths."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    data = {"when": stamp, "machine": machine(), **meta, "rows": [asdict(r) for r in rows]}
    text = json.dumps(data, indent=2, ensure_ascii=False)
    stamped = RESULTS_DIR / f"{stamp}.json"
    latest = RESULTS_DIR / "latest.json"
    stamped.write_text(text, encoding="utf-8")
    latest.write_text(text, encoding="utf-8")
    return stamped, latest


def plot_rows(points: dict[str, list[tuple[int, float]]], target: Path) -> Path:
    """Time against rows per format, log-log, with a line of slope one for reference."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.0), dpi=120)
    for label, pairs in points.items():
        pairs = sorted(pairs)
        rows = [p[0] for p in pairs]
        line = ax.plot(rows, [p[1] for p in pairs], marker="o", label=label)[0]
        # Slope one through the largest table: a series that bends away from
        # it at the small end has a fixed cost; one above it, a super-linear one.
        big_rows, big_time = pairs[-1]
        ax.plot(
            rows,
            [big_time * n / big_rows for n in rows],
            linestyle=":",
            color=line.get_color(),
            label=f"{label}: linear through {big_rows} rows",
        )
    ax.axhline(5.0, color="red", linewidth=0.8, linestyle="--", label="5 s target")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rows in the annex table")
    ax.set_ylabel("seconds (median)")
    ax.set_title("Annex table: render time against rows")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(target)
    plt.close(fig)
    return target
