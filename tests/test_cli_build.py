"""``briefing build``, ``render-section`` and ``list blueprints|sections``."""

from __future__ import annotations

from pathlib import Path

import docx
import pypdf

from briefing_app.cli import main


def test_build_writes_docx_and_pdf(seeded_db_path: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    status = main(
        [
            "build",
            "--db",
            str(seeded_db_path),
            "--blueprint",
            "eccp-preparatory",
            "--country",
            "CN",
            "--sector",
            "automotive",
            "--format",
            "docx",
            "--format",
            "pdf",
            "--output",
            f"{out}/",
            "--title",
            "Cars in China",
        ]
    )
    printed = capsys.readouterr().out.split()
    assert status == 0
    stem = "cars-in-china-automotive"  # the title, then the sectors chosen
    assert printed == [str(out / f"{stem}.docx"), str(out / f"{stem}.pdf")]
    word = docx.Document(printed[0])
    text = "\n".join(p.text for p in word.paragraphs)
    cells = "\n".join(c.text for t in word.tables for row in t.rows for c in row.cells)
    assert "Cars in China" in text + cells
    assert "Changchun FAW (Yiqi) cluster" in text + cells
    reader = pypdf.PdfReader(printed[1])
    assert len(reader.pages) > 5
    assert "Cars in China" in reader.pages[0].extract_text()
    assert "Changchun FAW" in "".join(page.extract_text() for page in reader.pages)


def test_build_reports_unknown_slugs(seeded_db_path: Path, tmp_path: Path, capsys):
    out = tmp_path / "out"
    status = main(
        [
            "build",
            "--db",
            str(seeded_db_path),
            "--blueprint",
            "eccp-preparatry",
            "--output",
            f"{out}/",
        ]
    )
    assert status == 1
    assert "did you mean 'eccp-preparatory'" in capsys.readouterr().err
    assert not out.exists()


def test_render_section_text_and_html(seeded_db_path: Path, tmp_path: Path, capsys):
    section = (
        Path(__file__).resolve().parents[1]
        / "templates"
        / "sections"
        / "sectors"
        / "sector-strength.md"
    )
    assert (
        main(
            ["render-section", str(section), "--db", str(seeded_db_path), "--sector", "automotive"]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert text.startswith("Automotive\n")
    target = tmp_path / "preview.html"
    assert (
        main(
            [
                "render-section",
                str(section),
                "--db",
                str(seeded_db_path),
                "--sector",
                "ict",
                "--format",
                "html",
                "--output",
                str(target),
            ]
        )
        == 0
    )
    assert "<h2>" in target.read_text(encoding="utf-8")


def test_render_section_docx(seeded_db_path: Path, tmp_path: Path, capsys):
    section = tmp_path / "mine.md"
    section.write_text(
        "---\nkey: mine\ntitle: Mine\n---\n{{ area_name }} in a sentence.\n", encoding="utf-8"
    )
    assert (
        main(
            [
                "render-section",
                str(section),
                "--db",
                str(seeded_db_path),
                "--format",
                "docx",
                "--output",
                str(tmp_path / "mine"),
            ]
        )
        == 0
    )
    written = capsys.readouterr().out.strip()
    assert written == str(tmp_path / "mine.docx")
    assert any("China in a sentence." in p.text for p in docx.Document(written).paragraphs)


def test_hostile_or_broken_section_exits_2_with_line_and_column(
    seeded_db_path: Path, tmp_path: Path, capsys
):
    hostile = tmp_path / "hostile.md"
    hostile.write_text(
        "---\nkey: h\ntitle: H\n---\nfine\n{{ country.__class__.__mro__ }}\n", encoding="utf-8"
    )
    assert main(["render-section", str(hostile), "--db", str(seeded_db_path)]) == 2
    assert f"{hostile}, line 6, column 12: not allowed" in capsys.readouterr().err
    broken = tmp_path / "broken.md"
    broken.write_text(
        "---\nkey: b\ntitle: B\n---\nfine\n  {{ country.name }} {% if %}\n", encoding="utf-8"
    )
    assert main(["render-section", str(broken), "--db", str(seeded_db_path)]) == 2
    assert f"{broken}, line 6, column 22:" in capsys.readouterr().err


def test_list_blueprints_and_sections(seeded_db_path: Path, capsys):
    assert main(["list", "blueprints", "--db", str(seeded_db_path)]) == 0
    out = capsys.readouterr().out
    assert "eccp-preparatory" in out and "country-factsheet" in out
    assert main(["list", "sections", "--db", str(seeded_db_path), "--json"]) == 0
    assert '"slug": "sector-strength"' in capsys.readouterr().out
    assert (
        main(["list", "sectors", "--db", str(seeded_db_path)]) == 0
    )  # cli.py's own list still works
    assert "automotive" in capsys.readouterr().out


def test_render_section_as_text_keeps_escape_sequences_away_from_the_terminal(
    seeded_db_path: Path, tmp_path: Path, capsys
):
    section = tmp_path / "loud.md"
    section.write_text(
        "---\nkey: loud\ntitle: Loud\n---\nPlain \x1b[2J\x1b[31mred\x1b[0m words\x07 end\n",
        encoding="utf-8",
    )
    assert main(["render-section", str(section), "--db", str(seeded_db_path)]) == 0
    out = capsys.readouterr().out
    assert "Plain [2J[31mred[0m words end" in out
    assert not any(ord(c) < 32 and c not in "\n\t" for c in out)
