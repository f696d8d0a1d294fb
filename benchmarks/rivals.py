"""What a user would do instead: LibreOffice for the PDF, docxtpl for the Word file.

* LibreOffice: ``soffice --headless --convert-to pdf`` of the project's own
  China briefing .docx, a fresh process per conversion as a script would
  run it, with a private profile folder so a desktop session is untouched.
  The first conversion also creates that profile and is reported apart.
* docxtpl: a template .docx, generated here with python-docx, whose Jinja
  tags loop over the briefing's blocks and produce the same headings,
  paragraphs, bullet items, captions, tables (rows and columns from the
  data) and chart pictures. Inline emphasis, footnotes, the cover and the
  contents field are not reproduced: the comparison favours docxtpl.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage

from benchmarks.timing import Timing, run_process, time_call
from briefing_app.document import (
    BulletList,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    plain_text,
)
from briefing_app.render.charts import render_chart_png

LO_PROFILE = "file:///tmp/lo-bench"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pdf(docx_path: Path, out_dir: Path, repeats: int) -> Timing:
    """Seconds per conversion of ``docx_path`` to PDF by a fresh soffice process."""
    soffice = soffice_path()
    if soffice is None:
        raise RuntimeError("soffice is not installed; LibreOffice comparison skipped")
    argv = [
        soffice,
        "--headless",
        f"-env:UserInstallation={LO_PROFILE}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(out_dir),
        str(docx_path),
    ]
    first = run_process(argv, timeout=300)
    if first.returncode != 0 or not (out_dir / (docx_path.stem + ".pdf")).exists():
        raise RuntimeError(f"soffice failed ({first.returncode}): {first.stderr.strip()[:200]}")
    runs = [run_process(argv, timeout=300) for _ in range(repeats)]
    timing = Timing(
        [r.seconds for r in runs],
        first=first.seconds,
        peak_mb=max(r.maxrss_mb for r in runs),
        memory_kind="ru_maxrss",
    )
    return timing


# --- docxtpl ------------------------------------------------------------------


def _p(document, text: str, style: str | None = None) -> None:
    document.add_paragraph(text, style=style)


def _tc_row(row) -> None:
    """A table row whose cells are a docxtpl column loop over ``values``."""
    cells = row.cells
    cells[0].text = "{%tc for value in values %}"
    cells[1].text = "{{ value }}"
    cells[2].text = "{%tc endfor %}"


def write_template(path: Path) -> Path:
    """The docxtpl template: one loop over blocks, one branch per block kind."""
    document = docx.Document()
    _p(document, "{%p for b in blocks %}")
    _p(document, "{%p if b.kind == 'heading1' %}")
    _p(document, "{{ b.text }}", "Heading 1")
    for level in (2, 3):
        _p(document, f"{{%p elif b.kind == 'heading{level}' %}}")
        _p(document, "{{ b.text }}", f"Heading {level}")
    _p(document, "{%p elif b.kind == 'paragraph' %}")
    _p(document, "{{ b.text }}")
    _p(document, "{%p elif b.kind == 'item' %}")
    _p(document, "{{ b.text }}", "List Bullet")
    _p(document, "{%p elif b.kind == 'table' %}")
    _p(document, "{{ b.caption }}", "Caption")
    table = document.add_table(rows=6, cols=3)
    table.style = "Table Grid"
    # docxtpl replaces a row holding a {%tr %} tag by the tag, so each loop
    # tag needs a row of its own.
    for first, part in enumerate(("header", "rows")):
        table.rows[3 * first].cells[0].text = f"{{%tr for values in b.{part} %}}"
        _tc_row(table.rows[3 * first + 1])
        table.rows[3 * first + 2].cells[0].text = "{%tr endfor %}"
    _p(document, "{%p elif b.kind == 'figure' %}")
    _p(document, "{{ b.image }}")
    _p(document, "{{ b.caption }}", "Caption")
    _p(document, "{%p endif %}")
    _p(document, "{%p endfor %}")
    document.save(str(path))
    return path


def _items(bullets: BulletList) -> list[str]:
    out = []
    for item in bullets.items:
        out.append(plain_text(item.runs))
        if item.children:
            out.extend(_items(item.children))
    return out


def pictures(document: Document) -> dict[int, bytes]:
    """PNG bytes of every figure, drawn once before timing (a fair cache)."""
    found = {}
    for index, block in enumerate(document.blocks):
        if isinstance(block, Figure):
            found[index] = block.image or render_chart_png(block.chart or block.map)  # maps too
    return found


def context(template: DocxTemplate, document: Document, images: dict[int, bytes]) -> dict:
    """The docxtpl context holding the same content as ``document``."""
    blocks: list[dict] = [{"kind": "heading1", "text": document.metadata.title}]
    for index, block in enumerate(document.blocks):
        if isinstance(block, Heading):
            blocks.append({"kind": f"heading{min(block.level, 3)}", "text": block.label})
        elif isinstance(block, Paragraph):
            blocks.append({"kind": "paragraph", "text": block.plain})
        elif isinstance(block, BulletList):
            blocks += [{"kind": "item", "text": text} for text in _items(block)]
        elif isinstance(block, Table):
            blocks.append(
                {
                    "kind": "table",
                    "caption": block.caption_label,
                    "header": [[plain_text(c) for c in row] for row in block.header_rows],
                    "rows": [[plain_text(c) for c in row] for row in block.rows],
                }
            )
        elif isinstance(block, Figure):
            picture = InlineImage(template, io.BytesIO(images[index]), width=Mm(160))
            blocks.append({"kind": "figure", "image": picture, "caption": block.caption_label})
    return {"blocks": blocks}


def docxtpl_render(
    template_path: Path, document: Document, images: dict[int, bytes], target: Path
) -> None:
    template = DocxTemplate(str(template_path))
    template.render(context(template, document, images))
    template.save(str(target))


def docxtpl_timing(document: Document, out_dir: Path, repeats: int) -> Timing:
    template_path = write_template(out_dir / "docxtpl-template.docx")
    images = pictures(document)
    target = out_dir / "docxtpl-china.docx"
    timing = time_call(
        lambda: docxtpl_render(template_path, document, images, target), repeats, cold=True
    )
    timing.extra["bytes"] = target.stat().st_size
    return timing
