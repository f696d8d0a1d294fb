"""Child process for annex-table memory: ``python -m benchmarks.annex_child ROWS FORMAT PATH``.

Renders one annex table of ROWS rows to PATH in FORMAT (docx or pdf) and
exits, so that the parent can read the peak resident memory of the whole
render (python-docx's lxml trees and ReportLab's C buffers included, which
tracemalloc would not see).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    rows, fmt, target = int(argv[0]), argv[1], Path(argv[2])
    from benchmarks.measures_build import annex_document

    if fmt == "docx":
        from briefing_app.render.docx_backend import render_docx as render
    else:
        from briefing_app.render.pdf_backend import render_pdf as render
    document = annex_document(rows)
    start = time.perf_counter()
    render(document, target)
    print(f"{time.perf_counter() - start:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
