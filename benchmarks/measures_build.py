"""Measures of building documents in-process: the China briefing, annex tables, previews.

Interpreter start and module imports are left out (the modules are imported
before the clock starts). The first, cold call of a renderer in this process
is reported apart from the warm median: it pays for loading fonts, the Word
reference document and drawing charts that later builds may reuse.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import Timing, run_process, time_call
from briefing_app.assembly import Selection, build_document, plan_outline
from briefing_app.document import Document, Heading, Metadata, Table
from briefing_app.gui.document_builder import BuildRequest, build_preview, preview_pages
from briefing_app.render.docx_backend import render_docx
from briefing_app.render.pdf_backend import render_pdf

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CHINA_SECTORS = ("automotive", "human-health", "renewable-energy", "ict")
CHINA = Selection(country="CN", blueprint="eccp-preparatory", sectors=CHINA_SECTORS)
# Two selections the user flips between in the selection-change measure.
SELECTION_A = Selection(country="CN", region="zhejiang", sectors=("automotive", "ict"))
SELECTION_B = Selection(
    country="CN", region="guangdong", sectors=("human-health", "renewable-energy")
)
ANNEX_COLUMNS = ("Slug", "Name", "Region", "Sectors", "Established")


def scratch_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="briefing-bench-"))


def china_briefing(store, repeats: int, out_dir: Path) -> dict:
    """Word and PDF of the full China briefing: assembly alone, render alone, both.

    Returns the timings and leaves ``china.docx`` in ``out_dir`` for the
    LibreOffice comparison. The targets apply to assembly + render, the
    time from a selection to a file.
    """
    results: dict = {}
    results["assembly"] = time_call(lambda: build_document(store, CHINA), repeats, cold=True)
    document = build_document(store, CHINA)
    for fmt, render in (("docx", render_docx), ("pdf", render_pdf)):
        target = out_dir / f"china.{fmt}"
        results[f"render_{fmt}"] = time_call(
            lambda r=render, t=target: r(document, t), repeats, cold=True
        )
        results[f"build_{fmt}"] = time_call(
            lambda r=render, t=target: r(build_document(store, CHINA), t), repeats, memory=False
        )
        results[f"build_{fmt}"].extra["bytes"] = target.stat().st_size
    results["document"] = document
    return results


def maps(store, repeats: int) -> dict:
    """The two maps of the China briefing drawn afresh (no cache): the PDF's
    vector drawing (layout + ReportLab shapes) and the 200 dpi PNG Word and the
    preview use, next to a bar chart of the same data drawn for Word."""
    from briefing_app.assembly.knowledge import KnowledgeBase
    from briefing_app.assembly.maps import city_clusters_map, clusters_map
    from briefing_app.document import ChartSpec, Series
    from briefing_app.render import charts, maps_pdf
    from briefing_app.render.chart_cache import DPI, HEIGHT_IN, WIDTH_IN, chart_key
    from briefing_app.render.maps_png import map_png
    from briefing_app.render.pdf_fonts import register_fonts
    from briefing_app.render.theme import load_theme

    kb = KnowledgeBase(store, store.country("CN"))
    specs = {"clusters": clusters_map(kb).spec, "city-clusters": city_clusters_map(kb).spec}
    fonts = register_fonts(load_theme())
    width = 451.0  # an A4 text column, in points

    def pdf_drawing(spec) -> None:
        maps_pdf._LAYOUTS.clear()  # lay it out again: what a changed selection pays
        maps_pdf.map_drawing(spec, width, fonts, 425.0)

    results: dict = {}
    for name, spec in specs.items():
        results[f"pdf_{name}"] = time_call(lambda s=spec: pdf_drawing(s), repeats, cold=True)
        results[f"png_{name}"] = time_call(
            lambda s=spec: map_png(s, WIDTH_IN, DPI), repeats, cold=True, memory=False
        )
    places = sorted(specs["clusters"].places, key=lambda p: -p.value)
    chart = ChartSpec(
        "barh",
        tuple(p.name for p in places if p.value),
        (Series("Clusters", tuple(p.value for p in places if p.value)),),
    )
    results["png_chart"] = time_call(
        lambda: charts._render(*chart_key(chart, WIDTH_IN, HEIGHT_IN, DPI, None)),
        repeats,
        cold=True,
        memory=False,
    )
    return results


def annex_document(rows: int) -> Document:
    """A document with one numbered table of ``rows`` plain-text rows."""
    body = tuple(
        (
            f"bench-cluster-{n:06d}",
            f"Benchmark cluster {n:06d}",
            "Zhejiang",
            "automotive;ict",
            str(1980 + n % 40),
        )
        for n in range(rows)
    )
    table = Table(
        header_rows=(ANNEX_COLUMNS,),
        rows=body,
        caption=f"{rows} clusters",
        number=1,
        column_widths=(3, 4, 2, 3, 1.5),
    )
    return Document(
        Metadata(title="Annex table benchmark"), (Heading(1, "Clusters", "A", "annex-a"), table)
    )


def annex_tables(sizes: tuple[int, ...], repeats: int, out_dir: Path) -> dict:
    """Word and PDF of one table per size; fewer repeats for the largest.

    Time is measured in-process; peak memory in a child process that
    renders the same table once (``annex_child``), as resident set size.
    """
    results: dict = {}
    for rows in sizes:
        document = annex_document(rows)
        runs = repeats if rows < 10_000 else max(1, repeats // 2)
        for fmt, render in (("docx", render_docx), ("pdf", render_pdf)):
            target = out_dir / f"annex-{rows}.{fmt}"
            timing = time_call(lambda r=render, t=target, d=document: r(d, t), runs, memory=False)
            child = run_process(
                [sys.executable, "-m", "benchmarks.annex_child", str(rows), fmt, str(target)],
                env={"PYTHONPATH": str(PROJECT_ROOT)},
                timeout=600,
            )
            if child.returncode != 0:
                raise RuntimeError(f"annex child failed: {child.stderr.strip()[-300:]}")
            timing.peak_mb, timing.memory_kind = child.maxrss_mb, "ru_maxrss"
            timing.extra["rows"] = rows
            timing.extra["per_row_ms"] = timing.median / rows * 1000
            results[f"{fmt}_{rows}"] = timing
    return results


def selection_change(store, repeats: int, memory: bool = True) -> dict:
    """A new selection -> planned outline + whole-briefing HTML preview, and one section's preview.

    This is the work the preview's worker thread does after a change,
    without the GUI's debounce and signal hops (the GUI measure has those).
    """
    flip = {"n": 0}

    def change() -> None:
        # What the window does on a click: plan the outline, then hand it to
        # the preview worker, which builds and renders (long tables cut).
        flip["n"] += 1
        selection = SELECTION_A if flip["n"] % 2 else SELECTION_B
        planned = tuple(plan_outline(store, selection))
        build_preview(store, BuildRequest(flip["n"], selection, None, planned))

    def outline_only() -> None:
        flip["n"] += 1
        plan_outline(store, SELECTION_A if flip["n"] % 2 else SELECTION_B)

    items = [i for i in plan_outline(store, SELECTION_A) if i.included]
    item = next((i for i in items if i.params.get("sector")), items[0])

    def section_preview() -> None:
        build_preview(store, BuildRequest(0, SELECTION_A, item))

    # The first build of each selection compiles its section templates:
    # timed once as the cold figure, then left out of the median.
    start = time.perf_counter()
    change()
    first = time.perf_counter() - start
    change()
    whole = time_call(change, repeats, memory=memory)
    whole.first = first
    return {
        "whole": whole,
        "outline": time_call(outline_only, repeats, memory=False),
        "section": time_call(section_preview, repeats, memory=False),
        **new_selections(store, repeats),
    }


def new_selections(store, repeats: int) -> dict:
    """Selections not shown before in this process: a province after another.

    Flipping between two selections finds their charts drawn already; a
    user going through the provinces does not. Measured: the preview's
    first page (charts not drawn yet shown as boxes) and the complete page.
    """
    provinces = [
        r.slug
        for r in store.regions(country="CN")
        if r.kind == "province" and r.slug not in (SELECTION_A.region, SELECTION_B.region)
    ]
    sector_sets = (SELECTION_A.sectors, SELECTION_B.sectors, ("ict",), ("automotive",))
    first_page, complete = [], []
    for n, province in enumerate(provinces[: max(2, repeats * 2)]):
        selection = Selection(country="CN", region=province, sectors=sector_sets[n % 4])
        start = time.perf_counter()
        planned = tuple(plan_outline(store, selection))
        pages = preview_pages(store, BuildRequest(n, selection, None, planned))
        next(pages)
        first_page.append(time.perf_counter() - start)
        for _page in pages:
            pass
        complete.append(time.perf_counter() - start)
    return {"new_first_page": Timing(first_page), "new_complete": Timing(complete)}


def list_query(store, region: str, repeats: int) -> dict:
    """The queries behind ``briefing list clusters --region``, with the row count.

    ``listing``: what the command's table reads (the five fields it shows,
    ``Store.listing``); ``records``: every field as whole records, what
    ``--json`` and the data browser read.
    """
    from briefing_app.cli import TABLE_COLUMNS

    slug = store.resolve_region(region).slug
    found = {"n": 0}

    def listing() -> None:
        found["n"] = len(store.listing("clusters", TABLE_COLUMNS["clusters"], region=slug))

    def records() -> None:
        found["n"] = len(store.clusters(region=slug))

    out = {"listing": time_call(listing, repeats), "records": time_call(records, repeats)}
    for timing in out.values():
        timing.extra["rows"] = found["n"]
    return out
